"""Who hears about each step of a registration or a dossier, and what they are told.

Each function is called by a service inside its transaction: `notify` writes the in-app
notification and the e-mail row there and publishes the delivery only after commit.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from certification.models import (
    Annulment,
    Assessment,
    AssessmentStatus,
    Certificate,
    Decision,
    Registration,
    ReviewLevel,
)
from certification.services.notifications import (
    administrators,
    decision_makers_in_charge,
    notify,
    reviewers_in_charge,
    users_of_unit,
)
from units.jurisdiction import has_reviewer, level_in_charge_of


def _alert_if_unstaffed(unit, level: str, url: str) -> None:
    """Tells the administrators that a submission waits where no reviewer account exists (the
    level above was told instead and stands in), so they can give someone the role."""
    if has_reviewer(unit.area.path, level):
        return
    notify(
        administrators(),
        subject=_("No reviewer account for %(area)s") % {"area": unit.area.name},
        message=_(
            "%(unit)s submitted, but no account of the %(level)s covers %(area)s: the level "
            "above was told and handles it meanwhile. Give a reviewer role for %(area)s."
        )
        % {"unit": unit.name, "level": ReviewLevel(level).label, "area": unit.area.name},
        url=url,
        event="orphan_submission",
    )


def registration_submitted(registration: Registration) -> None:
    unit = registration.unit
    level = level_in_charge_of(unit)
    url = reverse("certification:registration-detail", args=[registration.pk])
    notify(
        reviewers_in_charge(unit, level),
        subject=_("Registration to acknowledge: %(unit)s") % {"unit": unit.name},
        message=_("%(unit)s submitted its registration for %(year)s (receipt code %(code)s).")
        % {"unit": unit.name, "year": registration.cycle.year, "code": registration.receipt_code},
        url=url,
        event="registration_submitted",
    )
    _alert_if_unstaffed(unit, level, url)


def registration_acknowledged(registration: Registration) -> None:
    unit = registration.unit
    notify(
        users_of_unit(unit),
        subject=_("Registration acknowledged: %(unit)s") % {"unit": unit.name},
        message=_("Your registration for %(year)s (receipt code %(code)s) was acknowledged.")
        % {"year": registration.cycle.year, "code": registration.receipt_code},
        url=reverse("certification:unit-registration", args=[unit.pk]),
        event="registration_acknowledged",
    )


def registration_returned(registration: Registration, reason: str) -> None:
    unit = registration.unit
    notify(
        users_of_unit(unit),
        subject=_("Registration returned: %(unit)s") % {"unit": unit.name},
        message=_("The reviewer returned your registration for %(year)s: %(reason)s")
        % {"year": registration.cycle.year, "reason": reason},
        url=reverse("certification:unit-registration", args=[unit.pk]),
        event="registration_returned",
    )


def dossier_waiting(assessment: Assessment) -> None:
    """Tells the reviewers of the level the dossier now waits for."""
    unit = assessment.unit
    url = reverse("certification:dossier-review", args=[assessment.pk])
    notify(
        reviewers_in_charge(unit, assessment.awaiting_level),
        subject=_("Dossier to appraise: %(unit)s") % {"unit": unit.name},
        message=_(
            "The dossier of %(unit)s for %(year)s (round %(round)s) waits for your appraisal."
        )
        % {"unit": unit.name, "year": assessment.cycle.year, "round": assessment.round},
        url=url,
        event="dossier_waiting",
    )
    _alert_if_unstaffed(unit, assessment.awaiting_level, url)


def dossier_returned(assessment: Assessment, summary: str) -> None:
    unit = assessment.unit
    notify(
        users_of_unit(unit),
        subject=_("Dossier returned for round %(round)s: %(unit)s")
        % {"round": assessment.round, "unit": unit.name},
        message=_("The reviewer sent back these criteria: %(summary)s") % {"summary": summary},
        url=reverse("certification:unit-dossier", args=[unit.pk]),
        event="dossier_returned",
    )


def dossier_decided(assessment: Assessment, reason: str = "") -> None:
    """Tells the unit it was recommended (or not); a recommendation also goes to the committee."""
    unit = assessment.unit
    recommended = assessment.status == AssessmentStatus.RECOMMENDED
    notify(
        users_of_unit(unit),
        subject=(
            _("Recommended for recognition: %(unit)s")
            if recommended
            else _("Not recommended for recognition: %(unit)s")
        )
        % {"unit": unit.name},
        message=(
            _("The reviewer recommended your unit for recognition for %(year)s.")
            if recommended
            else _("The reviewer did not recommend your unit for %(year)s: %(reason)s")
        )
        % {"year": assessment.cycle.year, "reason": reason},
        url=reverse("certification:unit-dossier", args=[unit.pk]),
        event="dossier_recommended" if recommended else "dossier_not_recommended",
    )
    if recommended:
        notify(
            decision_makers_in_charge(unit),
            subject=_("Recommended for your decision: %(unit)s") % {"unit": unit.name},
            message=_("%(unit)s was recommended for recognition for %(year)s.")
            % {"unit": unit.name, "year": assessment.cycle.year},
            url=reverse("certification:decision-list"),
            event="dossier_recommended_to_committee",
        )


def decision_issued(decision: Decision) -> None:
    """Tells each unit on an issued decision its result."""
    with translation.override(settings.LANGUAGE_CODE):
        for entry in decision.entries.select_related("unit"):
            values = {
                "number": decision.number,
                "body": decision.issuing_body,
                "year": decision.cycle.year,
                "unit": entry.unit_name,
                "reason": entry.reason,
            }
            if entry.is_recognised:
                subject = _("%(unit)s is recognised for %(year)s") % values
                message = (
                    _(
                        "Decision %(number)s of %(body)s recognises %(unit)s as “Safe in "
                        "security and order” for %(year)s. The certificate can be downloaded from "
                        "the unit's page."
                    )
                    % values
                )
            else:
                subject = _("%(unit)s is not recognised for %(year)s") % values
                message = (
                    _(
                        "Decision %(number)s of %(body)s does not recognise %(unit)s for "
                        "%(year)s. Reason: %(reason)s"
                    )
                    % values
                )
            notify(
                users_of_unit(entry.unit),
                subject=subject,
                message=message,
                url=entry.unit.get_absolute_url(),
                event="decision_issued",
            )


def recognition_annulled(certificate: Certificate) -> None:
    """Tells the unit its recognition was annulled."""
    annulment = Annulment.objects.get(certificate=certificate)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "unit": certificate.unit_name,
            "year": certificate.year,
            "reference": annulment.reference,
            "reason": annulment.reason,
        }
        notify(
            users_of_unit(certificate.unit),
            subject=_("The recognition of %(unit)s for %(year)s is annulled") % values,
            message=_("Annulled by %(reference)s. Reason: %(reason)s") % values,
            url=certificate.unit.get_absolute_url(),
            event="recognition_annulled",
        )
