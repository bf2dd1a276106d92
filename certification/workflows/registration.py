"""The registration's steps: the unit submits; the reviewer in charge acknowledges or returns."""

from __future__ import annotations

from certification import emails
from certification.models import Registration, RegistrationEvent, RegistrationStatus
from certification.models.counts import registration_key
from certification.workflows.base import Workflow, step
from units.jurisdiction import jurisdiction_of, level_in_charge_of
from units.models import Role, Unit

Status = RegistrationStatus
Action = RegistrationEvent.Action


# --- who may -------------------------------------------------------------------------------------


def represents(user, unit: Unit) -> bool:
    """The unit's representatives (and administrators) act for it.

    No user (`None`) is the portal itself acting for the unit: the demo loader and scripts.
    """
    if user is None:
        return True
    scope = jurisdiction_of(user)
    return scope.sees_everything or unit.pk in scope.unit_ids


def reviews_registration_of(user, unit: Unit) -> bool:
    """The reviewers of the level in charge of the unit, over its area (and administrators).

    The commune police acknowledge what communes manage; the provincial police the communes
    themselves and the bodies the province manages (ANTT.md §5).
    """
    return _reviewer_over(user, unit, or_above=False)


def extends_deadlines_of(user, unit: Unit) -> bool:
    """The reviewers in charge of the unit, or of a level above them over its area (the province
    stands in for a commune without its own reviewer); never a level below (issue 14)."""
    return _reviewer_over(user, unit, or_above=True)


def _reviewer_over(user, unit: Unit, *, or_above: bool) -> bool:
    if user is None:
        return False
    scope = jurisdiction_of(user)
    path, level = unit.area.path, level_in_charge_of(unit)
    if or_above:
        return scope.sees_everything or scope.acts_at_or_above(Role.REVIEWER, path, level)
    # The level above stands in where the level in charge has no reviewer account.
    return scope.sees_everything or scope.reviews_at(path, level)


def _unit_acts(user, registration: Registration) -> bool:
    return represents(user, registration.unit)


def _reviewer_acts(user, registration: Registration) -> bool:
    return reviews_registration_of(user, registration.unit)


# --- the table -----------------------------------------------------------------------------------


class RegistrationWorkflow(Workflow):
    model = Registration
    record_model = RegistrationEvent
    record_field = "registration"
    related = ("cycle__criteria_set", "cycle__province", "unit__area")
    steps = {
        Action.SUBMITTED: step(
            Action.SUBMITTED, [Status.DRAFT, Status.RETURNED], Status.SUBMITTED, _unit_acts
        ),
        Action.ACKNOWLEDGED: step(
            Action.ACKNOWLEDGED, [Status.SUBMITTED], Status.ACKNOWLEDGED, _reviewer_acts
        ),
        # A reviewer who finds a problem later can still send an acknowledged registration back.
        Action.RETURNED: step(
            Action.RETURNED,
            [Status.SUBMITTED, Status.ACKNOWLEDGED],
            Status.RETURNED,
            _reviewer_acts,
        ),
    }

    def counter_key(self, row: Registration):
        return registration_key(row)

    def level(self, row: Registration, action: str) -> str:
        return "" if action == Action.SUBMITTED else level_in_charge_of(row.unit)

    def notify(self, row: Registration, action: str, reason: str) -> None:
        if action == Action.SUBMITTED:
            emails.registration_submitted(row)
        elif action == Action.ACKNOWLEDGED:
            emails.registration_acknowledged(row)
        elif action == Action.RETURNED:
            emails.registration_returned(row, reason)


registration_workflow = RegistrationWorkflow()
