"""Recognition decisions ("quyết định công nhận"), their certificates and annulments.

A People's Committee prepares a decision from the recommended dossiers in its scope; issuing it
gives it a number, writes each unit's yearly result and a certificate for every recognised unit,
and freezes it. Names are copied onto the decision and the certificate when it is issued, so a
later renaming or area merge does not change what was decided.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from certification.models.assessment import Assessment, ResultValue, YearlyResult
from certification.models.audit import StepRecord
from certification.models.cycles import Cycle
from units.jurisdiction import jurisdiction_of
from units.models import Area, ChoiceLabels, Unit, User
from units.search import SearchText

DECISION_NUMBER_SUFFIX = "QĐ-UBND"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")


class CertificateStatus(models.TextChoices):
    """What the public verification page says; computed, not stored.

    A certificate is valid for its year for good: being recognised again the next year does not
    end it (the page says so); only an annulment does.
    """

    VALID = "valid", _("valid")
    ANNULLED = "annulled", _("annulled")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        """Decisions issued by a body inside the user's areas (any area role), and the issued
        decisions that name one of the user's units; all for admins."""
        scope = jurisdiction_of(user)
        if scope.sees_everything:
            return self
        condition = scope.area_condition("issuing_area__path")
        if scope.unit_ids:
            condition |= Q(
                status=DecisionStatus.ISSUED,
                pk__in=DecisionEntry.objects.filter(unit_id__in=scope.unit_ids).values("decision"),
            )
        return self.filter(condition) if condition else self.none()


class Decision(ChoiceLabels):
    """One decision of a People's Committee recognising (or not) a list of units for a year."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="decisions"
    )
    issuing_area = models.ForeignKey(
        Area,
        verbose_name=_("area of the issuing People's Committee"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, help_text=_("For example “Ủy ban nhân dân phường …”.")
    )
    place = models.CharField(
        _("place"), max_length=100, help_text=_("The place written before the date.")
    )
    decided_on = models.DateField(_("date of the decision"))
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(
        _("title of the signer"), max_length=120, help_text=_("For example “Chủ tịch”.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    # Given when issued: the n-th decision of the issuing body in the year of its date.
    sequence = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("numbering year"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=30, blank=True)
    prepared_by = models.ForeignKey(
        User, verbose_name=_("prepared by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-cycle__year", "-decided_on", "-pk"]
        indexes = [
            # The decision maker's list: a body's decisions, newest first.
            models.Index(fields=["issuing_area", "status"], name="decision_body_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_area", "number_year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="decision_number_unique_per_body_year",
            ),
            models.CheckConstraint(
                name="decision_status_valid", condition=Q(status__in=DecisionStatus.values)
            ),
            models.CheckConstraint(
                name="decision_number_only_when_issued",
                condition=Q(
                    status=DecisionStatus.DRAFT,
                    sequence__isnull=True,
                    number_year__isnull=True,
                    number="",
                )
                | (
                    Q(
                        status=DecisionStatus.ISSUED,
                        sequence__isnull=False,
                        number_year__isnull=False,
                        issued_at__isnull=False,
                    )
                    & ~Q(number="")
                ),
            ),
        ]

    def __str__(self):
        if self.number:
            return f"{self.number} — {self.issuing_body}"
        return f"{self.get_status_display()} — {self.issuing_body} ({self.cycle.year})"

    @property
    def is_issued(self) -> bool:
        return self.status == DecisionStatus.ISSUED


class DecisionCounter(models.Model):
    """The last numbers an issuing body gave in a year; its row is locked while a number is given.

    An administrator may raise the numbers so the portal follows the body's own document register.
    """

    issuing_area = models.ForeignKey(
        Area, verbose_name=_("issuing area"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_decision_number = models.PositiveIntegerField(_("last decision number"), default=0)
    last_certificate_number = models.PositiveIntegerField(_("last certificate number"), default=0)

    class Meta:
        verbose_name = _("decision number counter")
        verbose_name_plural = _("decision number counters")
        ordering = ["-year", "issuing_area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_area", "year"], name="counter_one_per_body_year"
            ),
        ]

    def __str__(self):
        return f"{self.issuing_area} — {self.year}: {self.last_decision_number}"


class DecisionEntry(ChoiceLabels):
    """One recommended dossier on a decision: recognised, or left out with the reason."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="entries"
    )
    # A dossier is on at most one decision, draft or issued. A decision recorded from paper
    # (issued before the portal) has no dossiers.
    assessment = models.OneToOneField(
        Assessment,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_entry",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="decision_entries"
    )
    result = models.CharField(_("result"), max_length=20, choices=ResultValue.choices)
    reason = models.TextField(_("reason for not recognising"), blank=True)
    unit_name = models.CharField(_("unit name on the decision"), max_length=255)
    area_name = models.CharField(_("area name on the decision"), max_length=200)
    yearly_result = models.OneToOneField(
        YearlyResult,
        verbose_name=_("yearly result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_entry",
    )

    class Meta:
        verbose_name = _("unit on a decision")
        verbose_name_plural = _("units on a decision")
        ordering = ["decision", "area_name", "unit_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "unit"], name="entry_unit_once_per_decision"
            ),
            models.CheckConstraint(
                name="entry_result_valid", condition=Q(result__in=ResultValue.values)
            ),
            models.CheckConstraint(
                name="entry_left_out_has_reason",
                condition=Q(result=ResultValue.RECOGNISED) | ~Q(reason=""),
            ),
        ]

    def __str__(self):
        return f"{self.decision}: {self.unit_name} ({self.get_result_display()})"

    @property
    def is_recognised(self) -> bool:
        return self.result == ResultValue.RECOGNISED


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user) -> CertificateQuerySet:
        """Certificates of the units the user may see (units.jurisdiction decides)."""
        return self.filter(unit__in=Unit.objects.visible_to(user))

    def in_force(self) -> CertificateQuerySet:
        # NOT EXISTS, not a LEFT JOIN … IS NULL: PostgreSQL then estimates the rows left and
        # reads the register's page from its index instead of sorting every certificate.
        return self.filter(
            ~models.Exists(Annulment.objects.filter(certificate=models.OuterRef("pk")))
        )


class Certificate(models.Model):
    """The "Giấy công nhận" of one recognised unit; its token is the public verification key."""

    entry = models.OneToOneField(
        DecisionEntry,
        verbose_name=_("unit on the decision"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="certificates"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    # Random, so certificates cannot be enumerated from the verification URL.
    token = models.CharField(_("verification token"), max_length=64, unique=True, editable=False)
    unit_name = models.CharField(_("unit name"), max_length=255)
    area_name = models.CharField(_("area name"), max_length=200)
    # Both names without accents, in lower case, kept by the database on every write: what the
    # public register's search compares each typed word with (units.search).
    search_words = models.GeneratedField(
        expression=SearchText(Concat("unit_name", Value(" "), "area_name")),
        output_field=models.CharField(max_length=456),
        db_persist=True,
    )
    issued_on = models.DateField(_("issued on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-year", "area_name", "unit_name"]
        indexes = [
            # The public register: a year's certificates in name order.
            models.Index(
                fields=["year", "area_name", "unit_name"], name="certificate_register_idx"
            ),
            # Its default order (newest year first) read straight from an index, no sort.
            models.Index(
                fields=["-year", "area_name", "unit_name", "id"], name="certificate_newest_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="certificate_one_per_unit_year"),
        ]

    def __str__(self):
        return f"{self.number} — {self.unit_name} ({self.year})"


class Annulment(models.Model):
    """A recognition withdrawn later (a falsified dossier, an event found afterwards)."""

    certificate = models.OneToOneField(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="annulment",
    )
    annulled_on = models.DateField(_("annulled on"))
    reference = models.CharField(
        _("annulling decision"),
        max_length=200,
        help_text=_("Number and date of the decision that annuls the recognition."),
    )
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("annulment")
        verbose_name_plural = _("annulments")
        ordering = ["-annulled_on", "-pk"]

    def __str__(self):
        return f"{self.certificate.number}: {self.reference}"


class DecisionEvent(StepRecord):
    """The audit trail of a decision: prepared, changed, issued, a recognition annulled."""

    class Action(models.TextChoices):
        PREPARED = "prepared", _("prepared")
        CHANGED = "changed", _("changed")
        ISSUED = "issued", _("issued")
        RECORDED = "recorded", _("recorded from the paper decision")
        DISCARDED = "discarded", _("discarded")
        ANNULLED = "annulled", _("recognition annulled")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=DecisionStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=DecisionStatus.choices)
    reason = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("decision event")
        verbose_name_plural = _("decision events")
        ordering = ["decision", "at", "pk"]

    def __str__(self):
        return f"{self.decision}: {self.get_action_display()}"
