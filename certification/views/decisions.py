"""Decision makers' pages: dossiers waiting, preparing and issuing a decision, PDFs, annulment.

Every queryset starts from `visible_to(request.user)`; acting needs the decision-maker role of the
issuing area (services decide). Out of scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from certification import pdf
from certification.forms.decisions import AnnulmentForm, DecisionForm, IssueForm
from certification.models import (
    Assessment,
    Certificate,
    Cycle,
    Decision,
    ResultValue,
)
from certification.services import decisions as services
from certification.validators import parse_year
from certification.workflows.base import InvalidTransition
from certification.workflows.decision import Action, decides_for, decision_workflow
from units.models import Area

# A decision's units, a page at a time on its page (the PDF lists them all).
ENTRIES_PAGE_SIZE = 50

# --- lists ---------------------------------------------------------------------------------------


class DecisionListView(ListView):
    """Decisions the user may see, and for a decision maker the dossiers waiting for one."""

    template_name = "certification/decision_list.html"
    context_object_name = "decisions"
    paginate_by = 50

    def get_queryset(self):
        return (
            Decision.objects.visible_to(self.request.user)
            .select_related("cycle", "issuing_area")
            .order_by("-cycle__year", "status", "-decided_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["waiting"] = [
            (area, services.awaiting_by_year(area))
            for area in services.issuing_areas_of(self.request.user).order_by("path")
        ]
        return context


def decision_prepare(request):
    """A new draft decision of one of the user's People's Committees for one year."""
    areas = services.issuing_areas_of(request.user)
    if not areas.exists():
        raise Http404
    try:
        area = areas.get(pk=request.GET.get("area")) if "area" in request.GET else areas.get()
    except (Area.DoesNotExist, Area.MultipleObjectsReturned, ValueError) as missing:
        raise Http404 from missing
    year = parse_year(request.GET.get("year") or timezone.localdate().year)
    if year is None:
        raise Http404
    cycle = Cycle.objects.for_area(area, year)
    if cycle is None:
        raise Http404
    dossiers = services.awaiting_decision(area, cycle).select_related("unit__area")
    form = DecisionForm(
        request.POST or None,
        dossiers=dossiers.order_by("unit__area__name", "unit__name"),
        year=cycle.year,
        initial={
            **services.default_details(area),
            "signer_name": request.user.get_full_name(),
            "decided_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.prepare_decision(
                cycle,
                area,
                details=form.details(),
                choices=form.choices(),
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, _("Draft saved. Check it, then issue it."))
            return redirect("certification:decision-detail", pk=decision.pk)
    return render(
        request,
        "certification/decision_form.html",
        {"form": form, "area": area, "cycle": cycle, "decision": None},
        status=400 if request.method == "POST" else 200,
    )


def _decision(request, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "cycle__criteria_set", "issuing_area", "prepared_by", "issued_by"
        ),
        pk=pk,
    )


def _draft_for_editing(request, pk: int) -> Decision:
    decision = _decision(request, pk)
    if not decides_for(request.user, decision.issuing_area):
        raise Http404
    return decision


class DecisionDetailView(DetailView):
    """A decision, its history and its units, ENTRIES_PAGE_SIZE at a time (a provincial
    decision lists hundreds of units), with the count by result above them."""

    template_name = "certification/decision_detail.html"
    context_object_name = "decision"

    def get_queryset(self):
        return Decision.objects.visible_to(self.request.user).select_related(
            "cycle", "issuing_area", "prepared_by", "issued_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision, user = self.object, self.request.user
        steps = decision_workflow.offered(decision, user)
        entries = Paginator(
            decision.entries.select_related("unit", "certificate__annulment").order_by(
                "result", "area_name", "unit_name", "pk"
            ),
            ENTRIES_PAGE_SIZE,
        ).get_page(self.request.GET.get("page"))
        context.update(
            entries=entries.object_list,
            page_obj=entries,
            entries_by_result=_entries_by_result(decision),
            events=decision.events.select_related("by", "certificate"),
            may_issue=Action.ISSUED in steps,
            may_annul=Action.ANNULLED in steps,
            issue_form=kwargs.get("issue_form") or IssueForm(),
        )
        return context


def _entries_by_result(decision: Decision) -> list[tuple[str, int]]:
    """(result label, how many units) on the decision, in the results' order."""
    counts = dict(decision.entries.order_by().values_list("result").annotate(n=Count("pk")))
    return [(label, counts[value]) for value, label in ResultValue.choices if value in counts]


def decision_edit(request, pk: int):
    decision = _draft_for_editing(request, pk)
    if decision.is_issued:
        messages.error(
            request,
            _("Decision %(number)s is issued: it can no longer be changed.")
            % {"number": decision.number},
        )
        return redirect("certification:decision-detail", pk=decision.pk)
    entries = {entry.assessment_id: entry for entry in decision.entries.all()}
    dossiers = (
        services.awaiting_decision(decision.issuing_area, decision.cycle)
        | Assessment.objects.filter(decision_entry__decision=decision)
    ).select_related("unit__area")
    form = DecisionForm(
        request.POST or None,
        dossiers=dossiers.order_by("unit__area__name", "unit__name"),
        year=decision.cycle.year,
        entries=entries,
        initial={name: getattr(decision, name) for name in services.DETAIL_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision(
                decision,
                details=form.details(),
                choices=form.choices(),
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("certification:decision-detail", pk=decision.pk)
    return render(
        request,
        "certification/decision_form.html",
        {
            "form": form,
            "area": decision.issuing_area,
            "cycle": decision.cycle,
            "decision": decision,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def decision_issue(request, pk: int):
    decision = _draft_for_editing(request, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        # Not confirmed: nothing is issued, and the comment typed stays in the box.
        messages.error(request, _("Nothing was done: correct the fields marked below."))
        view = DecisionDetailView(request=request, kwargs={"pk": pk}, object=decision)
        context = view.get_context_data(object=decision, issue_form=form)
        return render(request, view.template_name, context, status=400)
    try:
        decision = services.issue_decision(
            decision, by=request.user, now=timezone.now(), comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:  # InvalidTransition too: someone issued it first
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Decision %(number)s issued; the units are notified.") % {"number": decision.number},
        )
    return redirect("certification:decision-detail", pk=decision.pk)


@require_POST
def decision_discard(request, pk: int):
    decision = _draft_for_editing(request, pk)
    try:
        services.discard_decision(decision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certification:decision-detail", pk=decision.pk)
    messages.success(request, _("The draft was deleted; its dossiers wait for a decision again."))
    return redirect("certification:decision-list")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def decision_pdf(request, pk: int):
    """The decision as a PDF (a draft is marked as such and has no number yet)."""
    decision = _decision(request, pk)
    name = decision.number.replace("/", "-") if decision.number else f"du-thao-{decision.pk}"
    return _pdf_response(pdf.decision_pdf(decision), f"quyet-dinh-{name}.pdf".replace("Đ", "D"))


# --- certificates --------------------------------------------------------------------------------


def _certificate(request, pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.visible_to(request.user).select_related(
            "entry__decision__cycle", "entry__decision__issuing_area", "annulment"
        ),
        pk=pk,
    )


@require_safe
def certificate_pdf(request, pk: int):
    """The unit's certificate, for whoever may see the unit; another unit's is a 404."""
    certificate = _certificate(request, pk)
    return _pdf_response(
        pdf.certificate_pdf(certificate), f"giay-cong-nhan-{certificate.number}.pdf"
    )


def certificate_annul(request, pk: int):
    certificate = _certificate(request, pk)
    decision = certificate.entry.decision
    if Action.ANNULLED not in decision_workflow.offered(decision, request.user):
        raise Http404
    if hasattr(certificate, "annulment"):
        messages.info(request, _("This recognition is already annulled."))
        return redirect("certification:decision-detail", pk=decision.pk)
    form = AnnulmentForm(request.POST or None, initial={"annulled_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.annul_certificate(
                certificate,
                annulled_on=form.cleaned_data["annulled_on"],
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                now=timezone.now(),
            )
        except InvalidTransition as error:
            messages.error(request, " ".join(error.messages))
            return redirect("certification:decision-detail", pk=decision.pk)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(
                request,
                _("The recognition of %(unit)s for %(year)s is annulled.")
                % {"unit": certificate.unit_name, "year": certificate.year},
            )
            return redirect("certification:decision-detail", pk=decision.pk)
    return render(
        request,
        "certification/certificate_annul.html",
        {"form": form, "certificate": certificate, "decision": decision},
        status=400 if request.method == "POST" else 200,
    )
