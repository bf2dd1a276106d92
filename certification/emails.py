"""Who hears about each step of a registration or a dossier, and what they are told.

Each function is called by a service inside its transaction: `notify` writes the in-app
notification and the e-mail row there and publishes the delivery only after commit.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certification.models import Assessment, AssessmentStatus, Registration
from certification.services.notifications import (
    decision_makers_in_charge,
    notify,
    reviewers_in_charge,
    users_of_unit,
)
from units.jurisdiction import level_in_charge_of


def registration_submitted(registration: Registration) -> None:
    unit = registration.unit
    notify(
        reviewers_in_charge(unit, level_in_charge_of(unit)),
        subject=_("Registration to acknowledge: %(unit)s") % {"unit": unit.name},
        message=_("%(unit)s submitted its registration for %(year)s (receipt code %(code)s).")
        % {"unit": unit.name, "year": registration.cycle.year, "code": registration.receipt_code},
        url=reverse("certification:registration-detail", args=[registration.pk]),
        event="registration_submitted",
    )


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
    notify(
        reviewers_in_charge(unit, assessment.awaiting_level),
        subject=_("Dossier to appraise: %(unit)s") % {"unit": unit.name},
        message=_(
            "The dossier of %(unit)s for %(year)s (round %(round)s) waits for your appraisal."
        )
        % {"unit": unit.name, "year": assessment.cycle.year, "round": assessment.round},
        url=reverse("certification:dossier-review", args=[assessment.pk]),
        event="dossier_waiting",
    )


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
