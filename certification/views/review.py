"""The reviewer's side of the year-end dossier: the queue, the review page and each step.

Every page starts from `Assessment.objects.visible_to(user)`: another area's dossier is a 404.
The steps are small POST views around the services in certification.services.assessment; a step
the user may not take is a 404 too, except when the page they acted from was simply out of date
(someone acted first), which is said in a message.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Prefetch
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from certification.evaluation import (
    FIGURE_LABELS,
    child_unit_stats,
    item_labels,
    required_count,
    threshold_reached,
)
from certification.filters.review import AssessmentFilter
from certification.forms.review import (
    ApproveForm,
    BulkApproveForm,
    OpinionsForm,
    RefuseForm,
    ReopenForm,
    ReviewStepForm,
    SendBackForm,
    SendDownForm,
)
from certification.models import (
    REQUIRED_DOSSIER_DOCUMENTS,
    Answer,
    Assessment,
    AssessmentAnswer,
    AssessmentDocument,
    AssessmentStatus,
    CountedKind,
    CriterionReturn,
    Cycle,
    DossierDocumentKind,
    ItemAnswer,
    StatusCount,
    YearlyResult,
    item_state,
)
from certification.models.assessment import UNDER_REVIEW
from certification.models.counts import describe_what_is_visible_to
from certification.services import jobs
from certification.services.assessment import (
    approve_assessment,
    bulk_approve,
    criterion_views,
    latest_opinions,
    readiness,
    refuse_assessment,
    reopen_assessment,
    round_changes,
    save_opinions,
    send_back_criteria,
    send_down,
)
from certification.workflows.base import refusal_message
from certification.workflows.dossier import Action, dossier_workflow
from units.jurisdiction import (
    jurisdiction_of,
)
from units.models import Role, UnitType
from units.pagination import BoundedPaginator, SearchBoundedPaginationMixin

Status = AssessmentStatus
PAGE_SIZE = 50


def _is_reviewer(user) -> bool:
    """A reviewer by assignment: the queue starts on what waits for them."""
    return jurisdiction_of(user).holds(Role.REVIEWER)


def _may_review(user) -> bool:
    """Reviewers and administrators: the queue offers them bulk approval."""
    return jurisdiction_of(user).acts_as(Role.REVIEWER)


def _visible(user):
    return Assessment.objects.visible_to(user).select_related(
        "unit__area", "cycle__province", "cycle__criteria_set", "registration__cycle"
    )


# --- the queue -------------------------------------------------------------------------------


class DossierQueueView(SearchBoundedPaginationMixin, FilterView):
    """Dossiers the user may see; reviewers start on those waiting for them, earliest due first.

    Everyone else starts on the current cycle (the whole country over every year is a choice,
    not the default), and the counters count the chosen year, else the current one.
    """

    filterset_class = AssessmentFilter
    template_name = "certification/review_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
    strict = True

    def get_queryset(self):
        return (
            Assessment.objects.visible_to(self.request.user)
            .select_related("unit__area", "area", "cycle")
            .order_by(*AssessmentFilter.ORDERS["due"])
        )

    def search_is_read_in_order(self):
        return self.request.GET.get("sort") != "unit"  # see AssessmentFilter.filter_sort

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["today"] = timezone.localdate()
        self.current_year = Cycle.objects.current_year()
        chosen = set(kwargs["data"] or ()) - {"page"}
        if not chosen:
            # First visit (and its further pages): a reviewer sees what waits for them, anyone
            # else the current cycle.
            page = kwargs["data"].get("page") if kwargs["data"] else None
            if _is_reviewer(self.request.user):
                default = {"waiting": "on"}
            else:
                default = {"year": str(self.current_year)} if self.current_year else {}
            kwargs["data"] = QueryDict(mutable=True)
            kwargs["data"].update({**default, **({"page": page} if page else {})})
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        filterset = context["filter"]
        chosen_year = filterset.form.cleaned_data.get("year") if filterset.is_valid() else None
        counted_year = int(chosen_year) if chosen_year else self.current_year
        self._mark_rows(context["object_list"])
        context.update(
            query_without_page=query.urlencode(),
            current_query=self.request.GET.urlencode(),
            counts=self._counts(counted_year),
            counted_year=counted_year,
            may_review=_may_review(self.request.user),
            is_reviewer=_is_reviewer(self.request.user),
        )
        return context

    def _mark_rows(self, dossiers) -> None:
        """What each row of the page shows, read once in Python rather than tested in the
        template: under review (tickable), overdue, its dates (formatted once per distinct day:
        a page shares few due dates) and for a reviewer whether it waits for them
        (`waiting_for`, from the stored area and level: no subquery per row)."""
        today = timezone.localdate()
        user = self.request.user
        waits = jurisdiction_of(user).waiting_test() if _is_reviewer(user) else None
        shown: dict[date, str] = {}

        def short(day: date | None) -> str:
            if day is not None and day not in shown:
                shown[day] = date_format(day, "SHORT_DATE_FORMAT")
            return shown.get(day, "")

        for dossier in dossiers:
            dossier.under_review = dossier.status in UNDER_REVIEW
            due, submitted = dossier.review_due_on, dossier.submitted_at
            dossier.is_overdue = dossier.under_review and bool(due and due < today)
            dossier.is_waiting = bool(
                waits
                and dossier.under_review
                and waits(dossier.area_id, dossier.area.path, dossier.awaiting_level)
            )
            dossier.due_shown = short(due)
            dossier.submitted_shown = short(timezone.localdate(submitted) if submitted else None)

    def _counts(self, year: int | None) -> dict:
        """Waiting for me, overdue and per status, over the visible dossiers of one year.

        Per status and waiting from the status counters (rows per area, cycle, level and
        status); overdue depends on the day, so it reads the index on (status, stored due date,
        cycle). Never a scan of every dossier of the country.
        """
        user, today = self.request.user, timezone.localdate()
        cycles = Cycle.objects.ids_of_year(year) if year else None
        dossiers = Assessment.objects.visible_to(user).order_by()
        if cycles is not None:
            dossiers = dossiers.filter(cycle__in=cycles)
        if describe_what_is_visible_to(user):
            # The status counters kept by the workflow: a few rows per area, not every dossier.
            counters = StatusCount.objects.visible_to(user).filter(kind=CountedKind.DOSSIER)
            if cycles is not None:
                counters = counters.filter(cycle__in=cycles)
            by_status = counters.by_status()
            waiting = counters.waiting_for(user).total() if _is_reviewer(user) else 0
        else:
            by_status = dict(dossiers.values_list("status").annotate(n=Count("pk")))
            waiting = dossiers.waiting_for(user).count() if _is_reviewer(user) else 0
        return {
            "waiting": waiting,
            "overdue": dossiers.overdue(today).count(),
            "by_status": [
                (value, label, by_status.get(value, 0)) for value, label in Status.choices
            ],
        }


@require_POST
def dossier_bulk_approve(request):
    """Approves the ticked dossiers whose readiness check passes; each is its own transition."""
    if not _may_review(request.user):
        raise Http404
    query = QueryDict(request.POST.get("query", "")).urlencode()
    form = BulkApproveForm(
        request.POST, queryset=_visible(request.user).order_by("unit__name", "pk")
    )
    if not form.is_valid():
        for field in ("dossiers", "confirm"):
            for message in form.errors.get(field, []):
                messages.error(request, message)
        return redirect(_queue_url(query))
    ticked = form.cleaned_data["dossiers"]
    if len(ticked) > settings.BULK_APPROVE_BACKGROUND_DOSSIERS:
        # Hundreds of dossiers leave the request: a background job with its progress page.
        job = jobs.start_bulk_approve(
            [dossier.pk for dossier in ticked],
            by=request.user,
            title=_("Recommend %(count)s dossiers together") % {"count": len(ticked)},
            query=query,
        )
        return redirect("certification:job-detail", pk=job.pk)
    outcome = bulk_approve(
        ticked,
        by=request.user,
        now=timezone.now(),
        today=timezone.localdate(),
    )
    return render(
        request,
        "certification/review_bulk_result.html",
        {"outcome": outcome, "queue_url": _queue_url(query)},
    )


def _queue_url(query: str) -> str:
    url = reverse("certification:dossier-queue")
    return f"{url}?{query}" if query else url


# --- the review page -------------------------------------------------------------------------


class DossierReviewView(DetailView):
    template_name = "certification/review_detail.html"
    context_object_name = "assessment"

    def get_queryset(self):
        # The documents once for the page: the readiness check, the evidence per criterion and
        # the document list all read them.
        return _visible(self.request.user).prefetch_related(
            Prefetch("documents", AssessmentDocument.objects.order_by("kind", "uploaded_at"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(review_context(self.request, self.object))
        return context


def review_context(request, assessment: Assessment, **forms) -> dict:
    """Everything the review page shows, in a fixed number of queries."""
    user, today = request.user, timezone.localdate()
    is_commune = assessment.unit.unit_type == UnitType.COMMUNE
    # Counted once: the commune criterion's evaluation and the panel both show them.
    child_stats = (
        child_unit_stats(assessment.unit, assessment.cycle, today=today) if is_commune else None
    )
    views = criterion_views(assessment, today=today, child_stats=child_stats)
    criteria = [view.criterion for view in views]
    steps = _steps(user, assessment)
    seen = {"seen_status": assessment.status}
    ready = readiness(assessment, today=today, views=views)
    opinions = latest_opinions(assessment)
    context = {
        "criteria": [_criterion_row(view, opinions) for view in views],
        "readiness": ready,
        "dossier_opinion": opinions.get(None),
        "documents": _documents(assessment),
        "last_year": YearlyResult.objects.filter(
            unit=assessment.unit, cycle__year=assessment.cycle.year - 1
        )
        .select_related("cycle")
        .first(),
        "changes": _describe_changes(round_changes(assessment), criteria)
        if assessment.round > 1
        else [],
        "commune": _commune_panel(views, child_stats) if is_commune else None,
        "transitions": assessment.transitions.select_related("by").order_by("at", "pk"),
        "returns_by_round": _returns_by_round(assessment),
        "steps": steps,
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial=seen, ready=ready.passes, forwards=steps["forwards"]),
        "opinions_form": forms.get("opinions_form")
        or OpinionsForm(criteria=criteria, initial=_opinion_initial(opinions, criteria)),
        "refuse_form": forms.get("refuse_form") or RefuseForm(initial=seen),
        "send_back_form": forms.get("send_back_form")
        or SendBackForm(criteria=criteria, initial=seen),
        "send_down_form": forms.get("send_down_form") or SendDownForm(initial=seen),
        "reopen_form": forms.get("reopen_form") or ReopenForm(initial=seen),
        "next_waiting": _next_waiting(user, assessment),
        "today": today,
    }
    return context


def _opinion_initial(opinions: dict, criteria) -> dict:
    """The opinions form starts from the latest opinion on the dossier and on each criterion."""
    initial = {"dossier": opinions[None].text} if None in opinions else {}
    initial.update(
        {OpinionsForm.field_name(c): opinions[c.pk].text for c in criteria if c.pk in opinions}
    )
    return initial


def _steps(user, assessment: Assessment) -> dict:
    """Which steps the page offers (the workflow's table); the services check again under lock."""
    offered = dossier_workflow.offered(assessment, user) - {Action.SUBMITTED}
    return {
        "any": bool(offered),
        "approve": bool(offered & {Action.FORWARDED, Action.RECOMMENDED}),
        "forwards": Action.FORWARDED in offered,
        "refuse": Action.REFUSED in offered,
        "send_back": Action.RETURNED in offered,
        "send_down": Action.SENT_DOWN in offered,
        "reopen": Action.REOPENED in offered,
    }


def _criterion_row(view, opinions: dict) -> dict:
    parameters = view.criterion.parameters or {}
    given = view.answer.items or {}
    excuses = view.answer.excuses or {}
    figures = view.answer.figures or {}
    return {
        "view": view,
        "opinion": opinions.get(view.criterion.pk),
        "items": [
            (
                label,
                text,
                item_state(given.get(str(number))) or "unanswered",
                excuses.get(str(number), ""),
            )
            for number, (label, text) in enumerate(
                zip(item_labels(parameters), parameters.get("items", ()), strict=True), start=1
            )
        ],
        "figures": [
            (
                FIGURE_LABELS.get(name, name),
                figures.get(name),
                figures.get(f"{name}_last_year"),
            )
            for name in parameters.get("figures", ())
        ],
    }


def _documents(assessment: Assessment) -> list[tuple[str, list]]:
    """The proposal, report and minutes (present or missing), then any other document."""
    by_kind = defaultdict(list)
    for document in assessment.documents.all():
        if document.kind != DossierDocumentKind.EVIDENCE:
            by_kind[document.kind].append(document)
    kinds = [
        *REQUIRED_DOSSIER_DOCUMENTS,
        *(k for k in by_kind if k not in REQUIRED_DOSSIER_DOCUMENTS),
    ]
    return [(DossierDocumentKind(kind).label, by_kind.get(kind, [])) for kind in kinds]


def _commune_panel(views, stats) -> dict:
    """x of y child units registered and recognised, against the commune criterion's thresholds."""
    rule = next(
        (
            v.criterion.parameters["child_units"]
            for v in views
            if "child_units" in v.criterion.parameters
        ),
        {},
    )
    recognised_min = rule.get("recognised_min_percent")
    registered_min = rule.get("registered_min_percent")

    def line(group) -> dict:
        return {
            "total": group.total,
            "registered": group.registered,
            "recognised": group.recognised,
            "undecided": len(group.undecided),
            "registered_needed": required_count(group.total, registered_min)
            if registered_min is not None
            else None,
            "registered_reached": registered_min is None
            or threshold_reached(group.registered, group.total, registered_min),
            "recognised_needed": required_count(group.total, recognised_min)
            if recognised_min is not None
            else None,
            "recognised_reached": recognised_min is not None
            and threshold_reached(group.recognised, group.total, recognised_min),
        }

    return {
        # Pooled over all child types (Circular 124's literal reading) or judged per type.
        "pooled": rule.get("pooling", "all") == "all",
        "recognised_min": recognised_min,
        "registered_min": registered_min,
        "all": line(stats),
        "by_type": [
            (UnitType(unit_type).label, line(group)) for unit_type, group in stats.by_type.items()
        ],
        "undecided": stats.undecided,
    }


def _returns_by_round(assessment: Assessment) -> list[tuple[int, list]]:
    rounds = defaultdict(list)
    returns = (
        CriterionReturn.objects.filter(assessment=assessment)
        .select_related("criterion", "by")
        .order_by("round", "criterion__number")
    )
    for sent_back in returns:
        rounds[sent_back.round].append(sent_back)
    return sorted(rounds.items())


def _describe_changes(changes: list[dict], criteria) -> list[dict]:
    """round_changes, readable: one row per changed answer, note, figure or item."""
    by_number = {criterion.number: criterion for criterion in criteria}
    answer_field = AssessmentAnswer._meta.get_field
    rows = []
    for change in changes:
        criterion = by_number.get(change["criterion"])
        before, after = change["before"], change["after"]
        base = {"number": change["criterion"], "criterion": criterion}
        if change["field"] == "answer":
            rows.append(
                {
                    **base,
                    "what": answer_field("answer").verbose_name,
                    "before": _answer_label(before),
                    "after": _answer_label(after),
                }
            )
        elif change["field"] == "note":
            rows.append(
                {
                    **base,
                    "what": answer_field("note").verbose_name,
                    "before": before or "—",
                    "after": after or "—",
                }
            )
        elif change["field"] == "figures":
            before, after = before or {}, after or {}
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    rows.append(
                        {
                            **base,
                            "what": _figure_label(name),
                            "before": _value(before.get(name)),
                            "after": _value(after.get(name)),
                        }
                    )
        elif change["field"] == "items":
            before, after = before or {}, after or {}
            items = (criterion.parameters or {}).get("items", ()) if criterion else ()
            for key in sorted(set(before) | set(after), key=int):
                if before.get(key) != after.get(key):
                    index = int(key) - 1
                    text = items[index] if 0 <= index < len(items) else key
                    rows.append(
                        {
                            **base,
                            "what": text,
                            "before": _item_label(before.get(key)),
                            "after": _item_label(after.get(key)),
                        }
                    )
        else:  # excuses, rating, disciplined
            rows.append(
                {
                    **base,
                    "what": answer_field(change["field"]).verbose_name,
                    "before": _value(before),
                    "after": _value(after),
                }
            )
    return rows


def _answer_label(value) -> str:
    return str(Answer(value).label) if value in Answer.values else "—"


def _figure_label(name: str) -> str:
    if name.endswith("_last_year"):
        base = name.removesuffix("_last_year")
        return _("%(figure)s, last year") % {"figure": FIGURE_LABELS.get(base, base)}
    return str(FIGURE_LABELS.get(name, name))


def _value(value) -> str:
    return "—" if value in (None, "") else str(value)


def _item_label(value) -> str:
    state = item_state(value)
    return "—" if state is None else str(ItemAnswer(state).label)


def _next_waiting(user, assessment: Assessment):
    """The earliest due of the other dossiers waiting for the reviewer.

    One query per level the reviewer acts at (their own, those they stand in for), carrying
    only that level's places: the status counters say in which areas something waits at that
    level (the waiting condition depends on the area and the level only), then one walk of that
    level's held dossiers in due order (assessment_held_level_due_idx) stops at the first in
    those areas; where nothing waits, the counters' EXISTS stops the query at once. A level
    with no place (no area left without a reviewer account below) asks nothing. One query over
    every level would read the country's held dossiers in due order and test each one's area
    and reviewers.
    """
    if not _is_reviewer(user):
        return None
    firsts = []
    for level in jurisdiction_of(user).levels_waiting_for_me():
        areas = StatusCount.objects.waiting_for(user, at=level).filter(n__gt=0).values("area_id")
        if areas.query.is_empty():
            continue  # no place at this level: nothing to ask
        first = (
            Assessment.objects.filter(
                Exists(areas), status__in=UNDER_REVIEW, awaiting_level=level, area__in=areas
            )
            .exclude(pk=assessment.pk)
            .select_related("unit")
            .order_by(*AssessmentFilter.ORDERS["due"])
            .first()
        )
        if first is not None:
            firsts.append(first)
    return min(firsts, key=_due_order, default=None)


def _due_order(dossier: Assessment) -> tuple:
    """The queue's "due" order in Python: earliest due date first, none last, then by key."""
    return (dossier.review_due_on is None, dossier.review_due_on or date.min, dossier.pk)


# --- the steps -------------------------------------------------------------------------------


def review_step(form_class=ReviewStepForm):
    """Loads the dossier for a POST step, gates it, and turns a refusal into a message.

    Not visible, or never actionable by this user: 404. The page the user acted from showed
    another status (someone acted first): a message. A lost race under the row lock
    (InvalidTransition, PermissionError) or a rule of the service (ValidationError): a message.
    """
    seen_field = f"{form_class.prefix}-seen_status" if form_class.prefix else "seen_status"

    def decorator(step):
        @require_POST
        @wraps(step)
        def view(request, pk: int):
            assessment = get_object_or_404(_visible(request.user), pk=pk)
            if not _steps(request.user, assessment)["any"]:
                seen = request.POST.get(seen_field, "")
                if not seen or seen == assessment.status:
                    raise Http404
                messages.error(request, refusal_message(assessment))
                return redirect("certification:dossier-review", pk=assessment.pk)
            try:
                return step(request, assessment)
            except PermissionError:
                assessment.refresh_from_db()
                messages.error(request, refusal_message(assessment))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("certification:dossier-review", pk=assessment.pk)

        return view

    return decorator


def _page_with_errors(request, assessment: Assessment, **forms):
    context = {"assessment": assessment, "object": assessment}
    context.update(review_context(request, assessment, **forms))
    messages.error(request, _("Nothing was done: correct the fields marked below."))
    return render(request, DossierReviewView.template_name, context, status=400)


def _done(request, assessment: Assessment, message: str):
    messages.success(request, message)
    return redirect("certification:dossier-review", pk=assessment.pk)


@review_step(ApproveForm)
def dossier_approve(request, assessment):
    today = timezone.localdate()
    form = ApproveForm(
        request.POST,
        ready=readiness(assessment, today=today).passes,
        forwards=_steps(request.user, assessment)["forwards"],
    )
    if not form.is_valid():
        return _page_with_errors(request, assessment, approve_form=form)
    try:
        approved = approve_assessment(
            assessment,
            by=request.user,
            now=timezone.now(),
            today=today,
            comment=form.cleaned_data["comment"],
            override_reason=form.cleaned_data["override_reason"],
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        # The check failed since the page was drawn: show the override, keep what was typed.
        form = ApproveForm(request.POST, ready=False, forwards=False)
        form.is_valid()
        return _page_with_errors(request, assessment, approve_form=form)
    if approved.status == Status.APPRAISED:
        return _done(request, approved, _("The dossier was forwarded to the province."))
    return _done(request, approved, _("The unit was recommended for recognition."))


@review_step(RefuseForm)
def dossier_refuse(request, assessment):
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _page_with_errors(request, assessment, refuse_form=form)
    refused = refuse_assessment(
        assessment, by=request.user, now=timezone.now(), reason=form.cleaned_data["reason"]
    )
    return _done(request, refused, _("The unit was not recommended; the reason is recorded."))


def _criteria_of(assessment: Assessment) -> list:
    """The dossier's criteria in their order, for the forms that take one field per criterion."""
    return [
        answer.criterion
        for answer in assessment.answers.select_related("criterion").order_by("criterion__number")
    ]


@review_step(SendBackForm)
def dossier_send_back(request, assessment):
    criteria = _criteria_of(assessment)
    form = SendBackForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _page_with_errors(request, assessment, send_back_form=form)
    returned = send_back_criteria(
        assessment, reasons=form.cleaned_data["reasons"], by=request.user, now=timezone.now()
    )
    return _done(
        request,
        returned,
        _("The dossier went back to the unit for round %(round)s.") % {"round": returned.round},
    )


@review_step(SendDownForm)
def dossier_send_down(request, assessment):
    form = SendDownForm(request.POST)
    if not form.is_valid():
        return _page_with_errors(request, assessment, send_down_form=form)
    down = send_down(
        assessment, by=request.user, now=timezone.now(), reason=form.cleaned_data["reason"]
    )
    return _done(request, down, _("The dossier went back to the commune police."))


@review_step(ReopenForm)
def dossier_reopen(request, assessment):
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _page_with_errors(request, assessment, reopen_form=form)
    reopened = reopen_assessment(
        assessment, by=request.user, now=timezone.now(), reason=form.cleaned_data["reason"]
    )
    return _done(request, reopened, _("The dossier was reopened for review."))


@review_step()
def dossier_opinions(request, assessment):
    """Saves the reviewer's opinions on the dossier and its criteria (no change of status)."""
    criteria = _criteria_of(assessment)
    form = OpinionsForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _page_with_errors(request, assessment, opinions_form=form)
    save_opinions(assessment, opinions=form.opinions(), by=request.user, now=timezone.now())
    return _done(request, assessment, _("Your review opinions were saved."))
