"""The unit's year-end dossier ("hồ sơ đề nghị công nhận"): fill in, attach, check, submit.

Who sees what: the unit must be in `Unit.objects.visible_to(user)` (else 404); only the unit's
representatives change the dossier; others read it, and a change they post is refused with a 403.
Writes go through certification.services.assessment; this module decides what the page offers.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST, require_safe

from certification.forms.dossier import CriterionAnswerForm, DossierDetailsForm
from certification.models import (
    REQUIRED_DOSSIER_DOCUMENTS,
    Assessment,
    AssessmentDocument,
    AssessmentStatus,
    Certificate,
    Cycle,
    CycleStep,
    DossierDocumentKind,
    Registration,
)
from certification.services import assessment as services
from certification.services.cycles import calendar_for, deadline_for
from certification.uploads import serve_upload
from certification.validators import parse_ids
from certification.workflows.registration import represents
from units.models import Unit

# The fields of one criterion are prefixed "c<criterion id>-" (see CriterionAnswerForm).
CRITERION_FIELD = re.compile(r"^c(\d+)-")


def _visible_unit(request, unit_pk: int) -> Unit:
    return get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("area"), pk=unit_pk
    )


def _editable_unit(request, unit_pk: int) -> Unit:
    """The unit, for a user who may change its dossier: 404 outside their view, 403 to readers."""
    unit = _visible_unit(request, unit_pk)
    if not represents(request.user, unit):
        raise PermissionDenied
    return unit


def _this_years(unit: Unit, today):
    """(cycle, registration, dossier) of the unit for the current year; any may be None."""
    cycle = Cycle.objects.for_unit(unit, today.year)
    registration = (
        Registration.objects.filter(cycle=cycle, unit=unit)
        .select_related("cycle__criteria_set", "unit")
        .first()
        if cycle
        else None
    )
    assessment = (
        Assessment.objects.filter(registration=registration)
        .select_related("registration__cycle", "cycle__criteria_set", "unit__area")
        .first()
        if registration
        else None
    )
    return cycle, registration, assessment


def _to_dossier(unit: Unit):
    return redirect("certification:unit-dossier", unit_pk=unit.pk)


# --- the page --------------------------------------------------------------------------------


class UnitDossierView(View):
    """This year's dossier of a unit: one form with every answer, detail and file, saved at once.

    In a returned round only the criteria the reviewer sent back are editable; the others are
    shown read-only. A POST naming another criterion is refused and saves nothing.
    """

    template_name = "certification/dossier_detail.html"

    def dispatch(self, request, unit_pk: int):
        self.unit = _visible_unit(request, unit_pk)
        self.today = timezone.localdate()
        self.cycle, self.registration, self.assessment = _this_years(self.unit, self.today)
        self.may_edit = represents(request.user, self.unit)
        assessment = self.assessment
        self.editing = bool(self.may_edit and assessment and assessment.is_editable_by_unit)
        self.views = services.criterion_views(assessment, today=self.today) if assessment else []
        self.returned_ids = (
            services.returned_criteria_ids(assessment)
            if assessment and assessment.status == AssessmentStatus.RETURNED
            else set()
        )
        self.editable_ids: set[int] = set()
        if self.editing:
            self.editable_ids = (
                self.returned_ids
                if assessment.status == AssessmentStatus.RETURNED
                else {view.criterion.pk for view in self.views}
            )
        return super().dispatch(request, unit_pk)

    def get(self, request, unit_pk: int):
        self._build_forms(None, None)
        return self._render()

    def post(self, request, unit_pk: int):
        if not self.may_edit:
            raise PermissionDenied
        self._build_forms(request.POST, request.FILES)
        if not self.editing:
            messages.error(request, self._locked_message())
            return self._render(status=400)
        if parse_ids(request.POST.getlist("remove_document")) is None:
            messages.error(request, _("The document to remove was not found; reload the page."))
            return self._render(status=400)
        removals = self._removals()
        if (self._posted_criteria() - self.editable_ids) or removals is None:
            messages.error(
                request, _("Only the criteria the reviewer sent back can be changed in this round.")
            )
            return self._render(status=400)
        forms = [self.details_form, *self.criterion_forms.values()]
        # Validate every form (no short-circuit), so that each shows its own errors.
        valid = [form.is_valid() for form in forms]
        if not all(valid):
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
            return self._render(status=400)
        try:
            with transaction.atomic():
                self._write(removals)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
            return self._render(status=400)
        if removals:
            messages.success(request, _("The document was removed."))
        if request.POST.get("action") == "submit":
            # The check reads what was just saved (the meeting's date, the documents), not the
            # dossier as it was loaded before the save.
            self.assessment.refresh_from_db()
            return _submit_or_confirm(request, self.unit, self.assessment, today=self.today)
        messages.success(request, _("Saved. You can finish and submit it later."))
        return _to_dossier(self.unit)

    def _locked_message(self) -> str:
        if self.assessment is None:
            return _("There is no dossier to save yet.")
        return _("This dossier is %(status)s: the unit can no longer change it.") % {
            "status": self.assessment.get_status_display()
        }

    def _build_forms(self, data, files) -> None:
        self.details_form = (
            DossierDetailsForm(data, files, assessment=self.assessment) if self.editing else None
        )
        self.criterion_forms = {
            view.criterion.pk: CriterionAnswerForm(
                data, files, view=view, registration=self.registration
            )
            for view in self.views
            if view.criterion.pk in self.editable_ids
        }

    def _posted_criteria(self) -> set[int]:
        posted = {*self.request.POST, *self.request.FILES}
        return {int(match.group(1)) for match in map(CRITERION_FIELD.match, posted) if match}

    def _removals(self) -> list[AssessmentDocument] | None:
        """Documents to remove in this save; None when one of them is not the unit's to remove.

        A document already gone (a second click) is simply not found.
        """
        wanted = parse_ids(self.request.POST.getlist("remove_document"))
        if not wanted:
            return []
        documents = list(
            self.assessment.documents.filter(pk__in=wanted).select_related("assessment")
        )
        locked = [
            document
            for document in documents
            if document.kind == DossierDocumentKind.EVIDENCE
            and document.criterion_id not in self.editable_ids
        ]
        return None if locked else documents

    def _write(self, removals) -> None:
        assessment, user = self.assessment, self.request.user
        services.save_dossier_details(assessment, values=self.details_form.detail_values(), by=user)
        if self.criterion_forms:
            services.save_answers(
                assessment,
                answers={pk: form.answer_values() for pk, form in self.criterion_forms.items()},
                by=user,
            )
        for kind, uploaded in self.details_form.uploads():
            services.add_dossier_document(assessment, kind=kind, uploaded_file=uploaded, by=user)
        for form in self.criterion_forms.values():
            if form.cleaned_data.get("evidence"):
                services.add_dossier_document(
                    assessment,
                    kind=DossierDocumentKind.EVIDENCE,
                    criterion=form.view.criterion,
                    uploaded_file=form.cleaned_data["evidence"],
                    by=user,
                )
        for document in removals:
            services.remove_dossier_document(document, by=user)

    def _render(self, status: int = 200):
        return render(self.request, self.template_name, self._context(), status=status)

    def _context(self) -> dict:
        assessment, unit, cycle = self.assessment, self.unit, self.cycle
        refusal = ""
        if self.registration and assessment is None:
            refusal = services.assessment_refusal(self.registration, today=self.today)
        documents = (
            list(assessment.documents.exclude(kind=DossierDocumentKind.EVIDENCE))
            if assessment
            else []
        )
        return {
            "unit": unit,
            "cycle": cycle,
            "calendar": calendar_for(cycle, unit) if cycle else None,
            "due_on": deadline_for(cycle, unit, CycleStep.DOSSIER)[0] if cycle else None,
            "registration": self.registration,
            "assessment": assessment,
            "refusal": refusal,
            "may_edit": self.may_edit,
            "editing": self.editing,
            "returned_round": bool(assessment and assessment.status == AssessmentStatus.RETURNED),
            # The reviewers' opinions reach the unit with a returned dossier.
            "opinions": [
                opinion for opinion in services.latest_opinions(assessment).values() if opinion.text
            ]
            if assessment and assessment.status == AssessmentStatus.RETURNED
            else [],
            "criteria": [
                {
                    "view": view,
                    "form": self.criterion_forms.get(view.criterion.pk),
                    # Unbound, for its labels: how a read-only answer is shown.
                    "display": CriterionAnswerForm(view=view, registration=self.registration),
                    # In a returned round, what was not sent back stays folded away.
                    "collapsed": bool(self.returned_ids)
                    and view.criterion.pk not in self.returned_ids,
                }
                for view in self.views
            ],
            "details_form": self.details_form,
            "document_slots": [
                {
                    "kind": kind,
                    "label": DossierDocumentKind(kind).label,
                    "field": self.details_form[f"{kind}_file"] if self.details_form else None,
                    "documents": [d for d in documents if d.kind == kind],
                }
                for kind in REQUIRED_DOSSIER_DOCUMENTS
            ],
            "readiness": (
                services.readiness(assessment, today=self.today, views=self.views)
                if assessment and assessment.is_editable_by_unit
                else None
            ),
            "transitions": assessment.transitions.select_related("by") if assessment else [],
            "certificate": (
                Certificate.objects.filter(unit=unit, year=cycle.year)
                .select_related("annulment")
                .first()
                if cycle
                else None
            ),
            # dossier.js keeps unsaved typing under this key; a new version means it was saved.
            "draft_key": f"antt-dossier-{assessment.pk}-{self.request.user.pk}"
            if assessment
            else "",
            "draft_version": assessment.updated_at.isoformat() if assessment else "",
        }


# --- starting and submitting -------------------------------------------------------------------


@require_POST
def dossier_start(request, unit_pk: int):
    """Opens this year's dossier; last year's notes are copied and marked until edited."""
    unit = _editable_unit(request, unit_pk)
    today = timezone.localdate()
    _cycle, registration, _assessment = _this_years(unit, today)
    if registration is None:
        raise Http404
    try:
        services.start_assessment(registration, by=request.user, today=today)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The dossier is open. Answer each criterion, then submit."))
    return _to_dossier(unit)


def dossier_submit(request, unit_pk: int):
    """GET: what is still missing, with "submit anyway". POST: submits (confirmed if not ready)."""
    unit = _editable_unit(request, unit_pk)
    today = timezone.localdate()
    _cycle, _registration, assessment = _this_years(unit, today)
    if assessment is None:
        raise Http404
    if not assessment.is_editable_by_unit:
        messages.info(request, _("This dossier has already been submitted."))
        return _to_dossier(unit)
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            return _submit(request, unit, assessment, today=today)
        return _submit_or_confirm(request, unit, assessment, today=today)
    return render(
        request,
        "certification/dossier_submit_confirm.html",
        {
            "unit": unit,
            "assessment": assessment,
            "readiness": services.readiness(assessment, today=today),
        },
    )


def _submit_or_confirm(request, unit, assessment, *, today):
    """Submits a dossier that passes the check; otherwise asks the unit to confirm first."""
    if services.readiness(assessment, today=today).passes:
        return _submit(request, unit, assessment, today=today)
    messages.warning(request, _("Saved. Check what is still missing before you submit."))
    return redirect("certification:dossier-submit", unit_pk=unit.pk)


def _submit(request, unit, assessment, *, today):
    try:
        submitted = services.submit_assessment(
            assessment, by=request.user, now=timezone.now(), today=today
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Dossier submitted. It now waits for the %(level)s.")
            % {"level": submitted.get_awaiting_level_display()},
        )
    return _to_dossier(unit)


# --- files -----------------------------------------------------------------------------------


@require_safe
def dossier_document_download(request, pk: int):
    """Serves a dossier file only to users who may see the dossier; 404 for everyone else."""
    document = get_object_or_404(
        AssessmentDocument.objects.filter(
            assessment__in=Assessment.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return serve_upload(document)
