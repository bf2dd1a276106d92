"""The dossier's steps: the unit submits; the reviewers of each level in turn forward, recommend,
refuse, return or send down; the last level reopens a decided dossier."""

from __future__ import annotations

from certification import emails
from certification.models import Assessment, AssessmentStatus, AssessmentTransition, review_levels
from certification.models.assessment import DECIDED, UNDER_REVIEW
from certification.models.counts import dossier_key
from certification.workflows.base import Workflow, step
from certification.workflows.registration import represents
from units.jurisdiction import ReviewLevel, jurisdiction_of

Status = AssessmentStatus
Action = AssessmentTransition.Action

# --- where the dossier is ------------------------------------------------------------------------


def _position(assessment: Assessment) -> int:
    levels = review_levels(assessment.unit, assessment.cycle)
    return levels.index(assessment.awaiting_level) if assessment.awaiting_level in levels else 0


def has_further_level(assessment: Assessment) -> bool:
    """Approving forwards the dossier (the province still accepts it) instead of recommending."""
    return _position(assessment) + 1 < len(review_levels(assessment.unit, assessment.cycle))


def _at_last_level(assessment: Assessment) -> bool:
    return not has_further_level(assessment)


# --- who may -------------------------------------------------------------------------------------


def _reviews_at(user, assessment: Assessment, level: str) -> bool:
    if user is None:
        return False
    scope = jurisdiction_of(user)
    return scope.sees_everything or scope.reviews_at(assessment.unit.area.path, level)


def _unit_acts(user, assessment: Assessment) -> bool:
    return represents(user, assessment.unit)


def _awaited_reviewer_acts(user, assessment: Assessment) -> bool:
    """Reviewers of the level the dossier waits for, over the unit's area."""
    return bool(assessment.awaiting_level) and _reviews_at(
        user, assessment, assessment.awaiting_level
    )


def _last_level_reviewer_acts(user, assessment: Assessment) -> bool:
    """A decided dossier belongs to the reviewers of the level that decided it (the last one)."""
    return _reviews_at(user, assessment, review_levels(assessment.unit, assessment.cycle)[-1])


# --- the table -----------------------------------------------------------------------------------

# Where the dossier waits after each step ("" once it leaves the reviewers).
AWAITING_AFTER = {
    Action.SUBMITTED: lambda row: review_levels(row.unit, row.cycle)[0],
    Action.FORWARDED: lambda row: review_levels(row.unit, row.cycle)[_position(row) + 1],
    Action.SENT_DOWN: lambda row: ReviewLevel.COMMUNE,
    Action.REOPENED: lambda row: review_levels(row.unit, row.cycle)[-1],
}


class DossierWorkflow(Workflow):
    model = Assessment
    record_model = AssessmentTransition
    record_field = "assessment"
    related = ("cycle__criteria_set", "unit__area", "registration")
    steps = {
        Action.SUBMITTED: step(
            Action.SUBMITTED, [Status.DRAFT, Status.RETURNED], Status.SUBMITTED, _unit_acts
        ),
        Action.FORWARDED: step(
            Action.FORWARDED,
            UNDER_REVIEW,
            Status.APPRAISED,
            _awaited_reviewer_acts,
            applies=has_further_level,
        ),
        Action.RECOMMENDED: step(
            Action.RECOMMENDED,
            UNDER_REVIEW,
            Status.RECOMMENDED,
            _awaited_reviewer_acts,
            applies=_at_last_level,
        ),
        Action.REFUSED: step(
            Action.REFUSED, UNDER_REVIEW, Status.NOT_RECOMMENDED, _awaited_reviewer_acts
        ),
        Action.RETURNED: step(
            Action.RETURNED, UNDER_REVIEW, Status.RETURNED, _awaited_reviewer_acts
        ),
        # The province sends an appraised dossier back down to the commune police.
        Action.SENT_DOWN: step(
            Action.SENT_DOWN, [Status.APPRAISED], Status.SUBMITTED, _awaited_reviewer_acts
        ),
        # Locked for everyone until a reviewer of the last level reopens it with a reason.
        Action.REOPENED: step(
            Action.REOPENED, DECIDED, Status.SUBMITTED, _last_level_reviewer_acts
        ),
    }

    def counter_key(self, row: Assessment):
        return dossier_key(row)

    def level(self, row: Assessment, action: str) -> str:
        return row.awaiting_level

    def record_values(self, row: Assessment) -> dict:
        return {"round": row.round}

    def perform(self, obj, action, **kwargs):
        work = kwargs.pop("work", None)

        def work_then_wait(row: Assessment):
            # The next level is read before the work changes the row (a reopening clears
            # decided_at, a return starts a new round), and set after it.
            awaiting = AWAITING_AFTER.get(action, lambda row: "")(row)
            details = work(row) if work is not None else None
            row.awaiting_level = awaiting
            return details

        return super().perform(obj, action, work=work_then_wait, **kwargs)

    def notify(self, row: Assessment, action: str, reason: str) -> None:
        if action in (Action.SUBMITTED, Action.FORWARDED, Action.SENT_DOWN):
            emails.dossier_waiting(row)
        elif action == Action.RECOMMENDED:
            emails.dossier_decided(row)
        elif action == Action.REFUSED:
            emails.dossier_decided(row, reason)
        elif action == Action.RETURNED:
            emails.dossier_returned(row, reason)


dossier_workflow = DossierWorkflow()
