"""The decision's steps: the People's Committee of the issuing area changes, issues (or records
a paper decision) and discards its drafts; it, or a committee above it, annuls a recognition."""

from __future__ import annotations

from certification import emails
from certification.models import Decision, DecisionEvent, DecisionStatus
from certification.workflows.base import Workflow, step
from units.jurisdiction import jurisdiction_of, review_level_of
from units.models import Area, Role

Status = DecisionStatus
Action = DecisionEvent.Action


# --- who may -------------------------------------------------------------------------------------


def decides_for(user, area: Area) -> bool:
    """Only a decision maker of that very area prepares, issues and discards its decisions."""
    if user is None:
        return False
    return any(
        scope.role == Role.DECISION_MAKER and scope.path == area.path
        for scope in jurisdiction_of(user).scopes
    )


def _issuer_acts(user, decision: Decision) -> bool:
    return decides_for(user, decision.issuing_area)


def _issuer_or_above_acts(user, decision: Decision) -> bool:
    """A decision maker of the issuing area or of an area above it annuls a recognition."""
    if user is None:
        return False
    return jurisdiction_of(user).covers(Role.DECISION_MAKER, decision.issuing_area.path)


# --- the table -----------------------------------------------------------------------------------


class DecisionWorkflow(Workflow):
    model = Decision
    record_model = DecisionEvent
    record_field = "decision"
    related = ("cycle", "issuing_area")
    steps = {
        Action.CHANGED: step(Action.CHANGED, [Status.DRAFT], Status.DRAFT, _issuer_acts),
        Action.ISSUED: step(Action.ISSUED, [Status.DRAFT], Status.ISSUED, _issuer_acts),
        # A decision issued on paper before the portal, entered as issued; nobody is notified.
        Action.RECORDED: step(Action.RECORDED, [Status.DRAFT], Status.ISSUED, _issuer_acts),
        # The draft is deleted: its dossiers wait for a decision again (no audit row survives it).
        Action.DISCARDED: step(Action.DISCARDED, [Status.DRAFT], Status.DRAFT, _issuer_acts),
        # The decision stays issued; the annulment is recorded against one of its certificates.
        Action.ANNULLED: step(
            Action.ANNULLED, [Status.ISSUED], Status.ISSUED, _issuer_or_above_acts
        ),
    }

    def notify(self, row: Decision, action: str, reason: str) -> None:
        # An annulment's notice names its certificate: the annulling service sends it.
        if action == Action.ISSUED:
            emails.decision_issued(row)

    def level(self, row: Decision, action: str) -> str:
        return review_level_of(row.issuing_area.level)

    def discard(self, decision: Decision, *, by) -> None:
        """Deletes a draft, under the same lock and rules as every other step."""
        row = self.lock(decision)
        self.check(row, Action.DISCARDED, by)
        row.delete()


decision_workflow = DecisionWorkflow()
