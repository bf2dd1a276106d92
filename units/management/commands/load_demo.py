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
    REQUIRED_DOSSIER_DOCUMENTS,
    Assessment,
    AssessmentStatus,
    Certificate,
    CriteriaSet,
    Cycle,
    CycleStep,
    Decision,
    DecisionCounter,
    DocumentKind,
    DossierDocumentKind,
    ForceRating,
    ItemAnswer,
    Registration,
    RegistrationStatus,
    ResultValue,
    ReviewLevel,
    YearlyResult,
    review_levels,
)
from certification.models.registration import REQUIRED_DOCUMENTS
from certification.services.assessment import (
    add_dossier_document,
    approve_assessment,
    refuse_assessment,
    save_answers,
    save_dossier_details,
    send_back_criteria,
    start_assessment,
    submit_assessment,
)
from certification.services.cycles import calendar_for, create_cycle, grant_extension
from certification.services.decisions import (
    annul_certificate,
    awaiting_decision,
    default_details,
    issue_decision,
    prepare_decision,
    record_decision,
)
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
EARLY_REMINDER_RULE = "Đăng ký phấn đấu — nhắc sớm (dữ liệu mẫu)"
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
        "100% hộ gia đình đang cư trú trên địa bàn đăng ký tham gia xây dựng khu dân cư “An "
        "toàn về an ninh, trật tự”, không để xảy ra tội phạm, tệ nạn xã hội và vụ việc phức tạp."
    ),
    UnitType.COMMUNE: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc thẩm quyền quản lý trên "
        "địa bàn đăng ký phấn đấu, thực hiện đầy đủ các tiêu chí theo Thông tư số "
        "124/2021/TT-BCA."
    ),
    UnitType.AGENCY: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "100% cán bộ, công chức, viên chức, người lao động được phổ biến quán triệt nội quy, "
        "quy định bảo vệ cơ quan và tiêu chí “An toàn về an ninh, trật tự”."
    ),
    UnitType.ENTERPRISE: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "100% người lao động được phổ biến quán triệt nội quy, quy định bảo vệ doanh nghiệp, "
        "an toàn lao động, phòng, chống cháy nổ và tiêu chí “An toàn về an ninh, trật tự”."
    ),
    UnitType.SCHOOL: (
        "{unit} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}; "
        "100% cán bộ, công nhân viên, người lao động, người dạy, người học được phổ biến quán "
        "triệt nội quy, quy định của cơ sở giáo dục; không để xảy ra bạo lực học đường."
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


# --- The demo dossiers ------------------------------------------------------------------------

Dossier = AssessmentStatus
RESUBMITTED = "resubmitted"  # sent back, corrected and submitted again: round 2 under review


class PlannedDossier(NamedTuple):
    unit_code: str
    state: str  # an AssessmentStatus, or RESUBMITTED
    # Criterion number → what differs from the standard answer (see _demo_answers).
    answers: tuple[tuple[int, dict], ...] = ()
    incomplete: bool = False  # the minutes of the meeting are not attached
    sent_back: tuple[tuple[int, str], ...] = ()  # criterion number, reason
    corrections: tuple[tuple[int, dict], ...] = ()  # what the unit changes before resubmitting
    reason: str = ""  # why the unit is not recommended


def _khom_code(name: str) -> str:
    return _residential_code("29242", name)


def _ap_code(name: str) -> str:
    return _residential_code("29278", name)


# This year: ca.travinh has Phường Trà Vinh's khóm in every state, ca.canglong two ấp (one in its
# second round), and ca.tinh a province-managed enterprise appraised at the commune level (the
# demo has no reviewer for Phường Long Đức, so the administrator appraised it).
CURRENT_DOSSIERS = (
    PlannedDossier(_khom_code("Khóm 1"), Dossier.RECOMMENDED),
    PlannedDossier(_khom_code("Khóm 2"), Dossier.SUBMITTED),
    PlannedDossier(
        _khom_code("Khóm 4"),
        Dossier.RETURNED,
        sent_back=(
            (1, "Bổ sung danh sách hộ gia đình đăng ký có chữ ký của chủ hộ."),
            (
                4,
                "Số vụ phạm tội năm trước ghi 2 vụ, số liệu của Công an phường là 3 vụ; "
                "đề nghị kiểm tra lại.",
            ),
        ),
    ),
    PlannedDossier(
        _khom_code("Khóm 5"),
        Dossier.NOT_RECOMMENDED,
        answers=(
            (
                4,
                {
                    "answer": "not_met",
                    # Point d of Art. 4 cl. 4 (the third item: b, c, d): a serious fire.
                    "items": {"3": ItemAnswer.OCCURRED},
                    "note": "Ngày 14/8 xảy ra vụ cháy nhà tại tổ 3, thiệt hại nặng về tài sản.",
                },
            ),
        ),
        reason="Trong năm xảy ra vụ cháy nghiêm trọng (điểm d khoản 4 Điều 4 Thông tư số "
        "124/2021/TT-BCA); khóm chưa đạt tiêu chuẩn.",
    ),
    # Readiness fails (no minutes) and criterion 4 says "met" against its own figures.
    PlannedDossier(
        _khom_code("Khóm 6"),
        Dossier.SUBMITTED,
        incomplete=True,
        answers=((4, {"figures": {"crimes": 3, "crimes_last_year": 2}}),),
    ),
    PlannedDossier(_khom_code("Khóm 7"), Dossier.DRAFT),
    PlannedDossier(
        _ap_code("Ấp An Thạnh"),
        RESUBMITTED,
        answers=((4, {"figures": {"violations": 4, "violations_last_year": 3}}),),
        sent_back=(
            (
                4,
                "Số vụ vi phạm năm nay (4) cao hơn năm trước (3) nhưng ấp tự đánh giá đạt; "
                "đề nghị đối chiếu lại với Công an cấp xã.",
            ),
        ),
        corrections=(
            (
                4,
                {
                    "figures": {"violations": 3},
                    "note": "Đã đối chiếu với Công an cấp xã: một vụ bị ghi trùng; năm nay 3 vụ, "
                    "bằng năm trước.",
                },
            ),
        ),
    ),
    PlannedDossier(_ap_code("Ấp Tân Bình"), Dossier.SUBMITTED),
    PlannedDossier("DN-86-001", Dossier.APPRAISED),
)
# Last year: Phường Trà Vinh had 5 of its 8 khóm recognised, one short of 70% (6 of 8), so the
# province did not recommend the ward. Its review page shows the commune rule not reached.
PREVIOUS_DOSSIERS = (
    PlannedDossier(
        "XA-29242",
        Dossier.NOT_RECOMMENDED,
        reason="Chỉ 5/8 khóm được công nhận (62,5%), chưa đạt tỷ lệ 70% (cần 6 khóm) theo "
        "khoản 4 Điều 5 Thông tư 124/2021/TT-BCA.",
    ),
)
PREVIOUS_RESULTS = {
    **{_khom_code(f"Khóm {n}"): ResultValue.RECOGNISED for n in (1, 2, 3, 4, 6)},
    **{_khom_code(f"Khóm {n}"): ResultValue.NOT_RECOGNISED for n in (5, 7, 8)},
    "XA-29242": ResultValue.NOT_RECOGNISED,
}
DOSSIER_NOTES = {
    "DOC": "Nghị quyết, kế hoạch và Bản đăng ký phấn đấu ban hành trong quý I; kèm danh sách.",
    "PCT-OWN": "Quyết định công nhận danh hiệu của các đầu mối trực thuộc kèm theo.",
    "QUAL": "Triển khai đầy đủ văn bản của cấp trên; tuyên truyền, vận động hằng quý.",
    "NO-EVENT": "Trong năm không xảy ra vụ việc nào thuộc các mục đã liệt kê.",
    "YOY": "Số liệu đã đối chiếu với Công an cấp xã.",
    "RATING": "Lực lượng được đánh giá hoàn thành tốt nhiệm vụ; không có cá nhân bị kỷ luật.",
    "PCT-CHILD": "Danh sách đơn vị trực thuộc và kết quả công nhận kèm theo.",
}
DOSSIER_FIGURES = {"crimes": 1, "social_evils": 0, "violations": 2}
DOSSIER_FIGURES_LAST_YEAR = {"crimes": 2, "social_evils": 1, "violations": 3}
DOSSIER_MODELS = 1  # "Tổ an ninh tự quản", the model every demo unit runs
DOSSIER_DEPARTMENTS = {"departments_total": 10, "departments_rated": 8}
DOSSIER_FILES = {
    DossierDocumentKind.PROPOSAL: "To-trinh-de-nghi-cong-nhan-{year}.pdf",
    DossierDocumentKind.REPORT: "Bao-cao-ket-qua-{year}.pdf",
    DossierDocumentKind.MINUTES: "Bien-ban-hop-danh-gia-{year}.pdf",
    DossierDocumentKind.EVIDENCE: "Danh-sach-ky-cam-ket-{year}.pdf",
}
DOSSIER_SUMMARY = (
    "Năm {year}, {unit} tổ chức tuyên truyền, vận động nhân dân tham gia phong trào toàn dân bảo "
    "vệ an ninh Tổ quốc; duy trì tổ an ninh tự quản và không để xảy ra vụ việc phức tạp."
)


def _demo_answers(assessment: Assessment, overrides) -> dict[int, dict]:
    """Every criterion "met" with a note, its items and its figures; then the plan's changes."""
    changes = dict(overrides)
    answers = {}
    for answer in assessment.answers.select_related("criterion"):
        criterion = answer.criterion
        parameters = criterion.parameters or {}
        values = {"answer": "met", "note": DOSSIER_NOTES.get(criterion.kind, "")}
        if "items" in parameters:
            values["items"] = {
                str(n): ItemAnswer.NONE for n in range(1, len(parameters["items"]) + 1)
            }
        figures = {}
        if "figures" in parameters:
            figures = {
                **{name: DOSSIER_FIGURES[name] for name in parameters["figures"]},
                **{
                    f"{name}_last_year": DOSSIER_FIGURES_LAST_YEAR[name]
                    for name in parameters["figures"]
                },
            }
        if "models_min" in parameters:
            figures["models_effective"] = DOSSIER_MODELS
        if "departments" in parameters:
            figures.update(DOSSIER_DEPARTMENTS)
        if figures:
            values["figures"] = figures
        if "force_rating" in parameters:
            values["rating"] = ForceRating.GOOD
        if "no_discipline" in parameters:
            values["disciplined"] = False
        answers[criterion.pk] = _merged(values, changes.get(criterion.number, {}))
    return answers


def _merged(values: dict, change: dict) -> dict:
    merged = {**values, **change}
    for name in ("items", "figures"):
        if name in change:
            merged[name] = {**values.get(name, {}), **change[name]}
    return merged


# --- The demo decisions ---------------------------------------------------------------------

# Results before last year, as entered from the paper records: Phường Trà Vinh's khóm and three
# ấp of Xã Càng Long, for the three years before last (2022–2024 in 2026). With last year's and
# this year's, Khóm 1 counts five years in a row, Khóm 2, 3, 4 and 6 and Ấp An Thạnh four.
EARLIER_YEARS = 3
R, N = ResultValue.RECOGNISED, ResultValue.NOT_RECOGNISED
EARLIER_RESULTS = {
    # unit code: results from the oldest year to the year before last
    **{_khom_code(f"Khóm {n}"): (R, R, R) for n in (1, 2, 3, 4, 6)},
    _khom_code("Khóm 5"): (R, N, R),
    _khom_code("Khóm 7"): (N, N, R),
    _khom_code("Khóm 8"): (R, R, N),
    _ap_code("Ấp An Thạnh"): (R, R, R),
    _ap_code("Ấp Tân Bình"): (N, R, R),
    _ap_code("Ấp Phú Hòa"): (R, N, R),
}


class PaperDecision(NamedTuple):
    """Last year's decision of a commune's People's Committee, entered from the paper."""

    commune_code: str
    decision_maker: str  # username
    number: str
    month_day: tuple[int, int]
    signer_name: str
    # unit code → reason for not recognising ("" when recognised); None: last year's result
    # already recorded (the dossier block's) is taken as it is.
    results: dict[str, str] | None


NOT_RECOGNISED_LAST_YEAR = {
    "Khóm 5": "Trong năm xảy ra vụ cố ý gây thương tích nghiêm trọng trên địa bàn khóm.",
    "Khóm 7": "Tỷ lệ hộ gia đình đăng ký tham gia chưa đạt 100%.",
    "Khóm 8": "Chưa có mô hình tự quản về an ninh, trật tự hoạt động hiệu quả.",
}
PAPER_DECISIONS = (
    PaperDecision("29242", "ubnd.travinh", "98/QĐ-UBND", (11, 20), "Võ Thị Mai", None),
    PaperDecision(
        "29278",
        "ubnd.canglong",
        "112/QĐ-UBND",
        (11, 21),
        "Thạch Thị Sa Rây",
        {
            _ap_code("Ấp Phú Hòa"): "",
            _ap_code("Ấp An Thạnh"): "",
            _ap_code("Ấp Tân Bình"): "",
            _ap_code("Ấp Long Hưng"): "",
            _ap_code("Ấp Hòa Lợi"): "Để xảy ra tranh chấp đất đai phức tạp, kéo dài giữa các hộ.",
        },
    ),
)
# Ấp Tân Bình's recognition of last year, annulled in January after an unreported event.
ANNULLED_UNIT_CODE = _ap_code("Ấp Tân Bình")
ANNULMENT_REFERENCE = "Quyết định số 09/QĐ-UBND ngày 15/01/{year} của Ủy ban nhân dân xã Càng Long"
ANNULMENT_REASON = (
    "Phát hiện vụ tổ chức đánh bạc ngày 12/10/{previous} tại ấp không được báo cáo trong hồ sơ "
    "đề nghị công nhận."
)
# This year's decision of Phường Trà Vinh follows the ward's own document register.
WARD_DECISIONS_BEFORE = 131


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
            dossier_summary = self._load_dossiers(users, areas)
            decision_summary = self._load_decisions(users, areas)
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
        if dossier_summary:
            self.stdout.write(dossier_summary)
        if decision_summary:
            self.stdout.write(decision_summary)
        reminder_summary = self._send_todays_reminders(areas)
        if reminder_summary:
            self.stdout.write(reminder_summary)
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
            # Tỉnh Vĩnh Long has the commune police appraise the bodies the province manages
            # before the province does (a per-cycle choice; the law's default is the province).
            Cycle.objects.filter(pk=cycle.pk).update(commune_police_appraise_first=True)
            cycle.commune_police_appraise_first = True
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

    # --- Reminders -------------------------------------------------------------------------------

    def _send_todays_reminders(self, areas: dict[str, Area]) -> str:
        """Runs today's reminder sweep, so the demo users find what is due in the bell and in
        var/mail/ at once rather than after beat's next daily run. Idempotent, as the sweep is.

        The demo cycle also gets an early reminder rule, made the first time the demo is loaded,
        whose reminder falls on that day: for Khu phố 2's extended registration deadline. The
        circular's own deadlines fall in Q1 and Q4 only, and the demo may be loaded any day.
        """
        # Imported here: the reminders belong to the certification app, the demo only runs them.
        from certification.models import Audience, ReminderRule
        from certification.services.cycles import deadline_for
        from certification.services.reminders import sweep

        today = timezone.localdate()
        cycle = Cycle.objects.filter(year=today.year, province=areas[PROVINCE_CODE]).first()
        if cycle is None:
            return ""
        extended = Unit.objects.get(code=EXTENSION_UNIT_CODE)
        due_on, _extension = deadline_for(cycle, extended, CycleStep.REGISTRATION)
        ReminderRule.objects.get_or_create(
            cycle=cycle,
            name=EARLY_REMINDER_RULE,
            defaults={
                "step": CycleStep.REGISTRATION,
                "audience": Audience.UNIT_REPRESENTATIVE,
                "days_before": str(max(0, (due_on - today).days)),
                "days_after": "",
            },
        )
        due, sent = sweep(today=today, now=timezone.now())
        return self.style.SUCCESS(
            gettext(
                "Reminders: %(due)d due today, %(sent)d sent now (the bell; e-mails through the "
                "Celery worker)."
            )
            % {"due": due, "sent": sent}
        )

    # --- The demo dossiers ----------------------------------------------------------------------

    def _load_dossiers(self, users: dict[str, User], areas: dict[str, Area]) -> str:
        """This year's dossiers in every state; last year's results and a commune not recommended.

        Filed through the assessment services on days inside each unit type's calendar, so every
        step is recorded with who did it and why. A unit that already has a dossier is left alone.
        """
        province = areas[PROVINCE_CODE]
        year = timezone.localdate().year
        cycles = {
            cycle.year: cycle
            for cycle in Cycle.objects.filter(province=province, year__in=(year - 1, year))
        }
        if year not in cycles:
            return ""
        created = 0
        if year - 1 in cycles:
            self._record_results(cycles[year - 1])
            created += self._file_dossiers(cycles[year - 1], PREVIOUS_DOSSIERS, users)
        created += self._file_dossiers(cycles[year], CURRENT_DOSSIERS, users)
        by_status = dict(
            Assessment.objects.filter(cycle=cycles[year])
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        statuses = "; ".join(
            f"{label}: {by_status.get(value, 0)}" for value, label in Dossier.choices
        )
        return self.style.SUCCESS(
            gettext("Demo dossiers: %(created)d created; this year's by status: %(statuses)s.")
            % {"created": created, "statuses": statuses}
        )

    def _record_results(self, cycle: Cycle) -> None:
        """Last year's decisions on Phường Trà Vinh and its khóm (kept if already recorded)."""
        units = Unit.objects.in_bulk(list(PREVIOUS_RESULTS), field_name="code")
        for code, result in PREVIOUS_RESULTS.items():
            commune = units[code].unit_type == UnitType.COMMUNE
            YearlyResult.objects.get_or_create(
                cycle=cycle,
                unit=units[code],
                defaults={
                    "result": result,
                    # The khóm are decided before the ward, which is judged on them.
                    "decided_on": datetime.date(cycle.year, 11, 19)
                    if commune
                    else datetime.date(cycle.year, 11, 12),
                },
            )

    def _file_dossiers(self, cycle: Cycle, plans, users: dict[str, User]) -> int:
        codes = [plan.unit_code for plan in plans]
        registrations = {
            registration.unit.code: registration
            for registration in Registration.objects.filter(
                cycle=cycle, unit__code__in=codes, status=Status.ACKNOWLEDGED
            ).select_related("unit__area", "cycle")
        }
        existing = set(
            Assessment.objects.filter(cycle=cycle, unit__code__in=codes).values_list(
                "unit__code", flat=True
            )
        )
        representatives = {spec.unit_code: users[spec.username] for spec in USERS if spec.unit_code}
        reviewers = {
            spec.area_code: users[spec.username] for spec in USERS if spec.role == Role.REVIEWER
        }
        created = 0
        for plan in plans:
            registration = registrations.get(plan.unit_code)
            if registration is None or plan.unit_code in existing:
                continue
            unit = registration.unit
            reviewer_at = {
                ReviewLevel.COMMUNE: reviewers.get(unit.area.code, users["admin"]),
                ReviewLevel.PROVINCE: reviewers[PROVINCE_CODE],
            }
            self._file_dossier(
                registration, plan, by=representatives.get(plan.unit_code), reviewer_at=reviewer_at
            )
            created += 1
        return created

    def _file_dossier(self, registration, plan: PlannedDossier, *, by, reviewer_at) -> None:
        cycle, unit = registration.cycle, registration.unit
        # The last days before the dossier deadline, or before today while the window is open.
        last_day = min(timezone.localdate(), calendar_for(cycle, unit).dossier_due_on)

        def day(before: int) -> datetime.date:
            return last_day - datetime.timedelta(days=before)

        def moment(before: int, hour: int) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(day(before), datetime.time(hour)))

        assessment = start_assessment(registration, by=by, today=day(12))
        save_answers(assessment, answers=_demo_answers(assessment, plan.answers), by=by)
        if plan.state == Dossier.DRAFT:
            return
        save_dossier_details(
            assessment,
            values={
                "meeting_on": day(9),
                "meeting_attendance": (
                    registration.households_resident or registration.staff_total or 90
                )
                // 3,
                "meeting_chair": registration.signer_name,
                "summary": DOSSIER_SUMMARY.format(year=cycle.year, unit=unit.name),
            },
            by=by,
        )
        kinds = [
            kind
            for kind in REQUIRED_DOSSIER_DOCUMENTS
            if not (plan.incomplete and kind == DossierDocumentKind.MINUTES)
        ]
        first_criterion = assessment.answers.order_by("criterion__number").first().criterion
        for kind in (*kinds, DossierDocumentKind.EVIDENCE):
            name = DOSSIER_FILES[kind].format(year=cycle.year)
            add_dossier_document(
                assessment,
                kind=kind,
                criterion=first_criterion if kind == DossierDocumentKind.EVIDENCE else None,
                uploaded_file=SimpleUploadedFile(
                    name, _pdf(f"{unit.code} {name}"), content_type="application/pdf"
                ),
                by=by,
            )
        assessment = submit_assessment(assessment, by=by, now=moment(7, 9), today=day(7))
        if plan.state == Dossier.SUBMITTED:
            return
        reviewer = reviewer_at[assessment.awaiting_level]
        if plan.state in (Dossier.RETURNED, RESUBMITTED):
            numbers = dict(plan.sent_back)
            criteria = {
                answer.criterion.number: answer.criterion_id
                for answer in assessment.answers.select_related("criterion")
            }
            assessment = send_back_criteria(
                assessment,
                reasons={criteria[number]: reason for number, reason in numbers.items()},
                by=reviewer,
                now=moment(4, 14),
            )
            if plan.state == RESUBMITTED:
                corrections = dict(plan.corrections)
                save_answers(
                    assessment,
                    answers={criteria[n]: values for n, values in corrections.items()},
                    by=by,
                )
                submit_assessment(assessment, by=by, now=moment(2, 10), today=day(2))
        elif plan.state == Dossier.NOT_RECOMMENDED:
            refuse_assessment(assessment, by=reviewer, now=moment(4, 14), reason=plan.reason)
        else:  # appraised by the first level, or recommended after every level
            levels = review_levels(unit, cycle)
            for index, level in enumerate(levels):
                assessment = approve_assessment(
                    assessment, by=reviewer_at[level], now=moment(4 - index, 14), today=day(4)
                )
                if plan.state == Dossier.APPRAISED:
                    break

    # --- The demo decisions ----------------------------------------------------------------------

    def _load_decisions(self, users: dict[str, User], areas: dict[str, Area]) -> str:
        """Earlier years' results, last year's paper decisions with one recognition annulled, and
        this year's decision of Phường Trà Vinh on its recommended dossiers.

        Written through the decision services; what already exists is left as it is.
        """
        province = areas[PROVINCE_CODE]
        year = timezone.localdate().year
        cycles = {
            cycle.year: cycle
            for cycle in Cycle.objects.filter(province=province, year__in=(year - 1, year))
        }
        if len(cycles) < 2:
            return ""
        self._record_earlier_results(cycles[year - 1], users)
        for paper in PAPER_DECISIONS:
            self._record_paper_decision(cycles[year - 1], paper, users, areas)
        self._annul_demo_recognition(year, users)
        self._issue_ward_decision(cycles[year], users, areas)
        certificates = Certificate.objects.filter(unit__area__path__startswith=province.path)
        return self.style.SUCCESS(
            gettext(
                "Demo decisions: %(decisions)d issued, %(certificates)d certificates, "
                "%(annulled)d annulled."
            )
            % {
                "decisions": Decision.objects.filter(
                    issuing_area__path__startswith=province.path, status="issued"
                ).count(),
                "certificates": certificates.count(),
                "annulled": certificates.filter(annulment__isnull=False).count(),
            }
        )

    def _record_earlier_results(self, last_cycle: Cycle, users: dict[str, User]) -> None:
        """The years before last, entered as results only (kept if already recorded)."""
        units = Unit.objects.in_bulk(list(EARLIER_RESULTS), field_name="code")
        for offset in range(EARLIER_YEARS):
            cycle_year = last_cycle.year - EARLIER_YEARS + offset
            cycle = Cycle.objects.filter(year=cycle_year, province=last_cycle.province).first()
            if cycle is None:
                cycle = create_cycle(
                    year=cycle_year,
                    province=last_cycle.province,
                    criteria_set=last_cycle.criteria_set,
                    by=users["admin"],
                )
            for code, results in EARLIER_RESULTS.items():
                YearlyResult.objects.get_or_create(
                    cycle=cycle,
                    unit=units[code],
                    defaults={
                        "result": results[offset],
                        "decided_on": datetime.date(cycle_year, 11, 20),
                        "note": gettext("Entered from the paper records."),
                    },
                )

    def _record_paper_decision(
        self, cycle: Cycle, paper: PaperDecision, users: dict[str, User], areas: dict[str, Area]
    ) -> None:
        area = areas[paper.commune_code]
        if paper.results is None:
            recorded = YearlyResult.objects.filter(
                cycle=cycle,
                unit__area=area,
                unit__managing_level=ManagingLevel.COMMUNE,
            ).select_related("unit__area")
            results = {
                result.unit: (result.result, NOT_RECOGNISED_LAST_YEAR.get(result.unit.name, ""))
                for result in recorded
            }
        else:
            units = Unit.objects.select_related("area").in_bulk(
                list(paper.results), field_name="code"
            )
            results = {
                units[code]: (N if reason else R, reason) for code, reason in paper.results.items()
            }
        if not results:
            return
        decided_on = datetime.date(cycle.year, *paper.month_day)
        record_decision(
            cycle,
            area,
            number=paper.number,
            details={
                **default_details(area),
                "decided_on": decided_on,
                "signer_name": paper.signer_name,
            },
            results=results,
            by=users[paper.decision_maker],
            now=timezone.make_aware(datetime.datetime.combine(decided_on, datetime.time(15))),
        )

    def _annul_demo_recognition(self, year: int, users: dict[str, User]) -> None:
        certificate = Certificate.objects.filter(
            unit__code=ANNULLED_UNIT_CODE, year=year - 1, annulment__isnull=True
        ).first()
        if certificate is None:
            return
        annulled_on = min(datetime.date(year, 1, 15), timezone.localdate())
        annul_certificate(
            certificate,
            annulled_on=annulled_on,
            reference=ANNULMENT_REFERENCE.format(year=year),
            reason=ANNULMENT_REASON.format(previous=year - 1),
            by=users["ubnd.canglong"],
            now=timezone.make_aware(datetime.datetime.combine(annulled_on, datetime.time(10))),
        )

    def _issue_ward_decision(
        self, cycle: Cycle, users: dict[str, User], areas: dict[str, Area]
    ) -> None:
        """Phường Trà Vinh recognises its recommended khóm (once: a decision exists, it stays)."""
        ward = areas["29242"]
        if Decision.objects.filter(issuing_area=ward, cycle=cycle).exists():
            return
        dossiers = list(awaiting_decision(ward, cycle).select_related("unit"))
        if not dossiers:
            return
        decided_on = min(
            timezone.localdate(),
            calendar_for(cycle, dossiers[0].unit).decision_due_on,
        )
        decision_maker = users["ubnd.travinh"]
        now = timezone.make_aware(datetime.datetime.combine(decided_on, datetime.time(9)))
        # As the administrator set it, so the portal follows the ward's document register.
        DecisionCounter.objects.get_or_create(
            issuing_area=ward,
            year=decided_on.year,
            defaults={"last_decision_number": WARD_DECISIONS_BEFORE},
        )
        decision = prepare_decision(
            cycle,
            ward,
            details={
                **default_details(ward),
                "decided_on": decided_on,
                "signer_name": "Võ Thị Mai",
            },
            choices={dossier.pk: (R, "") for dossier in dossiers},
            by=decision_maker,
            now=now,
        )
        issue_decision(decision, by=decision_maker, now=now)

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
