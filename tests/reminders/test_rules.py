"""Reminder rules: offsets before and after, "already done", extensions, escalation, catch-up."""

import datetime

import pytest

from certification.models import (
    AssessmentStatus,
    Audience,
    CycleStep,
    DeadlineExtension,
    RegistrationStatus,
    Reminder,
    ReviewLevel,
    YearlyResult,
)
from certification.services.cycles import create_cycle
from certification.services.reminders import latest_due_offset, plan_reminders
from tests.factories import UserFactory
from tests.reminders.calendar import (
    DECISION_DUE,
    DOSSIER_DUE,
    REGISTRATION_CLOSES,
    REVIEW_DUE,
    days,
)
from units.models import Role
from units.services import grant_role

OFFSETS = (-14, -7, -3, -1, 1, 7)


def planned():
    """(username, unit code, offset) of every planned reminder, as a set."""
    return set(Reminder.objects.values_list("user__username", "unit__code", "offset_days"))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (-15, None),
        (-14, -14),
        (-10, -14),
        (-7, -7),
        (-3, -3),
        (-1, -1),
        (0, -1),
        (1, 1),
        (5, 1),
        (7, 7),
        (40, 7),
    ],
)
def test_latest_due_offset_picks_the_latest_offset_already_due(day, expected):
    deadline = datetime.date(2026, 3, 31)

    offset = latest_due_offset(OFFSETS, deadline, deadline + days(day))

    assert offset == expected


def test_latest_due_offset_never_reminds_before_a_deadline_that_has_passed():
    deadline = datetime.date(2026, 3, 31)

    assert latest_due_offset((-14, -7), deadline, deadline + days(1)) is None


@pytest.mark.parametrize(("day", "expected"), [(21, 7), (22, None), (-1, -1)])
def test_latest_due_offset_gives_up_catching_up_after_the_catch_up_window(day, expected):
    deadline = datetime.date(2026, 3, 31)

    offset = latest_due_offset(OFFSETS, deadline, deadline + days(day), catch_up_days=14)

    assert offset == expected


def test_plan_reminders_does_not_send_a_reminder_months_late(cycle, rules, reps, world):
    rule = rules.make(audience=Audience.SUPERVISOR)
    # Another unit's extension keeps the rule in season until June.
    DeadlineExtension.objects.create(
        cycle=cycle,
        unit=world.ap_2,
        step=CycleStep.REGISTRATION,
        due_on=datetime.date(2026, 6, 30),
        reason="Trưởng ấp mới được bầu",
    )

    plan_reminders(today=datetime.date(2026, 7, 1), rules=[rule])

    assert planned() == set()


def test_rule_offsets_are_days_before_as_negatives_and_days_after_as_positives(rules):
    rule = rules.make(days_before="7, 14,1", days_after="7,1")

    assert rule.offsets == (-14, -7, -1, 1, 7)


def test_rule_offsets_for_the_supervisor_are_only_after_the_deadline(rules):
    rule = rules.make(audience=Audience.SUPERVISOR, days_before="14,7", days_after="1,7")

    assert rule.offsets == (1, 7)


def test_plan_reminders_reminds_each_unregistered_unit_seven_days_before(cycle, rules, reps):
    rule = rules.make()

    plan_reminders(today=REGISTRATION_CLOSES - days(7), rules=[rule])

    # The micro enterprise is excluded by Circular 124; Bến Tre's hamlet is not in the cycle.
    assert planned() == {
        ("kdc.khom1", "KDC-001", -7),
        ("kdc.phuhoa", "KDC-002", -7),
        ("cq.sotuphap", "CQ-001", -7),
    }
    reminder = Reminder.objects.get(unit__code="KDC-001")
    assert (reminder.due_on, reminder.send_on) == (
        REGISTRATION_CLOSES,
        REGISTRATION_CLOSES - days(7),
    )


def test_plan_reminders_skips_units_that_have_registered(cycle, rules, reps, world, helpers):
    rule = rules.make()
    helpers.register(cycle, world.khom_1, RegistrationStatus.SUBMITTED)
    helpers.register(cycle, world.agency, RegistrationStatus.ACKNOWLEDGED)
    helpers.register(cycle, world.ap_2, RegistrationStatus.RETURNED)

    plan_reminders(today=REGISTRATION_CLOSES - days(3), rules=[rule])

    # A returned registration still has something to do.
    assert planned() == {("kdc.phuhoa", "KDC-002", -3)}


def test_plan_reminders_skips_units_the_criteria_set_excludes(
    cycle, rules, reps, world, medium_enterprise
):
    rule = rules.make()
    grant_role(reps.enterprise, Role.UNIT_REPRESENTATIVE, unit=medium_enterprise, by=None)

    plan_reminders(today=REGISTRATION_CLOSES - days(1), rules=[rule])

    assert {code for _user, code, _offset in planned() if code.startswith("DN")} == {"DN-002"}


def test_plan_reminders_twice_plans_each_reminder_once(cycle, rules, reps):
    rule = rules.make()
    today = REGISTRATION_CLOSES - days(7)

    first = plan_reminders(today=today, rules=[rule])
    second = plan_reminders(today=today, rules=[rule])

    assert (first, second, Reminder.objects.count()) == (3, 3, 3)


def test_plan_reminders_does_nothing_before_the_first_offset(cycle, rules, reps):
    rule = rules.make()

    found = plan_reminders(today=REGISTRATION_CLOSES - days(15), rules=[rule])

    assert (found, Reminder.objects.count()) == (0, 0)


def test_plan_reminders_catches_up_missed_days_with_the_latest_offset_only(cycle, rules, world):
    rule = rules.make()

    plan_reminders(today=REGISTRATION_CLOSES - days(14), rules=[rule])
    # The scheduler was down from D−13 to D−6: the run on D−5 sends the 7-day reminder, once.
    plan_reminders(today=REGISTRATION_CLOSES - days(5), rules=[rule])
    plan_reminders(today=REGISTRATION_CLOSES - days(4), rules=[rule])

    assert planned() == {("kdc.khom1", "KDC-001", -14), ("kdc.khom1", "KDC-001", -7)}


def test_plan_reminders_after_the_deadline_sends_overdue_reminders(cycle, rules, world):
    rule = rules.make()

    for day in (-1, 1, 2, 6, 7, 30):
        plan_reminders(today=REGISTRATION_CLOSES + days(day), rules=[rule])

    assert planned() == {
        ("kdc.khom1", "KDC-001", -1),
        ("kdc.khom1", "KDC-001", 1),
        ("kdc.khom1", "KDC-001", 7),
    }


def test_plan_reminders_an_extension_moves_the_units_reminders(cycle, rules, reps, world):
    rule = rules.make()
    DeadlineExtension.objects.create(
        cycle=cycle,
        unit=world.khom_1,
        step=CycleStep.REGISTRATION,
        due_on=datetime.date(2026, 4, 30),
        reason="Trưởng khóm mới được bầu",
    )

    plan_reminders(today=REGISTRATION_CLOSES + days(1), rules=[rule])
    overdue = planned()
    plan_reminders(today=datetime.date(2026, 4, 23), rules=[rule])

    assert overdue == {("kdc.phuhoa", "KDC-002", 1), ("cq.sotuphap", "CQ-001", 1)}
    extended = Reminder.objects.get(unit=world.khom_1)
    assert (extended.offset_days, extended.due_on) == (-7, datetime.date(2026, 4, 30))


def test_plan_reminders_escalates_an_overdue_unit_to_the_reviewer_in_charge(
    cycle, rules, reps, world
):
    rule = rules.make(audience=Audience.SUPERVISOR)

    plan_reminders(today=REGISTRATION_CLOSES - days(1), rules=[rule])
    before = planned()
    plan_reminders(today=REGISTRATION_CLOSES + days(1), rules=[rule])

    # Khóm 1 → Phường Trà Vinh's police; the province-managed agency → the provincial police;
    # Ấp Phú Hòa's commune has no reviewer in this world, so nobody is escalated to.
    assert before == set()
    assert planned() == {("ca.traVinh", "KDC-001", 1), ("ca.tinh", "CQ-001", 1)}


def test_plan_reminders_dossier_only_for_acknowledged_units_without_a_filed_dossier(
    cycle, rules, reps, world, helpers
):
    rule = rules.make(step=CycleStep.DOSSIER)
    helpers.register(cycle, world.khom_1, RegistrationStatus.ACKNOWLEDGED)
    helpers.dossier(cycle, world.ap_2, status=AssessmentStatus.RETURNED)
    helpers.dossier(cycle, world.agency, status=AssessmentStatus.SUBMITTED)

    plan_reminders(today=DOSSIER_DUE - days(3), rules=[rule])

    assert planned() == {("kdc.khom1", "KDC-001", -3), ("kdc.phuhoa", "KDC-002", -3)}


def test_plan_reminders_review_only_for_reviewers_with_a_waiting_dossier(
    cycle, rules, world, helpers
):
    rule = rules.make(step=CycleStep.REVIEW, audience=Audience.REVIEWER)
    helpers.dossier(cycle, world.khom_1, AssessmentStatus.DRAFT)

    plan_reminders(today=REVIEW_DUE - days(1), rules=[rule])
    empty_queue = planned()
    khom = world.khom_1.assessments.get()
    khom.status, khom.awaiting_level = AssessmentStatus.SUBMITTED, ReviewLevel.COMMUNE
    khom.save()
    plan_reminders(today=REVIEW_DUE - days(1), rules=[rule])

    assert empty_queue == set()
    assert planned() == {("ca.traVinh", "KDC-001", -1)}


def test_plan_reminders_escalates_an_overdue_commune_review_to_the_provincial_police(
    cycle, rules, world, helpers
):
    reviewer = rules.make(step=CycleStep.REVIEW, audience=Audience.REVIEWER)
    supervisor = rules.make(step=CycleStep.REVIEW, audience=Audience.SUPERVISOR)
    helpers.dossier(cycle, world.khom_1, AssessmentStatus.SUBMITTED, ReviewLevel.COMMUNE)

    plan_reminders(today=REVIEW_DUE + days(1), rules=[reviewer, supervisor])

    assert planned() == {("ca.traVinh", "KDC-001", 1), ("ca.tinh", "KDC-001", 1)}


def test_plan_reminders_decision_for_recommended_dossiers_not_yet_decided(
    cycle, rules, world, helpers
):
    rule = rules.make(step=CycleStep.DECISION, audience=Audience.DECISION_MAKER)
    helpers.dossier(cycle, world.ap_2, AssessmentStatus.RECOMMENDED)
    helpers.dossier(cycle, world.khom_1, AssessmentStatus.RECOMMENDED)
    YearlyResult.objects.create(
        cycle=cycle, unit=world.khom_1, result="recognised", decided_on=DECISION_DUE
    )

    plan_reminders(today=DECISION_DUE - days(7), rules=[rule])

    assert planned() == {("ubnd.canglong", "KDC-002", -7)}


def test_plan_reminders_escalates_an_overdue_commune_decision_to_the_province(
    cycle, rules, world, helpers
):
    rule = rules.make(step=CycleStep.DECISION, audience=Audience.SUPERVISOR)
    province_committee = UserFactory(username="ubnd.tinh")
    grant_role(province_committee, Role.DECISION_MAKER, area=world.vinh_long, by=None)
    helpers.dossier(cycle, world.ap_2, AssessmentStatus.RECOMMENDED)

    plan_reminders(today=DECISION_DUE + days(7), rules=[rule])

    assert planned() == {("ubnd.tinh", "KDC-002", 7)}


def test_plan_reminders_ignores_inactive_rules_by_default(cycle, rules, world):
    rules.make(is_active=False)

    found = plan_reminders(today=REGISTRATION_CLOSES - days(1))

    assert (found, Reminder.objects.count()) == (0, 0)


def test_default_rules_remind_the_unit_and_escalate_when_overdue(cycle, world):
    # The rules loaded by migration 0005, untouched.
    plan_reminders(today=REGISTRATION_CLOSES + days(1))

    assert planned() == {
        ("kdc.khom1", "KDC-001", 1),
        ("ca.traVinh", "KDC-001", 1),
        ("ca.tinh", "CQ-001", 1),
    }


def test_plan_reminders_national_cycle_leaves_provinces_with_their_own_cycle(cycle, rules, world):
    rule = rules.make()
    national = create_cycle(year=2026, province=None, criteria_set=cycle.criteria_set, by=None)
    ben_tre_rep = UserFactory(username="kdc.tanhung")
    grant_role(ben_tre_rep, Role.UNIT_REPRESENTATIVE, unit=world.ap_3, by=None)

    plan_reminders(today=REGISTRATION_CLOSES - days(1), rules=[rule])

    # Vĩnh Long's units are reminded by its own cycle, Bến Tre's by the national one.
    assert set(Reminder.objects.values_list("user__username", "cycle")) == {
        ("kdc.khom1", cycle.pk),
        ("kdc.tanhung", national.pk),
    }
