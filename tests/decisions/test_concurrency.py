"""Races on a real PostgreSQL: decisions issued at the same moment still get distinct numbers."""

import pytest

from certification.models import Certificate, Decision, DecisionCounter
from certification.services import decisions as services
from certification.services.cycles import create_cycle
from tests.builders import DECIDED_AT as NOW
from tests.builders import prepare, quick_recommended
from tests.builders import run_in_parallel as _run_in_parallel
from tests.factories import UnitFactory, published_criteria_set

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle124(world):
    """A cycle of its own: a transactional test's flush removes the sets the migrations load."""
    return create_cycle(
        year=2026, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )


def test_parallel_issuers_of_one_body_and_year_get_distinct_numbers(world, cycle124, decider):
    drafts = [
        prepare(
            cycle124,
            world.phuong_1,
            [
                quick_recommended(cycle124, unit)
                for unit in UnitFactory.create_batch(2, area=world.phuong_1)
            ],
            by=decider,
        )
        for _ in range(6)
    ]

    outcomes = _run_in_parallel(
        [
            lambda draft=draft: services.issue_decision(draft, by=decider, now=NOW)
            for draft in drafts
        ]
    )

    assert [type(outcome) for outcome in outcomes] == [Decision] * 6
    numbers = sorted(Decision.objects.values_list("sequence", "number"))
    assert numbers == [(n, f"{n}/QĐ-UBND") for n in range(1, 7)]
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        f"ANTT-2026-29242-{n:04d}" for n in range(1, 13)
    ]
    counter = DecisionCounter.objects.get()
    assert (counter.last_decision_number, counter.last_certificate_number) == (6, 12)


def test_two_clicks_on_issue_give_one_number(world, cycle124, decider):
    draft = prepare(
        cycle124, world.phuong_1, [quick_recommended(cycle124, world.khom_1)], by=decider
    )

    outcomes = _run_in_parallel(
        [lambda: services.issue_decision(draft, by=decider, now=NOW) for _ in range(2)]
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "Decision",
        "InvalidTransition",
    ]
    assert list(Decision.objects.values_list("number", flat=True)) == ["1/QĐ-UBND"]
    assert Certificate.objects.count() == 1
