"""Recognition decisions: preparing, issuing (number, results, certificates), annulling.

Issuing locks the decision row and the issuing body's counter row for the year, so two decisions
issued at the same moment get distinct numbers; results, certificates and the audit row are
written in the same transaction with the units' notifications, whose e-mails leave only after it
commits.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification import emails
from certification.models import (
    DECISION_NUMBER_SUFFIX,
    Annulment,
    Assessment,
    AssessmentStatus,
    Certificate,
    CertificateStatus,
    Cycle,
    Decision,
    DecisionCounter,
    DecisionEntry,
    DecisionEvent,
    ResultValue,
    YearlyResult,
)
from certification.models.counts import StatusCount, result_key
from certification.workflows.base import InvalidTransition, NotPermitted
from certification.workflows.decision import decides_for, decision_workflow
from units.jurisdiction import managed_at_condition, managing_level_at, review_level_of
from units.models import Area, Role, Unit, User

Action = DecisionEvent.Action

DETAIL_FIELDS = ("issuing_body", "place", "decided_on", "signer_name", "signer_title")
NOT_RECOGNISE = ResultValue.NOT_RECOGNISED


# --- who decides what ----------------------------------------------------------------------------


def issuing_areas_of(user: User):
    """The areas whose People's Committee the user acts for (their decision-maker roles)."""
    return Area.objects.filter(
        role_assignments__user=user, role_assignments__role=Role.DECISION_MAKER
    ).distinct()


def units_decided_by(area: Area):
    """The units the People's Committee of the area recognises."""
    return Unit.objects.within(area).filter(managed_at_condition(managing_level_at(area.level)))


def awaiting_decision(area: Area, cycle: Cycle | None = None):
    """Recommended dossiers in the area's decision scope that are on no decision yet."""
    # NOT EXISTS, not a LEFT JOIN ... IS NULL: an anti-join read from the entries' unique
    # index, without fetching each decided dossier's entry row.
    dossiers = Assessment.objects.filter(
        ~Exists(DecisionEntry.objects.filter(assessment=OuterRef("pk"))),
        status=AssessmentStatus.RECOMMENDED,
        unit__in=units_decided_by(area),
    )
    return dossiers.filter(cycle=cycle) if cycle is not None else dossiers


def awaiting_by_year(area: Area) -> dict[int, int]:
    """{cycle year: recommended dossiers waiting} for the area's People's Committee."""
    rows = (
        awaiting_decision(area)
        .order_by()
        .values_list("cycle__year")
        .annotate(n=Count("pk"))
        .values_list("cycle__year", "n")
    )
    return dict(sorted(rows, reverse=True))


def default_details(area: Area) -> dict[str, str]:
    """What a new decision of the area starts with: the body's name and the place."""
    name = area.name
    first_word, _space, rest = name.partition(" ")
    # "Phường Trà Vinh" → "Ủy ban nhân dân phường Trà Vinh", place "Trà Vinh".
    return {
        "issuing_body": f"Ủy ban nhân dân {first_word.lower()} {rest}".strip(),
        "place": rest or name,
        "signer_title": "Chủ tịch",
    }


# --- preparing -----------------------------------------------------------------------------------


def _clean_details(details: Mapping, cycle: Cycle) -> dict:
    errors = {}
    cleaned = {}
    for name in DETAIL_FIELDS:
        value = details.get(name)
        if isinstance(value, str):
            value = value.strip()
        if not value:
            errors[name] = _("This field is required.")
        cleaned[name] = value
    decided_on = cleaned.get("decided_on")
    if decided_on and decided_on.year < cycle.year:
        errors["decided_on"] = _("A decision on the year %(year)s cannot be dated before it.") % {
            "year": cycle.year
        }
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_entries(decision: Decision, choices: Mapping[int, tuple[str, str]]) -> None:
    """Replaces the decision's units: {dossier id: (result, reason)}."""
    if not choices:
        raise ValidationError(_("Put at least one recommended dossier on the decision."))
    allowed = awaiting_decision(decision.issuing_area, decision.cycle) | Assessment.objects.filter(
        decision_entry__decision=decision
    )
    dossiers = {
        dossier.pk: dossier
        for dossier in allowed.filter(pk__in=list(choices))
        .select_related("unit__area")
        .select_for_update(of=("self",))
    }
    unknown = set(choices) - set(dossiers)
    if unknown:
        raise ValidationError(
            _(
                "%(count)s of the chosen dossiers are no longer waiting for this decision "
                "(reopened, or put on another decision). Reload the page."
            )
            % {"count": len(unknown)}
        )
    missing_reason = []
    entries = []
    for dossier_id, (result, reason) in choices.items():
        dossier = dossiers[dossier_id]
        reason = (reason or "").strip()
        if result not in ResultValue.values:
            raise ValidationError(_("Unknown result “%(result)s”.") % {"result": result})
        if result == NOT_RECOGNISE and not reason:
            missing_reason.append(dossier.unit.name)
        entries.append(
            DecisionEntry(
                decision=decision,
                assessment=dossier,
                unit=dossier.unit,
                result=result,
                reason=reason if result == NOT_RECOGNISE else "",
                unit_name=dossier.unit.name,
                area_name=dossier.unit.area.name,
            )
        )
    if missing_reason:
        raise ValidationError(
            _("Give the reason for not recognising: %(units)s.")
            % {"units": ", ".join(sorted(missing_reason))}
        )
    decision.entries.all().delete()
    DecisionEntry.objects.bulk_create(entries)


@transaction.atomic
def prepare_decision(
    cycle: Cycle,
    area: Area,
    *,
    details: Mapping,
    choices: Mapping[int, tuple[str, str]],
    by: User,
    now: datetime.datetime,
) -> Decision:
    """Drafts a decision of the area's People's Committee from recommended dossiers in its scope."""
    if not decides_for(by, area):
        raise NotPermitted(
            _("Only the decision makers of %(area)s prepare its decisions.") % {"area": area.name}
        )
    decision = Decision.objects.create(
        cycle=cycle, issuing_area=area, prepared_by=by, **_clean_details(details, cycle)
    )
    _write_entries(decision, choices)
    decision_workflow.record(
        decision, Action.PREPARED, old="", by=by, at=now, level=review_level_of(area.level)
    )
    return decision


def update_decision(
    decision: Decision,
    *,
    details: Mapping,
    choices: Mapping[int, tuple[str, str]],
    by: User,
    now: datetime.datetime,
) -> Decision:
    """Changes a draft: its details and its units. An issued decision is frozen."""

    def change(row: Decision) -> None:
        for name, value in _clean_details(details, row.cycle).items():
            setattr(row, name, value)
        _write_entries(row, choices)

    return decision_workflow.perform(decision, Action.CHANGED, by=by, at=now, work=change)


@transaction.atomic
def discard_decision(decision: Decision, *, by: User) -> None:
    """Deletes a draft; its dossiers wait for a decision again."""
    decision_workflow.discard(decision, by=by)


# --- issuing -------------------------------------------------------------------------------------


def _counter(area: Area, year: int) -> DecisionCounter:
    """The body's counter row for the year, locked until the transaction ends."""
    # Creating the row first (a no-op when it exists) lets two first issuers of a year meet on
    # the same row instead of one failing on the unique constraint.
    DecisionCounter.objects.bulk_create(
        [DecisionCounter(issuing_area=area, year=year)], ignore_conflicts=True
    )
    return DecisionCounter.objects.select_for_update().get(issuing_area=area, year=year)


def format_decision_number(sequence: int) -> str:
    return f"{sequence}/{DECISION_NUMBER_SUFFIX}"


def format_certificate_number(area: Area, year: int, sequence: int) -> str:
    return f"ANTT-{year}-{area.code}-{sequence:04d}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def issue_decision(
    decision: Decision, *, by: User, now: datetime.datetime, comment: str = ""
) -> Decision:
    """Gives the next number of the body and year, writes every unit's result and certificate.

    Guarantees: numbers are unique per issuing body and year, even when issued concurrently;
    the decision is frozen afterwards; the units are notified only after commit. The issuer's
    comment is kept in the audit row beside what was issued.
    """

    def number_and_write(row: Decision) -> str:
        entries = list(row.entries.select_related("unit__area"))
        if not entries:
            raise ValidationError(_("The decision lists no unit."))
        dossiers = (
            Assessment.objects.select_for_update(of=("self",))
            .filter(pk__in=[entry.assessment_id for entry in entries])
            .select_related("unit")
        )
        reopened = sorted(
            dossier.unit.name
            for dossier in dossiers
            if dossier.status != AssessmentStatus.RECOMMENDED
        )
        if reopened:
            raise ValidationError(
                _("These dossiers are no longer recommended: %(units)s. Change the decision first.")
                % {"units": ", ".join(reopened)}
            )
        counter = _counter(row.issuing_area, row.decided_on.year)
        counter.last_decision_number += 1
        sequence = counter.last_decision_number
        issued = _issue(row, entries, counter=counter, sequence=sequence, by=by, now=now)
        return "\n".join(part for part in (issued, comment.strip()) if part)

    return decision_workflow.perform(decision, Action.ISSUED, by=by, at=now, work=number_and_write)


def _issue(
    decision: Decision,
    entries: list[DecisionEntry],
    *,
    counter: DecisionCounter,
    sequence: int,
    by: User | None,
    now: datetime.datetime,
    number: str = "",
    note: str = "",
) -> str:
    """Numbers the decision, writes the results and certificates; returns what to record."""
    area, year = decision.issuing_area, decision.decided_on.year
    decision.sequence, decision.number_year = sequence, year
    decision.number = number or format_decision_number(sequence)
    certificates = []
    # The result counters move with the results written here (a unit decided again changes its
    # result), in this transaction.
    previous = dict(
        YearlyResult.objects.filter(
            cycle=decision.cycle, unit__in=[entry.unit_id for entry in entries]
        ).values_list("unit_id", "result")
    )
    deltas: Counter = Counter()
    for entry in entries:
        # Names as they are on the day of the decision; later renamings and merges leave them.
        entry.unit_name, entry.area_name = entry.unit.name, entry.unit.area.name
        result_note = (
            _("Decision %(number)s of %(date)s")
            if entry.is_recognised
            else _("Not recognised by decision %(number)s of %(date)s: %(reason)s")
        ) % {
            "number": decision.number,
            "date": date_format(decision.decided_on, "SHORT_DATE_FORMAT"),
            "reason": entry.reason,
        }
        entry.yearly_result, _created = YearlyResult.objects.update_or_create(
            cycle=decision.cycle,
            unit=entry.unit,
            defaults={
                "result": entry.result,
                "decided_on": decision.decided_on,
                "note": result_note,
            },
        )
        area_id = entry.unit.area_id
        if entry.unit_id in previous:
            deltas[result_key(decision.cycle_id, area_id, previous[entry.unit_id])] -= 1
        deltas[result_key(decision.cycle_id, area_id, entry.result)] += 1
        if entry.is_recognised:
            counter.last_certificate_number += 1
            certificates.append(
                Certificate(
                    entry=entry,
                    unit=entry.unit,
                    unit_area_id=entry.unit.area_id,
                    year=decision.cycle.year,
                    number=format_certificate_number(area, year, counter.last_certificate_number),
                    token=new_token(),
                    unit_name=entry.unit_name,
                    area_name=entry.area_name,
                    issued_on=decision.decided_on,
                )
            )
    StatusCount.objects.change(deltas)
    DecisionEntry.objects.bulk_update(entries, ["unit_name", "area_name", "yearly_result"])
    Certificate.objects.bulk_create(certificates)
    counter.save(update_fields=["last_decision_number", "last_certificate_number"])

    decision.issued_by, decision.issued_at = by, now
    summary = _("%(recognised)s recognised, %(left_out)s not recognised.") % {
        "recognised": len(certificates),
        "left_out": len(entries) - len(certificates),
    }
    return f"{summary} {note}".strip()


NUMBER_PATTERN = re.compile(r"^(?P<sequence>[1-9][0-9]*)/\S+$")


@transaction.atomic
def record_decision(
    cycle: Cycle,
    area: Area,
    *,
    number: str,
    details: Mapping,
    results: Mapping[Unit, tuple[str, str]],
    by: User,
    now: datetime.datetime,
) -> Decision:
    """Enters a decision issued on paper (before the portal, so without dossiers) as issued.

    Its results and certificates are written like those of an issued decision; nobody is
    notified. Idempotent: the body's decision with that number and year is returned as it is.
    """
    if not decides_for(by, area):
        raise NotPermitted(
            _("Only the decision makers of %(area)s prepare its decisions.") % {"area": area.name}
        )
    match = NUMBER_PATTERN.match(number.strip())
    if match is None:
        raise ValidationError({"number": _("Write the number as on the paper: “98/QĐ-UBND”.")})
    details = _clean_details(details, cycle)
    sequence, year = int(match["sequence"]), details["decided_on"].year
    existing = Decision.objects.filter(issuing_area=area, number_year=year, sequence=sequence)
    if existing.exists():
        return existing.get()
    counter = _counter(area, year)
    # Later decisions of the year are numbered after it.
    counter.last_decision_number = max(counter.last_decision_number, sequence)
    decision = Decision.objects.create(cycle=cycle, issuing_area=area, prepared_by=by, **details)
    entries = []
    for unit, (result, reason) in results.items():
        if result == NOT_RECOGNISE and not (reason or "").strip():
            raise ValidationError(
                _("Give the reason for not recognising: %(units)s.") % {"units": unit.name}
            )
        entries.append(
            DecisionEntry(
                decision=decision,
                unit=unit,
                result=result,
                reason=(reason or "").strip() if result == NOT_RECOGNISE else "",
                unit_name=unit.name,
                area_name=unit.area.name,
            )
        )
    entries = DecisionEntry.objects.bulk_create(entries)
    return decision_workflow.perform(
        decision,
        Action.RECORDED,
        by=by,
        at=now,
        work=lambda row: _issue(
            row,
            entries,
            counter=counter,
            sequence=sequence,
            number=number.strip(),
            by=by,
            now=now,
            note=_("Recorded from the paper decision."),
        ),
    )


# --- annulling -----------------------------------------------------------------------------------


@transaction.atomic
def annul_certificate(
    certificate: Certificate,
    *,
    annulled_on: datetime.date,
    reference: str,
    reason: str,
    by: User,
    now: datetime.datetime,
) -> Certificate:
    """Withdraws a recognition: the certificate reads as annulled, the year as not recognised."""
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for annulling the recognition.")
    if not reference.strip():
        errors["reference"] = _("Give the number and date of the annulling decision.")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.get(entries__certificate=certificate)

    def annul(row: Decision) -> str:
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("entry__yearly_result", "entry__unit")
            .get(pk=certificate.pk)
        )
        if Annulment.objects.filter(certificate=locked).exists():
            raise InvalidTransition(
                _("Certificate %(number)s is already annulled.") % {"number": locked.number}
            )
        if annulled_on < locked.issued_on:
            raise ValidationError(
                {"annulled_on": _("A recognition cannot be annulled before it was issued.")}
            )
        Annulment.objects.create(
            certificate=locked,
            annulled_on=annulled_on,
            reference=reference.strip(),
            reason=reason.strip(),
            by=by,
            recorded_at=now,
        )
        result = locked.entry.yearly_result
        if result is not None:
            counted = result_key(result.cycle_id, locked.entry.unit.area_id, result.result)
            result.result = NOT_RECOGNISE
            result.decided_on = annulled_on
            result.note = _("Recognition annulled by %(reference)s: %(reason)s") % {
                "reference": reference.strip(),
                "reason": reason.strip(),
            }
            result.save(update_fields=["result", "decided_on", "note"])
            StatusCount.objects.move(
                counted, result_key(result.cycle_id, locked.entry.unit.area_id, result.result)
            )
        emails.recognition_annulled(locked)
        return f"{locked.unit_name} ({locked.number}): {reference.strip()}. {reason.strip()}"

    decision_workflow.perform(
        decision, Action.ANNULLED, by=by, at=now, work=annul, record={"certificate": certificate}
    )
    certificate.refresh_from_db()
    return certificate


# --- reading -------------------------------------------------------------------------------------


def verification_url(certificate: Certificate) -> str:
    """The absolute address printed in the certificate's QR code."""
    path = reverse("public:verify", args=[certificate.token])
    return settings.SITE_URL.rstrip("/") + path


@dataclass
class Verification:
    """What the public verification page says about a certificate."""

    certificate: Certificate
    status: str
    annulment: Annulment | None = None
    newer_year: int | None = None

    @property
    def status_label(self) -> str:
        if self.status == CertificateStatus.VALID and self.newer_year:
            return _("valid for %(year)s; recognised again for %(newer)s") % {
                "year": self.certificate.year,
                "newer": self.newer_year,
            }
        if self.status == CertificateStatus.VALID:
            return _("valid for %(year)s") % {"year": self.certificate.year}
        return CertificateStatus(self.status).label


def verify_certificate(certificate: Certificate) -> Verification:
    """Annulled (with date and reference), or valid for its year, with the latest later year
    the unit was recognised again (which does not end this certificate)."""
    annulment = Annulment.objects.filter(certificate=certificate).first()
    if annulment is not None:
        return Verification(certificate, CertificateStatus.ANNULLED, annulment=annulment)
    newer = (
        YearlyResult.objects.filter(
            unit_id=certificate.unit_id,
            cycle__year__gt=certificate.year,
            result=ResultValue.RECOGNISED,
        )
        .order_by("-cycle__year")
        .values_list("cycle__year", flat=True)
        .first()
    )
    return Verification(certificate, CertificateStatus.VALID, newer_year=newer)
