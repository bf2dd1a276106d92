"""Criteria sets: versioned data, one per circular plus provincial additions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Area, ChoiceLabels, Unit, UnitType, User


class CriterionKind(models.TextChoices):
    DOC = "DOC", _("document present and dated in time")
    PCT_OWN = "PCT-OWN", _("share of the unit's own members")
    PCT_CHILD = "PCT-CHILD", _("share of child units registered or recognised")
    NO_EVENT = "NO-EVENT", _("no event of the listed kinds")
    YOY = "YOY", _("compared with the previous year")
    RATING = "RATING", _("result of another programme")
    QUAL = "QUAL", _("reviewer's judgement")


class CriteriaSetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class ExclusionRule(models.TextChoices):
    NONE = "none", _("every unit of the covered types")
    CIRCULAR_124 = "circular_124", _("Circular 124/2021 exclusions")


class CriteriaSetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CriteriaSetStatus.PUBLISHED)


class CriteriaSet(ChoiceLabels):
    """A versioned set of criteria. Once published it is frozen: a change is a new version."""

    code = models.CharField(
        _("code"), max_length=40, help_text=_("The same for every version, e.g. TT124-2021.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    province = models.ForeignKey(
        Area,
        verbose_name=_("province (for provincial additions)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    exclusion_rule = models.CharField(
        _("who may take part"),
        max_length=20,
        choices=ExclusionRule.choices,
        default=ExclusionRule.NONE,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CriteriaSetStatus.choices,
        default=CriteriaSetStatus.DRAFT,
    )
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        User,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_code_version"),
            models.CheckConstraint(
                name="criteria_set_status_valid",
                condition=Q(status__in=CriteriaSetStatus.values),
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == CriteriaSetStatus.PUBLISHED

    def exclusion_reason(self, unit: Unit) -> str:
        """Why this set keeps the unit out, or "" when it may take part."""
        if self.exclusion_rule == ExclusionRule.CIRCULAR_124:
            return unit.circular_124_exclusion()
        return ""


class Criterion(ChoiceLabels):
    """One criterion of a set for one unit type, with what the portal can check automatically.

    `parameters` holds the automatic checks; its keys ("documents", "share", "child_units",
    "items", "figures", "rating", …) are described in migration 0002_load_criteria_sets.
    """

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("short title"), max_length=255)
    text = models.TextField(_("full text"))
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    evidence_expected = models.TextField(_("evidence expected"), blank=True)
    text_to_verify = models.BooleanField(
        _("text to verify against the official gazette"),
        default=False,
        help_text=_("The official wording was not available; the text is reconstructed."),
    )
    verification_note = models.TextField(_("note on the text"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "unit_type", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "unit_type", "number"], name="criterion_number_per_type"
            ),
            models.CheckConstraint(
                name="criterion_kind_valid", condition=Q(kind__in=CriterionKind.values)
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"
