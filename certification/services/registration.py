"""The Q1 registration: drafts, documents, submission with a receipt code, review."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification import emails
from certification.models import (
    Cycle,
    CycleStep,
    DocumentKind,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationStatus,
)
from certification.services.cycles import calendar_for, last_day_for
from certification.uploads import check_file_count, check_upload
from units.models import Role, Unit, User

Status = RegistrationStatus
Action = RegistrationEvent.Action

ALLOWED = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.ACKNOWLEDGED, Status.RETURNED},
    Status.RETURNED: {Status.SUBMITTED},
    # A reviewer who finds a problem later can still send an acknowledged registration back.
    Status.ACKNOWLEDGED: {Status.RETURNED},
}

EDITABLE_FIELDS = (
    "registered_on",
    "signer_name",
    "signer_title",
    "commitment",
    "households_resident",
    "households_registered",
    "staff_total",
    "staff_pledged",
    "students_total",
    "students_pledged",
)


class InvalidTransition(ValidationError):
    """The registration is not in a state that allows this step (often: someone acted first)."""


def registration_refusal(cycle: Cycle, unit: Unit, *, today: datetime.date) -> str:
    """Why the unit cannot register for the cycle today, or "" when it can."""
    exclusion = cycle.criteria_set.exclusion_reason(unit)
    if exclusion:
        return exclusion
    if not unit.is_active(today):
        return _("%(unit)s is not an active unit.") % {"unit": unit.name}
    calendar = calendar_for(cycle, unit)
    if today < calendar.registration_opens_on:
        return _("Registration for %(year)s opens on %(date)s.") % {
            "year": cycle.year,
            "date": date_format(calendar.registration_opens_on, "SHORT_DATE_FORMAT"),
        }
    last_day = last_day_for(cycle, unit, CycleStep.REGISTRATION)
    if today > last_day:
        return _("Registration for %(year)s closed on %(date)s.") % {
            "year": cycle.year,
            "date": date_format(last_day, "SHORT_DATE_FORMAT"),
        }
    return ""


def _record(registration, action, *, by, old_status, reason=""):
    RegistrationEvent.objects.create(
        registration=registration,
        action=action,
        from_status=old_status,
        to_status=registration.status,
        by=by,
        reason=reason,
    )


def figure_errors(values: dict) -> dict[str, str]:
    errors = {}
    for part, whole in (
        ("households_registered", "households_resident"),
        ("staff_pledged", "staff_total"),
        ("students_pledged", "students_total"),
    ):
        known = values.get(part) is not None and values.get(whole) is not None
        if known and values[part] > values[whole]:
            errors[part] = _("This cannot be more than %(whole)s (%(count)s).") % {
                "whole": Registration._meta.get_field(whole).verbose_name,
                "count": values[whole],
            }
    return errors


@transaction.atomic
def start_registration(
    cycle: Cycle, unit: Unit, *, values: dict, by: User | None, today: datetime.date
) -> Registration:
    """Creates the unit's draft registration for the cycle; a second one is refused."""
    existing = Registration.objects.filter(cycle=cycle, unit=unit).first()
    if existing:
        raise ValidationError(
            _("%(unit)s already has a registration for %(year)s (%(status)s).")
            % {"unit": unit.name, "year": cycle.year, "status": existing.get_status_display()}
        )
    refusal = registration_refusal(cycle, unit, today=today)
    if refusal:
        raise ValidationError(refusal)
    errors = figure_errors(values)
    if errors:
        raise ValidationError(errors)
    registration = Registration.objects.create(
        cycle=cycle, unit=unit, **{name: values[name] for name in EDITABLE_FIELDS if name in values}
    )
    _record(registration, Action.SAVED, by=by, old_status=Status.DRAFT)
    return registration


def _locked(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("cycle__criteria_set", "cycle__province", "unit__area")
        .get(pk=registration.pk)
    )


@transaction.atomic
def save_registration(registration: Registration, *, values: dict, by: User | None) -> Registration:
    """Saves the unit's changes to a draft or returned registration."""
    registration = _locked(registration)
    if not registration.is_editable_by_unit:
        raise InvalidTransition(
            _("This registration is %(status)s and can no longer be changed by the unit.")
            % {"status": registration.get_status_display()}
        )
    errors = figure_errors(values)
    if errors:
        raise ValidationError(errors)
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(registration, name, values[name])
    registration.save()
    _record(registration, Action.SAVED, by=by, old_status=registration.status)
    return registration


@transaction.atomic
def add_document(
    registration: Registration,
    *,
    kind: str,
    uploaded_file,
    document_date: datetime.date,
    by: User | None,
) -> RegistrationDocument:
    """Stores a checked file (type read from its content) with the registration."""
    registration = _locked(registration)
    if not registration.is_editable_by_unit:
        raise InvalidTransition(
            _("This registration is %(status)s; documents can no longer be added.")
            % {"status": registration.get_status_display()}
        )
    check_file_count(registration.documents.count())
    checked = check_upload(uploaded_file)
    document = RegistrationDocument(
        registration=registration,
        kind=kind,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        document_date=document_date,
        uploaded_by=by,
    )
    document.file.save(checked.safe_name, uploaded_file, save=False)
    document.save()
    _record(
        registration,
        Action.DOCUMENT_ADDED,
        by=by,
        old_status=registration.status,
        reason=f"{document.get_kind_display()}: {checked.safe_name}",
    )
    return document


@transaction.atomic
def remove_document(document: RegistrationDocument, *, by: User | None) -> Registration:
    """Removes a document from a registration the unit may still change."""
    registration = _locked(document.registration)
    if not registration.is_editable_by_unit:
        raise InvalidTransition(
            _("This registration is %(status)s; documents can no longer be removed.")
            % {"status": registration.get_status_display()}
        )
    description = f"{document.get_kind_display()}: {document.original_name}"
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    _record(
        registration,
        Action.DOCUMENT_REMOVED,
        by=by,
        old_status=registration.status,
        reason=description,
    )
    return registration


def missing_for_submission(registration: Registration) -> list[str]:
    """Everything the registration still lacks before it can be submitted, in plain words."""
    missing = []
    for name in ("registered_on", "signer_name", "commitment"):
        if not getattr(registration, name):
            missing.append(
                _("Fill in “%(field)s”.")
                % {"field": Registration._meta.get_field(name).verbose_name}
            )
    for pair in registration.figure_pairs:
        for name in pair:
            if getattr(registration, name) is None:
                missing.append(
                    _("Fill in “%(field)s”.")
                    % {"field": Registration._meta.get_field(name).verbose_name}
                )
    present = set(registration.documents.values_list("kind", flat=True))
    for kind in registration.required_documents:
        if kind not in present:
            missing.append(_("Attach the %(document)s.") % {"document": DocumentKind(kind).label})
    return missing


def _next_receipt_code(cycle: Cycle) -> str:
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("province").get(pk=cycle.pk)
    )
    cycle.receipt_counter += 1
    cycle.save(update_fields=["receipt_counter"])
    where = cycle.province.code if cycle.province_id else "VN"
    return f"DK{cycle.year}-{where}-{cycle.receipt_counter:06d}"


def _move(
    registration: Registration, new: str, *, action: str, by, reason: str = ""
) -> Registration:
    old = registration.status
    if new not in ALLOWED.get(old, ()):
        raise InvalidTransition(
            _(
                "This registration is now %(status)s; the step was not applied "
                "(someone may have acted first). Reload the page."
            )
            % {"status": registration.get_status_display()}
        )
    registration.status = new
    registration.save(update_fields=["status", "submitted_at", "receipt_code", "updated_at"])
    _record(registration, action, by=by, old_status=old, reason=reason)
    return registration


@transaction.atomic
def submit_registration(
    registration: Registration, *, by: User | None, now: datetime.datetime, today: datetime.date
) -> Registration:
    """Sends the registration to the reviewer, giving it a receipt code unique in the portal."""
    registration = _locked(registration)
    if registration.status == Status.DRAFT:
        # A returned registration was filed in time; only a first submission must meet the window.
        refusal = registration_refusal(registration.cycle, registration.unit, today=today)
        if refusal:
            raise ValidationError(refusal)
    if registration.status in ALLOWED and Status.SUBMITTED in ALLOWED[registration.status]:
        missing = missing_for_submission(registration)
        if missing:
            raise ValidationError(missing)
    if not registration.receipt_code and registration.status == Status.DRAFT:
        registration.receipt_code = _next_receipt_code(registration.cycle)
    registration.submitted_at = now
    registration = _move(registration, Status.SUBMITTED, action=Action.SUBMITTED, by=by)
    emails.registration_submitted(registration)
    return registration


def can_review(user: User, unit: Unit) -> bool:
    """Reviewers whose area covers the unit (and administrators) may acknowledge or return."""
    return Unit.objects.visible_to(user, roles=[Role.REVIEWER]).filter(pk=unit.pk).exists()


@transaction.atomic
def acknowledge_registration(registration: Registration, *, by: User) -> Registration:
    """The reviewer accepts the registration (tiếp nhận); recorded with who and when."""
    registration = _locked(registration)
    if not can_review(by, registration.unit):
        raise PermissionError
    registration = _move(registration, Status.ACKNOWLEDGED, action=Action.ACKNOWLEDGED, by=by)
    emails.registration_acknowledged(registration)
    return registration


@transaction.atomic
def return_registration(registration: Registration, *, by: User, reason: str) -> Registration:
    """The reviewer sends the registration back to the unit with a required reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason, so the unit knows what to fix.")})
    registration = _locked(registration)
    if not can_review(by, registration.unit):
        raise PermissionError
    registration = _move(
        registration, Status.RETURNED, action=Action.RETURNED, by=by, reason=reason.strip()
    )
    emails.registration_returned(registration, reason.strip())
    return registration
