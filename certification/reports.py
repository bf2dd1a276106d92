"""Read-only summaries built from querysets: registration completeness of a commune."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from certification.models import Cycle, Registration, RegistrationStatus
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
FILED = (RegistrationStatus.SUBMITTED, RegistrationStatus.ACKNOWLEDGED, RegistrationStatus.RETURNED)


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
