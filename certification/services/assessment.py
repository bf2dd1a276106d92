"""The year-end dossier: answers, documents, readiness, rounds, and the review transitions.

Every status change goes through certification.workflows.dossier, which locks the row, asks who
may, checks the table, writes the audit row and queues notifications after commit; the functions
here do the domain work of each step (snapshots, rounds, the commune's children, decisions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification.evaluation import FAIL, child_unit_stats, evaluate
from certification.models import (
    REQUIRED_DOSSIER_DOCUMENTS,
    Answer,
    Assessment,
    AssessmentAnswer,
    AssessmentDocument,
    AssessmentSnapshot,
    AssessmentStatus,
    AssessmentTransition,
    Criterion,
    CriterionReturn,
    Cycle,
    CycleStep,
    DecisionEntry,
    DecisionStatus,
    DossierDocumentKind,
    ForceRating,
    Registration,
    RegistrationStatus,
    ReviewOpinion,
    item_state,
)
from certification.models.counts import StatusCount, dossier_key
from certification.services.cycles import calendar_for, last_day_for, review_due_on
from certification.uploads import check_file_count, check_upload
from certification.workflows.base import InvalidTransition, NotPermitted, refusal_message
from certification.workflows.dossier import dossier_workflow, has_further_level
from certification.workflows.registration import represents
from units.models import Unit, UnitType, User

Status = AssessmentStatus
Action = AssessmentTransition.Action

# --- starting and filling in -----------------------------------------------------------------


def assessment_refusal(registration: Registration, *, today: datetime.date) -> str:
    """Why the unit cannot file its dossier today, or "" when it can."""
    if registration.status != RegistrationStatus.ACKNOWLEDGED:
        return _("The dossier opens once the registration of %(year)s is acknowledged.") % {
            "year": registration.cycle.year
        }
    cycle, unit = registration.cycle, registration.unit
    calendar = calendar_for(cycle, unit)
    if today < calendar.assessment_starts_on:
        return _("The assessment window opens on %(date)s.") % {
            "date": date_format(calendar.assessment_starts_on, "SHORT_DATE_FORMAT")
        }
    last_day = last_day_for(cycle, unit, CycleStep.DOSSIER)
    if today > last_day:
        return _("Dossiers for %(year)s were due on %(date)s.") % {
            "year": cycle.year,
            "date": date_format(last_day, "SHORT_DATE_FORMAT"),
        }
    return ""


def criteria_for(cycle: Cycle, unit: Unit):
    return Criterion.objects.filter(criteria_set=cycle.criteria_set, unit_type=unit.unit_type)


def _last_year_answers(unit: Unit, cycle: Cycle) -> dict[int, AssessmentAnswer]:
    """Last cycle's answers of the unit, by criterion number (the criteria sets may differ)."""
    previous = (
        Assessment.objects.filter(unit=unit, cycle__year=cycle.year - 1)
        .select_related("cycle")
        .first()
    )
    if previous is None:
        return {}
    return {
        answer.criterion.number: answer
        for answer in previous.answers.select_related("criterion").filter(
            criterion__unit_type=unit.unit_type
        )
    }


@transaction.atomic
def start_assessment(
    registration: Registration, *, by: User | None, today: datetime.date
) -> Assessment:
    """Opens the dossier with one empty answer per criterion; last year's notes are copied."""
    registration = Registration.objects.select_related("cycle__criteria_set", "unit").get(
        pk=registration.pk
    )
    if Assessment.objects.filter(registration=registration).exists():
        raise ValidationError(_("This unit already has a dossier for this year."))
    refusal = assessment_refusal(registration, today=today)
    if refusal:
        raise ValidationError(refusal)
    assessment = Assessment.objects.create(
        registration=registration,
        cycle=registration.cycle,
        unit=registration.unit,
        area_id=Unit.objects.area_id_held(registration.unit_id),
        review_due_on=review_due_on(registration.cycle, registration.unit),
    )
    StatusCount.objects.add(dossier_key(assessment))
    last_year = _last_year_answers(registration.unit, registration.cycle)
    answers = []
    for criterion in criteria_for(registration.cycle, registration.unit):
        previous = last_year.get(criterion.number)
        figures = {}
        # Any criterion with year-on-year figures (a commune's clause 2 has them too).
        if previous is not None and criterion.parameters.get("figures"):
            # Last year's "this year" is this year's "last year".
            figures = {
                f"{name}_last_year": previous.figures.get(name)
                for name in criterion.parameters.get("figures", ())
                if previous.figures.get(name) not in (None, "")
            }
        answers.append(
            AssessmentAnswer(
                assessment=assessment,
                criterion=criterion,
                note=previous.note if previous else "",
                note_copied=bool(previous and previous.note),
                figures=figures,
            )
        )
    AssessmentAnswer.objects.bulk_create(answers)
    return assessment


def _editable(assessment: Assessment, by: User | None) -> Assessment:
    """The dossier locked, for a `by` who may change it for the unit while the unit may."""
    assessment = dossier_workflow.lock(assessment)
    if not represents(by, assessment.unit):
        raise NotPermitted(refusal_message(assessment))
    _check_editable(assessment)
    return assessment


def returned_criteria_ids(assessment: Assessment) -> set[int]:
    """Criteria the reviewer sent back in the current round (the only ones the unit may change)."""
    return set(
        CriterionReturn.objects.filter(assessment=assessment, round=assessment.round).values_list(
            "criterion_id", flat=True
        )
    )


@transaction.atomic
def save_answers(
    assessment: Assessment, *, answers: dict[int, dict], by: User | None
) -> Assessment:
    """Saves the unit's answers by criterion id; in a returned round, only what was sent back."""
    assessment = _editable(assessment, by)
    allowed = (
        returned_criteria_ids(assessment)
        if assessment.status == Status.RETURNED
        else set(assessment.answers.values_list("criterion_id", flat=True))
    )
    refused = set(answers) - allowed
    if refused:
        raise ValidationError(
            _("Only the criteria the reviewer sent back can be changed in this round.")
        )
    rows = {row.criterion_id: row for row in assessment.answers.filter(criterion_id__in=answers)}
    for criterion_id, values in answers.items():
        row = rows[criterion_id]
        if "note" in values and values["note"] != row.note:
            row.note, row.note_copied = values["note"], False
        if "answer" in values:
            if values["answer"] not in ("", *Answer.values):
                raise ValidationError(_("Unknown answer “%(answer)s”.") % values)
            row.answer = values["answer"]
        if "figures" in values:
            row.figures = {**row.figures, **_clean_figures(values["figures"])}
        if "items" in values:
            row.items = _clean_items(values["items"])
        if "excuses" in values:
            row.excuses = {
                str(key): str(text).strip()
                for key, text in values["excuses"].items()
                if text and str(text).strip()
            }
        if "rating" in values:
            if values["rating"] not in ("", *ForceRating.values):
                raise ValidationError(_("Unknown rating “%(rating)s”.") % values)
            row.rating = values["rating"]
        if "disciplined" in values:
            row.disciplined = values["disciplined"]
        row.save()
    assessment.save(update_fields=["updated_at"])
    return assessment


def _clean_items(items: dict) -> dict:
    """Answers per point as ItemAnswer values; a boolean means "none" (true) or "occurred"."""
    cleaned = {}
    for key, value in items.items():
        state = item_state(value)
        if state is None:
            raise ValidationError(_("Unknown answer “%(answer)s”.") % {"answer": value})
        cleaned[str(key)] = state
    return cleaned


def _clean_figures(figures: dict) -> dict:
    cleaned = {}
    for name, value in figures.items():
        if value in (None, ""):
            cleaned[name] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                _("“%(value)s” is not a whole number.") % {"value": value}
            ) from error
        if number < 0:
            raise ValidationError(_("Figures cannot be negative."))
        cleaned[name] = number
    return cleaned


DETAIL_FIELDS = ("meeting_on", "meeting_attendance", "meeting_chair", "summary")


@transaction.atomic
def save_dossier_details(assessment: Assessment, *, values: dict, by: User | None) -> Assessment:
    """Saves the meeting (date, chair, attendance) and the report text."""
    assessment = _editable(assessment, by)
    for name in DETAIL_FIELDS:
        if name in values:
            setattr(assessment, name, values[name])
    assessment.save()
    return assessment


@transaction.atomic
def add_dossier_document(
    assessment: Assessment,
    *,
    kind: str,
    uploaded_file,
    by: User | None,
    criterion: Criterion | None = None,
) -> AssessmentDocument:
    """Stores a checked file (type read from its content) in the dossier."""
    assessment = _editable(assessment, by)
    if (kind == DossierDocumentKind.EVIDENCE) != (criterion is not None):
        raise ValidationError(_("Evidence belongs to one criterion; other documents to none."))
    _check_evidence_editable(assessment, criterion)
    check_file_count(assessment.documents.count())
    checked = check_upload(uploaded_file)
    document = AssessmentDocument(
        assessment=assessment,
        kind=kind,
        criterion=criterion,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    document.file.save(checked.safe_name, uploaded_file, save=False)
    document.save()
    assessment.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def remove_dossier_document(document: AssessmentDocument, *, by: User | None) -> Assessment:
    """Removes a document while the unit may still change the dossier."""
    assessment = _editable(document.assessment, by)
    _check_evidence_editable(assessment, document.criterion)
    stored, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    assessment.save(update_fields=["updated_at"])
    return assessment


def _check_evidence_editable(assessment: Assessment, criterion: Criterion | None) -> None:
    """In a returned round, evidence changes only for the criteria sent back."""
    if (
        criterion is not None
        and assessment.status == Status.RETURNED
        and criterion.pk not in returned_criteria_ids(assessment)
    ):
        raise ValidationError(
            _("Only the criteria the reviewer sent back can be changed in this round.")
        )


def _check_editable(assessment: Assessment) -> None:
    if not assessment.is_editable_by_unit:
        raise InvalidTransition(
            _("This dossier is %(status)s: the unit can no longer change it.")
            % {"status": assessment.get_status_display()}
        )


# --- readiness and evaluation ----------------------------------------------------------------


@dataclass
class CriterionView:
    """One criterion as the unit and the reviewer see it: answer, automatic result, history."""

    criterion: Criterion
    answer: AssessmentAnswer
    evaluation: object
    evidence: list = field(default_factory=list)
    returned_reason: str = ""
    last_year_answer: str = ""

    @property
    def contradicts(self) -> bool:
        """The unit says met while the data say it fails (or the reverse)."""
        if not self.answer.answer or self.evaluation.result not in ("pass", "fail"):
            return False
        return (self.answer.answer == Answer.MET) != (self.evaluation.result == "pass")


def criterion_views(assessment: Assessment, *, today: datetime.date) -> list[CriterionView]:
    """Every criterion with its answer and automatic result, in a fixed number of queries."""
    answers = list(assessment.answers.select_related("criterion").order_by("criterion__number"))
    registration = assessment.registration
    needs_children = any("child_units" in a.criterion.parameters for a in answers)
    stats = (
        child_unit_stats(assessment.unit, assessment.cycle, today=today)
        if needs_children and assessment.unit.unit_type == UnitType.COMMUNE
        else None
    )
    evidence: dict[int, list] = {}
    for document in assessment.documents.filter(kind=DossierDocumentKind.EVIDENCE):
        evidence.setdefault(document.criterion_id, []).append(document)
    reasons = dict(
        CriterionReturn.objects.filter(assessment=assessment, round=assessment.round).values_list(
            "criterion_id", "reason"
        )
    )
    last_year = _last_year_answers(assessment.unit, assessment.cycle)
    return [
        CriterionView(
            criterion=answer.criterion,
            answer=answer,
            evaluation=evaluate(
                answer.criterion, answer=answer, registration=registration, child_stats=stats
            ),
            evidence=evidence.get(answer.criterion_id, []),
            returned_reason=reasons.get(answer.criterion_id, ""),
            last_year_answer=(
                last_year[answer.criterion.number].get_answer_display()
                if answer.criterion.number in last_year
                else ""
            ),
        )
        for answer in answers
    ]


@dataclass
class Readiness:
    """ "Would this pass?" — what is unanswered, missing or failing. It never blocks submitting."""

    unanswered: list[Criterion] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    failing: list[tuple[Criterion, str]] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return not (self.unanswered or self.missing_documents or self.failing)


def readiness(assessment: Assessment, *, today: datetime.date, views=None) -> Readiness:
    views = views if views is not None else criterion_views(assessment, today=today)
    report = Readiness()
    for view in views:
        if not view.answer.answer:
            report.unanswered.append(view.criterion)
        elif view.answer.answer == Answer.NOT_MET:
            report.failing.append((view.criterion, _("The unit answers “not met”.")))
        elif view.evaluation.result == FAIL:
            report.failing.append((view.criterion, view.evaluation.explanation))
    present = set(assessment.documents.values_list("kind", flat=True))
    report.missing_documents = [
        str(DossierDocumentKind(kind).label)
        for kind in REQUIRED_DOSSIER_DOCUMENTS
        if kind not in present
    ]
    if not assessment.meeting_on:
        report.missing_documents.append(_("the date of the assessment meeting"))
    return report


# What a snapshot keeps of each answer, and what the reviewer sees change between rounds.
ANSWER_FIELDS = ("answer", "note", "figures", "items", "excuses", "rating", "disciplined")


def round_changes(assessment: Assessment) -> list[dict]:
    """What changed between the last two submitted rounds, criterion by criterion."""
    snapshots = list(assessment.snapshots.order_by("-round")[:2])
    if len(snapshots) < 2:
        return []
    latest, previous = snapshots[0].answers, snapshots[1].answers
    numbers = {int(n): n for n in latest}
    changes = []
    for number in sorted(numbers):
        key = numbers[number]
        before, after = previous.get(key, {}), latest.get(key, {})
        for name in ANSWER_FIELDS:
            if before.get(name) != after.get(name):
                changes.append(
                    {
                        "criterion": number,
                        "field": name,
                        "before": before.get(name),
                        "after": after.get(name),
                    }
                )
    return changes


# --- transitions -----------------------------------------------------------------------------


def _snapshot(assessment: Assessment, now) -> None:
    AssessmentSnapshot.objects.update_or_create(
        assessment=assessment,
        round=assessment.round,
        defaults={
            "submitted_at": now,
            "answers": {
                str(answer.criterion.number): {
                    name: getattr(answer, name) for name in ANSWER_FIELDS
                }
                for answer in assessment.answers.select_related("criterion")
            },
        },
    )


def submit_assessment(
    assessment: Assessment, *, by: User | None, now: datetime.datetime, today: datetime.date
) -> Assessment:
    """Sends the dossier to its first reviewer; each submission keeps a snapshot of its round."""

    def check_and_keep(row: Assessment) -> None:
        if row.status == Status.DRAFT:
            refusal = assessment_refusal(row.registration, today=today)
            if refusal:
                raise ValidationError(refusal)
        row.submitted_at = now
        _snapshot(row, now)

    return dossier_workflow.perform(
        assessment, Action.SUBMITTED, by=by, at=now, work=check_and_keep
    )


def _undecided_children_error(assessment: Assessment, *, today: datetime.date) -> str:
    if assessment.unit.unit_type != UnitType.COMMUNE:
        return ""
    stats = child_unit_stats(assessment.unit, assessment.cycle, today=today)
    if not stats.undecided:
        return ""
    return _(
        "The commune's dossier cannot be recommended while %(count)s of its %(total)s child "
        "units are undecided."
    ) % {"count": len(stats.undecided), "total": stats.total}


def recommendation_record(comment: str, override_reason: str) -> str:
    """What the audit row of an approval keeps: the reviewer's comment, and the reason for going
    past a readiness check that does not pass."""
    parts = [comment.strip()] if comment.strip() else []
    if override_reason.strip():
        parts.append(
            _("Recommended although the readiness check does not pass: %(reason)s")
            % {"reason": override_reason.strip()}
        )
    return "\n".join(parts)


@transaction.atomic
def approve_assessment(
    assessment: Assessment,
    *,
    by: User,
    now: datetime.datetime,
    today: datetime.date,
    comment: str = "",
    override_reason: str = "",
) -> Assessment:
    """Approves at the current level: forwards to the next level, or recommends at the last one.

    Recommending a dossier whose readiness check fails (a missing minute, more crimes than last
    year…) needs `override_reason`; the comment and that reason land in the audit row.
    """
    current = dossier_workflow.lock(assessment)
    recorded = recommendation_record(comment, override_reason)
    if has_further_level(current):
        return dossier_workflow.perform(current, Action.FORWARDED, by=by, at=now, reason=recorded)

    def check_children(row: Assessment) -> None:
        blocked = _undecided_children_error(row, today=today)
        if blocked:
            raise ValidationError(blocked)
        if not override_reason.strip() and not readiness(row, today=today).passes:
            raise ValidationError(
                {
                    "override_reason": _(
                        "The readiness check does not pass: to recommend the unit anyway, tick "
                        "“Recommend although the readiness check does not pass” and give the "
                        "reason."
                    )
                }
            )
        row.decided_at = now

    return dossier_workflow.perform(
        current, Action.RECOMMENDED, by=by, at=now, reason=recorded, work=check_children
    )


def refuse_assessment(
    assessment: Assessment, *, by: User, now: datetime.datetime, reason: str
) -> Assessment:
    """Does not recommend the unit (đề nghị không công nhận), with a required reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for not recommending the unit.")})

    def decide(row: Assessment) -> None:
        row.decided_at = now

    return dossier_workflow.perform(
        assessment, Action.REFUSED, by=by, at=now, reason=reason.strip(), work=decide
    )


def send_back_criteria(
    assessment: Assessment, *, reasons: dict[int, str], by: User, now: datetime.datetime
) -> Assessment:
    """Returns the dossier to the unit as a new round, with a reason for each criterion."""
    reasons = {cid: text.strip() for cid, text in reasons.items() if text and text.strip()}
    if not reasons:
        raise ValidationError(_("Choose at least one criterion and give the reason for each."))

    def open_round(row: Assessment) -> str:
        valid = set(row.answers.values_list("criterion_id", flat=True))
        if set(reasons) - valid:
            raise ValidationError(_("A criterion sent back does not belong to this dossier."))
        row.round += 1
        CriterionReturn.objects.bulk_create(
            CriterionReturn(
                assessment=row, criterion_id=cid, round=row.round, reason=text, by=by, at=now
            )
            for cid, text in sorted(reasons.items())
        )
        return "; ".join(
            f"{c.number}. {reasons[c.pk]}"
            for c in Criterion.objects.filter(pk__in=reasons).order_by("number")
        )

    return dossier_workflow.perform(assessment, Action.RETURNED, by=by, at=now, work=open_round)


def send_down(
    assessment: Assessment, *, by: User, now: datetime.datetime, reason: str
) -> Assessment:
    """The province sends an appraised dossier back to the commune level, with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for sending the dossier back.")})
    return dossier_workflow.perform(
        assessment, Action.SENT_DOWN, by=by, at=now, reason=reason.strip()
    )


def reopen_assessment(
    assessment: Assessment, *, by: User, now: datetime.datetime, reason: str
) -> Assessment:
    """Unlocks a recommended (or refused) dossier for review again; the reason is recorded."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the dossier.")})

    def check_undecided(row: Assessment) -> None:
        if DecisionEntry.objects.filter(
            assessment=row, decision__status=DecisionStatus.ISSUED
        ).exists():
            # The People's Committee has decided: only an annulment can change the result now.
            raise ValidationError(
                _(
                    "This dossier is on an issued decision; annul the recognition instead of "
                    "reopening."
                )
            )
        row.decided_at = None

    return dossier_workflow.perform(
        assessment, Action.REOPENED, by=by, at=now, reason=reason.strip(), work=check_undecided
    )


# --- the reviewers' own opinions -------------------------------------------------------------


def latest_opinions(assessment: Assessment) -> dict[int | None, ReviewOpinion]:
    """The opinion shown per criterion id (None: on the whole dossier): the latest written."""
    latest: dict[int | None, ReviewOpinion] = {}
    for opinion in assessment.opinions.select_related("by", "criterion").order_by("at", "pk"):
        latest[opinion.criterion_id] = opinion
    return latest


def save_opinions(
    assessment: Assessment, *, opinions: dict[int | None, str], by: User, now: datetime.datetime
) -> list[ReviewOpinion]:
    """Keeps a reviewer's opinions ("ý kiến thẩm định") per criterion id, None for the whole
    dossier. Only the ones that changed are written, each with who and when; a cleared opinion is
    recorded as cleared. Only a reviewer who may act on the dossier now may write them."""
    with transaction.atomic():
        row = dossier_workflow.lock(assessment)
        if not dossier_workflow.offered(row, by) - {Action.SUBMITTED}:
            raise NotPermitted(refusal_message(row))
        valid = set(row.answers.values_list("criterion_id", flat=True)) | {None}
        if set(opinions) - valid:
            raise ValidationError(
                _("A criterion given an opinion does not belong to this dossier.")
            )
        current = {key: opinion.text for key, opinion in latest_opinions(row).items()}
        written = [
            ReviewOpinion(
                assessment=row, criterion_id=key, round=row.round, text=text, by=by, at=now
            )
            for key, text in ((key, (text or "").strip()) for key, text in opinions.items())
            if text != current.get(key, "")
        ]
        return ReviewOpinion.objects.bulk_create(written)


@dataclass
class BulkOutcome:
    done: list[Assessment] = field(default_factory=list)
    skipped: list[tuple[Assessment, str]] = field(default_factory=list)


def bulk_approve(
    assessments,
    *,
    by: User,
    now: datetime.datetime,
    today: datetime.date,
    on_each: Callable[[BulkOutcome], None] | None = None,
) -> BulkOutcome:
    """Approves every selected dossier whose readiness check passes, each recorded on its own;
    on_each (a background job's progress) is told the outcome so far after every dossier."""
    outcome = BulkOutcome()
    for assessment in assessments:
        if not readiness(assessment, today=today).passes:
            outcome.skipped.append((assessment, _("its readiness check does not pass")))
        else:
            try:
                outcome.done.append(approve_assessment(assessment, by=by, now=now, today=today))
            except PermissionError:
                outcome.skipped.append((assessment, _("it is not waiting for you")))
            except ValidationError as error:
                outcome.skipped.append((assessment, " ".join(error.messages)))
        if on_each is not None:
            on_each(outcome)
    return outcome
