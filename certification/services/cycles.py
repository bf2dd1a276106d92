"""Yearly cycles: creation with the circular's default calendar, next year's copy, extensions."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification.models import (
    Assessment,
    CriteriaSet,
    Cycle,
    CycleCalendar,
    CycleStep,
    DeadlineExtension,
)
from units.models import Area, Unit, UnitType, User


def default_calendar(year: int, unit_type: str) -> dict[str, datetime.date]:
    """Circular 124's calendar for one unit type (registration in Q1, then the year's window).

    The due dates after the assessment window are the portal's defaults; every date is editable.
    """
    d = datetime.date
    if unit_type == UnitType.RESIDENTIAL_AREA:
        window = (d(year - 1, 11, 1), d(year, 10, 31))
        after = (d(year, 11, 5), d(year, 11, 15), d(year, 11, 30))
    elif unit_type == UnitType.COMMUNE:
        # A commune is judged after its child units are decided.
        window = (d(year - 1, 11, 16), d(year, 11, 15))
        after = (d(year, 11, 30), d(year, 12, 10), d(year, 12, 25))
    else:
        window = (d(year - 1, 11, 16), d(year, 11, 15))
        after = (d(year, 11, 25), d(year, 12, 5), d(year, 12, 20))
    return {
        "registration_opens_on": d(year, 1, 1),
        "registration_closes_on": d(year, 3, 31),
        "assessment_starts_on": window[0],
        "assessment_ends_on": window[1],
        "dossier_due_on": after[0],
        "review_due_on": after[1],
        "decision_due_on": after[2],
    }


@transaction.atomic
def create_cycle(
    *,
    year: int,
    province: Area | None,
    criteria_set: CriteriaSet,
    by: User | None,
    grace_days: int = 0,
) -> Cycle:
    """Creates a cycle with a calendar for every unit type; one cycle per province and year."""
    if not criteria_set.is_published:
        raise ValidationError(_("A cycle can only apply a published criteria set."))
    if Cycle.objects.filter(year=year, province=province).exists():
        raise ValidationError(
            _("There is already a cycle for %(year)s in %(where)s.")
            % {"year": year, "where": province.name if province else _("the whole country")}
        )
    cycle = Cycle.objects.create(
        year=year, province=province, criteria_set=criteria_set, grace_days=grace_days
    )
    CycleCalendar.objects.bulk_create(
        CycleCalendar(cycle=cycle, unit_type=unit_type, **default_calendar(year, unit_type))
        for unit_type in UnitType.values
    )
    return cycle


def _a_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


CALENDAR_DATES = (
    "registration_opens_on",
    "registration_closes_on",
    "assessment_starts_on",
    "assessment_ends_on",
    "dossier_due_on",
    "review_due_on",
    "decision_due_on",
)


@transaction.atomic
def create_next_year_cycle(cycle: Cycle, *, by: User | None) -> Cycle:
    """Copies a cycle to the following year with every date shifted by one year."""
    year = cycle.year + 1
    if Cycle.objects.filter(year=year, province=cycle.province).exists():
        raise ValidationError(
            _("There is already a cycle for %(year)s in %(where)s.")
            % {
                "year": year,
                "where": cycle.province.name if cycle.province else _("the whole country"),
            }
        )
    following = Cycle.objects.create(
        year=year,
        province=cycle.province,
        criteria_set=cycle.criteria_set,
        grace_days=cycle.grace_days,
    )
    CycleCalendar.objects.bulk_create(
        CycleCalendar(
            cycle=following,
            unit_type=calendar.unit_type,
            **{name: _a_year_later(getattr(calendar, name)) for name in CALENDAR_DATES},
        )
        for calendar in cycle.calendars.all()
    )
    return following


def calendar_for(cycle: Cycle, unit: Unit) -> CycleCalendar:
    return cycle.calendars.get(unit_type=unit.unit_type)


def deadline_for(
    cycle: Cycle, unit: Unit, step: str
) -> tuple[datetime.date, DeadlineExtension | None]:
    """The unit's deadline for a step: its extension if it has one, else the cycle's date."""
    extension = DeadlineExtension.objects.filter(cycle=cycle, unit=unit, step=step).first()
    if extension:
        return extension.due_on, extension
    return calendar_for(cycle, unit).due_on(step), None


def last_day_for(cycle: Cycle, unit: Unit, step: str) -> datetime.date:
    """The last day the step is accepted: the unit's extension exactly, else the deadline plus
    the cycle's grace period."""
    due_on, extension = deadline_for(cycle, unit, step)
    return due_on if extension else due_on + datetime.timedelta(days=cycle.grace_days)


def grant_extension(
    cycle: Cycle,
    unit: Unit,
    step: str,
    *,
    due_on: datetime.date,
    reason: str,
    by: User | None,
) -> DeadlineExtension:
    """Gives one unit a later deadline for one step; granting again replaces it (history kept)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    normal = calendar_for(cycle, unit).due_on(step)
    if due_on <= normal:
        raise ValidationError(
            {
                "due_on": _("The new deadline must be after the normal deadline, %(date)s.")
                % {"date": date_format(normal, "SHORT_DATE_FORMAT")}
            }
        )
    extension = DeadlineExtension.objects.filter(cycle=cycle, unit=unit, step=step).first()
    if extension is None:
        extension = DeadlineExtension(cycle=cycle, unit=unit, step=step)
    extension.due_on = due_on
    extension.reason = reason.strip()
    extension.granted_by = by
    extension._history_user = by
    extension._change_reason = reason.strip()[:100]
    extension.save()
    if step == CycleStep.REVIEW:
        Assessment.objects.filter(cycle=cycle, unit=unit).update(review_due_on=due_on)
    return extension


def review_due_on(cycle: Cycle, unit: Unit) -> datetime.date:
    """What Assessment.review_due_on stores: the unit's review extension, else the calendar."""
    return deadline_for(cycle, unit, CycleStep.REVIEW)[0]


def refresh_review_due_dates(cycle: Cycle) -> int:
    """Stores every dossier's review due date of a cycle again (after its calendar changed).

    One UPDATE per unit type, then one per review extension; returns the dossiers updated.
    """
    updated = 0
    for calendar in cycle.calendars.all():
        of_type = Assessment.objects.filter(cycle=cycle, unit__unit_type=calendar.unit_type)
        updated += of_type.update(review_due_on=calendar.review_due_on)
    for extension in DeadlineExtension.objects.filter(cycle=cycle, step=CycleStep.REVIEW):
        Assessment.objects.filter(cycle=cycle, unit_id=extension.unit_id).update(
            review_due_on=extension.due_on
        )
    return updated
