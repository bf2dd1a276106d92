"""The demo province's fixed data: areas, units, users, and the registrations, dossiers and
decisions `load_demo` files for them. No randomness: every run yields the same rows."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from certification.models import (
    AssessmentStatus,
    DocumentKind,
    DossierDocumentKind,
    ItemAnswer,
    RegistrationStatus,
    ResultValue,
)
from units.models import (
    AreaKind,
    AreaLevel,
    EnterpriseSize,
    ManagingLevel,
    ResidentialSubtype,
    Role,
    SchoolLevel,
    UnitType,
)

DEFAULT_PASSWORD = "antt2026"
PROVINCE_CODE = "86"
PROVINCE_NAME = "Tỉnh Vĩnh Long"
RESIDENTIAL_AREAS_PER_COMMUNE = 8
CHANGE_REASON = "Demo data (load_demo)"
# A residential area formed by a merge on that day (see "Before the 2025 reform" below).
MERGED_HAMLET_NAME = ("29278", "Ấp Long Hưng")
HAMLET_MERGE_DAY = datetime.date(2025, 1, 1)


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
    CommuneSpec("29557", "Phường Phước Hậu", AreaKind.PHUONG, "0270", ResidentialSubtype.KHOM),
    CommuneSpec("29590", "Xã Long Hồ", AreaKind.XA, "0270", ResidentialSubtype.AP),
    CommuneSpec("29635", "Xã Cái Nhum", AreaKind.XA, "0270", ResidentialSubtype.AP),
    CommuneSpec("29662", "Xã Vũng Liêm", AreaKind.XA, "0270", ResidentialSubtype.AP),
    CommuneSpec("29713", "Xã Tam Bình", AreaKind.XA, "0270", ResidentialSubtype.AP),
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
    active_from: datetime.date | None = None


def _residential_names(commune: CommuneSpec, offset: int) -> list[str]:
    count = RESIDENTIAL_AREAS_PER_COMMUNE
    if commune.subtype in NUMBERED_PREFIX:
        return [f"{NUMBERED_PREFIX[commune.subtype]} {number}" for number in range(1, count + 1)]
    if commune.subtype == ResidentialSubtype.SOC:
        return list(SOC_NAMES[:count])
    prefix = NAMED_PREFIX[commune.subtype]
    return [f"{prefix} {HAMLET_NAMES[(offset + i) % len(HAMLET_NAMES)]}" for i in range(count)]


def _commune_and_residential_units() -> list[UnitSpec]:
    """The commune unit and eight residential areas of each commune; Ấp Long Hưng of Xã Càng
    Long was formed on 1/1/2025 by a merge (see ABSORBED_UNITS)."""
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
                    active_from=HAMLET_MERGE_DAY
                    if (commune.code, name) == MERGED_HAMLET_NAME
                    else None,
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
    # A commune post office: a branch of the state postal enterprise, so an enterprise (Art. 6).
    _enterprise("DN-86-014", "Bưu điện văn hóa xã Cái Nhum", "29635", C, LARGE),
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
    # The Ministry's Department for the movement (Art. 9.1.d): no area, no unit.
    UserSpec("cuc.xdpt", "Đỗ", "Quang Huy", Role.MINISTRY_REVIEWER),
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


# --- Before the 2025 reform ---------------------------------------------------------------------

# Until 30/6/2025 the demo's Phường Trà Vinh and Xã Càng Long lay in Tỉnh Trà Vinh, under
# Thành phố Trà Vinh and Huyện Càng Long. The old tree is kept as it was then (closed on the
# reform day, each area marked with what it was merged into); the units that went on move to the
# new communes with a recorded move. Which old wards and communes formed each new commune is
# illustrative (two per commune, not the reform resolution's full list), and the old communes'
# codes are the demo's own (district code and a number), not the national list's.
REFORM_DAY = datetime.date(2025, 7, 1)
REFORM_REASON = "Sắp xếp đơn vị hành chính cấp tỉnh, cấp xã từ ngày 01/7/2025 (dữ liệu mẫu)"
OLD_PROVINCE_CODE = "84"


class OldAreaSpec(NamedTuple):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    merged_into_code: str


OLD_AREAS = (
    OldAreaSpec(
        OLD_PROVINCE_CODE, "Tỉnh Trà Vinh", AreaLevel.PROVINCE, AreaKind.TINH, None, PROVINCE_CODE
    ),
    OldAreaSpec(
        "842",
        "Thành phố Trà Vinh",
        AreaLevel.DISTRICT,
        AreaKind.THANH_PHO_THUOC_TINH,
        OLD_PROVINCE_CODE,
        PROVINCE_CODE,
    ),
    OldAreaSpec(
        "844",
        "Huyện Càng Long",
        AreaLevel.DISTRICT,
        AreaKind.HUYEN,
        OLD_PROVINCE_CODE,
        PROVINCE_CODE,
    ),
    OldAreaSpec("842-01", "Phường 1", AreaLevel.COMMUNE, AreaKind.PHUONG, "842", "29242"),
    OldAreaSpec("842-03", "Phường 3", AreaLevel.COMMUNE, AreaKind.PHUONG, "842", "29242"),
    OldAreaSpec(
        "844-01", "Thị trấn Càng Long", AreaLevel.COMMUNE, AreaKind.THI_TRAN, "844", "29278"
    ),
    OldAreaSpec("844-02", "Xã Mỹ Cẩm", AreaLevel.COMMUNE, AreaKind.XA, "844", "29278"),
)
# Where this year's units were before the reform: Phường Trà Vinh's khóm in Phường 3, Xã Càng
# Long's ấp in Xã Mỹ Cẩm. Each is moved on the reform day (UnitAreaChange), keeping its results.
OLD_AREA_OF_COMMUNE = {"29242": "842-03", "29278": "844-02"}

# Residential areas merged before the reform: on 1/1/2025 Xã Mỹ Cẩm formed Ấp Long Hưng from
# Ấp Long Hưng 1 and Ấp Long Hưng 2 (UnitSuccession). Their results of 2022–2024 carry Ấp Long
# Hưng's run back under the lineage rule: 2024 and 2023 count (both recognised), 2022 does not
# (Ấp Long Hưng 2 was not), so with its own 2025 it counts 3 years, 2023–2025.
HAMLET_MERGE_REASON = (
    "Nghị quyết của Hội đồng nhân dân tỉnh Trà Vinh về sáp nhập ấp, khóm (dữ liệu mẫu)"
)
MERGED_HAMLET = _residential_code(*MERGED_HAMLET_NAME)
HISTORY_YEARS = (2022, 2023, 2024)


class AbsorbedSpec(NamedTuple):
    code: str
    name: str
    old_area_code: str
    successor_code: str
    results: tuple[str, ...]  # for HISTORY_YEARS


ABSORBED_UNITS = (
    AbsorbedSpec("KDC-844-02-LH1", "Ấp Long Hưng 1", "844-02", MERGED_HAMLET, (R, R, R)),
    AbsorbedSpec("KDC-844-02-LH2", "Ấp Long Hưng 2", "844-02", MERGED_HAMLET, (N, R, R)),
)
# The old People's Committees' decisions of 2024, cited on the results entered from paper.
OLD_DECISIONS = {
    "842-03": "Quyết định số 105/QĐ-UBND ngày 14/11/{year} của Ủy ban nhân dân Phường 3",
    "844-02": "Quyết định số 187/QĐ-UBND ngày 13/11/{year} của Ủy ban nhân dân xã Mỹ Cẩm",
}
