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
from certification.workflows.base import NotPermitted
from certification.workflows.registration import extends_deadlines_of
from units.models import Area, Unit, UnitType, User

# Art. 9.1 of Circular 124: decided *before* these days (month, day), so the last day is the one
# before. (a) residential areas; (b)–(d) communes, agencies, enterprises, educational institutions.
DECIDED_BEFORE = {UnitType.RESIDENTIAL_AREA: (11, 15)}
OTHERS_DECIDED_BEFORE = (11, 20)


def last_decision_day(year: int, unit_type: str) -> datetime.date:
    """The last day Art. 9.1 allows for the decision on a unit of this type."""
    month, day = DECIDED_BEFORE.get(unit_type, OTHERS_DECIDED_BEFORE)
    return datetime.date(year, month, day) - datetime.timedelta(days=1)


def default_calendar(year: int, unit_type: str) -> dict[str, datetime.date]:
    """Circular 124's calendar for one unit type: registration in Q1, the assessment window of
    Art. 8.2, the decision by the last day Art. 9.1 allows (14 or 19 November).

    The dossier and review deadlines are the portal's defaults placed before the decision; every
    date is editable in the admin.
    """
    d = datetime.date
    if unit_type == UnitType.RESIDENTIAL_AREA:
        window = (d(year - 1, 11, 1), d(year, 10, 31))  # Art. 8.2.a
        after = (d(year, 11, 5), d(year, 11, 10))
    else:
        # Art. 8.2.b: the window ends on 15 November, four days before the last decision day.
        window = (d(year - 1, 11, 16), d(year, 11, 15))
        after = (d(year, 11, 15), d(year, 11, 17))
    return {
        "registration_opens_on": d(year, 1, 1),
        "registration_closes_on": d(year, 3, 31),
        "assessment_starts_on": window[0],
        "assessment_ends_on": window[1],
        "dossier_due_on": after[0],
        "review_due_on": after[1],
        "decision_due_on": last_decision_day(year, unit_type),
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


@transaction.atomic
def apply_criteria_set(
    cycle: Cycle, criteria_set: CriteriaSet, *, by: User | None, today: datetime.date
) -> Cycle:
    """Moves a cycle to another published criteria set (a new version of the circular's set);
    refused once registration has opened or a unit has registered, so no unit changes set."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not criteria_set.is_published:
        raise ValidationError(_("A cycle can only apply a published criteria set."))
    opens_on = min(cycle.calendars.values_list("registration_opens_on", flat=True), default=None)
    if (opens_on is not None and today >= opens_on) or cycle.registrations.exists():
        raise ValidationError(
            _(
                "Registration for %(year)s has opened (%(date)s): the cycle keeps “%(set)s”, "
                "which its units registered under."
            )
            % {
                "year": cycle.year,
                "date": date_format(opens_on, "SHORT_DATE_FORMAT") if opens_on else "—",
                "set": cycle.criteria_set,
            }
        )
    cycle.criteria_set = criteria_set
    cycle.save(update_fields=["criteria_set"])
    return cycle


def latest_version_of(criteria_set: CriteriaSet) -> CriteriaSet:
    """The newest published version of the same set (the same code and province)."""
    return (
        CriteriaSet.objects.published()
        .filter(code=criteria_set.code, province=criteria_set.province)
        .order_by("-version")
        .first()
    )


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
        commune_police_appraise_first=cycle.commune_police_appraise_first,
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
    """Gives one unit a later deadline for one step; granting again replaces it (history kept).

    Only the reviewers in charge of the unit, or above them, grant it (`None`: the portal
    itself, in scripts).
    """
    if by is not None and not extends_deadlines_of(by, unit):
        raise NotPermitted(
            _("Only the reviewers in charge of %(unit)s grant its extensions.")
            % {"unit": unit.name}
        )
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
