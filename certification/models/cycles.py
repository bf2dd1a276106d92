"""Yearly cycles, their calendar per unit type, and per-unit deadline extensions."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Max, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from certification.models.criteria import CriteriaSet
from units.models import Area, ChoiceLabels, Unit, UnitType, User


class CycleStep(models.TextChoices):
    REGISTRATION = "registration", _("registration")
    DOSSIER = "dossier", _("dossier")
    REVIEW = "review", _("review")
    DECISION = "decision", _("decision")


class CycleQuerySet(models.QuerySet):
    def ids_of_year(self, year) -> list[int]:
        """The ids of a year's cycles, as a list: `cycle_id IN (…)` lets an index read in order."""
        return list(self.filter(year=year).order_by().values_list("pk", flat=True))

    def current_year(self) -> int | None:
        """The latest cycle's year: the lists' and the queue counters' default scope."""
        return self.aggregate(year=Max("year"))["year"]

    def for_area(self, area: Area, year: int) -> Cycle | None:
        """The cycle that applies in an area: its province's, or else the national one."""
        province_path = area.path[: Area.steplen]
        candidates = self.filter(year=year).filter(
            Q(province__isnull=True) | Q(province__path=province_path)
        )
        # A provincial cycle wins over the national one.
        return (
            candidates.select_related("criteria_set", "province")
            .order_by(F("province").asc(nulls_last=True))
            .first()
        )

    def for_unit(self, unit: Unit, year: int) -> Cycle | None:
        return self.for_area(unit.area, year)


class Cycle(models.Model):
    """One year's round for a province (or, without a province, for the whole country)."""

    year = models.PositiveSmallIntegerField(_("year"))
    province = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text=_("Leave empty for a national cycle."),
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set applied"),
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text=_(
            "Change it only before registration opens: a cycle keeps the set its units started "
            "under."
        ),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=0,
        help_text=_("Days after each deadline during which submissions are still accepted."),
    )
    commune_police_appraise_first = models.BooleanField(
        _("commune police appraise province-managed bodies first"),
        default=False,
        help_text=_(
            "Off (the law): the province appraises the bodies it manages, the commune police "
            "attend their meeting. On: the commune police appraise first, then the province."
        ),
    )
    receipt_counter = models.PositiveIntegerField(_("last receipt number"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "province"],
                condition=Q(province__isnull=False),
                name="cycle_one_per_province_year",
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(province__isnull=True), name="cycle_one_national_year"
            ),
        ]

    def __str__(self):
        where = self.province.name if self.province_id else _("whole country")
        return f"{self.year} — {where}"


class CycleCalendar(ChoiceLabels):
    """The deadlines of one cycle for one unit type; defaults come from Circular 124."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="calendars"
    )
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices)
    registration_opens_on = models.DateField(_("registration opens on"))
    registration_closes_on = models.DateField(_("registration closes on"))
    assessment_starts_on = models.DateField(_("assessment window starts on"))
    assessment_ends_on = models.DateField(_("assessment window ends on"))
    dossier_due_on = models.DateField(_("dossiers due on"))
    review_due_on = models.DateField(_("reviews due on"))
    decision_due_on = models.DateField(_("decisions due on"))

    class Meta:
        verbose_name = _("calendar")
        verbose_name_plural = _("calendars")
        ordering = ["cycle", "unit_type"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit_type"], name="calendar_one_per_type"),
            models.CheckConstraint(
                name="calendar_dates_in_order",
                condition=Q(registration_closes_on__gte=F("registration_opens_on"))
                & Q(assessment_ends_on__gte=F("assessment_starts_on"))
                & Q(dossier_due_on__gte=F("assessment_ends_on"))
                & Q(review_due_on__gte=F("dossier_due_on"))
                & Q(decision_due_on__gte=F("review_due_on")),
            ),
        ]

    def __str__(self):
        return f"{self.cycle} — {self.get_unit_type_display()}"

    def due_on(self, step: str) -> datetime.date:
        return {
            CycleStep.REGISTRATION: self.registration_closes_on,
            CycleStep.DOSSIER: self.dossier_due_on,
            CycleStep.REVIEW: self.review_due_on,
            CycleStep.DECISION: self.decision_due_on,
        }[step]


class DeadlineExtension(ChoiceLabels):
    """A later deadline for one unit and one step, granted with a reason."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="extensions"
    )
    step = models.CharField(_("step"), max_length=20, choices=CycleStep.choices)
    due_on = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["cycle", "unit", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "step"], name="extension_one_per_unit_step"
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_step_display()} → {self.due_on:%d/%m/%Y}"
