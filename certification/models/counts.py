"""Status counters: how many registrations, dossiers and yearly results each area has per cycle
and status.

The lists' and home pages' figures read these few rows instead of counting the country's
registrations and dossiers on every request. They are kept in the transaction of every change
they count: a registration or dossier created (the services), a step taken (the workflows'
`perform`), a yearly result written or annulled (the decisions' services), a unit moved to
another area (`units.services.move_unit`). Rows written straight to the tables (the national
generator, a script) are counted again by `manage.py recount_status`, which rebuilds every row
from the tables (`--check` only compares).
"""

from __future__ import annotations

from collections import Counter

from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from certification.models.assessment import UNDER_REVIEW, Assessment, YearlyResult
from certification.models.cycles import Cycle
from certification.models.decisions import Certificate
from certification.models.registration import Registration, RegistrationStatus
from units.jurisdiction import effective_managing_level_sql, jurisdiction_of, level_in_charge_of
from units.models import Area, ChoiceLabels, CounterQuerySet


class CountedKind(models.TextChoices):
    REGISTRATION = "registration", _("registration")
    DOSSIER = "dossier", _("dossier")
    RESULT = "result", _("yearly result")


# (kind, cycle id, area id, level, status): the key of one counter row. The level is the review
# level a dossier waits for ("" for dossiers no reviewer holds); for a registration, the level in
# charge of its unit, which acknowledges it ("" for yearly results).
Key = tuple[str, int, int, str, str]

COLUMNS = ("kind", "cycle_id", "area_id", "level", "status")


def registration_key(registration) -> Key:
    return (
        CountedKind.REGISTRATION,
        registration.cycle_id,
        registration.area_id,
        level_in_charge_of(registration.unit),
        registration.status,
    )


def dossier_key(dossier) -> Key:
    return (
        CountedKind.DOSSIER,
        dossier.cycle_id,
        dossier.area_id,
        dossier.awaiting_level,
        dossier.status,
    )


def result_key(cycle_id: int, area_id: int, result: str) -> Key:
    """A unit's yearly result (a ResultValue) of a cycle, counted under the unit's area."""
    return (CountedKind.RESULT, cycle_id, area_id, "", result)


def describe_what_is_visible_to(user) -> bool:
    """Whether the counters add up to what the user sees: areas do; anything else in the
    user's scope (a representative's own units) does not, and those pages count their rows."""
    scope = jurisdiction_of(user)
    return scope.sees_everything or scope.unit_condition() == scope.area_condition("area__path")


def _locked(model, unit, *fields):
    """The unit's rows of a counted model, locked in pk order, as tuples of `fields`: a step on
    one of them waits until the change commits (or the change waits for the step)."""
    return (
        model.objects.select_for_update(of=("self",))
        .filter(unit_id=unit.pk)
        .order_by("pk")
        .values_list(*fields)
    )


class StatusCountQuerySet(CounterQuerySet):
    key_columns = COLUMNS

    def visible_to(self, user) -> StatusCountQuerySet:
        """The counters of the areas the user's area roles cover (all of them for admins).

        A unit representative's own units are not an area: `counts_for` tells the pages whether
        the counters describe what the user sees.
        """
        scope = jurisdiction_of(user)
        if scope.sees_everything:
            return self
        condition = scope.area_condition("area__path")
        return self.filter(condition) if condition else self.none()

    def waiting_for(self, user, at: str = "") -> StatusCountQuerySet:
        """Dossiers a reviewer must act on now: at their level, in their area (as
        `Assessment.objects.waiting_for`; a Ministry department reviewer: the Ministry's level);
        with `at`, only those waiting at that level."""
        condition = jurisdiction_of(user).waiting_condition("area", "level", at=at)
        if not condition:
            return self.none()
        return self.filter(condition, kind=CountedKind.DOSSIER, status__in=UNDER_REVIEW)

    def registrations_waiting_for(self, user) -> StatusCountQuerySet:
        """Submitted registrations the reviewer acknowledges (as `Unit.objects.in_charge_of`:
        their level in their areas, the level below where it has no reviewer account)."""
        condition = jurisdiction_of(user).waiting_condition("area", "level")
        if not condition:
            return self.none()
        return self.filter(
            condition, kind=CountedKind.REGISTRATION, status=RegistrationStatus.SUBMITTED
        )

    def total(self) -> int:
        return self.aggregate(total=Sum("n"))["total"] or 0

    def by_status(self) -> dict[str, int]:
        return dict(self.order_by().values_list("status").annotate(total=Sum("n")))

    # --- writes: always inside the transaction of the change they count ----------------------
    # (`change`, `move`, `held`, `differences` and `recount` come from CounterQuerySet.)

    def add(self, key: Key) -> None:
        """One registration or dossier was created."""
        self.change({key: +1})

    def move_unit(self, unit, old_area_id: int, new_area_id: int) -> None:
        """The unit's registrations, dossiers and results now count under its new area.

        They are locked first: a step on one of them waits until the move commits (and then
        counts under the new area), or the move waits for the step (and moves its new state).
        """
        level = level_in_charge_of(unit)
        counted = [
            *(
                (CountedKind.REGISTRATION, cycle_id, level, status)
                for cycle_id, status in _locked(Registration, unit, "cycle_id", "status")
            ),
            *(
                (CountedKind.DOSSIER, cycle_id, awaiting, status)
                for cycle_id, awaiting, status in _locked(
                    Assessment, unit, "cycle_id", "awaiting_level", "status"
                )
            ),
            *(
                (CountedKind.RESULT, cycle_id, "", result)
                for cycle_id, result in _locked(YearlyResult, unit, "cycle_id", "result")
            ),
        ]
        deltas: Counter[Key] = Counter()
        for kind, cycle_id, at, status in counted:
            deltas[(kind, cycle_id, old_area_id, at, status)] -= 1
            deltas[(kind, cycle_id, new_area_id, at, status)] += 1
        self.change(deltas)

    def change_unit_level(self, unit, old_level: str) -> None:
        """The level in charge of the unit changed (its managing level, a delegation): its
        registrations now count at the new level. Locked first, as in `move_unit`."""
        new_level = level_in_charge_of(unit)
        if new_level == old_level:
            return
        deltas: Counter[Key] = Counter()
        for cycle_id, status in _locked(Registration, unit, "cycle_id", "status"):
            deltas[(CountedKind.REGISTRATION, cycle_id, unit.area_id, old_level, status)] -= 1
            deltas[(CountedKind.REGISTRATION, cycle_id, unit.area_id, new_level, status)] += 1
        self.change(deltas)

    def counted(self) -> dict[Key, int]:
        """What the counters should hold: a fresh count of the registrations, dossiers and
        results."""
        fresh: dict[Key, int] = {}
        registrations = (
            Registration.objects.order_by()
            .annotate(level=effective_managing_level_sql("unit__"))
            .values_list("cycle_id", "area_id", "level", "status")
            .annotate(n=models.Count("pk"))
        )
        for cycle_id, area_id, level, status, n in registrations:
            fresh[(CountedKind.REGISTRATION, cycle_id, area_id, level, status)] = n
        dossiers = (
            Assessment.objects.order_by()
            .values_list("cycle_id", "area_id", "awaiting_level", "status")
            .annotate(n=models.Count("pk"))
        )
        for cycle_id, area_id, level, status, n in dossiers:
            fresh[(CountedKind.DOSSIER, cycle_id, area_id, level, status)] = n
        results = (
            YearlyResult.objects.order_by()
            .values_list("cycle_id", "unit__area_id", "result")
            .annotate(n=models.Count("pk"))
        )
        for cycle_id, area_id, result, n in results:
            fresh[(CountedKind.RESULT, cycle_id, area_id, "", result)] = n
        return fresh


class StatusCount(ChoiceLabels):
    """How many registrations (or dossiers) of one cycle, under one area, wait at one level in
    one status. Written only through `StatusCount.objects.change` and its callers."""

    kind = models.CharField(_("counted"), max_length=12, choices=CountedKind.choices)
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(_("waiting for"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=20)
    n = models.IntegerField(_("number"), default=0)

    objects = StatusCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("status counter")
        verbose_name_plural = _("status counters")
        constraints = [
            # The upsert's conflict target; it also serves the counters' reads by cycle.
            models.UniqueConstraint(
                fields=["kind", "cycle", "area", "level", "status"], name="status_count_key"
            ),
        ]
        indexes = [
            # Where dossiers wait for a reviewer (the review page's next dossier): the held
            # counters of the reviewer's areas, not every counter row of the country.
            models.Index(
                fields=["area"],
                condition=Q(kind=CountedKind.DOSSIER, status__in=UNDER_REVIEW),
                name="status_count_held_area_idx",
            ),
            # The home page reads the counters of an area's subtree (its areas, then their rows,
            # from the index alone): the area figures of this year's cycle.
            models.Index(
                fields=["area", "cycle", "kind", "status"],
                include=["n"],
                name="status_count_area_idx",
            ),
            # The whole country's figures of a cycle per status (an administrator's queue and
            # registrations): read from the index alone, not from thousands of rows.
            models.Index(
                fields=["kind", "cycle", "status"], include=["n"], name="status_count_by_status_idx"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.cycle_id} {self.area_id} {self.level} {self.status}: {self.n}"


def follow_unit_move(sender, *, unit, old_area_id: int, new_area_id: int, **kwargs) -> None:
    """Receives units.signals.unit_moved (connected in CertificationConfig.ready): the unit's
    registrations, dossiers and certificates count or are found under its new area, stored
    on them (locked first, by the counters' move)."""
    StatusCount.objects.move_unit(unit, old_area_id, new_area_id)
    Registration.objects.filter(unit_id=unit.pk).update(area_id=new_area_id)
    Assessment.objects.filter(unit_id=unit.pk).update(area_id=new_area_id)
    Certificate.objects.filter(unit_id=unit.pk).update(unit_area_id=new_area_id)


def follow_unit_level(sender, *, unit, old_level: str, **kwargs) -> None:
    """Receives units.signals.unit_level_changed (connected in CertificationConfig.ready)."""
    StatusCount.objects.change_unit_level(unit, old_level)
