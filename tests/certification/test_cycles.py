import datetime

import pytest
from django.core.exceptions import ValidationError

from certification.models import CriteriaSet, CriteriaSetStatus, Cycle, CycleStep, DeadlineExtension
from certification.services.cycles import (
    create_cycle,
    create_next_year_cycle,
    deadline_for,
    grant_extension,
)
from tests.factories import published_criteria_set
from units.models import UnitType

pytestmark = pytest.mark.django_db
d = datetime.date


def test_create_cycle_gives_every_unit_type_the_circular_124_calendar(cycle):
    calendars = {c.unit_type: c for c in cycle.calendars.all()}
    assert sorted(calendars) == sorted(UnitType.values)
    residential = calendars[UnitType.RESIDENTIAL_AREA]
    agency = calendars[UnitType.AGENCY]
    assert (residential.registration_opens_on, residential.registration_closes_on) == (
        d(2026, 1, 1),
        d(2026, 3, 31),
    )
    assert (residential.assessment_starts_on, residential.assessment_ends_on) == (
        d(2025, 11, 1),
        d(2026, 10, 31),
    )
    assert (agency.assessment_starts_on, agency.assessment_ends_on) == (
        d(2025, 11, 16),
        d(2026, 11, 15),
    )


def test_create_cycle_refuses_a_second_cycle_for_the_same_province_and_year(world, cycle):
    with pytest.raises(ValidationError) as error:
        create_cycle(year=2026, province=world.vinh_long, criteria_set=cycle.criteria_set, by=None)
    assert error.value.messages == ["Đã có đợt công nhận năm 2026 cho Tỉnh Vĩnh Long."]


def test_create_cycle_refuses_a_draft_criteria_set(world):
    draft = published_criteria_set(code="DRAFT")
    draft.status = CriteriaSetStatus.DRAFT
    draft.save()
    with pytest.raises(ValidationError):
        create_cycle(year=2026, province=world.vinh_long, criteria_set=draft, by=None)
    assert Cycle.objects.count() == 0


def test_cycle_for_unit_prefers_the_provincial_cycle_over_the_national_one(world, cycle):
    national = create_cycle(year=2026, province=None, criteria_set=cycle.criteria_set, by=None)
    assert Cycle.objects.for_unit(world.khom_1, 2026) == cycle
    assert Cycle.objects.for_unit(world.ap_3, 2026) == national
    assert Cycle.objects.for_unit(world.ap_3, 2027) is None


def test_next_year_cycle_shifts_every_date_by_a_year(cycle):
    following = create_next_year_cycle(cycle, by=None)
    calendar = following.calendars.get(unit_type=UnitType.RESIDENTIAL_AREA)
    assert following.year == 2027
    assert following.province == cycle.province
    assert (calendar.registration_closes_on, calendar.assessment_starts_on) == (
        d(2027, 3, 31),
        d(2026, 11, 1),
    )
    assert following.calendars.count() == 5


def test_next_year_cycle_moves_29_february_to_the_28th(cycle):
    cycle.calendars.update(registration_closes_on=d(2026, 3, 31))
    leap = create_next_year_cycle(create_next_year_cycle(cycle, by=None), by=None)  # 2028
    leap.calendars.update(registration_closes_on=d(2028, 2, 29))
    following = create_next_year_cycle(leap, by=None)
    assert set(following.calendars.values_list("registration_closes_on", flat=True)) == {
        d(2029, 2, 28)
    }


def test_next_year_cycle_is_refused_when_it_exists(cycle):
    create_next_year_cycle(cycle, by=None)
    with pytest.raises(ValidationError):
        create_next_year_cycle(cycle, by=None)


def test_grant_extension_moves_the_units_deadline_only(world, cycle):
    reviewer = world.users.reviewer_phuong
    extension = grant_extension(
        cycle,
        world.khom_1,
        CycleStep.REGISTRATION,
        due_on=d(2026, 4, 15),
        reason="Trưởng khóm mới nhận nhiệm vụ",
        by=reviewer,
    )
    assert deadline_for(cycle, world.khom_1, CycleStep.REGISTRATION) == (d(2026, 4, 15), extension)
    assert deadline_for(cycle, world.ap_2, CycleStep.REGISTRATION) == (d(2026, 3, 31), None)
    assert (extension.granted_by, extension.reason) == (reviewer, "Trưởng khóm mới nhận nhiệm vụ")


def test_grant_extension_again_replaces_it_and_keeps_the_history(world, cycle):
    for due_on in (d(2026, 4, 15), d(2026, 4, 30)):
        grant_extension(
            cycle, world.khom_1, CycleStep.REGISTRATION, due_on=due_on, reason="Lý do", by=None
        )
    assert DeadlineExtension.objects.get().due_on == d(2026, 4, 30)
    assert DeadlineExtension.history.count() == 2


@pytest.mark.parametrize(
    ("due_on", "reason", "field"),
    [(d(2026, 3, 31), "Lý do", "due_on"), (d(2026, 4, 15), "  ", "reason")],
)
def test_grant_extension_needs_a_later_date_and_a_reason(world, cycle, due_on, reason, field):
    with pytest.raises(ValidationError) as error:
        grant_extension(
            cycle, world.khom_1, CycleStep.REGISTRATION, due_on=due_on, reason=reason, by=None
        )
    assert list(error.value.message_dict) == [field]
    assert DeadlineExtension.objects.count() == 0


@pytest.mark.parametrize(
    ("unit_type", "dossier", "review", "decision"),
    [
        (UnitType.RESIDENTIAL_AREA, d(2026, 11, 5), d(2026, 11, 10), d(2026, 11, 14)),
        (UnitType.COMMUNE, d(2026, 11, 15), d(2026, 11, 17), d(2026, 11, 19)),
        (UnitType.AGENCY, d(2026, 11, 15), d(2026, 11, 17), d(2026, 11, 19)),
        (UnitType.ENTERPRISE, d(2026, 11, 15), d(2026, 11, 17), d(2026, 11, 19)),
        (UnitType.SCHOOL, d(2026, 11, 15), d(2026, 11, 17), d(2026, 11, 19)),
    ],
)
def test_default_deadlines_decide_before_the_days_of_article_9(
    cycle, unit_type, dossier, review, decision
):
    # Act
    calendar = cycle.calendars.get(unit_type=unit_type)

    # Assert: residential areas before 15/11, every other type before 20/11, steps in order
    assert (calendar.dossier_due_on, calendar.review_due_on, calendar.decision_due_on) == (
        dossier,
        review,
        decision,
    )
    assert calendar.assessment_ends_on <= calendar.dossier_due_on


def test_a_cycle_moves_to_the_new_version_before_registration_opens(world):
    # Arrange
    from certification.services.cycles import apply_criteria_set, latest_version_of

    version_1 = CriteriaSet.objects.get(code="TT124-2021", version=1)
    cycle = create_cycle(year=2027, province=world.vinh_long, criteria_set=version_1, by=None)

    # Act
    moved = apply_criteria_set(cycle, latest_version_of(version_1), by=None, today=d(2026, 12, 15))

    # Assert
    assert Cycle.objects.get(pk=moved.pk).criteria_set.version == 2


def test_a_cycle_keeps_its_set_once_registration_has_opened(world):
    # Arrange
    from certification.services.cycles import apply_criteria_set

    version_1 = CriteriaSet.objects.get(code="TT124-2021", version=1)
    version_2 = CriteriaSet.objects.get(code="TT124-2021", version=2)
    cycle = create_cycle(year=2026, province=world.vinh_long, criteria_set=version_1, by=None)

    # Act
    with pytest.raises(ValidationError) as error:
        apply_criteria_set(cycle, version_2, by=None, today=d(2026, 1, 1))

    # Assert
    assert Cycle.objects.get(pk=cycle.pk).criteria_set == version_1
    assert "01/01/2026" in error.value.messages[0]
