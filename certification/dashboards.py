"""What each role's home page shows: the next step of a unit, a reviewer's queue, a People's
Committee's dossiers waiting for a decision, an area's figures, the administrator's orphans.

Read-only, built from the same querysets as the lists the home page links to, so a figure and the
list behind it always agree. The number of queries depends on the user's roles, never on the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from certification.models import (
    Assessment,
    AssessmentStatus,
    CountedKind,
    Cycle,
    CycleStep,
    Decision,
    DecisionStatus,
    MailStatus,
    OutgoingMail,
    Registration,
    RegistrationStatus,
    ResultValue,
    StatusCount,
    YearlyResult,
)
from certification.models.assessment import UNDER_REVIEW, overdue_condition
from certification.services import decisions as decision_services
from certification.services.cycles import deadline_for, last_day_for
from certification.services.history import RecognitionHistory, recognition_history
from units.jurisdiction import LEVEL_ORDER, MANAGED_AT, ReviewLevel, review_level_of
from units.models import Area, Role, RoleAssignment, Unit

WEEK = datetime.timedelta(days=7)


# --- a unit representative ------------------------------------------------------------------------


@dataclass
class NextStep:
    """One sentence saying what to do now, its deadline, and where to do it."""

    text: str
    due_on: datetime.date | None = None
    url_name: str = ""
    late: bool = False
    done: bool = False


@dataclass
class UnitHome:
    unit: Unit
    cycle: Cycle | None
    registration: Registration | None
    dossier: Assessment | None
    step: NextStep
    history: RecognitionHistory


def _step_before_deadline(cycle, unit, step, today, *, text, late_text, url_name) -> NextStep:
    """The step to take by the unit's deadline (its extension counts), or whom to ask once the
    last accepted day has passed."""
    due_on, _extension = deadline_for(cycle, unit, step)
    late = today > last_day_for(cycle, unit, step)
    return NextStep(late_text if late else text, due_on=due_on, url_name=url_name, late=late)


def _step_for(unit: Unit, cycle, registration, dossier, result, today) -> NextStep:
    if cycle is None:
        return NextStep(
            _(
                "No recognition cycle is open for your unit this year. The commune police "
                "announce it; ask them when it opens."
            )
        )
    if result is not None:
        if result.result == ResultValue.RECOGNISED:
            return NextStep(
                _("Your unit is recognised for this year. The certificate is below."), done=True
            )
        return NextStep(
            _(
                "Your unit is not recognised this year; the decision gives the reason. "
                "Ask the commune police what to improve next year."
            ),
            done=True,
        )
    if registration is None or registration.status in (
        RegistrationStatus.DRAFT,
        RegistrationStatus.RETURNED,
    ):
        returned = registration is not None and registration.status == RegistrationStatus.RETURNED
        return _step_before_deadline(
            cycle,
            unit,
            CycleStep.REGISTRATION,
            today,
            text=_("Correct your registration and send it again.")
            if returned
            else _("Register your unit."),
            late_text=_(
                "Registration has closed. Ask the commune police for an extension: "
                "they can grant one in the portal."
            ),
            url_name="certification:unit-registration",
        )
    if registration.status == RegistrationStatus.SUBMITTED:
        return NextStep(
            _("Your registration waits for the commune police to acknowledge it."),
            url_name="certification:unit-registration",
        )
    if dossier is None or dossier.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        returned = dossier is not None and dossier.status == AssessmentStatus.RETURNED
        return _step_before_deadline(
            cycle,
            unit,
            CycleStep.DOSSIER,
            today,
            text=_("Your dossier was returned: correct the criteria marked and submit it again.")
            if returned
            else _("Assess your unit and submit the year-end dossier."),
            late_text=_(
                "The dossier deadline has passed. Ask the commune police for an extension "
                "of the dossier deadline; once granted, you can submit here."
            ),
            url_name="certification:unit-dossier",
        )
    if dossier.status in UNDER_REVIEW:
        due_on, _extension = deadline_for(cycle, unit, CycleStep.REVIEW)
        return NextStep(
            _("Your dossier is being appraised by the police; they answer by the deadline."),
            due_on=due_on,
            url_name="certification:unit-dossier",
        )
    if dossier.status == AssessmentStatus.RECOMMENDED:
        due_on, _extension = deadline_for(cycle, unit, CycleStep.DECISION)
        return NextStep(
            _("Your dossier is recommended; the People's Committee decides by the deadline."),
            due_on=due_on,
        )
    return NextStep(
        _("Your dossier was not recommended this year; the reason is on the dossier."),
        url_name="certification:unit-dossier",
        done=True,
    )


def unit_home(unit: Unit, today: datetime.date) -> UnitHome:
    """The unit's current cycle, registration, dossier, next step and results by year."""
    cycle = Cycle.objects.for_unit(unit, today.year)
    registration = dossier = result = None
    if cycle is not None:
        registration = Registration.objects.filter(cycle=cycle, unit=unit).first()
        dossier = Assessment.objects.filter(cycle=cycle, unit=unit).first()
        result = YearlyResult.objects.filter(cycle=cycle, unit=unit).first()
    return UnitHome(
        unit=unit,
        cycle=cycle,
        registration=registration,
        dossier=dossier,
        step=_step_for(unit, cycle, registration, dossier, result, today),
        history=recognition_history(unit),
    )


# --- a reviewer -----------------------------------------------------------------------------------


@dataclass
class ReviewerQueue:
    registrations: int
    dossiers: int
    overdue: int
    due_this_week: int


def reviewer_queue(user, today: datetime.date) -> ReviewerQueue:
    """The counts behind the registration list and the dossier queue filtered 'waiting for me'."""
    # The status counters of the reviewer's areas, not every submitted registration's unit.
    registrations = StatusCount.objects.registrations_waiting_for(user).total()
    dossiers = (
        Assessment.objects.visible_to(user)
        .waiting_for(user)
        .aggregate(
            waiting=Count("pk"),
            overdue=Count("pk", filter=overdue_condition(today)),
            due_this_week=Count(
                "pk", filter=Q(review_due_on__gte=today, review_due_on__lt=today + WEEK)
            ),
        )
    )
    return ReviewerQueue(
        registrations=registrations,
        dossiers=dossiers["waiting"],
        overdue=dossiers["overdue"],
        due_this_week=dossiers["due_this_week"],
    )


# --- a decision maker -----------------------------------------------------------------------------


@dataclass
class CommitteeDesk:
    area: Area
    waiting: int
    drafts: int
    years: dict[int, int] = field(default_factory=dict)


def committee_desks(user) -> list[CommitteeDesk]:
    """Per People's Committee of the user: recommended dossiers waiting, and draft decisions."""
    areas = list(decision_services.issuing_areas_of(user).order_by("path"))
    drafts = dict(
        Decision.objects.filter(issuing_area__in=areas, status=DecisionStatus.DRAFT)
        .order_by()
        .values_list("issuing_area")
        .annotate(n=Count("pk"))
    )
    desks = []
    for area in areas:
        years = decision_services.awaiting_by_year(area)
        desks.append(CommitteeDesk(area, sum(years.values()), drafts.get(area.pk, 0), years))
    return desks


# --- an area's figures (observer, reviewer, decision maker) ---------------------------------------


@dataclass
class AreaFigures:
    area: Area
    year: int
    units: int
    registered: int
    submitted: int
    recommended: int
    recognised: int


def area_figures(area: Area, today: datetime.date, *, units: int) -> AreaFigures:
    """This year's progress under an area: `units` active today (as `units.views.counts_by_type`
    counts them), and from the status counters the registrations, dossiers and results of this
    year's cycles (every unit counts, as in the dossier queue filtered by area and year)."""
    year = today.year
    # The status counters under the area: a few rows per commune, not every registration.
    counters = StatusCount.objects.filter(area__path__startswith=area.path, cycle__year=year)
    figures = counters.aggregate(
        registered=Sum(
            "n", filter=Q(kind=CountedKind.REGISTRATION) & ~Q(status=RegistrationStatus.DRAFT)
        ),
        submitted=Sum("n", filter=Q(kind=CountedKind.DOSSIER) & ~Q(status=AssessmentStatus.DRAFT)),
        recommended=Sum(
            "n", filter=Q(kind=CountedKind.DOSSIER, status=AssessmentStatus.RECOMMENDED)
        ),
        recognised=Sum("n", filter=Q(kind=CountedKind.RESULT, status=ResultValue.RECOGNISED)),
    )
    return AreaFigures(
        area=area,
        year=year,
        units=units,
        registered=figures["registered"] or 0,
        submitted=figures["submitted"] or 0,
        recommended=figures["recommended"] or 0,
        recognised=figures["recognised"] or 0,
    )


# --- the administrator ----------------------------------------------------------------------------


def _uncovered_areas() -> dict[str, set[int] | None]:
    """Per review level, the areas holding submissions where no reviewer account of that level
    covers (on the area or above it); None when the level is covered nowhere.

    The areas with their reviewers and whether the Ministry's department has a reviewer, then
    prefix lookups in memory; only when some area is left uncovered, the status counters of
    what waits for a reviewer there (asking it per submission would compare every waiting
    dossier of the country with every reviewer account).
    """
    areas = list(
        Area.objects.order_by()
        .annotate(
            has_reviewer=Exists(
                RoleAssignment.objects.filter(area=OuterRef("pk"), role=Role.REVIEWER)
            )
        )
        .values_list("pk", "path", "level", "has_reviewer")
    )
    reviewed_at = {path: review_level_of(level) for _pk, path, level, has in areas if has}
    uncovered: dict[str, set[int] | None] = {
        level: None if level not in reviewed_at.values() else set() for level in LEVEL_ORDER
    }
    # A reviewer of the Ministry's department covers the Ministry's level everywhere.
    everywhere = (
        {ReviewLevel.MINISTRY}
        if RoleAssignment.objects.filter(role=Role.MINISTRY_REVIEWER).exists()
        else set()
    )
    uncovered.update({level: set() for level in everywhere})
    for pk, path, _level, _has in areas:
        covered = everywhere | {
            reviewed_at[above] for above in Area.ancestor_paths(path) if above in reviewed_at
        }
        for level, pks in uncovered.items():
            if pks is not None and level not in covered:
                pks.add(pk)
    candidates = set().union(*(pks for pks in uncovered.values() if pks))
    if candidates:
        # Only the uncovered areas where something waits (read through the counters' area index).
        waiting = set(
            StatusCount.objects.filter(
                Q(kind=CountedKind.REGISTRATION, status=RegistrationStatus.SUBMITTED)
                | Q(kind=CountedKind.DOSSIER, status__in=UNDER_REVIEW),
                area__in=sorted(candidates),
                n__gt=0,
            ).values_list("area_id", flat=True)
        )
        for pks in uncovered.values():
            if pks:
                pks &= waiting
    return uncovered


def _uncovered(uncovered: dict, field_name: str, value_of_level: dict) -> Q:
    """Rows whose `field_name` value is handled at a review level nobody covers over their
    unit's area."""
    condition = Q(pk__in=[])
    for level, areas in uncovered.items():
        value = {field_name: value_of_level[level]}
        if areas is None:
            condition |= Q(**value)
        elif areas:
            condition |= Q(**value, unit__area__in=sorted(areas))
    return condition


def orphan_registrations(uncovered: dict | None = None):
    """Submitted registrations no reviewer account is in charge of: nobody will acknowledge them."""
    uncovered = _uncovered_areas() if uncovered is None else uncovered
    return Registration.objects.filter(status=RegistrationStatus.SUBMITTED).filter(
        _uncovered(uncovered, "unit__managing_level", MANAGED_AT)
    )


def orphan_dossiers(uncovered: dict | None = None):
    """Dossiers waiting at a review level where no reviewer account covers their unit."""
    uncovered = _uncovered_areas() if uncovered is None else uncovered
    return Assessment.objects.filter(status__in=UNDER_REVIEW).filter(
        _uncovered(uncovered, "awaiting_level", {level: level for level in LEVEL_ORDER})
    )


@dataclass
class AdministratorDesk:
    orphan_registrations: list[Registration]
    orphan_dossiers: list[Assessment]
    failed_mails: int


ORPHANS_SHOWN = 20


def administrator_desk() -> AdministratorDesk:
    """What nobody else will see to: orphaned submissions and e-mails that failed for good."""
    uncovered = _uncovered_areas()
    return AdministratorDesk(
        orphan_registrations=list(
            orphan_registrations(uncovered)
            .select_related("unit__area")
            .order_by("submitted_at")[:ORPHANS_SHOWN]
        ),
        orphan_dossiers=list(
            orphan_dossiers(uncovered)
            .select_related("unit__area")
            .order_by("submitted_at")[:ORPHANS_SHOWN]
        ),
        failed_mails=OutgoingMail.objects.filter(status=MailStatus.FAILED).count(),
    )
