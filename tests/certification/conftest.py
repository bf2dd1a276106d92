"""A 2026 cycle for Vĩnh Long over the shared world (tests/world.py)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from certification.models import CycleCalendar
from certification.services.cycles import create_cycle
from tests.builders import complete_values, pdf_file
from tests.certification.dossier_scene import (  # noqa: F401 (fixtures by name)
    dossier_cycle,
    khom_dossier,
    khom_registration,
)
from tests.certification.review_scene import review_cycle  # noqa: F401 (a fixture)
from tests.factories import published_criteria_set


@pytest.fixture
def cycle(world):
    return create_cycle(
        year=2026, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )


@pytest.fixture
def open_cycle(world):
    """This year's cycle with registration open today, for the pages that read the clock."""
    today = timezone.localdate()
    cycle = create_cycle(
        year=today.year, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )
    CycleCalendar.objects.filter(cycle=cycle).update(
        registration_opens_on=today - datetime.timedelta(days=30),
        registration_closes_on=today + datetime.timedelta(days=30),
    )
    return cycle


@pytest.fixture
def helpers():
    return SimpleNamespace(pdf_file=pdf_file, complete_values=complete_values)
