"""The commune rule of a past cycle counts the child units as the area tree stood at the end of
that cycle's assessment window, not as it stands today."""

import datetime

import pytest

from certification.evaluation import child_unit_stats
from certification.models import CriteriaSet, ResultValue, YearlyResult
from certification.services.cycles import create_cycle
from tests.factories import AreaFactory, UnitFactory
from units.models import AreaLevel, ManagingLevel, UnitType
from units.services import merge_area

pytestmark = pytest.mark.django_db
d = datetime.date


@pytest.fixture
def merged_wards(world):
    """Phường A (3 khóm, 2 recognised in 2025) absorbs Phường B (2 khóm) on 01/12/2025."""
    version_2 = CriteriaSet.objects.get(code="TT124-2021", version=2)
    cycle_2025 = create_cycle(year=2025, province=world.vinh_long, criteria_set=version_2, by=None)
    cycle_2026 = create_cycle(year=2026, province=world.vinh_long, criteria_set=version_2, by=None)
    ward_a = AreaFactory(
        parent=world.vinh_long, code="29990", name="Phường A", level=AreaLevel.COMMUNE
    )
    ward_b = AreaFactory(
        parent=world.vinh_long, code="29991", name="Phường B", level=AreaLevel.COMMUNE
    )
    commune, commune_b = (
        UnitFactory(
            code=f"XA-{area.code}",
            name=area.name,
            unit_type=UnitType.COMMUNE,
            residential_subtype="",
            area=area,
            managing_level=ManagingLevel.PROVINCE,
        )
        for area in (ward_a, ward_b)
    )
    own = UnitFactory.create_batch(3, area=ward_a)
    absorbed = UnitFactory.create_batch(2, area=ward_b)
    for index, unit in enumerate(own + absorbed):
        YearlyResult.objects.create(
            cycle=cycle_2025,
            unit=unit,
            decided_on=d(2025, 11, 12),
            result=ResultValue.RECOGNISED if index in (0, 1) else ResultValue.NOT_RECOGNISED,
        )
    merge_area(ward_b, ward_a, on=d(2025, 12, 1), reason="Nghị quyết sáp nhập", by=None)
    return commune, cycle_2025, cycle_2026, commune_b


def test_past_cycle_counts_the_children_before_a_later_merge(merged_wards):
    # Arrange
    commune, cycle_2025, _, _ = merged_wards

    # Act
    stats = child_unit_stats(commune, cycle_2025, today=d(2026, 3, 1))

    # Assert: 3 khóm as at 15/11/2025, 2 of them recognised; the absorbed khóm are not counted
    assert (stats.total, stats.recognised) == (3, 2)


def test_a_cycle_after_the_merge_counts_the_absorbed_children(merged_wards):
    # Arrange
    commune, _, cycle_2026, _ = merged_wards

    # Act
    stats = child_unit_stats(commune, cycle_2026, today=d(2026, 3, 1))

    # Assert
    assert stats.total == 5


def test_the_absorbed_ward_still_counts_its_own_children_for_the_past_cycle(merged_wards):
    # Arrange: the merge moved Phường B's own unit into Phường A and ended it
    _, cycle_2025, _, commune_b = merged_wards

    # Act
    stats = child_unit_stats(commune_b, cycle_2025, today=d(2026, 3, 1))

    # Assert
    assert (stats.total, stats.recognised) == (2, 0)
