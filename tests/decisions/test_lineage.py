"""Merged residential areas: the successor's consecutive years follow the lineage rule (README,
"Consecutive years and merged residential areas")."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from certification.models import ResultValue
from certification.services.history import recognition_history
from tests.builders import yearly_results
from tests.factories import UnitFactory
from units.models import ResidentialSubtype, Unit, UnitSuccession, UnitType
from units.services import record_succession

pytestmark = pytest.mark.django_db

R, N = ResultValue.RECOGNISED, ResultValue.NOT_RECOGNISED
MERGED_ON = datetime.date(2025, 7, 1)


def _ap(world, name, **fields):
    return UnitFactory(
        name=name, area=world.xa_2, residential_subtype=ResidentialSubtype.AP, **fields
    )


def _merged(world, predecessors: dict[str, dict], successor_results: dict[int, str]):
    """A new ấp formed on 1/7/2025 from the given ones, each with its results."""
    olds = []
    for name, results in predecessors.items():
        old = _ap(world, name)
        yearly_results(world, old, results)
        olds.append(old)
    new = _ap(world, "Ấp Long Hưng", active_from=MERGED_ON)
    yearly_results(world, new, successor_results)
    record_succession(new, olds, on=MERGED_ON, reason="Nghị quyết sáp nhập ấp", by=None)
    return new


def _run(unit):
    history = recognition_history(unit)
    return history.consecutive_years, history.since, history.until


def test_a_merge_of_two_recognised_areas_carries_their_years(world, cycle124):
    new = _merged(
        world,
        {"Ấp Long Hưng A": {2022: R, 2023: R, 2024: R}, "Ấp Long Hưng B": {2023: R, 2024: R}},
        {2025: R, 2026: R},
    )

    history = recognition_history(new)

    # B has no result for 2022 and existed then (no "active from"): 2022 ends the run.
    assert _run(new) == (4, 2023, 2026)
    assert history.through_predecessors == [2023, 2024]
    assert [row.year for row in history.years] == [2026, 2025]  # its own results only
    assert [(p.unit.name, p.years) for p in history.predecessors] == [
        ("Ấp Long Hưng A", [(2024, True), (2023, True), (2022, True)]),
        ("Ấp Long Hưng B", [(2024, True), (2023, True)]),
    ]


def test_a_predecessor_not_recognised_ends_the_run_that_year(world, cycle124):
    new = _merged(
        world,
        {
            "Ấp Long Hưng A": {2022: R, 2023: R, 2024: R},
            "Ấp Long Hưng B": {2022: R, 2023: N, 2024: R},
        },
        {2025: R},
    )

    assert _run(new) == (2, 2024, 2025)


def test_a_gap_year_in_a_predecessor_ends_the_run(world, cycle124):
    new = _merged(
        world,
        {"Ấp Long Hưng A": {2022: R, 2023: R, 2024: R}, "Ấp Long Hưng B": {2022: R, 2024: R}},
        {2025: R},
    )

    assert _run(new) == (2, 2024, 2025)


def test_a_predecessor_formed_later_is_left_out_of_the_years_before(world, cycle124):
    old_a = _ap(world, "Ấp Long Hưng A")
    yearly_results(world, old_a, {2022: R, 2023: R, 2024: R})
    old_b = _ap(world, "Ấp Long Hưng B", active_from=datetime.date(2024, 1, 1))
    yearly_results(world, old_b, {2024: R})
    new = _ap(world, "Ấp Long Hưng", active_from=MERGED_ON)
    yearly_results(world, new, {2025: R})
    record_succession(new, [old_a, old_b], on=MERGED_ON, reason="Sáp nhập", by=None)

    assert _run(new) == (4, 2022, 2025)


def test_an_existing_unit_that_absorbs_another_needs_both_recognised(world, cycle124):
    absorbing = _ap(world, "Ấp Phú Thạnh")
    yearly_results(world, absorbing, {2023: R, 2024: R, 2025: R})
    absorbed = _ap(world, "Ấp Phú Thạnh B")
    yearly_results(world, absorbed, {2023: R, 2024: N})

    record_succession(absorbing, [absorbed], on=MERGED_ON, reason="Sáp nhập", by=None)

    assert _run(absorbing) == (1, 2025, 2025)


def test_lineage_reaches_through_two_merges(world, cycle124):
    oldest = _ap(world, "Ấp Mỹ Phước 1")
    yearly_results(world, oldest, {2022: R, 2023: R})
    middle = _ap(world, "Ấp Mỹ Phước", active_from=datetime.date(2024, 1, 1))
    yearly_results(world, middle, {2024: R})
    record_succession(middle, [oldest], on=datetime.date(2024, 1, 1), reason="Sáp nhập", by=None)
    new = _ap(world, "Ấp Mỹ Phước Mới", active_from=MERGED_ON)
    yearly_results(world, new, {2025: R})

    record_succession(new, [middle], on=MERGED_ON, reason="Sáp nhập", by=None)

    assert _run(new) == (4, 2022, 2025)


def test_recording_a_succession_closes_the_absorbed_units_and_is_audited(world, cycle124):
    old_a, old_b = _ap(world, "Ấp Long Hưng A"), _ap(world, "Ấp Long Hưng B")
    new = _ap(world, "Ấp Long Hưng", active_from=MERGED_ON)

    record_succession(
        new, [old_a, old_b], on=MERGED_ON, reason="NQ 12/NQ-HĐND", by=world.users.administrator
    )

    links = UnitSuccession.objects.order_by("predecessor__name")
    assert [
        (x.predecessor.name, x.successor.name, x.merged_on, x.reason, x.recorded_by) for x in links
    ] == [
        ("Ấp Long Hưng A", "Ấp Long Hưng", MERGED_ON, "NQ 12/NQ-HĐND", world.users.administrator),
        ("Ấp Long Hưng B", "Ấp Long Hưng", MERGED_ON, "NQ 12/NQ-HĐND", world.users.administrator),
    ]
    assert set(
        Unit.objects.filter(pk__in=[old_a.pk, old_b.pk]).values_list("active_to", flat=True)
    ) == {MERGED_ON}
    assert old_a.history.latest().history_change_reason == "NQ 12/NQ-HĐND"


@pytest.mark.parametrize(
    "case, message",
    [
        ("twice", "“Ấp Long Hưng A” đã được sáp nhập vào “Ấp Long Hưng” ngày 01/07/2025."),
        (
            "circle",
            "“Ấp Long Hưng A” đã được sáp nhập vào “Ấp Long Hưng”; "
            "dòng kế thừa không thể khép vòng.",
        ),
        ("commune", "Chỉ khu dân cư mới được ghi nhận là đơn vị kế thừa."),
        ("no reason", "Hãy nhập lý do sáp nhập (ví dụ nghị quyết)."),
    ],
)
def test_a_succession_that_cannot_be_is_refused_in_vietnamese(world, cycle124, case, message):
    old_a = _ap(world, "Ấp Long Hưng A")
    new = _ap(world, "Ấp Long Hưng")
    reason = "Sáp nhập"
    successor, predecessors = new, [old_a]
    if case in ("twice", "circle"):
        record_succession(new, [old_a], on=MERGED_ON, reason=reason, by=None)
    if case == "twice":
        successor = _ap(world, "Ấp Khác")
    if case == "circle":
        Unit.objects.filter(pk=old_a.pk).update(active_to=None)
        successor, predecessors = old_a, [new]
    if case == "commune":
        successor = UnitFactory(unit_type=UnitType.COMMUNE, residential_subtype="", area=world.xa_2)
    if case == "no reason":
        reason = " "
    before = UnitSuccession.objects.count()

    with pytest.raises(ValidationError) as raised:
        record_succession(successor, predecessors, on=MERGED_ON, reason=reason, by=None)

    assert (raised.value.messages, UnitSuccession.objects.count()) == ([message], before)


def test_unit_page_shows_the_run_through_the_absorbed_areas(client, world, cycle124):
    new = _merged(
        world,
        {"Ấp Long Hưng A": {2023: R, 2024: R}, "Ấp Long Hưng B": {2023: N, 2024: R}},
        {2025: R},
    )
    client.force_login(world.users.decider_xa2)

    response = client.get(new.get_absolute_url())

    page = response.content.decode()
    history = page[page.index('id="recognition-history"') :]
    assert "Được công nhận 2 năm liên tục" in history
    assert "(2024–2025)" in history
    assert "Năm được tính qua các khu dân cư đã sáp nhập vào đơn vị: 2024." in history
    predecessors = history[history.index('id="predecessors"') :]
    assert predecessors.index("Ấp Long Hưng A") < predecessors.index("Ấp Long Hưng B")
    assert "sáp nhập vào Ấp Long Hưng ngày 01/07/2025" in predecessors
    assert "2023: chưa được công nhận" in predecessors
