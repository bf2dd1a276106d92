"""The dossier page's scene: this year's Circular 124 cycle with today in its dossier window,
and Khóm 1 acknowledged with a dossier started (the pages read the clock, which the `clock`
fixture sets to 01/11/2026)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.filing import file_registration
from certification.models import (
    CriteriaSet,
    CycleCalendar,
)
from certification.services import assessment as services
from certification.services import registration as registration_services
from certification.services.cycles import create_cycle
from tests.builders import complete_values, pdf_file


def tt124():
    return CriteriaSet.objects.get(code="TT124-2021", version=1)


@pytest.fixture
def dossier_cycle(world, clock):
    """This year's Circular 124 cycle, its calendar moved so that today is in the dossier window."""
    today = timezone.localdate()
    cycle = create_cycle(year=today.year, province=world.vinh_long, criteria_set=tt124(), by=None)
    CycleCalendar.objects.filter(cycle=cycle).update(
        assessment_starts_on=today - datetime.timedelta(days=30),
        assessment_ends_on=today,
        dossier_due_on=today + datetime.timedelta(days=10),
        review_due_on=today + datetime.timedelta(days=20),
        decision_due_on=today + datetime.timedelta(days=30),
    )
    return cycle


def acknowledged_this_year(cycle, unit, *, reviewer):
    """As tests/builders.acknowledged, for the cycle's year: filed in Q1, documents dated in Q1."""
    q1 = datetime.date(cycle.year, 2, 10)
    registration = file_registration(
        cycle,
        unit,
        values=complete_values(registered_on=q1),
        documents=lambda kind: (pdf_file(), datetime.date(cycle.year, 1, 20)),
        day=q1,
        now=timezone.make_aware(datetime.datetime.combine(q1, datetime.time(9))),
        by=None,
    )
    return registration_services.acknowledge_registration(registration, by=reviewer)


@pytest.fixture
def khom_registration(world, dossier_cycle):
    return acknowledged_this_year(dossier_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)


@pytest.fixture
def khom_dossier(world, khom_registration):
    return services.start_assessment(
        khom_registration, by=world.users.rep_khom, today=timezone.localdate()
    )


def page_url(unit):
    return reverse("certification:unit-dossier", kwargs={"unit_pk": unit.pk})


def criteria_of(assessment):
    return [a.criterion for a in assessment.answers.select_related("criterion")]


def criterion_data(criterion, *, answer="met", note=""):
    """The POST fields of one criterion: every "no event" item answered "did not occur"."""
    prefix = f"c{criterion.pk}-"
    data = {f"{prefix}answer": answer, f"{prefix}note": note}
    for number in range(1, len(criterion.parameters.get("items", ())) + 1):
        data[f"{prefix}item_{number}"] = "none"
    for name in criterion.parameters.get("figures", ()):
        data[f"{prefix}fig_{name}"] = "1"
        data[f"{prefix}fig_{name}_last_year"] = "2"
    return data


def dossier_data(assessment, **overrides):
    data = {
        "meeting_on": timezone.localdate().strftime("%d/%m/%Y"),
        "meeting_attendance": "45",
        "meeting_chair": "Ngô Văn Hải",
        "summary": "Năm qua khóm giữ vững an ninh, trật tự.",
        "action": "save",
    }
    for criterion in criteria_of(assessment):
        data.update(criterion_data(criterion))
    data.update(overrides)
    return data
