"""A small two-province world used across the tests (loaded by tests/conftest.py).

Vĩnh Long is shaped after the 2025 reform (province → commune); Bến Tre keeps the old three levels
(province → district → commune), so subtree queries are exercised at two depths.
"""

from types import SimpleNamespace

import pytest

from tests.factories import AreaFactory, ProvinceFactory, UnitFactory, UserFactory
from units.models import (
    AreaKind,
    AreaLevel,
    EnterpriseSize,
    ManagingLevel,
    Role,
    UnitType,
)
from units.services import grant_role


@pytest.fixture
def world(db):
    vinh_long = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long")
    phuong_1 = AreaFactory(
        parent=vinh_long, code="29242", name="Phường Trà Vinh", kind=AreaKind.PHUONG
    )
    xa_2 = AreaFactory(parent=vinh_long, code="29278", name="Xã Càng Long")
    ben_tre = ProvinceFactory(code="83", name="Tỉnh Bến Tre")
    district = AreaFactory(
        parent=ben_tre,
        code="829",
        name="Huyện Châu Thành",
        level=AreaLevel.DISTRICT,
        kind=AreaKind.HUYEN,
    )
    xa_3 = AreaFactory(parent=district, code="28783", name="Xã Tân Thạch")

    khom_1 = UnitFactory(code="KDC-001", name="Khóm 1", area=phuong_1)
    ap_2 = UnitFactory(code="KDC-002", name="Ấp Phú Hòa", area=xa_2)
    agency = UnitFactory(
        code="CQ-001",
        name="Sở Tư pháp",
        unit_type=UnitType.AGENCY,
        residential_subtype="",
        area=phuong_1,
        managing_level=ManagingLevel.PROVINCE,
    )
    enterprise = UnitFactory(
        code="DN-001",
        name="Công ty TNHH Thủy sản Cửu Long",
        unit_type=UnitType.ENTERPRISE,
        residential_subtype="",
        enterprise_size=EnterpriseSize.MICRO,
        area=xa_2,
    )
    ap_3 = UnitFactory(code="KDC-003", name="Ấp Tân Hưng", area=xa_3)

    users = SimpleNamespace(
        reviewer_phuong=UserFactory(username="ca.traVinh"),
        reviewer_province=UserFactory(username="ca.tinh"),
        decider_xa2=UserFactory(username="ubnd.canglong"),
        observer_ben_tre=UserFactory(username="quansat.bentre"),
        rep_khom=UserFactory(username="kdc.khom1"),
        administrator=UserFactory(username="quantri"),
        nobody=UserFactory(username="chuaco.vaitro"),
    )
    grant_role(users.reviewer_phuong, Role.REVIEWER, area=phuong_1, by=None)
    grant_role(users.reviewer_province, Role.REVIEWER, area=vinh_long, by=None)
    grant_role(users.decider_xa2, Role.DECISION_MAKER, area=xa_2, by=None)
    grant_role(users.observer_ben_tre, Role.OBSERVER, area=ben_tre, by=None)
    grant_role(users.rep_khom, Role.UNIT_REPRESENTATIVE, unit=khom_1, by=None)
    grant_role(users.administrator, Role.ADMINISTRATOR, by=None)

    return SimpleNamespace(
        vinh_long=vinh_long,
        phuong_1=phuong_1,
        xa_2=xa_2,
        ben_tre=ben_tre,
        district=district,
        xa_3=xa_3,
        khom_1=khom_1,
        ap_2=ap_2,
        agency=agency,
        enterprise=enterprise,
        ap_3=ap_3,
        users=users,
    )
