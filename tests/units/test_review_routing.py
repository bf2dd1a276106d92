"""Who appraises and who recognises: Art. 10 of Circular 124 (levels, Ministry, delegation)."""

import pytest

from certification.models import ReviewLevel, review_levels
from certification.services.cycles import create_cycle
from certification.services.decisions import units_decided_by
from tests.factories import UnitFactory, UserFactory, published_criteria_set
from units.models import ManagingLevel, Role, Unit, UnitType
from units.services import grant_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return create_cycle(
        year=2026, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )


def _body(world, **values):
    values = {"managing_level": ManagingLevel.PROVINCE, **values}
    return UnitFactory(
        area=world.phuong_1, unit_type=UnitType.AGENCY, residential_subtype="", **values
    )


def test_province_managed_body_is_appraised_by_the_province_by_default(world, cycle):
    # Act
    levels = review_levels(_body(world), cycle)

    # Assert
    assert levels == (ReviewLevel.PROVINCE,)


def test_a_cycle_may_have_the_commune_police_appraise_first(world, cycle):
    # Arrange
    cycle.commune_police_appraise_first = True

    # Act
    levels = review_levels(_body(world), cycle)

    # Assert
    assert levels == (ReviewLevel.COMMUNE, ReviewLevel.PROVINCE)


def test_delegated_body_is_appraised_and_recognised_one_level_down(world, cycle):
    # Arrange
    delegated = _body(world, delegated_one_level_down=True)
    kept = _body(world)

    # Act
    levels = review_levels(delegated, cycle)
    by_commune = set(units_decided_by(world.phuong_1))
    by_province = set(units_decided_by(world.vinh_long))

    # Assert
    assert levels == (ReviewLevel.COMMUNE,)
    assert (delegated in by_commune, delegated in by_province) == (True, False)
    assert (kept in by_commune, kept in by_province) == (False, True)


def test_delegated_body_is_in_the_commune_reviewers_charge(world):
    # Arrange
    delegated = _body(world, delegated_one_level_down=True)
    kept = _body(world)
    reviewer = UserFactory()
    grant_role(reviewer, Role.REVIEWER, area=world.phuong_1, by=None)

    # Act
    in_charge = set(Unit.objects.visible_to(reviewer).filter(pk__in=[delegated.pk, kept.pk]))
    from units.jurisdiction import jurisdiction_of

    charged = set(Unit.objects.filter(jurisdiction_of(reviewer).in_charge_condition()))

    # Assert
    assert in_charge == {delegated, kept}
    assert (delegated in charged, kept in charged) == (True, False)


def test_ministry_body_is_appraised_by_the_ministry_and_by_no_local_level(world, cycle):
    # Arrange
    ministry_body = _body(world, managing_level=ManagingLevel.MINISTRY)

    # Act
    levels = review_levels(ministry_body, cycle)

    # Assert
    assert levels == (ReviewLevel.MINISTRY,)
    assert ministry_body not in set(units_decided_by(world.phuong_1))
    assert ministry_body not in set(units_decided_by(world.vinh_long))


def test_a_commune_is_appraised_by_the_province_whatever_the_cycle_says(world, cycle):
    # Arrange
    cycle.commune_police_appraise_first = True
    commune = UnitFactory(
        area=world.phuong_1,
        unit_type=UnitType.COMMUNE,
        residential_subtype="",
        managing_level=ManagingLevel.PROVINCE,
    )

    # Act
    levels = review_levels(commune, cycle)

    # Assert
    assert levels == (ReviewLevel.PROVINCE,)
