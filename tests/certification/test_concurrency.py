"""Races on a real PostgreSQL: row locks keep receipt codes unique and let one reviewer win."""

import datetime

import pytest
from django.utils import timezone

from certification.models import DocumentKind, Registration, RegistrationStatus
from certification.services import registration as services
from tests.builders import IN_WINDOW, complete_values, pdf_file, run_in_parallel
from tests.factories import UnitFactory, UserFactory
from units.models import Role
from units.services import grant_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _ready(cycle, unit):
    registration = services.start_registration(
        cycle, unit, values=complete_values(), by=None, today=IN_WINDOW
    )
    services.add_document(
        registration,
        kind=DocumentKind.PARTY_RESOLUTION,
        uploaded_file=pdf_file(),
        document_date=datetime.date(2026, 1, 20),
        by=None,
    )
    return registration


def test_parallel_submissions_get_distinct_receipt_codes(world, cycle):
    units = UnitFactory.create_batch(8, area=world.phuong_1)
    registrations = [_ready(cycle, unit) for unit in units]
    now = timezone.now()

    outcomes = run_in_parallel(
        [
            lambda r=r: services.submit_registration(r, by=None, now=now, today=IN_WINDOW)
            for r in registrations
        ]
    )

    assert [type(outcome) for outcome in outcomes] == [Registration] * 8
    codes = sorted(Registration.objects.values_list("receipt_code", flat=True))
    assert codes == [f"DK2026-86-{n:06d}" for n in range(1, 9)]


def test_two_reviewers_acknowledging_at_once_one_wins(world, cycle):
    registration = _ready(cycle, world.khom_1)
    services.submit_registration(registration, by=None, now=timezone.now(), today=IN_WINDOW)
    colleague = UserFactory(username="ca.traVinh.2")
    grant_role(colleague, Role.REVIEWER, area=world.phuong_1, by=None)
    reviewers = [world.users.reviewer_phuong, colleague]

    outcomes = run_in_parallel(
        [
            lambda user=user: services.acknowledge_registration(registration, by=user)
            for user in reviewers
        ]
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "InvalidTransition",
        "Registration",
    ]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACKNOWLEDGED
    assert registration.events.filter(action="acknowledged").count() == 1
