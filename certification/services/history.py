"""A unit's results year by year and its run of consecutive recognised years, counted through the
residential areas it absorbed (units.models.UnitSuccession).

The lineage rule (README, "Consecutive years and merged residential areas"): a year counts when
every unit of the lineage that took part that year was recognised — the unit itself, where it
already existed, and each unit it absorbed after that year began, judged the same way through its
own predecessors. A unit that existed that year (its "active from" empty or not later than that
year) and has no result, or was not recognised, ends the run; a unit not yet formed, or absorbed
during that year before it was assessed, is left out of that year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from certification.models import Certificate, ResultValue, YearlyResult
from units.models import Unit, UnitSuccession


@dataclass
class YearResult:
    year: int
    result: YearlyResult
    certificate: Certificate | None = None

    @property
    def recognised(self) -> bool:
        return self.result.result == ResultValue.RECOGNISED


@dataclass
class PredecessorRecord:
    """A unit absorbed into this one (directly or through another), with its own years."""

    unit: Unit
    merged_on: datetime.date
    successor: Unit
    years: list[tuple[int, bool]] = field(default_factory=list)  # newest first


@dataclass
class RecognitionHistory:
    """A unit's results year by year (newest first) and its current run of recognised years."""

    years: list[YearResult] = field(default_factory=list)
    consecutive_years: int = 0
    since: int | None = None
    until: int | None = None
    predecessors: list[PredecessorRecord] = field(default_factory=list)
    # Years of the run that were counted through absorbed units.
    through_predecessors: list[int] = field(default_factory=list)


class _Lineage:
    """The unit, the units it absorbed (at any depth) and their results, read in a few queries."""

    def __init__(self, unit: Unit):
        self.unit = unit
        self.units = {unit.pk: unit}
        self.below: dict[int, list[tuple[int, int]]] = {}  # unit → [(predecessor, merge year)]
        self.links: list[UnitSuccession] = []
        frontier = [unit.pk]
        while frontier:  # one query per generation of merges; one for a unit without any
            links = list(
                UnitSuccession.objects.filter(successor_id__in=frontier)
                .exclude(predecessor_id__in=self.units)
                .select_related("predecessor__area", "successor")
                .order_by("merged_on", "predecessor__name", "pk")
            )
            for link in links:
                self.units[link.predecessor_id] = link.predecessor
                self.below.setdefault(link.successor_id, []).append(
                    (link.predecessor_id, link.merged_on.year)
                )
            self.links += links
            frontier = [link.predecessor_id for link in links]
        self.results: dict[tuple[int, int], YearlyResult] = {}
        for result in (
            YearlyResult.objects.filter(unit_id__in=self.units)
            .select_related("cycle")
            .order_by("-cycle__year", "pk")
        ):
            # A national and a provincial cycle in one year: the first is enough.
            self.results.setdefault((result.unit_id, result.cycle.year), result)

    def status(self, unit_id: int, year: int, *, merged_year: int | None = None) -> bool | None:
        """Whether the year counts for this unit through its lineage; None: nobody took part."""
        parts = []
        own = self.results.get((unit_id, year))
        if own is not None:
            parts.append(own.result == ResultValue.RECOGNISED)
        elif self._existed(unit_id, year) and (merged_year is None or year < merged_year):
            parts.append(False)  # there that year, and not recognised
        for predecessor_id, merge_year in self.below.get(unit_id, ()):
            if merge_year < year:
                continue  # absorbed before that year
            status = self.status(predecessor_id, year, merged_year=merge_year)
            if status is not None:
                parts.append(status)
        return all(parts) if parts else None

    def counted_through_predecessors(self, year: int) -> bool:
        return any(
            merge_year >= year and self.status(predecessor_id, year, merged_year=merge_year)
            for predecessor_id, merge_year in self.below.get(self.unit.pk, ())
        )

    def _existed(self, unit_id: int, year: int) -> bool:
        active_from = self.units[unit_id].active_from
        return active_from is None or active_from.year <= year


def recognition_history(unit: Unit) -> RecognitionHistory:
    """Read from the results of the unit and of the units it absorbed (three queries for a unit
    without predecessors), so area merges leave it whole.

    The run counts back from the latest year with a result in the lineage; a year that does not
    count under the lineage rule (module docstring) ends it.
    """
    lineage = _Lineage(unit)
    certificates = {
        certificate.year: certificate
        for certificate in Certificate.objects.filter(unit=unit).select_related(
            "annulment", "entry__decision"
        )
    }
    history = RecognitionHistory()
    for (unit_id, year), result in sorted(lineage.results.items(), key=lambda item: -item[0][1]):
        if unit_id == unit.pk:
            history.years.append(YearResult(year, result, certificates.get(year)))
    for link in lineage.links:
        history.predecessors.append(
            PredecessorRecord(
                link.predecessor,
                link.merged_on,
                link.successor,
                years=[
                    (year, result.result == ResultValue.RECOGNISED)
                    for (unit_id, year), result in sorted(
                        lineage.results.items(), key=lambda item: -item[0][1]
                    )
                    if unit_id == link.predecessor_id
                ],
            )
        )
    years = sorted({year for _unit, year in lineage.results}, reverse=True)
    latest = next((year for year in years if lineage.status(unit.pk, year) is not None), None)
    if latest is None:
        return history
    year = latest
    while lineage.status(unit.pk, year):
        history.consecutive_years += 1
        history.since = year
        if lineage.counted_through_predecessors(year):
            history.through_predecessors.append(year)
        year -= 1
    if history.consecutive_years:
        history.until = latest
    history.through_predecessors.sort()
    return history
