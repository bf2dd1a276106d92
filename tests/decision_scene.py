"""A ward with recommended dossiers and an issued decision: the decisions tests' scene, also used by
the URL × role and property tests."""

from types import SimpleNamespace

import pytest

from certification.models import (
    CriteriaSet,
)
from certification.services import decisions as services
from certification.services.cycles import create_cycle
from tests.builders import DECIDED_AT, prepare, quick_recommended, recommended
from tests.factories import UnitFactory, UserFactory
from units.models import Role
from units.services import grant_role

VIETNAMESE_NAME = "Tổ dân phố Phước Hậu Đông"


EVIDENCE_NAME = "danh-sach-ho-ky-cam-ket-to-7.pdf"


PRIVATE_NOTE = "Ông Tư ở tổ 7 từng bị nhắc nhở về tiếng ồn"


@pytest.fixture
def cycle124(world):
    criteria_set = CriteriaSet.objects.get(code="TT124-2021", version=1)
    return create_cycle(year=2026, province=world.vinh_long, criteria_set=criteria_set, by=None)


@pytest.fixture
def decider(world):
    """The People's Committee of Phường Trà Vinh (the world has one for Xã Càng Long only)."""
    user = UserFactory(username="ubnd.travinh", last_name="Võ", first_name="Thị Mai")
    grant_role(user, Role.DECISION_MAKER, area=world.phuong_1, by=None)
    return user


@pytest.fixture
def ward(world, cycle124, decider):
    """Phường Trà Vinh with two recommended residential areas and one to be left out."""
    to_7 = UnitFactory(
        code="KDC-TDP7",
        name=VIETNAMESE_NAME,
        area=world.phuong_1,
        contact_email="to7.phuochau@example.vn",
        contact_phone="0294 3855 777",
    )
    khom_2 = UnitFactory(code="KDC-K2", name="Khóm 2", area=world.phuong_1)
    reviewer = world.users.reviewer_phuong
    return SimpleNamespace(
        area=world.phuong_1,
        cycle=cycle124,
        decider=decider,
        to_7=to_7,
        khom_1=world.khom_1,
        khom_2=khom_2,
        dossier_to_7=recommended(
            cycle124, to_7, reviewer=reviewer, evidence_name=EVIDENCE_NAME, note=PRIVATE_NOTE
        ),
        dossier_khom_1=recommended(cycle124, world.khom_1, reviewer=reviewer),
        dossier_khom_2=quick_recommended(cycle124, khom_2),
    )


@pytest.fixture
def issued(ward):
    """Decision 1/QĐ-UBND: Tổ dân phố Phước Hậu Đông and Khóm 1 recognised, Khóm 2 not."""
    decision = prepare(
        ward.cycle,
        ward.area,
        [ward.dossier_to_7, ward.dossier_khom_1],
        by=ward.decider,
        left_out={ward.dossier_khom_2: "Xảy ra vụ trộm cắp tài sản chưa làm rõ"},
    )
    return services.issue_decision(decision, by=ward.decider, now=DECIDED_AT)
