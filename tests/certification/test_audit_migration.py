"""Migration 0041 gives the audit rows written before it the new columns, read from their data."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentTransition,
    Decision,
    DecisionEvent,
    Registration,
    RegistrationStatus,
)

one_audit_row_shape = importlib.import_module("certification.migrations.0041_one_audit_row_shape")
AT = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0))


def test_old_dossier_transitions_get_their_action_from_their_states(world, cycle):
    registration = Registration.objects.create(
        cycle=cycle,
        unit=world.agency,
        area=world.agency.area,
        status=RegistrationStatus.ACKNOWLEDGED,
    )
    dossier = Assessment.objects.create(
        registration=registration, cycle=cycle, unit=world.agency, area=world.agency.area
    )
    moves = [
        ("draft", "submitted"),
        ("submitted", "appraised"),
        ("appraised", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("appraised", "recommended"),
        ("recommended", "submitted"),
        ("submitted", "not_recommended"),
    ]
    for old, new in moves:
        AssessmentTransition.objects.create(
            assessment=dossier, from_status=old, to_status=new, round=1, at=AT, action=""
        )

    one_audit_row_shape.fill_in(apps, None)

    assert list(dossier.transitions.order_by("pk").values_list("action", flat=True)) == [
        "submitted",
        "forwarded",
        "sent_down",
        "returned",
        "submitted",
        "recommended",
        "reopened",
        "refused",
    ]


def test_old_decision_events_get_their_states_and_level_from_their_action(world, cycle):
    decision = Decision.objects.create(
        cycle=cycle,
        issuing_area=world.vinh_long,
        issuing_body="Ủy ban nhân dân tỉnh Vĩnh Long",
        place="Vĩnh Long",
        decided_on=datetime.date(2026, 12, 1),
        signer_name="Trần Văn B",
        signer_title="Chủ tịch",
    )
    for action in ("prepared", "changed", "issued", "annulled"):
        DecisionEvent.objects.create(
            decision=decision, action=action, at=AT, from_status="", to_status=""
        )

    one_audit_row_shape.fill_in(apps, None)

    assert list(
        decision.events.order_by("pk").values_list("action", "from_status", "to_status", "level")
    ) == [
        ("prepared", "", "draft", "province"),
        ("changed", "draft", "draft", "province"),
        ("issued", "draft", "issued", "province"),
        ("annulled", "issued", "issued", "province"),
    ]
