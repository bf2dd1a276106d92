"""The Q1 registration to strive for the standard ("đăng ký phấn đấu") and its documents."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from certification.models.audit import StepRecord
from certification.models.cycles import Cycle
from certification.validators import count_validator
from units.jurisdiction import jurisdiction_of
from units.models import Area, ChoiceLabels, Unit, UnitType, User


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, waiting for the reviewer")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RETURNED = "returned", _("returned for correction")


# Status group: a registration the unit has handed in (whatever the reviewer made of it).
FILED = (RegistrationStatus.SUBMITTED, RegistrationStatus.ACKNOWLEDGED, RegistrationStatus.RETURNED)


class DocumentKind(models.TextChoices):
    PARTY_RESOLUTION = "party_resolution", _("Party resolution")
    SECURITY_PLAN = "security_plan", _("security and order plan")
    INTERNAL_RULES = "internal_rules", _("internal rules")
    PLEDGE_LIST = "pledge_list", _("list of pledges or registrations")
    OTHER = "other", _("other document")


# What each unit type files in Q1 (ANTT.md §6): the documents it must upload and the figures it
# reports. A Party resolution is optional where the unit may have no Party organisation.
REQUIRED_DOCUMENTS = {
    UnitType.RESIDENTIAL_AREA: (DocumentKind.PARTY_RESOLUTION,),
    UnitType.COMMUNE: (DocumentKind.PARTY_RESOLUTION, DocumentKind.SECURITY_PLAN),
    UnitType.AGENCY: (DocumentKind.SECURITY_PLAN, DocumentKind.INTERNAL_RULES),
    UnitType.ENTERPRISE: (DocumentKind.SECURITY_PLAN, DocumentKind.INTERNAL_RULES),
    UnitType.SCHOOL: (DocumentKind.SECURITY_PLAN, DocumentKind.INTERNAL_RULES),
}
FIGURES = {
    UnitType.RESIDENTIAL_AREA: (("households_resident", "households_registered"),),
    UnitType.COMMUNE: (),
    UnitType.AGENCY: (("staff_total", "staff_pledged"),),
    UnitType.ENTERPRISE: (("staff_total", "staff_pledged"),),
    UnitType.SCHOOL: (("staff_total", "staff_pledged"), ("students_total", "students_pledged")),
}


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationQuerySet:
        """Registrations of the units the user may see (units.jurisdiction decides)."""
        scope = jurisdiction_of(user)
        if scope.sees_everything:
            return self  # no filter at all over the whole country
        condition = scope.row_condition()
        return self.filter(condition) if condition else self.none()

    def for_cycle(self, cycle: Cycle) -> RegistrationQuerySet:
        return self.filter(cycle=cycle)


def _at_most(part: str, whole: str) -> Q:
    return (
        Q(**{f"{part}__isnull": True})
        | Q(**{f"{whole}__isnull": True})
        | Q(**{f"{part}__lte": F(whole)})
    )


class Registration(ChoiceLabels):
    """One unit's registration for one cycle; at most one per unit and cycle."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="registrations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="registrations"
    )
    # Stored, not joined per row: the unit's area, so a scope (areas under a path) reads the
    # registrations' own index. Set when the registration starts; units.services.move_unit
    # carries it along (unit_moved, certification.models.counts.follow_unit_move).
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
    )
    registered_on = models.DateField(_("date of registration"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    commitment = models.TextField(_("commitment"), blank=True)
    households_resident = models.PositiveIntegerField(
        _("households resident"), null=True, blank=True, validators=[count_validator]
    )
    households_registered = models.PositiveIntegerField(
        _("households registered to take part"), null=True, blank=True, validators=[count_validator]
    )
    staff_total = models.PositiveIntegerField(
        _("staff"), null=True, blank=True, validators=[count_validator]
    )
    staff_pledged = models.PositiveIntegerField(
        _("staff briefed or pledged"), null=True, blank=True, validators=[count_validator]
    )
    # Art. 7.1 of Circular 124: every learner is briefed, whatever the level.
    students_total = models.PositiveIntegerField(
        _("learners (all)"), null=True, blank=True, validators=[count_validator]
    )
    students_pledged = models.PositiveIntegerField(
        _("learners briefed"), null=True, blank=True, validators=[count_validator]
    )
    receipt_code = models.CharField(
        _("receipt code"), max_length=30, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["cycle", "unit__name"]
        indexes = [
            # The reviewer's list: a cycle's registrations by status.
            models.Index(fields=["cycle", "status"], name="registration_cycle_status_idx"),
            # The list's order: a page is the first rows of this index, not a sorted country.
            models.Index(
                fields=["status", "submitted_at", "id"], name="registration_list_order_idx"
            ),
            # ... and within one cycle (the default scope), the same order.
            models.Index(
                fields=["cycle", "status", "submitted_at", "id"],
                name="registration_cycle_order_idx",
            ),
            # ... and within a scope's areas (a commune, or a province's communes).
            models.Index(
                fields=["cycle", "area", "status", "submitted_at", "id"],
                name="registration_area_order_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="registration_one_per_cycle"),
            models.CheckConstraint(
                name="registration_status_valid", condition=Q(status__in=RegistrationStatus.values)
            ),
            models.CheckConstraint(
                name="registration_households_at_most_resident",
                condition=_at_most("households_registered", "households_resident"),
            ),
            models.CheckConstraint(
                name="registration_staff_at_most_total",
                condition=_at_most("staff_pledged", "staff_total"),
            ),
            models.CheckConstraint(
                name="registration_students_at_most_total",
                condition=_at_most("students_pledged", "students_total"),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.cycle.year}"

    @property
    def is_editable_by_unit(self) -> bool:
        return self.status in (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)

    @property
    def required_documents(self) -> tuple[str, ...]:
        return REQUIRED_DOCUMENTS[self.unit.unit_type]

    @property
    def figure_pairs(self) -> tuple[tuple[str, str], ...]:
        return FIGURES[self.unit.unit_type]


def document_upload_path(document: RegistrationDocument, filename: str) -> str:
    """Stored under a random name: the user's file name is kept (sanitised) in the row only."""
    suffix = PurePath(filename).suffix.lower()
    registration = document.registration
    return (
        f"registrations/{registration.cycle.year}/{registration.unit_id}/{uuid.uuid4().hex}{suffix}"
    )


class RegistrationDocument(ChoiceLabels):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    document_date = models.DateField(_("document date"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration document")
        verbose_name_plural = _("registration documents")
        ordering = ["registration", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class RegistrationEvent(StepRecord):
    """The audit trail of a registration: who did what, when, from which status to which, why."""

    class Action(models.TextChoices):
        SAVED = "saved", _("saved as draft")
        DOCUMENT_ADDED = "document_added", _("document added")
        DOCUMENT_REMOVED = "document_removed", _("document removed")
        SUBMITTED = "submitted", _("submitted")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RETURNED = "returned", _("returned")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=RegistrationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=RegistrationStatus.choices)

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        # In the order written: the unit's edits are stamped by the clock, the steps with the
        # time their caller passes in (the demo's are back-dated), so `at` alone may disagree.
        ordering = ["registration", "pk"]

    def __str__(self):
        return f"{self.registration}: {self.get_action_display()}"
