"""The Q1 registration: drafts, documents, submission with a receipt code, review."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification.models import (
    Cycle,
    CycleStep,
    DocumentKind,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationStatus,
)
from certification.models.counts import StatusCount, registration_key
from certification.services.cycles import calendar_for, last_day_for
from certification.uploads import check_file_count, check_upload
from certification.workflows.base import InvalidTransition, NotPermitted, refusal_message
from certification.workflows.registration import registration_workflow, represents
from units.models import Unit, User

Status = RegistrationStatus
Action = RegistrationEvent.Action

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
    if not represents(by, unit):
        raise NotPermitted(_("Only the unit's representatives can register it."))
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
        cycle=cycle,
        unit=unit,
        area_id=Unit.objects.area_id_held(unit.pk),
        **{name: values[name] for name in EDITABLE_FIELDS if name in values},
    )
    StatusCount.objects.add(registration_key(registration))
    _record(registration, Action.SAVED, by=by, old_status=Status.DRAFT)
    return registration


def _editable(registration: Registration, by: User | None) -> Registration:
    """The registration locked, for a `by` who may change it for the unit (else a refusal)."""
    registration = registration_workflow.lock(registration)
    if not represents(by, registration.unit):
        raise NotPermitted(refusal_message(registration))
    return registration


@transaction.atomic
def save_registration(registration: Registration, *, values: dict, by: User | None) -> Registration:
    """Saves the unit's changes to a draft or returned registration."""
    registration = _editable(registration, by)
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
    registration = _editable(registration, by)
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
    registration = _editable(document.registration, by)
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


def submit_registration(
    registration: Registration, *, by: User | None, now: datetime.datetime, today: datetime.date
) -> Registration:
    """Sends the registration to the reviewer, giving it a receipt code unique in the portal."""

    def check_and_number(row: Registration) -> None:
        if row.status == Status.DRAFT:
            # A returned registration was filed in time; only a first submission must meet the
            # window.
            refusal = registration_refusal(row.cycle, row.unit, today=today)
            if refusal:
                raise ValidationError(refusal)
        missing = missing_for_submission(row)
        if missing:
            raise ValidationError(missing)
        if not row.receipt_code:
            row.receipt_code = _next_receipt_code(row.cycle)
        row.submitted_at = now

    return registration_workflow.perform(
        registration, Action.SUBMITTED, by=by, at=now, work=check_and_number
    )


def acknowledge_registration(
    registration: Registration, *, by: User, now: datetime.datetime | None = None
) -> Registration:
    """The reviewer in charge accepts the registration (tiếp nhận); recorded with who and when."""
    return registration_workflow.perform(
        registration, Action.ACKNOWLEDGED, by=by, at=now or timezone.now()
    )


def return_registration(
    registration: Registration, *, by: User, reason: str, now: datetime.datetime | None = None
) -> Registration:
    """The reviewer in charge sends the registration back to the unit with a required reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason, so the unit knows what to fix.")})
    return registration_workflow.perform(
        registration, Action.RETURNED, by=by, at=now or timezone.now(), reason=reason.strip()
    )
