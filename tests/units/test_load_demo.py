"""The load_demo command: a fixed demo province, idempotent, with a demo user for every role."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command

from certification.demo_data import USERS
from certification.management.commands.load_demo import Command
from certification.models import YearlyResult
from tests.factories import AreaFactory, ProvinceFactory, UserFactory
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitAreaChange,
    UnitType,
    User,
)

DEMO_USERNAMES = [spec.username for spec in USERS]


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "area_history": Area.history.count(),
        "unit_history": Unit.history.count(),
        "role_history": RoleAssignment.history.count(),
    }


def demo_province() -> Area:
    return Area.objects.get(code="86")


@pytest.mark.django_db
def test_load_demo_creates_the_known_amounts(demo):

    assert counts() == {
        # Tỉnh Vĩnh Long and 20 communes; Tỉnh Trà Vinh before the reform: 2 districts, 4 old
        # wards and communes.
        "areas": 21 + 7,
        # 220 units and the 2 ấp absorbed into Ấp Long Hưng before the reform.
        "units": 220 + 2,
        "users": 16,
        "roles": 16,
        "area_history": 21 + 7 * 2,  # each old area created, then marked as merged
        "unit_history": 222 + 2,  # each absorbed ấp closed by the merge
        "role_history": 16,
    }


@pytest.mark.django_db
def test_load_demo_second_run_creates_nothing(demo):
    first = counts()
    passwords = dict(User.objects.values_list("username", "password"))

    output = load_demo()

    assert counts() == first
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "đã tạo 0 địa bàn, 0 đơn vị, 0 người dùng và 0 vai trò; đổi 0 mật khẩu" in output


@pytest.mark.django_db
def test_load_demo_keeps_existing_data_and_fills_in_the_rest(demo):
    # A unit without demo registrations (those protect their unit from deletion).
    Unit.objects.filter(code="KDC-29266-01").delete()
    User.objects.filter(username="quan.sat").delete()

    output = load_demo()

    assert "đã tạo 0 địa bàn, 1 đơn vị, 1 người dùng và 1 vai trò" in output
    assert Unit.objects.count() == 222
    assert User.objects.get(username="quan.sat").roles.get().role == Role.OBSERVER


@pytest.mark.django_db
def test_load_demo_leaves_other_areas_alone():
    other = ProvinceFactory(code="P99")
    AreaFactory(parent=other, code="99999")

    load_demo()

    assert Area.objects.within(Area.objects.get(code="P99")).count() == 2
    assert Area.objects.count() == 2 + 28


@pytest.mark.django_db
def test_province_has_twenty_communes_without_districts(demo):
    province = demo_province()

    assert (province.name, province.level, province.kind) == (
        "Tỉnh Vĩnh Long",
        AreaLevel.PROVINCE,
        AreaKind.TINH,
    )
    assert Area.objects.within(province).count() == 21
    communes = Area.objects.get_children(province)
    assert communes.count() == 20
    assert set(communes.values_list("level", flat=True)) == {AreaLevel.COMMUNE}
    assert communes.filter(kind=AreaKind.XA).count() == 12
    assert communes.filter(kind=AreaKind.PHUONG).count() == 8
    assert all(re.fullmatch(r"\d{5}", code) for code in communes.values_list("code", flat=True))
    assert communes.filter(name="Phường Trà Vinh").count() == 1


@pytest.mark.django_db
def test_communes_have_exactly_one_commune_unit_each(demo):

    for commune in Area.objects.get_children(demo_province()):
        commune_units = Unit.objects.filter(area=commune, unit_type=UnitType.COMMUNE)
        assert list(commune_units.values_list("name", "managing_level")) == [
            (commune.name, "province")
        ]


@pytest.mark.django_db
def test_communes_have_eight_residential_areas_each(demo):

    for commune in Area.objects.get_children(demo_province()):
        residential = Unit.objects.filter(area=commune, unit_type=UnitType.RESIDENTIAL_AREA)
        assert residential.count() == 8
        assert set(residential.values_list("managing_level", flat=True)) == {"commune"}
        assert residential.exclude(contact_email="").count() == 8
        assert residential.exclude(contact_phone="").count() == 8
    subtypes = set(
        Unit.objects.filter(unit_type=UnitType.RESIDENTIAL_AREA).values_list(
            "residential_subtype", flat=True
        )
    )
    # The Mekong delta's own words: ấp, khóm, khu phố and sóc; no thôn or tổ dân phố.
    assert subtypes == {"ap", "khom", "khu_pho", "soc"}
    assert Unit.objects.filter(name="Ấp Phú Hòa", area__code="29278").count() == 1


@pytest.mark.django_db
def test_agencies_enterprises_and_schools_split_between_levels(demo):

    others = Unit.objects.filter(
        unit_type__in=[UnitType.AGENCY, UnitType.ENTERPRISE, UnitType.SCHOOL]
    )
    assert others.count() == 40
    assert others.filter(managing_level="province").count() == 20
    assert others.filter(managing_level="commune").count() == 20
    assert others.filter(unit_type=UnitType.ENTERPRISE, enterprise_size="").count() == 0
    assert others.filter(unit_type=UnitType.SCHOOL, school_level="").count() == 0
    assert others.filter(area__depth=2).count() == 40


@pytest.mark.django_db
def test_some_units_are_excluded_under_circular_124(demo):

    excluded = sorted(unit.code for unit in Unit.objects.all() if unit.circular_124_exclusion())

    assert excluded == [
        "CQ-86-007",
        "CQ-86-013",
        "DN-86-010",
        "DN-86-011",
        "DN-86-012",
        "DN-86-013",
        "TH-86-011",
        "TH-86-012",
        "TH-86-013",
        "TH-86-014",
    ]


@pytest.mark.django_db
def test_every_role_has_a_demo_user(demo):

    roles = set(RoleAssignment.objects.values_list("role", flat=True))

    assert roles == set(Role.values)


@pytest.mark.django_db
def test_demo_users_have_the_expected_scopes(demo):

    scopes = {
        assignment.user.username: (assignment.role, str(assignment.scope))
        for assignment in RoleAssignment.objects.select_related("user", "area", "unit")
    }

    assert scopes["admin"] == (Role.ADMINISTRATOR, "toàn quốc")
    assert scopes["cuc.xdpt"] == (
        Role.MINISTRY_REVIEWER,
        "các đơn vị do Bộ Công an xét duyệt, công nhận",
    )
    assert scopes["ca.tinh"] == (Role.REVIEWER, "Tỉnh Vĩnh Long")
    assert scopes["ubnd.tinh"] == (Role.DECISION_MAKER, "Tỉnh Vĩnh Long")
    assert scopes["quan.sat"] == (Role.OBSERVER, "Tỉnh Vĩnh Long")
    assert scopes["ca.travinh"] == (Role.REVIEWER, "Phường Trà Vinh")
    assert scopes["ubnd.canglong"] == (Role.DECISION_MAKER, "Xã Càng Long")
    assert scopes["kdc.canglong.phuhoa"] == (Role.UNIT_REPRESENTATIVE, "Ấp Phú Hòa")
    assert scopes["xa.tieucan"] == (Role.UNIT_REPRESENTATIVE, "Xã Tiểu Cần")
    represented_types = set(
        RoleAssignment.objects.filter(role=Role.UNIT_REPRESENTATIVE).values_list(
            "unit__unit_type", flat=True
        )
    )
    assert represented_types == set(UnitType.values)
    assert User.objects.get(username="admin").is_superuser is True


@pytest.mark.django_db
def test_demo_usernames_are_ascii_with_dots_and_emails_example_vn(demo):

    users = User.objects.filter(username__in=DEMO_USERNAMES)

    assert users.count() == 16
    for user in users:
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+)*", user.username)
        assert user.email == f"{user.username}@example.vn"
        assert user.first_name
        assert user.last_name


@pytest.mark.django_db
def test_demo_users_log_in_with_the_default_password(demo):

    for user in User.objects.filter(username__in=DEMO_USERNAMES):
        assert user.check_password("antt2026") is True


@pytest.mark.django_db
def test_every_demo_user_logs_in_through_the_login_page_and_sees_a_role(demo, client):

    for username in DEMO_USERNAMES:
        client.post("/accounts/logout/")
        response = client.post(
            "/accounts/login/", {"username": username, "password": "antt2026"}, follow=True
        )
        assert response.context["user"].username == username
        home = response.context
        assert home["sections"] or home["is_administrator"], username
        assert 'id="no-roles"' not in response.content.decode()


@pytest.mark.django_db
def test_password_option_changes_every_demo_password(demo):

    output = load_demo("--password", "other-secret")

    assert "đổi 16 mật khẩu" in output
    for user in User.objects.filter(username__in=DEMO_USERNAMES):
        assert user.check_password("other-secret") is True
        assert user.check_password("antt2026") is False


@pytest.mark.django_db
def test_password_option_leaves_non_demo_users_alone():
    someone = UserFactory(username="nguoi.khac")
    before = someone.password

    load_demo("--password", "other-secret")

    assert User.objects.get(username="nguoi.khac").password == before


@pytest.mark.django_db
def test_load_demo_prints_every_username_and_the_password():
    output = load_demo("--password", "mat-khau-demo")

    for username in DEMO_USERNAMES:
        assert re.search(rf"^{re.escape(username)}\s", output, flags=re.MULTILINE)
    assert "Mật khẩu của mọi người dùng mẫu: mat-khau-demo" in output
    assert "Ấp Phú Hòa (Xã Càng Long)" in output


def test_load_demo_help_text_renders():
    help_text = Command().create_parser("manage.py", "load_demo").format_help()

    assert "Nạp một tỉnh mẫu" in help_text
    assert "(mặc định: antt2026)" in help_text


@pytest.mark.django_db
def test_demo_keeps_the_province_before_the_reform_and_the_moves(demo):
    reform = datetime.date(2025, 7, 1)
    old = Area.objects.get(code="84")
    old_areas = Area.objects.within(old).select_related("merged_into")
    khom_moves = UnitAreaChange.objects.filter(unit__area__code="29242").select_related(
        "old_area", "new_area"
    )

    assert [(a.name, a.level, a.valid_to, a.merged_into.name) for a in old_areas] == [
        ("Tỉnh Trà Vinh", AreaLevel.PROVINCE, reform, "Tỉnh Vĩnh Long"),
        ("Thành phố Trà Vinh", AreaLevel.DISTRICT, reform, "Tỉnh Vĩnh Long"),
        ("Phường 1", AreaLevel.COMMUNE, reform, "Phường Trà Vinh"),
        ("Phường 3", AreaLevel.COMMUNE, reform, "Phường Trà Vinh"),
        ("Huyện Càng Long", AreaLevel.DISTRICT, reform, "Tỉnh Vĩnh Long"),
        ("Thị trấn Càng Long", AreaLevel.COMMUNE, reform, "Xã Càng Long"),
        ("Xã Mỹ Cẩm", AreaLevel.COMMUNE, reform, "Xã Càng Long"),
    ]
    assert sorted({(m.old_area.name, m.new_area.name, m.changed_on) for m in khom_moves}) == [
        ("Phường 3", "Phường Trà Vinh", reform)
    ]
    assert khom_moves.count() == 8
    assert Area.objects.get_children(demo_province()).count() == 20  # no district since


@pytest.mark.django_db
def test_demo_records_the_hamlets_merged_into_ap_long_hung(demo):
    long_hung = Unit.objects.get(name="Ấp Long Hưng", area__code="29278")
    links = long_hung.predecessor_links.select_related("predecessor__area").order_by(
        "predecessor__name"
    )

    assert long_hung.active_from == datetime.date(2025, 1, 1)
    assert [
        (x.predecessor.name, x.predecessor.area.name, x.merged_on, x.predecessor.active_to)
        for x in links
    ] == [
        ("Ấp Long Hưng 1", "Xã Mỹ Cẩm", datetime.date(2025, 1, 1), datetime.date(2025, 1, 1)),
        ("Ấp Long Hưng 2", "Xã Mỹ Cẩm", datetime.date(2025, 1, 1), datetime.date(2025, 1, 1)),
    ]
    assert list(
        YearlyResult.objects.filter(unit__name="Ấp Long Hưng 2")
        .order_by("cycle__year")
        .values_list("cycle__year", "cycle__province__name", "result")
    ) == [
        (2022, "Tỉnh Trà Vinh", "not_recognised"),
        (2023, "Tỉnh Trà Vinh", "recognised"),
        (2024, "Tỉnh Trà Vinh", "recognised"),
    ]


@pytest.mark.django_db
def test_demo_unit_page_shows_the_lineage_of_ap_long_hung(demo, client):
    long_hung = Unit.objects.get(name="Ấp Long Hưng", area__code="29278")
    client.force_login(User.objects.get(username="ubnd.canglong"))

    page = client.get(long_hung.get_absolute_url()).content.decode()

    assert "Được công nhận 3 năm liên tục" in page
    assert "Năm được tính qua các khu dân cư đã sáp nhập vào đơn vị: 2023, 2024." in page
    assert "sáp nhập vào Ấp Long Hưng ngày 01/01/2025" in page
    assert "2022: chưa được công nhận" in page
