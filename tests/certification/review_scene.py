"""The review pages' scene: this year's cycle with its calendar around today, and dossiers submitted
through the real services (the pages read the clock, which the `clock` fixture sets to
01/11/2026)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Assessment,
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


def khom_dossier(world, cycle, **kwargs):
    return submitted(cycle, world.khom_1, reviewer=world.users.reviewer_phuong, **kwargs)


def agency_dossier(world, cycle):
    """A province-managed agency's dossier: the commune police appraise it first."""
    return submitted(
        cycle,
        world.agency,
        reviewer=world.users.reviewer_province,
        staff_total=40,
        staff_pledged=40,
    )


# --- reading the review pages ------------------------------------------------------------


def status_of(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


def review_url(assessment, step=None) -> str:
    name = f"certification:dossier-{step}" if step else "certification:dossier-review"
    return reverse(name, args=[assessment.pk])


class _TextById(HTMLParser):
    BLOCKS = {"p", "div", "li", "tr", "th", "td", "h2", "h3", "br", "dt", "dd"}
    VOID = {"br", "input", "img"}

    def __init__(self, wanted):
        super().__init__()
        self.wanted, self.depth, self.parts = wanted, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth or dict(attrs).get("id") == self.wanted:
            self.depth += tag not in self.VOID
            self.parts.append(" " if tag in self.BLOCKS else "")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.parts.append(" " if tag in self.BLOCKS else "")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(response, element_id: str) -> str:
    """The visible text of one element, with its whitespace collapsed."""
    parser = _TextById(element_id)
    parser.feed(response.content.decode())
    return " ".join("".join(parser.parts).split())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
