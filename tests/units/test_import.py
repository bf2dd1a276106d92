"""Importing and exporting areas and units (CSV and XLSX), by the resources and in the admin."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats import base_formats

from tests.factories import AreaFactory, ProvinceFactory, UnitFactory
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    EnterpriseSize,
    ManagingLevel,
    ResidentialSubtype,
    SchoolLevel,
    Unit,
    UnitAreaChange,
    UnitCount,
    UnitType,
)
from units.resources import CSV, AreaResource, UnitResource

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"

UNIT_COLUMNS = [
    "code",
    "name",
    "unit_type",
    "residential_subtype",
    "enterprise_size",
    "school_level",
    "is_armed_forces",
    "area_code",
    "managing_level",
    "contact_email",
    "contact_phone",
    "active_from",
    "active_to",
]
AREA_COLUMNS = ["code", "name", "level", "kind", "parent_code", "valid_from", "valid_to"]


def _unit_row(code, *, area_code="00004", unit_type="residential_area", **values):
    row = {
        "code": code,
        "name": f"Đơn vị {code}",
        "unit_type": unit_type,
        "residential_subtype": "to_dan_pho" if unit_type == "residential_area" else "",
        "is_armed_forces": "0",
        "area_code": area_code,
        "managing_level": "commune",
        **values,
    }
    return [row.get(column, "") for column in UNIT_COLUMNS]


GOOD_ROW = _unit_row("KDC001", contact_email="kdc001@example.vn", active_from="01/01/2020")
UNKNOWN_AREA_ROW = _unit_row("KDC002", area_code="99999")
BAD_TYPE_ROW = _unit_row("KDC003", unit_type="xyz")
BAD_DATE_ROW = _unit_row("KDC004", active_from="31/02/2025")

UNKNOWN_AREA = "Unknown area code “99999”."
BAD_TYPE = (
    "Unknown unit type “xyz”; expected one of: residential_area, commune, agency, enterprise, "
    "school."
)


def bad_date(value):
    return f"“{value}” is not a valid date; write it as DD/MM/YYYY or YYYY-MM-DD."


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages in English (the msgids), whatever the Vietnamese catalogue holds."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def hanoi():
    """Province 01 with the ward 00004 under it."""
    province = ProvinceFactory(
        code="01", name="Thành phố Hà Nội", kind=AreaKind.THANH_PHO_TRUC_THUOC_TW
    )
    AreaFactory(parent=province, code="00004", name="Phường Ba Đình", kind=AreaKind.PHUONG)
    return Area.objects.get(pk=province.pk)


def _csv_bytes(columns, rows, encoding="utf-8"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def _xlsx_bytes(columns, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _dataset(columns, rows):
    return CSV(encoding="utf-8").create_dataset(_csv_bytes(columns, rows))


def _upload(client, model_name, file_name, content, file_format):
    return client.post(
        reverse(f"admin:units_{model_name}_import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(file_name, content),
        },
    )


def _confirm(client, model_name, preview):
    data = preview.context["confirm_form"].initial
    return client.post(reverse(f"admin:units_{model_name}_process_import"), data)


# --- Units: errors per row, nothing written -----------------------------------------------------


def test_unit_import_dry_run_reports_each_bad_row_with_line_and_reason(hanoi):
    # Arrange
    dataset = _dataset(UNIT_COLUMNS, [GOOD_ROW, UNKNOWN_AREA_ROW, BAD_TYPE_ROW, BAD_DATE_ROW])

    # Act
    result = UnitResource().import_data(dataset, dry_run=True)

    # Assert
    assert result.problems == [
        (3, "area_code", UNKNOWN_AREA),
        (4, "unit_type", BAD_TYPE),
        (5, "active_from", bad_date("31/02/2025")),
    ]
    assert [row.line for row in result.invalid_rows] == [3, 4, 5]
    assert result.totals["new"] == 1
    assert Unit.objects.count() == 0


def test_unit_import_with_errors_writes_nothing_even_without_dry_run(hanoi):
    # Arrange
    dataset = _dataset(UNIT_COLUMNS, [GOOD_ROW, UNKNOWN_AREA_ROW])

    # Act
    result = UnitResource().import_data(dataset, dry_run=False)

    # Assert
    assert result.problems == [(3, "area_code", UNKNOWN_AREA)]
    assert Unit.objects.count() == 0


def test_unit_import_admin_preview_of_csv_shows_errors_and_writes_nothing(admin_client, hanoi):
    # Arrange: a blank line in the middle must not shift the reported line numbers.
    rows = [GOOD_ROW, UNKNOWN_AREA_ROW, [], BAD_TYPE_ROW, BAD_DATE_ROW]
    content = _csv_bytes(UNIT_COLUMNS, rows)

    # Act
    response = _upload(admin_client, "unit", "don_vi.csv", content, CSV_FORMAT)

    # Assert
    assert response.status_code == 200
    assert response.context["result"].problems == [
        (3, "area_code", UNKNOWN_AREA),
        (5, "unit_type", BAD_TYPE),
        (6, "active_from", bad_date("31/02/2025")),
    ]
    page = response.content.decode()
    for text in ["Line 3", UNKNOWN_AREA, "Line 5", BAD_TYPE, "Line 6", bad_date("31/02/2025")]:
        assert text in page
    assert "Traceback" not in page
    assert response.context.get("confirm_form") is None
    assert Unit.objects.count() == 0


def test_unit_import_admin_preview_of_xlsx_shows_errors_and_writes_nothing(admin_client, hanoi):
    # Arrange: real date and boolean cells, a blank row and a text date that is not a date.
    good = [*GOOD_ROW[:6], False, *GOOD_ROW[7:11], datetime.date(2020, 1, 1), None]
    bad_date_row = [*BAD_DATE_ROW[:11], "2025-13-01", None]
    rows = [good, UNKNOWN_AREA_ROW, [None] * len(UNIT_COLUMNS), BAD_TYPE_ROW, bad_date_row]
    content = _xlsx_bytes(UNIT_COLUMNS, rows)

    # Act
    response = _upload(admin_client, "unit", "don_vi.xlsx", content, XLSX_FORMAT)

    # Assert
    assert response.status_code == 200
    assert response.context["result"].problems == [
        (3, "area_code", UNKNOWN_AREA),
        (5, "unit_type", BAD_TYPE),
        (6, "active_from", bad_date("2025-13-01")),
    ]
    page = response.content.decode()
    for text in ["Line 3", UNKNOWN_AREA, "Line 5", BAD_TYPE, "Line 6", bad_date("2025-13-01")]:
        assert text in page
    assert response.context.get("confirm_form") is None
    assert Unit.objects.count() == 0


def test_unit_import_reports_cross_column_problems(hanoi):
    # Arrange
    rows = [
        _unit_row("TH01", unit_type="school", residential_subtype="thon", school_level="primary"),
        _unit_row("CQ01", unit_type="agency", active_from="2021-01-01", active_to="2020-01-01"),
        _unit_row("CQ01", unit_type="agency", is_armed_forces="có"),
        _unit_row("DN01", unit_type="enterprise", is_armed_forces="maybe"),
    ]

    # Act
    result = UnitResource().import_data(_dataset(UNIT_COLUMNS, rows), dry_run=True)

    # Assert
    assert result.problems == [
        (
            2,
            "residential_subtype",
            "Only a unit of type “residential area” may fill residential_subtype; leave it "
            "empty for a unit of type “school”.",
        ),
        (3, "active_to", "active_to (2020-01-01) must be later than active_from (2021-01-01)."),
        (4, "code", "Code “CQ01” appears more than once in the file (first on line 3)."),
        (5, "is_armed_forces", "“maybe” is not a yes/no value; write 1 (yes) or 0 (no)."),
    ]
    assert Unit.objects.count() == 0


def test_unit_import_accepts_labels_for_choice_columns(hanoi):
    # Arrange
    rows = [
        _unit_row(
            "DN02",
            unit_type="Enterprise",
            enterprise_size="Medium",
            managing_level="Province",
            is_armed_forces="không",
        ),
        _unit_row("KDC9", unit_type="residential area", residential_subtype="Tổ dân phố"),
        _unit_row("TH02", unit_type="school", school_level="upper_secondary"),
    ]

    # Act
    result = UnitResource().import_data(_dataset(UNIT_COLUMNS, rows), dry_run=False)

    # Assert
    assert result.problems == []
    stored = list(
        Unit.objects.order_by("code").values_list(
            "code", "unit_type", "enterprise_size", "residential_subtype", "school_level"
        )
    )
    assert stored == [
        ("DN02", UnitType.ENTERPRISE, EnterpriseSize.MEDIUM, "", ""),
        ("KDC9", UnitType.RESIDENTIAL_AREA, "", ResidentialSubtype.TO_DAN_PHO, ""),
        ("TH02", UnitType.SCHOOL, "", "", SchoolLevel.UPPER_SECONDARY),
    ]
    assert Unit.objects.get(code="DN02").managing_level == ManagingLevel.PROVINCE


def test_unit_import_of_a_new_area_code_records_the_move(hanoi):
    # Arrange
    old_area = Area.objects.get(code="00004")
    new_area = AreaFactory(parent=hanoi, code="00005", name="Phường Mới")
    unit = UnitFactory(code="KDC777", area=old_area, residential_subtype="thon")
    row = _unit_row("KDC777", area_code="00005", name=unit.name, residential_subtype="thon")
    row[UNIT_COLUMNS.index("contact_email")] = unit.contact_email

    # Act
    result = UnitResource().import_data(
        _dataset(UNIT_COLUMNS, [row]), dry_run=False, file_name="chuyen.csv"
    )

    # Assert
    assert (result.problems, result.totals["update"]) == ([], 1)
    assert Unit.objects.get(pk=unit.pk).area == new_area
    change = UnitAreaChange.objects.get(unit=unit)
    assert (change.old_area, change.new_area, change.reason) == (
        old_area,
        new_area,
        "Imported from “chuyen.csv”",
    )
    assert UnitCount.objects.get(area=new_area).n == 1
    assert UnitCount.objects.differences() == []


def test_unit_import_refuses_an_area_that_was_merged(hanoi):
    # Arrange
    target = AreaFactory(parent=hanoi, code="00006", name="Phường Đích")
    Area.objects.filter(code="00004").update(merged_into=target)

    # Act
    result = UnitResource().import_data(_dataset(UNIT_COLUMNS, [GOOD_ROW]), dry_run=True)

    # Assert
    assert result.problems == [
        (
            2,
            "area_code",
            "Area “Phường Ba Đình” (code 00004) was merged into “Phường Đích” (code 00006); "
            "use the code of the new area.",
        )
    ]


# --- Areas: created through the tree -----------------------------------------------------------

AREA_ROWS = [
    ["02", "Tỉnh Hà Giang", "province", "tinh", "", "", ""],
    ["024", "Huyện Đồng Văn", "district", "huyen", "02", "", ""],
    ["02401", "Xã Lũng Cú", "commune", "xa", "024", "01/01/2020", ""],
    ["02402", "Thị trấn Đồng Văn", "commune level", "Thị trấn", "024", "", ""],
    ["02001", "Phường Quang Trung", "commune", "phuong", "02", "2020-01-01", "2025-07-01"],
    ["00009", "Phường Mới Lập", "commune", "phuong", "01", "", ""],
]


def test_area_import_confirmed_in_admin_creates_areas_under_their_parents(admin_client, hanoi):
    # Arrange
    content = _csv_bytes(AREA_COLUMNS, AREA_ROWS)
    preview = _upload(admin_client, "area", "dia_ban.csv", content, CSV_FORMAT)
    areas_before_confirm = Area.objects.count()

    # Act
    response = _confirm(admin_client, "area", preview)

    # Assert
    preview_page = preview.content.decode()
    assert "<td><ins>Tỉnh Hà Giang</ins></td>" in preview_page
    assert 'style="' not in preview_page[preview_page.index('<div id="content"') :]
    assert response.status_code == 302
    assert areas_before_confirm == 2
    province = Area.objects.get(code="02")
    within = list(Area.objects.within(province).values_list("code", flat=True))
    assert within == ["02", "024", "02401", "02402", "02001"]
    parents = {
        code: Area.objects.get_parent(Area.objects.get(code=code)).code
        for code in ["024", "02401", "02402", "02001", "00009"]
    }
    assert parents == {"024": "02", "02401": "024", "02402": "024", "02001": "02", "00009": "01"}
    assert Area.objects.filter(code="02402").values_list("level", "kind").get() == (
        AreaLevel.COMMUNE,
        AreaKind.THI_TRAN,
    )
    assert Area.objects.get(code="02001").valid_to == datetime.date(2025, 7, 1)
    assert Area.objects.get(code="01").numchild == 2
    assert Area.objects.find_problems() == ([], [], [], [], [])


def test_unit_import_confirmed_in_admin_creates_units_in_their_areas(admin_client, hanoi):
    # Arrange
    AreaResource().import_data(_dataset(AREA_COLUMNS, AREA_ROWS), dry_run=False)
    rows = [
        _unit_row("KDC100", area_code="02401"),
        _unit_row("TH100", unit_type="school", school_level="upper_secondary", area_code="02001"),
    ]
    preview = _upload(
        admin_client, "unit", "don_vi.xlsx", _xlsx_bytes(UNIT_COLUMNS, rows), XLSX_FORMAT
    )

    # Act
    response = _confirm(admin_client, "unit", preview)

    # Assert
    assert response.status_code == 302
    assert dict(Unit.objects.values_list("code", "area__code")) == {
        "KDC100": "02401",
        "TH100": "02001",
    }
    counters = UnitCount.objects.filter(area__code__in=["02401", "02001"])
    assert sorted(counters.values_list("unit_type", "n")) == [
        ("residential_area", 1),
        ("school", 1),
    ]
    assert UnitCount.objects.differences() == []


def test_area_import_dry_run_with_errors_writes_no_tree_node(admin_client, hanoi):
    # Arrange
    rows = [
        ["00010", "Phường Hợp Lệ", "commune", "phuong", "01", "", ""],
        ["00011", "Xã Lỗi", "commune", "xa", "77777", "2025-07-01", "2025-07-01"],
        ["00012", "Xã Sai Loại", "district", "xa", "01", "", ""],
        ["00013", "Xã Mồ Côi", "commune", "xa", "", "", ""],
        ["00014", "Xã Ngày Sai", "commune", "xa", "01", "2025-07-01", "2025-01-01"],
        ["00004", "Phường Ba Đình", "commune", "phuong", "", "", ""],
    ]
    content = _csv_bytes(AREA_COLUMNS, rows)
    history_before = Area.history.count()

    # Act
    api_result = AreaResource().import_data(_dataset(AREA_COLUMNS, rows), dry_run=True)
    response = _upload(admin_client, "area", "dia_ban.csv", content, CSV_FORMAT)

    # Assert
    expected = [
        (
            3,
            "parent_code",
            "Parent area code “77777” does not exist (neither in the database nor on an "
            "earlier line of this file).",
        ),
        (3, "valid_to", "valid_to (2025-07-01) must be later than valid_from (2025-07-01)."),
        (4, "kind", "Type “commune (xã)” does not belong to the level “district level”."),
        (5, "parent_code", "A commune level area needs a parent area."),
        (6, "valid_to", "valid_to (2025-01-01) must be later than valid_from (2025-07-01)."),
        (
            7,
            "parent_code",
            "Area “00004” lies under the area with code “01”; an import does not move areas "
            "(use the action “Merge into another area”).",
        ),
    ]
    assert api_result.problems == expected
    assert response.context["result"].problems == expected
    assert response.context.get("confirm_form") is None
    assert Area.objects.count() == 2
    assert Area.objects.get(code="01").numchild == 1
    assert Area.history.count() == history_before


# --- Malformed files ----------------------------------------------------------------------------


def test_import_of_random_bytes_named_xlsx_shows_a_clear_error(admin_client):
    # Arrange
    content = bytes(range(256)) * 8

    # Act
    response = _upload(admin_client, "unit", "hong.xlsx", content, XLSX_FORMAT)

    # Assert
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "import_file": [
            "The file is not a readable XLSX workbook (it may be damaged, protected by a "
            "password, or an old .xls file)."
        ]
    }
    assert Unit.objects.count() == 0


def test_import_of_csv_in_another_encoding_shows_a_clear_error(admin_client, hanoi):
    # Arrange
    content = _csv_bytes(UNIT_COLUMNS, [GOOD_ROW], encoding="utf-16")

    # Act
    response = _upload(admin_client, "unit", "don_vi.csv", content, CSV_FORMAT)

    # Assert
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "import_file": [
            "The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)”, or import "
            "the .xlsx workbook instead."
        ]
    }


def test_import_of_a_file_that_is_neither_csv_nor_xlsx_shows_a_clear_error(admin_client):
    # Act
    response = _upload(admin_client, "unit", "don_vi.txt", b"code,name\n", CSV_FORMAT)

    # Assert
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "import_file": ["Only .csv, .xlsx files can be imported; “don_vi.txt” is not one."]
    }


def test_import_of_a_file_not_matching_the_chosen_format_shows_a_clear_error(admin_client):
    # Act
    response = _upload(admin_client, "unit", "don_vi.xlsx", b"code,name\n", CSV_FORMAT)

    # Assert
    assert response.context["form"].errors == {
        "format": ["“don_vi.xlsx” is a .xlsx file, but the chosen format is csv."]
    }


MISSING_CODE = (
    "The file lacks the column(s) code. The first row must name the columns, among: code, name, "
    "unit_type, residential_subtype, enterprise_size, school_level, is_armed_forces, area_code, "
    "managing_level, contact_email, contact_phone, active_from, active_to."
)


def test_unit_import_of_csv_without_code_column_reports_the_missing_column(admin_client, hanoi):
    # Arrange
    columns = UNIT_COLUMNS[1:]
    rows = [GOOD_ROW[1:]]

    # Act
    api_result = UnitResource().import_data(_dataset(columns, rows), dry_run=True)
    response = _upload(admin_client, "unit", "don_vi.csv", _csv_bytes(columns, rows), CSV_FORMAT)

    # Assert
    assert [str(error.error) for error in api_result.base_errors] == [MISSING_CODE]
    assert api_result.problems == []
    assert response.status_code == 200
    page = response.content.decode()
    assert MISSING_CODE in page
    assert "Traceback" not in page
    assert Unit.objects.count() == 0


def test_unit_import_with_an_unknown_column_reports_it(hanoi):
    # Arrange
    columns = [*UNIT_COLUMNS[:-1], "active_untill"]

    # Act
    result = UnitResource().import_data(_dataset(columns, [GOOD_ROW]), dry_run=True)

    # Assert
    assert [str(error.error) for error in result.base_errors] == [
        "The file has unknown column(s) “active_untill”. The first row must name the columns, "
        "among: code, name, unit_type, residential_subtype, enterprise_size, school_level, "
        "is_armed_forces, area_code, managing_level, contact_email, contact_phone, "
        "active_from, active_to."
    ]
    assert Unit.objects.count() == 0


def test_unit_import_confirmed_after_the_data_changed_writes_nothing(admin_client, hanoi):
    # Arrange
    rows = [GOOD_ROW, _unit_row("KDC002")]
    preview = _upload(
        admin_client, "unit", "don_vi.csv", _csv_bytes(UNIT_COLUMNS, rows), CSV_FORMAT
    )
    target = AreaFactory(parent=hanoi, code="00008")
    Area.objects.filter(code="00004").update(merged_into=target)

    # Act
    response = _confirm(admin_client, "unit", preview)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:units_unit_import")
    assert Unit.objects.count() == 0


# --- Export, then import again ------------------------------------------------------------------


@pytest.fixture
def registry(hanoi):
    """Areas two levels deep and units of every type."""
    commune = Area.objects.get(code="00004")
    province = ProvinceFactory(
        code="02", name="Tỉnh Hà Giang", valid_from=datetime.date(2020, 1, 1)
    )
    district = AreaFactory(
        parent=province,
        code="024",
        name="Huyện Đồng Văn",
        level=AreaLevel.DISTRICT,
        kind=AreaKind.HUYEN,
    )
    AreaFactory(
        parent=district, code="02401", name="Xã Lũng Cú", valid_to=datetime.date(2025, 7, 1)
    )
    UnitFactory(code="KDC1", area=commune, active_from=datetime.date(2020, 1, 1))
    UnitFactory(
        code="CQ1",
        area=commune,
        unit_type=UnitType.AGENCY,
        residential_subtype="",
        is_armed_forces=True,
        managing_level=ManagingLevel.PROVINCE,
        contact_phone="0241234567",
    )
    UnitFactory(
        code="DN1",
        area=commune,
        unit_type=UnitType.ENTERPRISE,
        residential_subtype="",
        enterprise_size=EnterpriseSize.LARGE,
        contact_email="",
    )
    UnitFactory(
        code="TH1",
        area=commune,
        unit_type=UnitType.SCHOOL,
        residential_subtype="",
        school_level=SchoolLevel.UPPER_SECONDARY,
        active_from=datetime.date(2019, 9, 5),
        active_to=datetime.date(2030, 1, 1),
    )


def _export(client, model_name, file_format):
    data = {"format": file_format, "resource": "0"}
    return client.post(reverse(f"admin:units_{model_name}_export"), data)


@pytest.mark.parametrize(
    ("file_format", "format_class"), [(CSV_FORMAT, CSV), (XLSX_FORMAT, base_formats.XLSX)]
)
@pytest.mark.parametrize(
    ("model_name", "resource_class"), [("area", AreaResource), ("unit", UnitResource)]
)
def test_export_then_import_gives_no_changes(
    admin_client, registry, model_name, resource_class, file_format, format_class
):
    # Arrange
    response = _export(admin_client, model_name, file_format)
    dataset = format_class(encoding="utf-8").create_dataset(response.content)
    count = resource_class._meta.model.objects.count()

    # Act
    result = resource_class().import_data(dataset, dry_run=True)

    # Assert
    assert response.status_code == 200
    assert dataset.headers == (AREA_COLUMNS if model_name == "area" else UNIT_COLUMNS)
    assert result.problems == []
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, count)


def test_area_export_writes_the_parent_codes_in_constant_queries(
    registry, django_assert_num_queries
):
    # Act
    with django_assert_num_queries(2):
        dataset = AreaResource().export(Area.objects.all())

    # Assert
    assert [(row[0], row[4]) for row in dataset] == [
        ("01", ""),
        ("00004", "01"),
        ("02", ""),
        ("024", "02"),
        ("02401", "024"),
    ]
