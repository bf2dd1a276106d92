"""Read-only summaries built from querysets: registration completeness of a commune."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from certification.models import Cycle, Registration, RegistrationStatus
from certification.models.registration import FILED
from units.models import Area, ManagingLevel, Unit, UnitType


@dataclass
class Completeness:
    """How many of a commune's child units have registered (a commune needs all of them)."""

    area: Area
    cycle: Cycle
    total: int = 0
    registered: int = 0
    acknowledged: int = 0
    missing: list[Unit] = field(default_factory=list)
    excluded: list[tuple[Unit, str]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.registered / self.total) if self.total else 100

    @property
    def is_complete(self) -> bool:
        return self.registered == self.total


# Registered = filed with the reviewer: submitted, acknowledged, or returned for a correction.


def child_units(area: Area, *, today: datetime.date):
    """The bodies a commune manages: its residential areas and commune-managed bodies."""
    return (
        Unit.objects.within(area)
        .active(today)
        .filter(managing_level=ManagingLevel.COMMUNE)
        .exclude(unit_type=UnitType.COMMUNE)
        .select_related("area")
        .order_by("unit_type", "name")
    )


def registration_completeness(area: Area, cycle: Cycle, *, today: datetime.date) -> Completeness:
    """Counts in two queries however many child units the commune has."""
    report = Completeness(area=area, cycle=cycle)
    statuses = dict(
        Registration.objects.filter(
            cycle=cycle, unit__in=child_units(area, today=today)
        ).values_list("unit_id", "status")
    )
    for unit in child_units(area, today=today):
        reason = cycle.criteria_set.exclusion_reason(unit)
        if reason:
            report.excluded.append((unit, reason))
            continue
        report.total += 1
        status = statuses.get(unit.pk)
        if status in FILED:
            report.registered += 1
            report.acknowledged += status == RegistrationStatus.ACKNOWLEDGED
        else:
            report.missing.append(unit)
    return report


# --- progress of an area (observers, reviewers, decision makers) ----------------------------------

PROGRESS_MEASURES = ("eligible", "registered", "submitted", "on_time", "recommended", "recognised")

# A commune is recognised only if all the bodies it manages registered and ≥ 70% are recognised
# (TT124 Art. 7, clause 4; pooled over all child types, as ANTT.md reads it literally).
REQUIRED_REGISTERED_PERCENT = 100
REQUIRED_RECOGNISED_PERCENT = 70


@dataclass
class ProgressRow:
    """One child area (or the area itself) and one unit type, for one year."""

    key: str
    unit_type: str
    year: int
    counts: dict[str, int] = field(default_factory=dict)

    def percent(self, measure: str) -> int:
        eligible = self.counts.get("eligible", 0)
        return round(100 * self.counts.get(measure, 0) / eligible) if eligible else 0

    @property
    def cells(self) -> list[tuple[str, int, int]]:
        return [(m, self.counts.get(m, 0), self.percent(m)) for m in PROGRESS_MEASURES]


def _grouped(queryset, path_field: str, type_field: str, length: int) -> dict:
    """{(child path prefix, unit type): count} in one GROUP BY query."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    rows = (
        queryset.order_by()
        .annotate(child=Substr(path_field, 1, length))
        .values_list("child", type_field)
        .annotate(n=Count("pk"))
    )
    return {(child, unit_type): n for child, unit_type, n in rows}


def area_progress(area: Area, year: int, *, today: datetime.date) -> dict[tuple[str, str], dict]:
    """Per child area (path prefix) and unit type: the six measures for the year, six queries
    however many units the area holds. Units are counted in the area where they are today."""
    from certification.models import Assessment, AssessmentStatus, YearlyResult
    from certification.models.assessment import ResultValue

    children = list(area.get_children().values_list("path", flat=True))
    length = len(children[0]) if children else len(area.path)
    units = Unit.objects.within(area).active(today)
    registrations = Registration.objects.filter(unit__in=units, cycle__year=year, status__in=FILED)
    dossiers = Assessment.objects.filter(unit__in=units, cycle__year=year).exclude(
        status=AssessmentStatus.DRAFT
    )
    measures = {
        "eligible": _grouped(units, "area__path", "unit_type", length),
        "registered": _grouped(registrations, "unit__area__path", "unit__unit_type", length),
        "submitted": _grouped(dossiers, "unit__area__path", "unit__unit_type", length),
        "on_time": _grouped(
            _submitted_on_time(dossiers), "unit__area__path", "unit__unit_type", length
        ),
        "recommended": _grouped(
            dossiers.filter(status=AssessmentStatus.RECOMMENDED),
            "unit__area__path",
            "unit__unit_type",
            length,
        ),
        "recognised": _grouped(
            YearlyResult.objects.filter(
                unit__in=units, cycle__year=year, result=ResultValue.RECOGNISED
            ),
            "unit__area__path",
            "unit__unit_type",
            length,
        ),
    }
    table: dict[tuple[str, str], dict] = {}
    for measure, counts in measures.items():
        for key, n in counts.items():
            table.setdefault(key, {})[measure] = n
    return table


def _submitted_on_time(dossiers):
    """Dossiers submitted on or before the unit's deadline (its extension, else the calendar)."""
    from django.db.models import F, OuterRef, Subquery
    from django.db.models.functions import Coalesce, TruncDate

    from certification.models import CycleCalendar, CycleStep, DeadlineExtension

    extension = DeadlineExtension.objects.filter(
        cycle=OuterRef("cycle"), unit=OuterRef("unit"), step=CycleStep.DOSSIER
    ).values("due_on")[:1]
    calendar = CycleCalendar.objects.filter(
        cycle=OuterRef("cycle"), unit_type=OuterRef("unit__unit_type")
    ).values("dossier_due_on")[:1]
    return dossiers.annotate(
        due=Coalesce(Subquery(extension), Subquery(calendar)),
        submitted_on=TruncDate("submitted_at"),
    ).filter(submitted_on__lte=F("due"))


@dataclass
class CommuneRule:
    area: Area
    eligible: int
    registered: int
    recognised: int

    @property
    def registered_percent(self) -> int:
        return round(100 * self.registered / self.eligible) if self.eligible else 100

    @property
    def recognised_percent(self) -> int:
        return round(100 * self.recognised / self.eligible) if self.eligible else 100

    @property
    def fails(self) -> bool:
        return (
            self.registered_percent < REQUIRED_REGISTERED_PERCENT
            or self.recognised_percent < REQUIRED_RECOGNISED_PERCENT
        )


def communes_failing_the_rule(area: Area, year: int, *, today: datetime.date) -> list[CommuneRule]:
    """Communes under the area whose managed bodies are not all registered or < 70% recognised
    for the year: three GROUP BY queries and one for the communes."""
    from django.db.models import Count

    from certification.models import YearlyResult
    from certification.models.assessment import ResultValue

    managed = (
        Unit.objects.within(area)
        .active(today)
        .filter(managing_level=ManagingLevel.COMMUNE)
        .exclude(unit_type=UnitType.COMMUNE)
    )

    def per_commune(queryset, area_field):
        return dict(
            queryset.order_by().values_list(area_field).annotate(n=Count("pk", distinct=True))
        )

    eligible = per_commune(managed, "area_id")
    registered = per_commune(
        Registration.objects.filter(unit__in=managed, cycle__year=year, status__in=FILED),
        "unit__area_id",
    )
    recognised = per_commune(
        YearlyResult.objects.filter(
            unit__in=managed, cycle__year=year, result=ResultValue.RECOGNISED
        ),
        "unit__area_id",
    )
    communes = Area.objects.filter(pk__in=eligible).order_by("name")
    rules = [
        CommuneRule(c, eligible[c.pk], registered.get(c.pk, 0), recognised.get(c.pk, 0))
        for c in communes
    ]
    return [rule for rule in rules if rule.fails]


# --- the yearly summary an area reports upwards -------------------------------------------------


@dataclass
class SummaryLine:
    """One unit type (or the total) of an area's year: eligible, registered, recognised."""

    unit_type: str
    label: str
    eligible: int = 0
    registered: int = 0
    recognised: int = 0

    @property
    def registered_percent(self) -> int:
        return round(100 * self.registered / self.eligible) if self.eligible else 0

    @property
    def recognised_percent(self) -> int:
        """Recognised of the registered: the rate the police report upwards."""
        return round(100 * self.recognised / self.registered) if self.registered else 0

    @property
    def recognised_of_eligible(self) -> int:
        return round(100 * self.recognised / self.eligible) if self.eligible else 0


@dataclass
class YearlySummary:
    area: Area
    year: int
    lines: list[SummaryLine]
    total: SummaryLine
    failing: list[CommuneRule]


def yearly_summary(area: Area, year: int, *, today: datetime.date) -> YearlySummary:
    """Per unit type, the progress page's figures added over the child areas, with the total and
    the communes failing the rule: the same queries as the progress page, so the same figures."""
    table = area_progress(area, year, today=today)
    lines = {value: SummaryLine(value, label) for value, label in UnitType.choices}
    for (_child, unit_type), counts in table.items():
        line = lines.setdefault(unit_type, SummaryLine(unit_type, unit_type))
        line.eligible += counts.get("eligible", 0)
        line.registered += counts.get("registered", 0)
        line.recognised += counts.get("recognised", 0)
    total = SummaryLine("", "")
    for line in lines.values():
        total.eligible += line.eligible
        total.registered += line.registered
        total.recognised += line.recognised
    return YearlySummary(
        area=area,
        year=year,
        lines=[line for line in lines.values() if line.eligible or line.registered],
        total=total,
        failing=communes_failing_the_rule(area, year, today=today),
    )
