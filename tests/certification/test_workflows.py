"""Each workflow walked through its whole table.

For every state, every action (declared or not) and every role in and out of scope, the step
either happens exactly as declared — new state, where the dossier waits next, one audit row with
action, from, to, by and level — or is refused with nothing written. The expectations below are
written out again from the domain (ANTT.md §5), not read from the workflows, so a wrong table fails.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentStatus,
    Decision,
    DecisionStatus,
    Registration,
    RegistrationStatus,
)
from certification.services import assessment as assessment_services
from certification.workflows.base import InvalidTransition, NotPermitted
from certification.workflows.decision import decision_workflow
from certification.workflows.dossier import dossier_workflow
from certification.workflows.registration import registration_workflow
from tests.factories import UserFactory
from units.jurisdiction import ReviewLevel
from units.models import Role
from units.services import grant_role

NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0))
COMMUNE, PROVINCE = ReviewLevel.COMMUNE, ReviewLevel.PROVINCE


def _user(username, role, **where):
    user = UserFactory(username=username)
    grant_role(user, role, by=None, **where)
    return user


@pytest.fixture
def people(world):
    """Everyone who might try a step: by name of what they are."""
    users = world.users
    return {
        "rep_khom": users.rep_khom,
        "rep_agency": _user("cq.sotuphap", Role.UNIT_REPRESENTATIVE, unit=world.agency),
        "rep_ap_2": _user("kdc.phuhoa", Role.UNIT_REPRESENTATIVE, unit=world.ap_2),
        "police_phuong": users.reviewer_phuong,
        "police_province": users.reviewer_province,
        "police_xa_2": _user("ca.canglong", Role.REVIEWER, area=world.xa_2),
        "police_ben_tre": _user("ca.bentre", Role.REVIEWER, area=world.ben_tre),
        "committee_xa_2": users.decider_xa2,
        "committee_phuong": _user("ubnd.travinh", Role.DECISION_MAKER, area=world.phuong_1),
        "committee_province": _user("ubnd.tinh", Role.DECISION_MAKER, area=world.vinh_long),
        "observer": _user("quan.sat", Role.OBSERVER, area=world.vinh_long),
        "admin": users.administrator,
    }


def _walk(workflow, obj, states, actions, people, expected, put, work_for=lambda action: None):
    """Tries every (state, action, person); returns the mismatches as readable lines."""
    wrong = []
    for state in states:
        for action in [*actions, "undeclared"]:
            for name, person in people.items():
                put(obj, state)
                records = workflow.record_model.objects.count()
                outcome = expected(state, action, name)
                try:
                    workflow.perform(
                        obj, action, by=person, at=NOW, reason="lý do", work=work_for(action)
                    )
                except (InvalidTransition, NotPermitted):
                    row = type(obj).objects.get(pk=obj.pk)
                    if outcome is not None:
                        wrong.append(f"{state} {action} {name}: refused, expected {outcome}")
                    elif (
                        _state_of(row) != state or workflow.record_model.objects.count() != records
                    ):
                        wrong.append(f"{state} {action} {name}: refused but something was written")
                    continue
                row = type(obj).objects.get(pk=obj.pk)
                if outcome is None:
                    wrong.append(f"{state} {action} {name}: allowed, expected a refusal")
                    continue
                record = workflow.record_model.objects.latest("pk")
                got = (
                    _state_of(row),
                    (record.action, record.from_status, record.to_status, record.by, record.level),
                )
                want = (outcome[0], (action, state[0], outcome[0][0], person, outcome[1]))
                if got != want or workflow.record_model.objects.count() != records + 1:
                    wrong.append(f"{state} {action} {name}: got {got}, expected {want}")
    return wrong


def _state_of(row) -> tuple:
    return (row.status, getattr(row, "awaiting_level", ""))


def _put(obj, state):
    type(obj).objects.filter(pk=obj.pk).update(status=state[0], **_awaiting(obj, state))


def _awaiting(obj, state) -> dict:
    return {"awaiting_level": state[1]} if isinstance(obj, Assessment) else {}


# --- registration ------------------------------------------------------------------------------

R = RegistrationStatus
REGISTRATION_STATES = [(status, "") for status in R.values]


def registration_expectation(unit_rep, in_charge, level):
    """Who may take each registration step on a unit whose reviewers in charge are `in_charge`."""

    def expected(state, action, name):
        status = state[0]
        if action == "submitted" and status in (R.DRAFT, R.RETURNED):
            return ((R.SUBMITTED, ""), "") if name in (unit_rep, "admin") else None
        reviewer = name in (in_charge, "admin")
        if action == "acknowledged" and status == R.SUBMITTED and reviewer:
            return (R.ACKNOWLEDGED, ""), level
        if action == "returned" and status in (R.SUBMITTED, R.ACKNOWLEDGED) and reviewer:
            return (R.RETURNED, ""), level
        return None

    return expected


@pytest.mark.parametrize(
    ("unit_name", "unit_rep", "in_charge", "level"),
    [
        # A residential area: the commune police, never the province (issue 14).
        ("khom_1", "rep_khom", "police_phuong", COMMUNE),
        # A province-managed body in the same commune: the province, never the commune police.
        ("agency", "rep_agency", "police_province", PROVINCE),
    ],
)
def test_registration_table_walked_for_every_state_action_and_role(
    world, cycle, people, unit_name, unit_rep, in_charge, level
):
    unit = getattr(world, unit_name)
    registration = Registration.objects.create(cycle=cycle, unit=unit, area=unit.area)

    wrong = _walk(
        registration_workflow,
        registration,
        REGISTRATION_STATES,
        ["submitted", "acknowledged", "returned"],
        people,
        registration_expectation(unit_rep, in_charge, level),
        _put,
    )

    assert wrong == []


# --- dossier -----------------------------------------------------------------------------------

A = AssessmentStatus


def dossier_expectation(unit_rep, levels, reviewers):
    """Who may take each dossier step; `reviewers` names the reviewer of each level."""

    def expected(state, action, name):
        status, waiting = state
        if action == "submitted":
            if status in (A.DRAFT, A.RETURNED) and name in (unit_rep, "admin"):
                return (A.SUBMITTED, levels[0]), ""
            return None
        if action == "reopened":
            if status in (A.RECOMMENDED, A.NOT_RECOMMENDED) and name in (
                reviewers[levels[-1]],
                "admin",
            ):
                return (A.SUBMITTED, levels[-1]), ""
            return None
        if status not in (A.SUBMITTED, A.APPRAISED) or name not in (reviewers[waiting], "admin"):
            return None
        further = levels.index(waiting) + 1 < len(levels)
        if action == "forwarded" and further:
            return (A.APPRAISED, levels[levels.index(waiting) + 1]), waiting
        if action == "recommended" and not further:
            return (A.RECOMMENDED, ""), waiting
        if action == "refused":
            return (A.NOT_RECOMMENDED, ""), waiting
        if action == "returned":
            return (A.RETURNED, ""), waiting
        if action == "sent_down" and status == A.APPRAISED:
            return (A.SUBMITTED, COMMUNE), waiting
        return None

    return expected


DOSSIER_ACTIONS = [
    "submitted",
    "forwarded",
    "recommended",
    "refused",
    "returned",
    "sent_down",
    "reopened",
]
DECIDED_OR_WITH_THE_UNIT = [
    (A.DRAFT, ""),
    (A.RETURNED, ""),
    (A.RECOMMENDED, ""),
    (A.NOT_RECOMMENDED, ""),
]


@pytest.mark.parametrize(
    ("unit_name", "unit_rep", "commune_first", "levels", "under_review"),
    [
        # Appraised by the commune police alone.
        ("khom_1", "rep_khom", False, (COMMUNE,), [(A.SUBMITTED, COMMUNE)]),
        # A province-managed body: appraised by the province, as the law has it (the default).
        ("agency", "rep_agency", False, (PROVINCE,), [(A.SUBMITTED, PROVINCE)]),
        # The cycle asks the commune police first: approved by them, then accepted (or sent
        # down) by the province.
        (
            "agency",
            "rep_agency",
            True,
            (COMMUNE, PROVINCE),
            [(A.SUBMITTED, COMMUNE), (A.APPRAISED, PROVINCE), (A.SUBMITTED, PROVINCE)],
        ),
    ],
)
def test_dossier_table_walked_for_every_state_action_and_role(
    world, cycle, people, unit_name, unit_rep, commune_first, levels, under_review
):
    cycle.commune_police_appraise_first = commune_first
    cycle.save(update_fields=["commune_police_appraise_first"])
    unit = getattr(world, unit_name)
    registration = Registration.objects.create(
        cycle=cycle, unit=unit, area=unit.area, status=R.ACKNOWLEDGED
    )
    dossier = Assessment.objects.create(
        registration=registration, cycle=cycle, unit=unit, area=unit.area
    )
    reviewers = {COMMUNE: "police_phuong", PROVINCE: "police_province", "": None}

    wrong = _walk(
        dossier_workflow,
        dossier,
        [*DECIDED_OR_WITH_THE_UNIT, *under_review],
        DOSSIER_ACTIONS,
        people,
        dossier_expectation(unit_rep, levels, reviewers),
        _put,
    )

    assert wrong == []


# --- decision ----------------------------------------------------------------------------------

D = DecisionStatus


def decision_expectation(state, action, name):
    """The commune's People's Committee decides; it or the province annuls."""
    status = state[0]
    issuer = name == "committee_xa_2"
    if action in ("changed", "issued", "recorded") and status == D.DRAFT and issuer:
        return (D.DRAFT if action == "changed" else D.ISSUED, ""), COMMUNE
    if action == "annulled" and status == D.ISSUED and (issuer or name == "committee_province"):
        return (D.ISSUED, ""), COMMUNE
    return None


def _put_decision(decision, state):
    numbered = {"sequence": 1, "number_year": 2026, "number": "1/QĐ-UBND", "issued_at": NOW}
    cleared = {"sequence": None, "number_year": None, "number": "", "issued_at": None}
    Decision.objects.filter(pk=decision.pk).update(
        status=state[0], **(numbered if state[0] == D.ISSUED else cleared)
    )


def _draft_decision(world, cycle) -> Decision:
    """A draft of Xã Càng Long's People's Committee."""
    return Decision.objects.create(
        cycle=cycle,
        issuing_area=world.xa_2,
        issuing_body="Ủy ban nhân dân xã Càng Long",
        place="Càng Long",
        decided_on=datetime.date(2026, 12, 1),
        signer_name="Trần Văn B",
        signer_title="Chủ tịch",
    )


def _numbered(row):
    """The domain work of issuing, reduced to what the database requires of an issued row."""
    row.sequence, row.number_year, row.number, row.issued_at = 1, 2026, "1/QĐ-UBND", NOW


def test_decision_table_walked_for_every_state_action_and_role(world, cycle, people):
    decision = _draft_decision(world, cycle)

    wrong = _walk(
        decision_workflow,
        decision,
        [(D.DRAFT, ""), (D.ISSUED, "")],
        ["changed", "issued", "recorded", "annulled"],
        people,
        decision_expectation,
        _put_decision,
        work_for=lambda action: _numbered if action in ("issued", "recorded") else None,
    )

    assert wrong == []


def test_discarding_a_draft_is_for_its_committee_only(world, cycle, people):
    decision = _draft_decision(world, cycle)
    for name in ("committee_province", "committee_phuong", "police_xa_2", "admin"):
        with pytest.raises(NotPermitted):
            decision_workflow.discard(decision, by=people[name])

    decision_workflow.discard(decision, by=people["committee_xa_2"])

    assert Decision.objects.count() == 0


# --- offered: what the pages show --------------------------------------------------------------


def test_offered_registration_steps_follow_the_level_in_charge(world, cycle, people):
    khom = Registration.objects.create(
        cycle=cycle, unit=world.khom_1, area=world.khom_1.area, status=R.SUBMITTED
    )
    agency = Registration.objects.create(
        cycle=cycle, unit=world.agency, area=world.agency.area, status=R.SUBMITTED
    )

    offered = {
        (registration.unit.code, name): registration_workflow.offered(registration, people[name])
        for registration in (khom, agency)
        for name in ("police_phuong", "police_province")
    }

    assert offered == {
        ("KDC-001", "police_phuong"): {"acknowledged", "returned"},
        ("KDC-001", "police_province"): set(),
        ("CQ-001", "police_phuong"): set(),
        ("CQ-001", "police_province"): {"acknowledged", "returned"},
    }


# --- the unit's right to edit, in the service ---------------------------------------------------


def test_save_answers_refuses_a_user_who_does_not_represent_the_unit(world, cycle, people):
    registration = Registration.objects.create(
        cycle=cycle, unit=world.khom_1, area=world.khom_1.area, status=R.ACKNOWLEDGED
    )
    dossier = Assessment.objects.create(
        registration=registration, cycle=cycle, unit=world.khom_1, area=world.khom_1.area
    )
    before = Assessment.objects.get(pk=dossier.pk).updated_at

    for name in ("rep_ap_2", "police_phuong", "observer"):
        with pytest.raises(NotPermitted):
            assessment_services.save_answers(dossier, answers={}, by=people[name])

    assert Assessment.objects.get(pk=dossier.pk).updated_at == before
    assessment_services.save_answers(dossier, answers={}, by=people["rep_khom"])
    assert Assessment.objects.get(pk=dossier.pk).updated_at > before


# --- acting at the wrong level, through the pages (issue 14) -----------------------------------


def test_commune_police_cannot_acknowledge_or_extend_a_province_managed_unit(
    client, world, open_cycle, people
):
    registration = Registration.objects.create(
        cycle=open_cycle, unit=world.agency, area=world.agency.area, status=R.SUBMITTED
    )
    client.force_login(people["police_phuong"])

    detail = client.get(reverse("certification:registration-detail", args=[registration.pk]))
    acknowledge = client.post(
        reverse("certification:registration-acknowledge", args=[registration.pk])
    )
    extension = client.get(reverse("certification:extension-create", args=[world.agency.pk]))

    assert detail.status_code == 200
    assert detail.context["steps"] == set()
    assert "registration-acknowledge" not in detail.content.decode()
    assert (acknowledge.status_code, extension.status_code) == (404, 404)
    assert Registration.objects.get(pk=registration.pk).status == R.SUBMITTED


def test_province_police_are_not_offered_acknowledging_a_commune_managed_unit(
    client, world, open_cycle, people
):
    registration = Registration.objects.create(
        cycle=open_cycle, unit=world.khom_1, area=world.khom_1.area, status=R.SUBMITTED
    )
    client.force_login(people["police_province"])

    detail = client.get(reverse("certification:registration-detail", args=[registration.pk]))
    acknowledge = client.post(
        reverse("certification:registration-acknowledge", args=[registration.pk])
    )

    assert detail.context["steps"] == set()
    assert (
        reverse("certification:registration-acknowledge", args=[registration.pk])
        not in detail.content.decode()
    )
    assert acknowledge.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == R.SUBMITTED
