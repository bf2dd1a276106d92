"""The year-end self-assessment dossier ("hồ sơ đề nghị công nhận") and its review."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.models.audit import StepRecord
from certification.models.criteria import Criterion
from certification.models.cycles import Cycle
from certification.models.registration import Registration
from certification.validators import count_validator
from units.jurisdiction import (
    ReviewLevel,
    jurisdiction_of,
    review_route,
)
from units.models import Area, ChoiceLabels, Unit, User


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, being appraised")
    APPRAISED = "appraised", _("appraised by the commune, waiting for the province")
    RETURNED = "returned", _("returned to the unit")
    RECOMMENDED = "recommended", _("recommended for recognition")
    NOT_RECOMMENDED = "not_recommended", _("not recommended")


# Status groups. A reviewer holds the dossier (and it can be late for them) while it is under
# review; a decided one waits for the People's Committee unless its last reviewer reopens it.
UNDER_REVIEW = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED)
DECIDED = (AssessmentStatus.RECOMMENDED, AssessmentStatus.NOT_RECOMMENDED)


def overdue_condition(today) -> Q:
    """Late for its reviewer: a dossier can only be late while a reviewer holds it."""
    return Q(review_due_on__lt=today, status__in=UNDER_REVIEW)


def review_levels(unit: Unit, cycle: Cycle | None = None) -> tuple[str, ...]:
    """Who appraises the unit's dossier, in order (units.jurisdiction.review_route); the cycle
    says whether the commune police appraise a province-managed body first."""

    first = bool(cycle and cycle.commune_police_appraise_first)
    return tuple(ReviewLevel(level) for level in review_route(unit, commune_police_first=first))


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Dossiers of the units the user may see (units.jurisdiction decides)."""
        scope = jurisdiction_of(user)
        if scope.sees_everything:
            return self  # no filter at all over the whole country
        condition = scope.row_condition()
        return self.filter(condition) if condition else self.none()

    def overdue(self, today) -> AssessmentQuerySet:
        return self.filter(overdue_condition(today))

    def waiting_for(self, user) -> AssessmentQuerySet:
        """Dossiers a reviewer must act on now: at their level, in their area (a Ministry
        department reviewer: every dossier waiting at the Ministry's level)."""
        condition = jurisdiction_of(user).waiting_condition("area", "awaiting_level")
        if not condition:
            return self.none()
        return self.filter(condition).filter(
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED]
        )


class Assessment(ChoiceLabels):
    """One unit's dossier for one cycle: its answers, documents, rounds and review."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="assessment",
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessments"
    )
    # Stored, not joined per row: the unit's area, so a reviewer's scope (areas under a path)
    # reads the dossiers' own index. Set when the dossier opens; units.services.move_unit
    # carries it along (unit_moved, certification.models.counts.follow_unit_move).
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    awaiting_level = models.CharField(
        _("waiting for"), max_length=10, choices=ReviewLevel.choices, blank=True
    )
    meeting_on = models.DateField(_("date of the assessment meeting"), null=True, blank=True)
    meeting_attendance = models.PositiveIntegerField(
        _("attendance"), null=True, blank=True, validators=[count_validator]
    )
    meeting_chair = models.CharField(_("chaired by"), max_length=120, blank=True)
    summary = models.TextField(_("report on the year"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Stored, not computed per row: the unit's review extension, else its type's calendar date.
    # Kept by certification.services.cycles (dossier opened, extension granted, calendar edited).
    review_due_on = models.DateField(_("review due on"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("recommended or not at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["cycle", "unit__name"]
        indexes = [
            # The reviewer's queue: a cycle's dossiers by status and level.
            models.Index(fields=["cycle", "status", "awaiting_level"], name="assessment_queue_idx"),
            # The queue's default order and its overdue filter read the stored due date.
            models.Index(
                fields=["status", "review_due_on", "cycle"], name="assessment_overdue_idx"
            ),
            # Read in this order, a page is the first rows of the index, not a sorted year.
            models.Index(fields=["review_due_on", "id"], name="assessment_due_order_idx"),
            # ... and within one cycle (the default scope), the same order.
            models.Index(fields=["cycle", "review_due_on", "id"], name="assessment_cycle_due_idx"),
            # What reviewers hold, in due order: a reviewer's queue (waiting, overdue) walks it
            # and stops at a page, instead of skipping every decided dossier of past years.
            models.Index(
                fields=["review_due_on", "id"],
                condition=Q(status__in=UNDER_REVIEW),
                name="assessment_held_due_idx",
            ),
            # ... and within an area: a reviewer's queue (a commune, or a province's communes)
            # reads what its areas hold in due order, never the units of the whole province.
            models.Index(
                fields=["area", "review_due_on", "id"],
                condition=Q(status__in=UNDER_REVIEW),
                name="assessment_area_held_idx",
            ),
            # The recommended dossiers of a People's Committee's units (those awaiting a
            # decision): read per unit from the index, not from every dossier of the unit.
            models.Index(
                fields=["unit", "cycle"],
                condition=Q(status=AssessmentStatus.RECOMMENDED),
                name="assessment_recommended_idx",
            ),
            # A chosen cycle within a reviewer's areas, in due order.
            models.Index(
                fields=["cycle", "area", "review_due_on", "id"], name="assessment_area_due_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="assessment_one_per_cycle"),
            models.CheckConstraint(
                name="assessment_status_valid", condition=Q(status__in=AssessmentStatus.values)
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.cycle.year}"

    @property
    def is_editable_by_unit(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class Answer(models.TextChoices):
    MET = "met", _("met")
    NOT_MET = "not_met", _("not met")


class ItemAnswer(models.TextChoices):
    """The answer to one "no event" point: only an event that occurred without excuse fails."""

    NONE = "none", _("did not occur")
    EXCUSED = "excused", _("occurred, but excused (force majeure, or detected and reported)")
    OCCURRED = "occurred", _("occurred")


def item_state(value) -> str | None:
    """The stored answer to a point as an ItemAnswer value (dossiers before 2026 stored booleans:
    true when nothing occurred)."""
    if value is True:
        return ItemAnswer.NONE
    if value is False:
        return ItemAnswer.OCCURRED
    return value if value in ItemAnswer.values else None


class ForceRating(models.TextChoices):
    """How the unit's security or guard force (or a department) was rated for the year."""

    ADVANCED_TITLE = "advanced_title", _("“Tập thể lao động tiên tiến” or a higher title")
    EXCELLENT = "excellent", _("completed its tasks excellently")
    GOOD = "good", _("completed its tasks well")
    COMPLETED = "completed", _("completed its tasks")
    NOT_COMPLETED = "not_completed", _("did not complete its tasks")
    UNRATED = "unrated", _("no such force, or not eligible for emulation rating")


class AssessmentAnswer(ChoiceLabels):
    """The unit's answer to one criterion, with the figures and item answers it needs."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="answers"
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_copied = models.BooleanField(
        _("note copied from last year"),
        default=False,
        help_text=_("Shown to the unit until it edits the note."),
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    items = models.JSONField(
        _("answers per item"),
        default=dict,
        blank=True,
        help_text=_("For a “no event” criterion: {item number: “none”, “excused” or “occurred”}."),
    )
    excuses = models.JSONField(
        _("excuses per item"),
        default=dict,
        blank=True,
        help_text=_("{item number: why an event that occurred is excused}."),
    )
    rating = models.CharField(
        _("rating of the force"), max_length=20, choices=ForceRating.choices, blank=True
    )
    disciplined = models.BooleanField(_("someone was disciplined"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["assessment", "criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="answer_one_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.criterion}"


class DossierDocumentKind(models.TextChoices):
    PROPOSAL = "proposal", _("proposal letter (tờ trình)")
    REPORT = "report", _("report")
    MINUTES = "minutes", _("minutes of the assessment meeting")
    EVIDENCE = "evidence", _("evidence for a criterion")


REQUIRED_DOSSIER_DOCUMENTS = (
    DossierDocumentKind.PROPOSAL,
    DossierDocumentKind.REPORT,
    DossierDocumentKind.MINUTES,
)


def dossier_upload_path(document: AssessmentDocument, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    assessment = document.assessment
    return f"dossiers/{assessment.cycle.year}/{assessment.unit_id}/{uuid.uuid4().hex}{suffix}"


class AssessmentDocument(ChoiceLabels):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=20, choices=DossierDocumentKind.choices)
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=dossier_upload_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["assessment", "kind", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                name="dossier_evidence_has_criterion",
                condition=Q(kind=DossierDocumentKind.EVIDENCE, criterion__isnull=False)
                | (~Q(kind=DossierDocumentKind.EVIDENCE) & Q(criterion__isnull=True)),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class CriterionReturn(models.Model):
    """A reviewer sent one criterion back to the unit in a round, with a reason."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="returns"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        User, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("criterion sent back")
        verbose_name_plural = _("criteria sent back")
        ordering = ["assessment", "round", "criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion", "round"], name="return_once_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.criterion} ({self.round})"


class ReviewOpinion(models.Model):
    """A reviewer's own opinion ("ý kiến thẩm định") on one criterion, or on the whole dossier
    when `criterion` is empty. Each change is a new row: the latest per criterion is the one
    shown, the earlier ones stay as the record of who thought what, when."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="opinions"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField(_("round"))
    text = models.TextField(_("review opinion"))
    by = models.ForeignKey(
        User, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")
        ordering = ["assessment", "at", "pk"]

    def __str__(self):
        return f"{self.assessment}: {self.criterion or '—'} ({self.at:%Y-%m-%d})"


class AssessmentSnapshot(models.Model):
    """What the unit submitted in a round, so the reviewer sees what changed since the last one."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="snapshots"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    answers = models.JSONField(_("answers"))
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("submitted round")
        verbose_name_plural = _("submitted rounds")
        ordering = ["assessment", "round"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "round"], name="snapshot_once_per_round"),
        ]

    def __str__(self):
        return f"{self.assessment} ({self.round})"


class AssessmentTransition(StepRecord):
    """The audit trail: each status change of a dossier, with who, when, why and at which level."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        FORWARDED = "forwarded", _("forwarded to the province")
        RECOMMENDED = "recommended", _("recommended")
        REFUSED = "refused", _("not recommended")
        RETURNED = "returned", _("returned to the unit")
        SENT_DOWN = "sent_down", _("sent back to the commune police")
        REOPENED = "reopened", _("reopened")

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=AssessmentStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=AssessmentStatus.choices)
    round = models.PositiveSmallIntegerField(_("round"))

    class Meta:
        verbose_name = _("dossier status change")
        verbose_name_plural = _("dossier status changes")
        ordering = ["assessment", "at", "pk"]

    def __str__(self):
        return f"{self.assessment}: {self.from_status} → {self.to_status}"


class ResultValue(models.TextChoices):
    RECOGNISED = "recognised", _("recognised (đạt)")
    NOT_RECOGNISED = "not_recognised", _("not recognised (chưa đạt)")


class YearlyResult(ChoiceLabels):
    """A unit's result for a cycle, written when a decision is issued; the basis of history."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="results"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="results"
    )
    result = models.CharField(_("result"), max_length=20, choices=ResultValue.choices)
    decided_on = models.DateField(_("decided on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("yearly result")
        verbose_name_plural = _("yearly results")
        ordering = ["cycle", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="result_one_per_cycle"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.cycle.year}: {self.get_result_display()}"
