"""Loads a demo province shaped after the 2025 reform, with its units and one user per role.

The data are fixed lists (no randomness), so every run yields the same areas, units and users.
Codes and usernames are the natural keys: what already exists is kept as it is, only the demo
users' passwords follow --password. Codes are illustrative, not the official national list.

With the published criteria set TT124-2021 loaded, the province also gets this year's cycle, with
registrations in every state, and last year's, all acknowledged; both are filed through the
certification services, so every step is recorded with who did it and why. A year whose cycle
already exists is left alone.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.contrib.auth.hashers import check_password, make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from certification.models import (
    CriteriaSet,
    Cycle,
    CycleStep,
    DocumentKind,
    Registration,
    RegistrationStatus,
)
from certification.models.registration import REQUIRED_DOCUMENTS
from certification.services.cycles import calendar_for, create_cycle, grant_extension
from certification.services.registration import (
    acknowledge_registration,
    add_document,
    return_registration,
    start_registration,
    submit_registration,
)
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    EnterpriseSize,
    ManagingLevel,
    ResidentialSubtype,
    Role,
    RoleAssignment,
    SchoolLevel,
    Unit,
    UnitType,
    User,
)
from units.services import create_area, grant_role

DEFAULT_PASSWORD = "antt2026"
PROVINCE_CODE = "86"
PROVINCE_NAME = "Tỉnh Vĩnh Long"
RESIDENTIAL_AREAS_PER_COMMUNE = 8
CHANGE_REASON = "Demo data (load_demo)"


class CommuneSpec(NamedTuple):
    code: str
    name: str
    kind: str
    phone_prefix: str  # the area code of the former province (Trà Vinh, Vĩnh Long, Bến Tre)
    subtype: str  # the residential-area type used in this commune


# Vĩnh Long after 1 July 2025: the former provinces Trà Vinh, Vĩnh Long and Bến Tre, no districts.
COMMUNES = (
    CommuneSpec("29242", "Phường Trà Vinh", AreaKind.PHUONG, "0294", ResidentialSubtype.KHOM),
    CommuneSpec("29263", "Phường Long Đức", AreaKind.PHUONG, "0294", ResidentialSubtype.KHOM),
    CommuneSpec("29266", "Phường Nguyệt Hóa", AreaKind.PHUONG, "0294", ResidentialSubtype.KHOM),
    CommuneSpec("29278", "Xã Càng Long", AreaKind.XA, "0294", ResidentialSubtype.AP),
    CommuneSpec("29311", "Xã Cầu Kè", AreaKind.XA, "0294", ResidentialSubtype.AP),
    CommuneSpec("29341", "Xã Tiểu Cần", AreaKind.XA, "0294", ResidentialSubtype.AP),
    CommuneSpec("29377", "Xã Châu Thành", AreaKind.XA, "0294", ResidentialSubtype.AP),
    CommuneSpec("29410", "Xã Trà Cú", AreaKind.XA, "0294", ResidentialSubtype.SOC),
    CommuneSpec("29551", "Phường Thanh Đức", AreaKind.PHUONG, "0270", ResidentialSubtype.KHOM),
    CommuneSpec(
        "29557", "Phường Phước Hậu", AreaKind.PHUONG, "0270", ResidentialSubtype.TO_DAN_PHO
    ),
    CommuneSpec("29590", "Xã Long Hồ", AreaKind.XA, "0270", ResidentialSubtype.AP),
    CommuneSpec("29635", "Xã Mang Thít", AreaKind.XA, "0270", ResidentialSubtype.AP),
    CommuneSpec("29662", "Xã Vũng Liêm", AreaKind.XA, "0270", ResidentialSubtype.AP),
    CommuneSpec("29713", "Xã Tam Bình", AreaKind.XA, "0270", ResidentialSubtype.THON),
    CommuneSpec("29770", "Phường Bình Minh", AreaKind.PHUONG, "0270", ResidentialSubtype.KHOM),
    CommuneSpec("28756", "Phường An Hội", AreaKind.PHUONG, "0275", ResidentialSubtype.KHU_PHO),
    CommuneSpec("28777", "Phường Phú Khương", AreaKind.PHUONG, "0275", ResidentialSubtype.KHU_PHO),
    CommuneSpec("28810", "Xã Giồng Trôm", AreaKind.XA, "0275", ResidentialSubtype.AP),
    CommuneSpec("28900", "Xã Mỏ Cày", AreaKind.XA, "0275", ResidentialSubtype.AP),
    CommuneSpec("29020", "Xã Ba Tri", AreaKind.XA, "0275", ResidentialSubtype.AP),
)
COMMUNE_BY_CODE = {commune.code: commune for commune in COMMUNES}

# Hamlet names common in the Mekong delta; each commune takes eight in a row from its own offset.
HAMLET_NAMES = (
    "Phú Hòa",
    "An Thạnh",
    "Tân Bình",
    "Long Hưng",
    "Hòa Lợi",
    "Mỹ Phước",
    "Bình Thạnh",
    "Phước An",
    "Thạnh Lợi",
    "Tân Thuận",
    "An Hòa",
    "Vĩnh Hưng",
    "Long Thạnh",
    "Hiệp Hòa",
    "Phú Thọ",
    "Mỹ Hòa",
    "Tân Qui",
    "Đại Phước",
    "Bình Hòa",
    "Phú Thạnh",
    "An Định",
    "Tân Hiệp",
    "Long Bình",
    "Thạnh Mỹ",
)
# Khmer hamlets (sóc) as in Trà Cú.
SOC_NAMES = (
    "Sóc Ruộng",
    "Sóc Chà A",
    "Sóc Chà B",
    "Sóc Tro Trên",
    "Sóc Tro Dưới",
    "Sóc Mới",
    "Sóc Xoài",
    "Sóc Cụt",
)
NUMBERED_PREFIX = {
    ResidentialSubtype.KHOM: "Khóm",
    ResidentialSubtype.TO_DAN_PHO: "Tổ dân phố",
    ResidentialSubtype.KHU_PHO: "Khu phố",
}
NAMED_PREFIX = {ResidentialSubtype.AP: "Ấp", ResidentialSubtype.THON: "Thôn"}


class UnitSpec(NamedTuple):
    code: str
    name: str
    unit_type: str
    commune_code: str
    managing_level: str
    residential_subtype: str = ""
    enterprise_size: str = ""
    school_level: str = ""
    is_armed_forces: bool = False


def _residential_names(commune: CommuneSpec, offset: int) -> list[str]:
    count = RESIDENTIAL_AREAS_PER_COMMUNE
    if commune.subtype in NUMBERED_PREFIX:
        return [f"{NUMBERED_PREFIX[commune.subtype]} {number}" for number in range(1, count + 1)]
    if commune.subtype == ResidentialSubtype.SOC:
        return list(SOC_NAMES[:count])
    prefix = NAMED_PREFIX[commune.subtype]
    return [f"{prefix} {HAMLET_NAMES[(offset + i) % len(HAMLET_NAMES)]}" for i in range(count)]


def _commune_and_residential_units() -> list[UnitSpec]:
    specs = []
    named_communes = 0
    for commune in COMMUNES:
        specs.append(
            UnitSpec(
                f"XA-{commune.code}",
                commune.name,
                UnitType.COMMUNE,
                commune.code,
                ManagingLevel.PROVINCE,
            )
        )
        names = _residential_names(commune, offset=named_communes * 5)
        if commune.subtype in NAMED_PREFIX:
            named_communes += 1
        for number, name in enumerate(names, start=1):
            specs.append(
                UnitSpec(
                    f"KDC-{commune.code}-{number:02d}",
                    name,
                    UnitType.RESIDENTIAL_AREA,
                    commune.code,
                    ManagingLevel.COMMUNE,
                    residential_subtype=commune.subtype,
                )
            )
    return specs


def _agency(code, name, commune_code, level, *, armed_forces=False) -> UnitSpec:
    return UnitSpec(code, name, UnitType.AGENCY, commune_code, level, is_armed_forces=armed_forces)


def _enterprise(code, name, commune_code, level, size) -> UnitSpec:
    return UnitSpec(code, name, UnitType.ENTERPRISE, commune_code, level, enterprise_size=size)


def _school(code, name, commune_code, level, school_level) -> UnitSpec:
    return UnitSpec(code, name, UnitType.SCHOOL, commune_code, level, school_level=school_level)


P, C = ManagingLevel.PROVINCE, ManagingLevel.COMMUNE
LARGE, MEDIUM = EnterpriseSize.LARGE, EnterpriseSize.MEDIUM
SMALL, MICRO = EnterpriseSize.SMALL, EnterpriseSize.MICRO

# Agencies, enterprises and schools; the armed-forces agencies, small and micro enterprises,
# primary schools and preschools are there to show the exclusions of Circular 124/2021.
OTHER_UNITS = (
    _agency("CQ-86-001", "Sở Tư pháp tỉnh Vĩnh Long", "29551", P),
    _agency("CQ-86-002", "Bệnh viện Đa khoa tỉnh Vĩnh Long", "29557", P),
    _agency("CQ-86-003", "Bảo hiểm xã hội cơ sở Trà Vinh", "29242", P),
    _agency("CQ-86-004", "Trung tâm Y tế khu vực Càng Long", "29278", P),
    _agency("CQ-86-005", "Thư viện Nguyễn Đình Chiểu", "28756", P),
    _agency("CQ-86-006", "Văn phòng Đăng ký đất đai chi nhánh Mỏ Cày", "28900", P),
    _agency("CQ-86-007", "Bộ Chỉ huy Quân sự tỉnh Vĩnh Long", "29551", P, armed_forces=True),
    _agency("CQ-86-008", "Trạm Y tế xã Tiểu Cần", "29341", C),
    _agency("CQ-86-009", "Trạm Y tế phường Long Đức", "29263", C),
    _agency("CQ-86-010", "Bưu điện văn hóa xã Mang Thít", "29635", C),
    _agency("CQ-86-011", "Trung tâm Văn hóa – Thể thao xã Vũng Liêm", "29662", C),
    _agency("CQ-86-012", "Trung tâm Phục vụ hành chính công xã Giồng Trôm", "28810", C),
    _agency("CQ-86-013", "Ban Chỉ huy Quân sự xã Ba Tri", "29020", C, armed_forces=True),
    _enterprise("DN-86-001", "Công ty TNHH May mặc Long Đức", "29263", P, LARGE),
    _enterprise("DN-86-002", "Công ty Cổ phần Thủy sản Cửu Long", "29377", P, LARGE),
    _enterprise("DN-86-003", "Công ty Cổ phần Cấp thoát nước Trà Vinh", "29242", P, LARGE),
    _enterprise("DN-86-004", "Công ty TNHH Giày da Bình Minh", "29770", P, LARGE),
    _enterprise("DN-86-005", "Công ty TNHH Chế biến Dừa Giồng Trôm", "28810", P, MEDIUM),
    _enterprise("DN-86-006", "Công ty Cổ phần Thủy sản Ba Tri", "29020", P, MEDIUM),
    _enterprise("DN-86-007", "Công ty Cổ phần Gạch gốm Mang Thít", "29635", C, MEDIUM),
    _enterprise("DN-86-008", "Công ty TNHH Lương thực Vũng Liêm", "29662", C, MEDIUM),
    _enterprise("DN-86-009", "Công ty TNHH Nông sản Cầu Kè", "29311", C, MEDIUM),
    _enterprise("DN-86-010", "Công ty TNHH Kẹo dừa Mỏ Cày", "28900", C, SMALL),
    _enterprise("DN-86-011", "Công ty TNHH Thương mại Phú Khương", "28777", C, SMALL),
    _enterprise("DN-86-012", "Doanh nghiệp tư nhân Cơ khí Tam Bình", "29713", C, MICRO),
    _enterprise("DN-86-013", "Doanh nghiệp tư nhân Xay xát Tiểu Cần", "29341", C, MICRO),
    _school("TH-86-001", "Trường THPT Càng Long", "29278", P, SchoolLevel.UPPER_SECONDARY),
    _school("TH-86-002", "Trường THPT Lưu Văn Liệt", "29551", P, SchoolLevel.UPPER_SECONDARY),
    _school(
        "TH-86-003",
        "Trường THPT chuyên Nguyễn Thiện Thành",
        "29242",
        P,
        SchoolLevel.UPPER_SECONDARY,
    ),
    _school("TH-86-004", "Trường THCS và THPT Trà Cú", "29410", P, SchoolLevel.MULTI_LEVEL),
    _school(
        "TH-86-005",
        "Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên Vũng Liêm",
        "29662",
        P,
        SchoolLevel.CONTINUING,
    ),
    _school("TH-86-006", "Trường Cao đẳng Vĩnh Long", "29557", P, SchoolLevel.VOCATIONAL),
    _school("TH-86-007", "Trường Đại học Trà Vinh", "29242", P, SchoolLevel.HIGHER),
    _school("TH-86-008", "Trường THCS Long Đức", "29263", C, SchoolLevel.LOWER_SECONDARY),
    _school("TH-86-009", "Trường THCS Tiểu Cần", "29341", C, SchoolLevel.LOWER_SECONDARY),
    _school("TH-86-010", "Trường THCS An Hội", "28756", C, SchoolLevel.LOWER_SECONDARY),
    _school("TH-86-011", "Trường Tiểu học Nguyệt Hóa", "29266", C, SchoolLevel.PRIMARY),
    _school("TH-86-012", "Trường Tiểu học Long Hồ A", "29590", C, SchoolLevel.PRIMARY),
    _school("TH-86-013", "Trường Mầm non Hoa Sen", "29557", C, SchoolLevel.PRESCHOOL),
    _school("TH-86-014", "Trường Mẫu giáo Họa Mi", "29020", C, SchoolLevel.PRESCHOOL),
)

UNITS = (*_commune_and_residential_units(), *OTHER_UNITS)
UNIT_BY_CODE = {unit.code: unit for unit in UNITS}


def _residential_code(commune_code: str, name: str) -> str:
    """The code of a planned residential area; fails at import when the plan has no such area."""
    (code,) = (
        unit.code
        for unit in UNITS
        if unit.commune_code == commune_code
        and unit.name == name
        and unit.unit_type == UnitType.RESIDENTIAL_AREA
    )
    return code


class UserSpec(NamedTuple):
    username: str
    last_name: str  # family name
    first_name: str  # middle and given names
    role: str
    area_code: str | None = None
    unit_code: str | None = None


USERS = (
    UserSpec("admin", "Nguyễn", "Văn An", Role.ADMINISTRATOR),
    UserSpec("ca.tinh", "Trần", "Minh Tuấn", Role.REVIEWER, area_code=PROVINCE_CODE),
    UserSpec("ubnd.tinh", "Lê", "Thị Hồng Nhung", Role.DECISION_MAKER, area_code=PROVINCE_CODE),
    UserSpec("quan.sat", "Phạm", "Quốc Bảo", Role.OBSERVER, area_code=PROVINCE_CODE),
    UserSpec("ca.travinh", "Huỳnh", "Văn Phúc", Role.REVIEWER, area_code="29242"),
    UserSpec("ubnd.travinh", "Võ", "Thị Mai", Role.DECISION_MAKER, area_code="29242"),
    UserSpec("ca.canglong", "Đặng", "Hoàng Nam", Role.REVIEWER, area_code="29278"),
    UserSpec("ubnd.canglong", "Thạch", "Thị Sa Rây", Role.DECISION_MAKER, area_code="29278"),
    UserSpec(
        "kdc.travinh.khom3",
        "Ngô",
        "Văn Hải",
        Role.UNIT_REPRESENTATIVE,
        unit_code=_residential_code("29242", "Khóm 3"),
    ),
    UserSpec(
        "kdc.canglong.phuhoa",
        "Sơn",
        "Thị Mỹ Linh",
        Role.UNIT_REPRESENTATIVE,
        unit_code=_residential_code("29278", "Ấp Phú Hòa"),
    ),
    UserSpec(
        "kdc.anhoi.khupho2",
        "Bùi",
        "Thanh Tâm",
        Role.UNIT_REPRESENTATIVE,
        unit_code=_residential_code("28756", "Khu phố 2"),
    ),
    UserSpec("xa.tieucan", "Kim", "Văn Sơn", Role.UNIT_REPRESENTATIVE, unit_code="XA-29341"),
    UserSpec(
        "cq.ttyt.canglong", "Lâm", "Thị Thu Hà", Role.UNIT_REPRESENTATIVE, unit_code="CQ-86-004"
    ),
    UserSpec(
        "dn.maylongduc", "Trương", "Quang Vinh", Role.UNIT_REPRESENTATIVE, unit_code="DN-86-001"
    ),
    UserSpec(
        "th.thpt.canglong", "Đoàn", "Thị Ngọc Ánh", Role.UNIT_REPRESENTATIVE, unit_code="TH-86-001"
    ),
)


# --- The yearly cycle -----------------------------------------------------------------------------

CRITERIA_SET_CODE = "TT124-2021"
Status = RegistrationStatus


class PlannedRegistration(NamedTuple):
    unit_code: str
    status: str  # where the registration ends up in the current year's cycle
    signer_name: str
    signer_title: str
    # Households (resident, registered) for a residential area; staff (total, pledged) for an
    # agency, enterprise or school; students (total, pledged) for a school.
    households: tuple[int, int] | None = None
    staff: tuple[int, int] | None = None
    students: tuple[int, int] | None = None


def _khom(name: str, status: str, signer: str, households: tuple[int, int]):
    return PlannedRegistration(
        _residential_code("29242", name), status, signer, "Trưởng khóm", households=households
    )


def _ap(name: str, status: str, signer: str, households: tuple[int, int]):
    return PlannedRegistration(
        _residential_code("29278", name), status, signer, "Trưởng ấp", households=households
    )


# Phường Trà Vinh: every residential area has registered, most are acknowledged (complete).
# Xã Càng Long: a mix, with Ấp Phú Hòa returned to its representative and three not registered
# (Ấp Mỹ Phước, Ấp Bình Thạnh, Ấp Phước An). Province-managed bodies wait for ca.tinh.
CURRENT_REGISTRATIONS = (
    _khom("Khóm 1", Status.ACKNOWLEDGED, "Trần Văn Lộc", (212, 212)),
    _khom("Khóm 2", Status.ACKNOWLEDGED, "Nguyễn Thị Kim Yến", (187, 187)),
    _khom("Khóm 3", Status.SUBMITTED, "Ngô Văn Hải", (245, 245)),
    _khom("Khóm 4", Status.ACKNOWLEDGED, "Lê Hoàng Phong", (168, 168)),
    _khom("Khóm 5", Status.ACKNOWLEDGED, "Thạch Sô Phol", (203, 203)),
    _khom("Khóm 6", Status.ACKNOWLEDGED, "Phạm Thị Bích Ngọc", (176, 176)),
    _khom("Khóm 7", Status.ACKNOWLEDGED, "Huỳnh Văn Tài", (231, 231)),
    _khom("Khóm 8", Status.SUBMITTED, "Kiên Thị Sa Ly", (159, 159)),
    _ap("Ấp Phú Hòa", Status.RETURNED, "Sơn Thị Mỹ Linh", (318, 318)),
    _ap("Ấp An Thạnh", Status.ACKNOWLEDGED, "Võ Văn Nghĩa", (276, 276)),
    _ap("Ấp Tân Bình", Status.ACKNOWLEDGED, "Đỗ Minh Trí", (294, 294)),
    _ap("Ấp Long Hưng", Status.SUBMITTED, "Châu Văn Bé", (251, 251)),
    _ap("Ấp Hòa Lợi", Status.DRAFT, "Trương Thị Hạnh", (263, 249)),
    PlannedRegistration(
        "XA-29242", Status.SUBMITTED, "Võ Thị Mai", "Chủ tịch Ủy ban nhân dân phường"
    ),
    PlannedRegistration("XA-29341", Status.SUBMITTED, "Kim Văn Sơn", "Chủ tịch Ủy ban nhân dân xã"),
    PlannedRegistration(
        "CQ-86-004", Status.SUBMITTED, "Dương Văn Thành", "Giám đốc", staff=(86, 86)
    ),
    PlannedRegistration(
        "TH-86-001",
        Status.SUBMITTED,
        "Đoàn Thị Ngọc Ánh",
        "Hiệu trưởng",
        staff=(78, 78),
        students=(1126, 1126),
    ),
    PlannedRegistration(
        "DN-86-001", Status.ACKNOWLEDGED, "Trương Quang Vinh", "Giám đốc", staff=(1248, 1248)
    ),
)
RETURN_REASON = (
    "Nghị quyết của chi bộ đính kèm là nghị quyết năm {previous}; đề nghị bổ sung nghị quyết "
    "năm {year} của chi bộ ấp."
)
EXTENSION_UNIT_CODE = _residential_code("28756", "Khu phố 2")
EXTENSION_REASON = "Trưởng khu phố mới được bầu; gia hạn đăng ký."
EXTENSION_DAYS = 30
FIRST_REGISTRATION_DAY = (2, 10)  # month, day; each further unit registers a couple of days later
LAST_REGISTRATION_DAY = (3, 20)

# The documents filed in Q1: a file name and a date in the year.
DOCUMENT_FILES = {
    DocumentKind.PARTY_RESOLUTION: ("Nghi-quyet-chi-bo-{year}.pdf", (1, 12)),
    DocumentKind.SECURITY_PLAN: ("Ke-hoach-bao-dam-ANTT-{year}.pdf", (1, 20)),
    DocumentKind.INTERNAL_RULES: ("Noi-quy-bao-dam-ANTT-{year}.pdf", (1, 26)),
}
COMMITMENT = {
    UnitType.RESIDENTIAL_AREA: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "các hộ gia đình ký cam kết thực hiện tốt các quy định về bảo đảm an ninh, trật tự, "
        "không để xảy ra tội phạm, tệ nạn xã hội và vụ việc phức tạp trên địa bàn."
    ),
    UnitType.COMMUNE: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "lãnh đạo, chỉ đạo 100% khu dân cư và cơ quan, doanh nghiệp, nhà trường do xã quản lý "
        "đăng ký phấn đấu và thực hiện đầy đủ các tiêu chí theo Thông tư số 124/2021/TT-BCA."
    ),
    UnitType.AGENCY: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "100% cán bộ, viên chức, người lao động ký cam kết chấp hành nội quy bảo đảm an ninh, "
        "trật tự của cơ quan."
    ),
    UnitType.ENTERPRISE: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "100% người lao động ký cam kết chấp hành nội quy lao động và quy định về bảo đảm an "
        "ninh, trật tự, phòng cháy, chữa cháy của doanh nghiệp."
    ),
    UnitType.SCHOOL: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "100% cán bộ, giáo viên, nhân viên và học sinh ký cam kết không vi phạm pháp luật, "
        "không tham gia tệ nạn xã hội, bạo lực học đường."
    ),
}


def _pdf(title: str) -> bytes:
    """A tiny valid PDF; the comment line says what it stands for."""
    label = title.encode("ascii", "replace")
    return (
        b"%PDF-1.4\n%" + label + b"\n1 0 obj<</Type/Catalog>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _figures(plan: PlannedRegistration, *, fewer: int = 0) -> dict[str, int]:
    """The plan's figures; `fewer` households for an earlier year, when the area was smaller."""
    values = {}
    if plan.households:
        resident, registered = plan.households
        values["households_resident"] = resident - fewer
        values["households_registered"] = registered - fewer
    if plan.staff:
        values["staff_total"], values["staff_pledged"] = plan.staff
    if plan.students:
        values["students_total"], values["students_pledged"] = plan.students
    return values


HELP = _(
    "Loads a demo province (Vĩnh Long after the 2025 reform: communes without districts) with its "
    "residential areas, agencies, enterprises and schools, and demo users for every role. Running "
    "it again changes nothing except the demo users' passwords."
)


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # argparse needs a real string for the description, so translate only when it is shown.
        return str(HELP)

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=_("The password of every demo user (default: %(default)s)."),
        )

    def handle(self, *args, password: str, **options):
        with transaction.atomic():
            areas, areas_created = self._load_areas()
            units_created = self._load_units(areas)
            users, users_created, passwords_changed = self._load_users(password)
            roles_created = self._grant_roles(users, areas)
            cycle_summary = self._load_cycles(users, areas)
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "Demo data: %(areas)d areas, %(units)d units, %(users)d users and "
                    "%(roles)d roles created; %(passwords)d passwords changed."
                )
                % {
                    "areas": areas_created,
                    "units": units_created,
                    "users": users_created,
                    "roles": roles_created,
                    "passwords": passwords_changed,
                }
            )
        )
        self.stdout.write(cycle_summary)
        self._print_table(areas, password)

    # --- Loading ---------------------------------------------------------------------------------

    def _load_areas(self) -> tuple[dict[str, Area], int]:
        codes = [PROVINCE_CODE, *COMMUNE_BY_CODE]
        areas = Area.objects.in_bulk(codes, field_name="code")
        created = 0
        if PROVINCE_CODE not in areas:
            areas[PROVINCE_CODE] = create_area(
                parent=None,
                code=PROVINCE_CODE,
                name=PROVINCE_NAME,
                level=AreaLevel.PROVINCE,
                kind=AreaKind.TINH,
                by=None,
            )
            created += 1
        province = areas[PROVINCE_CODE]
        for commune in COMMUNES:
            if commune.code in areas:
                continue
            areas[commune.code] = create_area(
                parent=province,
                code=commune.code,
                name=commune.name,
                level=AreaLevel.COMMUNE,
                kind=commune.kind,
                by=None,
            )
            created += 1
        return areas, created

    def _load_units(self, areas: dict[str, Area]) -> int:
        existing = set(Unit.objects.filter(code__in=UNIT_BY_CODE).values_list("code", flat=True))
        sequence_in_commune: dict[str, int] = {}
        new_units = []
        for spec in UNITS:
            # Numbered in plan order, so a unit's phone number does not depend on what exists.
            number = sequence_in_commune[spec.commune_code] = (
                sequence_in_commune.get(spec.commune_code, 0) + 1
            )
            if spec.code in existing:
                continue
            commune = COMMUNE_BY_CODE[spec.commune_code]
            address = f"{commune.name}, {PROVINCE_NAME}"
            if spec.unit_type != UnitType.COMMUNE:
                address = f"{spec.name}, {address}"
            unit = Unit(
                code=spec.code,
                name=spec.name,
                unit_type=spec.unit_type,
                residential_subtype=spec.residential_subtype,
                enterprise_size=spec.enterprise_size,
                school_level=spec.school_level,
                is_armed_forces=spec.is_armed_forces,
                area=areas[spec.commune_code],
                managing_level=spec.managing_level,
                address=address,
                contact_email=f"{spec.code.lower()}@example.vn",
                contact_phone=(
                    f"{commune.phone_prefix} 38{COMMUNES.index(commune):02d} {number:03d}"
                ),
            )
            # Field checks only: uniqueness is settled above, the constraints by the database.
            unit.full_clean(exclude=["area"], validate_unique=False, validate_constraints=False)
            new_units.append(unit)
        if new_units:
            bulk_create_with_history(new_units, Unit, default_change_reason=CHANGE_REASON)
        return len(new_units)

    def _load_users(self, password: str) -> tuple[dict[str, User], int, int]:
        """Gets or creates the demo users; one password hash serves them all (hashing is slow)."""
        users = User.objects.in_bulk([spec.username for spec in USERS], field_name="username")
        matches = {
            stored: check_password(password, stored)
            for stored in {user.password for user in users.values()}
        }
        hashed = next((stored for stored, ok in sorted(matches.items()) if ok), None)
        hashed = hashed or make_password(password)

        outdated = [user for user in users.values() if not matches[user.password]]
        for user in outdated:
            user.password = hashed
        if outdated:
            User.objects.bulk_update(outdated, ["password"])

        created = 0
        for spec in USERS:
            if spec.username in users:
                continue
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@example.vn",
                password=hashed,
            )
            user.save()
            users[spec.username] = user
            created += 1
        return users, created, len(outdated)

    def _grant_roles(self, users: dict[str, User], areas: dict[str, Area]) -> int:
        units = Unit.objects.in_bulk(
            [spec.unit_code for spec in USERS if spec.unit_code], field_name="code"
        )
        before = RoleAssignment.objects.count()
        for spec in USERS:
            grant_role(
                users[spec.username],
                spec.role,
                area=areas[spec.area_code] if spec.area_code else None,
                unit=units[spec.unit_code] if spec.unit_code else None,
                by=None,
            )
        return RoleAssignment.objects.count() - before

    # --- The demo cycles -------------------------------------------------------------------------

    def _load_cycles(self, users: dict[str, User], areas: dict[str, Area]) -> str:
        """This year's cycle with registrations in every state, and last year's for the history.

        Everything goes through the certification services, so each step is recorded with who
        did it and why. A year whose cycle already exists is left as it is.
        """
        criteria_set = (
            CriteriaSet.objects.published()
            .filter(code=CRITERIA_SET_CODE)
            .order_by("-version")
            .first()
        )
        if criteria_set is None:
            return self.style.WARNING(
                gettext("No published criteria set %(code)s: no demo cycle loaded.")
                % {"code": CRITERIA_SET_CODE}
            )
        province = areas[PROVINCE_CODE]
        year = timezone.localdate().year
        created = 0
        for cycle_year in (year - 1, year):
            if Cycle.objects.filter(year=cycle_year, province=province).exists():
                continue
            cycle = create_cycle(
                year=cycle_year, province=province, criteria_set=criteria_set, by=users["admin"]
            )
            created += self._register(cycle, users, current=cycle_year == year)
            if cycle_year == year:
                self._grant_demo_extension(cycle, users)
        cycle = Cycle.objects.get(year=year, province=province)
        by_status = dict(
            Registration.objects.filter(cycle=cycle)
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        statuses = "; ".join(
            f"{label}: {by_status.get(value, 0)}" for value, label in Status.choices
        )
        return self.style.SUCCESS(
            gettext(
                "Demo cycles: %(created)d registrations created; this year's, %(year)d "
                "(%(criteria_set)s), by status: %(statuses)s."
            )
            % {
                "year": year,
                "criteria_set": cycle.criteria_set.code,
                "created": created,
                "statuses": statuses,
            }
        )

    def _register(self, cycle: Cycle, users: dict[str, User], *, current: bool) -> int:
        """Files the planned registrations; last year every one of them was acknowledged."""
        units = Unit.objects.select_related("area").in_bulk(
            [plan.unit_code for plan in CURRENT_REGISTRATIONS], field_name="code"
        )
        representatives = {spec.unit_code: users[spec.username] for spec in USERS if spec.unit_code}
        reviewers = {
            spec.area_code: users[spec.username] for spec in USERS if spec.role == Role.REVIEWER
        }
        first_day = datetime.date(cycle.year, *FIRST_REGISTRATION_DAY)
        last_day = datetime.date(cycle.year, *LAST_REGISTRATION_DAY)
        for index, plan in enumerate(CURRENT_REGISTRATIONS):
            unit = units[plan.unit_code]
            day = min(first_day + datetime.timedelta(days=2 * index), last_day)
            # Residential areas and commune-managed bodies go to the commune police, the rest to
            # the provincial police.
            reviewer_area = (
                unit.area.code if unit.managing_level == ManagingLevel.COMMUNE else PROVINCE_CODE
            )
            self._file_registration(
                cycle,
                plan,
                unit,
                day=day,
                at=datetime.time(8 + index % 9, 7 * index % 60),
                status=plan.status if current else Status.ACKNOWLEDGED,
                by=representatives.get(plan.unit_code),
                reviewer=reviewers[reviewer_area],
                fewer=0 if current else 2 + index % 5,
            )
        return len(CURRENT_REGISTRATIONS)

    def _file_registration(
        self,
        cycle: Cycle,
        plan: PlannedRegistration,
        unit: Unit,
        *,
        day: datetime.date,
        at: datetime.time,
        status: str,
        by: User | None,
        reviewer: User,
        fewer: int,
    ) -> None:
        values = {
            "registered_on": day,
            "signer_name": plan.signer_name,
            "signer_title": plan.signer_title,
            "commitment": COMMITMENT[unit.unit_type].format(unit=unit.name, year=cycle.year),
            **_figures(plan, fewer=fewer),
        }
        registration = start_registration(cycle, unit, values=values, by=by, today=day)
        if status == Status.DRAFT:
            return
        for kind in REQUIRED_DOCUMENTS[unit.unit_type]:
            document_year = cycle.year
            if status == Status.RETURNED and kind == DocumentKind.PARTY_RESOLUTION:
                # What the reviewer returns it for: last year's resolution was attached.
                document_year -= 1
            name, (month, day_of_month) = DOCUMENT_FILES[kind]
            name = name.format(year=document_year)
            add_document(
                registration,
                kind=kind,
                uploaded_file=SimpleUploadedFile(
                    name, _pdf(f"{unit.code} {name}"), content_type="application/pdf"
                ),
                document_date=datetime.date(document_year, month, day_of_month),
                by=by,
            )
        now = timezone.make_aware(datetime.datetime.combine(day, at))
        registration = submit_registration(registration, by=by, now=now, today=day)
        if status == Status.ACKNOWLEDGED:
            acknowledge_registration(registration, by=reviewer)
        elif status == Status.RETURNED:
            reason = RETURN_REASON.format(previous=cycle.year - 1, year=cycle.year)
            return_registration(registration, by=reviewer, reason=reason)

    def _grant_demo_extension(self, cycle: Cycle, users: dict[str, User]) -> None:
        """Khu phố 2 (An Hội) has not registered; its new head gets a month from today."""
        unit = Unit.objects.get(code=EXTENSION_UNIT_CODE)
        due_on = timezone.localdate() + datetime.timedelta(days=EXTENSION_DAYS)
        normal = calendar_for(cycle, unit).registration_closes_on
        if due_on <= normal:  # still in Q1: the extension must go beyond the normal deadline
            due_on = normal + datetime.timedelta(days=EXTENSION_DAYS)
        grant_extension(
            cycle,
            unit,
            CycleStep.REGISTRATION,
            due_on=due_on,
            reason=EXTENSION_REASON,
            by=users["ca.tinh"],
        )

    # --- Output ----------------------------------------------------------------------------------

    def _print_table(self, areas: dict[str, Area], password: str) -> None:
        headers = (gettext("Username"), gettext("Name"), gettext("Role"), gettext("Scope"))
        role_names = dict(Role.choices)
        rows = []
        for spec in USERS:
            if spec.unit_code:
                unit = UNIT_BY_CODE[spec.unit_code]
                scope = f"{unit.name} ({COMMUNE_BY_CODE[unit.commune_code].name})"
                if unit.unit_type == UnitType.COMMUNE:
                    scope = unit.name
            elif spec.area_code:
                scope = areas[spec.area_code].name
            else:
                scope = gettext("whole country")
            rows.append(
                (
                    spec.username,
                    f"{spec.last_name} {spec.first_name}",
                    str(role_names[spec.role]),
                    scope,
                )
            )
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

        def line(cells) -> str:
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(line(headers)))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(
            gettext("Password of every demo user: %(password)s") % {"password": password}
        )
