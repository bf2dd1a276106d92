"""The status counters: kept in each step's transaction, equal to a fresh COUNT and to the lists.

After every step taken (and every step refused or failed) the counters must hold exactly what a
COUNT over the registrations and dossiers gives; the queue's figures must equal the lists they
link to; a unit's move, `recount_status` and two reviewers acting at once must keep them right.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from certification import dashboards
from certification.models import (
    Assessment,
    AssessmentStatus,
    CountedKind,
    Registration,
    RegistrationStatus,
    StatusCount,
)
from certification.services import assessment as services
from certification.services import registration as registration_services
from certification.workflows.base import InvalidTransition, NotPermitted
from certification.workflows.dossier import Action, dossier_workflow
from tests.builders import acknowledged, run_in_parallel
from tests.certification.review_scene import agency_dossier, khom_dossier, submitted
from tests.factories import UnitFactory, UserFactory
from units.models import ManagingLevel, Role, Unit
from units.services import grant_role, move_unit, revoke_role, save_unit

Status = AssessmentStatus
QUEUE = "certification:dossier-queue"


def held() -> dict:
    return StatusCount.objects.held()


def assert_counters_match_a_fresh_count():
    assert held() == StatusCount.objects.counted()


def dossiers_by_status(cycle) -> dict:
    """The counters of the cycle's dossiers, per status (rows at zero left out)."""
    counted = StatusCount.objects.filter(kind=CountedKind.DOSSIER, cycle=cycle).by_status()
    return {status: n for status, n in counted.items() if n}


@pytest.mark.django_db
def test_counters_follow_every_step_and_ignore_refused_ones(world, review_cycle):
    now, today = timezone.now(), timezone.localdate()
    users = world.users
    khom = khom_dossier(world, review_cycle)
    agency = agency_dossier(world, review_cycle)
    assert dossiers_by_status(review_cycle) == {Status.SUBMITTED: 2}
    assert_counters_match_a_fresh_count()

    services.approve_assessment(khom, by=users.reviewer_phuong, now=now, today=today)
    assert dossiers_by_status(review_cycle) == {Status.SUBMITTED: 1, Status.RECOMMENDED: 1}
    assert_counters_match_a_fresh_count()

    before = held()
    # Out of turn (someone acted first), out of scope, and a step whose work fails.
    with pytest.raises(InvalidTransition):
        services.approve_assessment(khom, by=users.reviewer_phuong, now=now, today=today)
    with pytest.raises(NotPermitted):
        services.approve_assessment(agency, by=users.reviewer_province, now=now, today=today)

    def failing(row):
        raise ValidationError("refused by the service")

    with pytest.raises(ValidationError):
        dossier_workflow.perform(
            agency, Action.FORWARDED, by=users.reviewer_phuong, at=now, work=failing
        )
    assert held() == before
    assert Assessment.objects.get(pk=agency.pk).status == Status.SUBMITTED

    services.approve_assessment(agency, by=users.reviewer_phuong, now=now, today=today)
    assert dossiers_by_status(review_cycle) == {Status.APPRAISED: 1, Status.RECOMMENDED: 1}
    services.send_down(agency, by=users.reviewer_province, now=now, reason="Thiếu biên bản")
    services.approve_assessment(agency, by=users.reviewer_phuong, now=now, today=today)
    services.refuse_assessment(agency, by=users.reviewer_province, now=now, reason="Chưa đạt")
    assert dossiers_by_status(review_cycle) == {Status.NOT_RECOMMENDED: 1, Status.RECOMMENDED: 1}
    services.reopen_assessment(khom, by=users.reviewer_phuong, now=now, reason="Sai sót")
    assert dossiers_by_status(review_cycle) == {Status.NOT_RECOMMENDED: 1, Status.SUBMITTED: 1}
    assert_counters_match_a_fresh_count()

    # Registrations: a new one, submitted, returned by the administrator.
    registration = acknowledged(review_cycle, world.ap_2, reviewer=users.administrator)
    registration_services.return_registration(
        registration, by=users.administrator, reason="Thiếu chữ ký"
    )
    registrations = StatusCount.objects.filter(kind=CountedKind.REGISTRATION).by_status()
    assert {status: n for status, n in registrations.items() if n} == {
        RegistrationStatus.ACKNOWLEDGED: 2,
        RegistrationStatus.RETURNED: 1,
    }
    assert_counters_match_a_fresh_count()


@pytest.mark.django_db
def test_queue_counters_equal_the_lists_they_link_to(client, world, review_cycle):
    users = world.users
    now, today = timezone.now(), timezone.localdate()
    khom = khom_dossier(world, review_cycle)
    agency_dossier(world, review_cycle)
    submitted(review_cycle, world.ap_2, reviewer=users.administrator)
    services.approve_assessment(khom, by=users.reviewer_phuong, now=now, today=today)

    for user in (users.administrator, users.reviewer_province, users.reviewer_phuong):
        client.force_login(user)
        year = review_cycle.year
        counts = client.get(reverse(QUEUE), {"year": year}).context["counts"]
        for status, _label, shown in counts["by_status"]:
            listed = client.get(reverse(QUEUE), {"year": year, "status": status})
            assert (user.username, status, listed.context["paginator"].count) == (
                user.username,
                status,
                shown,
            )
        if user != users.administrator:
            waiting = client.get(reverse(QUEUE), {"waiting": "on", "year": year})
            assert counts["waiting"] == waiting.context["paginator"].count
    # The commune police of Phường Trà Vinh: the agency waits for them, the khóm is decided.
    client.force_login(users.reviewer_phuong)
    counts = client.get(reverse(QUEUE), {"year": review_cycle.year}).context["counts"]
    assert counts["waiting"] == 1
    assert [(status, n) for status, _label, n in counts["by_status"] if n] == [
        (Status.SUBMITTED, 1),
        (Status.RECOMMENDED, 1),
    ]


@pytest.mark.django_db
def test_a_units_move_moves_its_counts_and_its_rows_stored_area(world, review_cycle):
    khom = khom_dossier(world, review_cycle)  # started through the services
    assert (khom.area, khom.registration.area) == (world.khom_1.area, world.khom_1.area)
    phuong_reviewer = world.users.reviewer_phuong
    assert StatusCount.objects.visible_to(phuong_reviewer).waiting_for(phuong_reviewer).total() == 1

    move_unit(world.khom_1, world.xa_2, on=timezone.localdate(), reason="Sáp nhập", by=None)

    assert StatusCount.objects.visible_to(phuong_reviewer).waiting_for(phuong_reviewer).total() == 0
    assert StatusCount.objects.filter(area=world.xa_2, kind=CountedKind.DOSSIER).total() == 1
    assert_counters_match_a_fresh_count()
    # The dossier and its registration store the new area: the old commune's reviewer no
    # longer sees them, the new one's scope finds them.
    khom.refresh_from_db()
    khom.registration.refresh_from_db()
    assert (khom.area, khom.registration.area) == (world.xa_2, world.xa_2)
    assert not Assessment.objects.visible_to(phuong_reviewer).filter(pk=khom.pk).exists()
    assert not Registration.objects.visible_to(phuong_reviewer).filter(pk=khom.registration_id)


@pytest.mark.django_db
def test_recount_status_rebuilds_counters_after_rows_written_straight(world, review_cycle):
    khom = khom_dossier(world, review_cycle)
    # As the national generator or a restore would: straight to the table.
    Assessment.objects.filter(pk=khom.pk).update(status=Status.RECOMMENDED, awaiting_level="")
    registration = Registration.objects.create(
        cycle=review_cycle, unit=UnitFactory(area=world.xa_2), area=world.xa_2
    )

    with pytest.raises(CommandError, match="3 status counters differ"):
        call_command("recount_status", "--check")
    call_command("recount_status")

    assert_counters_match_a_fresh_count()
    assert dossiers_by_status(review_cycle) == {Status.RECOMMENDED: 1}
    assert (
        StatusCount.objects.get(
            kind=CountedKind.REGISTRATION, area=world.xa_2, status=registration.status
        ).n
        == 1
    )
    call_command("recount_status", "--check")  # now quiet


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counters_stay_exact_when_reviewers_act_at_once(world, review_cycle):
    colleague = UserFactory(username="ca.traVinh.2")
    grant_role(colleague, Role.REVIEWER, area=world.phuong_1, by=None)
    reviewers = [world.users.reviewer_phuong, colleague]
    units = [world.khom_1, *UnitFactory.create_batch(3, area=world.phuong_1)]
    dossiers = [submitted(review_cycle, unit, reviewer=reviewers[0]) for unit in units]
    now, today = timezone.now(), timezone.localdate()

    # Two reviewers on the same dossier (one loses), and four dossiers of one commune at once
    # (the same counter rows, written by four transactions).
    same = run_in_parallel(
        [
            lambda user=user: services.approve_assessment(
                dossiers[0], by=user, now=now, today=today
            )
            for user in reviewers
        ]
    )
    assert sorted(type(outcome).__name__ for outcome in same) == [
        "Assessment",
        "InvalidTransition",
    ]
    others = run_in_parallel(
        [
            lambda dossier=dossier, user=user: services.approve_assessment(
                dossier, by=user, now=now + datetime.timedelta(seconds=1), today=today
            )
            for dossier, user in zip(dossiers[1:], [*reviewers, reviewers[0]], strict=True)
        ]
    )

    assert [type(outcome).__name__ for outcome in others] == ["Assessment"] * 3
    assert dossiers_by_status(review_cycle) == {Status.RECOMMENDED: 4}
    assert_counters_match_a_fresh_count()


@pytest.mark.django_db
def test_the_administrators_orphans_are_the_dossiers_no_reviewer_covers(world, review_cycle):
    khom = khom_dossier(world, review_cycle)
    agency = agency_dossier(world, review_cycle)  # waits for the commune police first
    assert list(dashboards.orphan_dossiers()) == []

    assignment = world.users.reviewer_phuong.roles.get(role=Role.REVIEWER)
    revoke_role(assignment, by=None, reason="Chuyển công tác")

    assert sorted(dashboards.orphan_dossiers().values_list("pk", flat=True)) == sorted(
        [khom.pk, agency.pk]
    )
    desk = dashboards.administrator_desk()
    assert {dossier.pk for dossier in desk.orphan_dossiers} == {khom.pk, agency.pk}


def _waiting_registrations(user) -> int:
    """The registrations the reviewer acknowledges, counted from the rows."""
    return Registration.objects.filter(
        status=RegistrationStatus.SUBMITTED, unit__in=Unit.objects.in_charge_of(user)
    ).count()


@pytest.mark.django_db
def test_registrations_count_at_the_level_in_charge_of_their_unit(world, review_cycle):
    today = timezone.localdate()
    registration = registration_services.start_registration(
        review_cycle, world.khom_1, values={}, by=None, today=today
    )
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.SUBMITTED)
    StatusCount.objects.recount()  # written straight to the table, past the workflow
    commune, province = world.users.reviewer_phuong, world.users.reviewer_province
    queue = {
        user: dashboards.reviewer_queue(user, today).registrations for user in (commune, province)
    }
    assert queue == {commune: 1, province: 0}

    # The province takes the unit over: its registration waits for the province's reviewer.
    unit = Unit.objects.get(pk=world.khom_1.pk)
    unit.managing_level = ManagingLevel.PROVINCE
    save_unit(unit, by=None)
    assert_counters_match_a_fresh_count()
    for user in (commune, province):
        queue[user] = dashboards.reviewer_queue(user, today).registrations
        assert queue[user] == _waiting_registrations(user)
    assert queue == {commune: 0, province: 1}

    # ... and delegates it back to the commune (Art. 10.5).
    unit.delegated_one_level_down = True
    save_unit(unit, by=None)
    assert_counters_match_a_fresh_count()
    assert dashboards.reviewer_queue(commune, today).registrations == 1
    assert _waiting_registrations(commune) == 1
