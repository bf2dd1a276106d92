"""The review pages' scene: this year's cycle with its calendar around today, and dossiers submitted
through the real services (the pages read the clock, which the `clock` fixture sets to
01/11/2026)."""

import datetime

import pytest
from django.utils import timezone

from certification.models import (
    CriteriaSet,
    CycleCalendar,
)
from certification.services import assessment as services
from certification.services.cycles import create_cycle
from tests.builders import acknowledged, complete_dossier


def today():
    return timezone.localdate()


@pytest.fixture
def review_cycle(world, clock):
    """This year's cycle: registration covers 10/02/2026 (the helpers' day) and today; the
    commune police appraise province-managed bodies first (the two-level review)."""
    tt124 = CriteriaSet.objects.get(code="TT124-2021", version=1)
    cycle = create_cycle(year=today().year, province=world.vinh_long, criteria_set=tt124, by=None)
    cycle.commune_police_appraise_first = True
    cycle.save(update_fields=["commune_police_appraise_first"])
    filed_on = datetime.date(2026, 2, 10)
    CycleCalendar.objects.filter(cycle=cycle).update(
        registration_opens_on=min(today(), filed_on) - datetime.timedelta(days=30),
        registration_closes_on=max(today(), filed_on) + datetime.timedelta(days=30),
        assessment_starts_on=today() - datetime.timedelta(days=60),
        assessment_ends_on=today() + datetime.timedelta(days=5),
        dossier_due_on=today() + datetime.timedelta(days=10),
        review_due_on=today() + datetime.timedelta(days=20),
        decision_due_on=today() + datetime.timedelta(days=30),
    )
    return cycle


def started(cycle, unit, *, reviewer, **values):
    registration = acknowledged(cycle, unit, reviewer=reviewer, **values)
    return services.start_assessment(registration, by=None, today=today())


def submitted(cycle, unit, *, reviewer, complete=True, **values):
    assessment = started(cycle, unit, reviewer=reviewer, **values)
    if complete:
        assessment = complete_dossier(assessment)
    return services.submit_assessment(assessment, by=None, now=timezone.now(), today=today())
