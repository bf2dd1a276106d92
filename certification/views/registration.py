"""Registration pages: the unit's registration, documents, the reviewer's list and actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView
from django_filters.views import FilterView

from certification.filters.registration import RegistrationFilter
from certification.forms.registration import ExtensionForm, RegistrationForm, ReturnForm
from certification.models import (
    Cycle,
    CycleStep,
    DeadlineExtension,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
)
from certification.reports import registration_completeness
from certification.services import cycles as cycle_services
from certification.services import registration as registration_services
from certification.uploads import serve_upload
from certification.workflows.registration import (
    extends_deadlines_of,
    registration_workflow,
    represents,
    reviews_registration_of,
)
from units.jurisdiction import jurisdiction_of
from units.models import AREA_ROLES, Area, AreaLevel, Role, Unit, UnitType
from units.pagination import BoundedPaginator, SearchBoundedPaginationMixin


def _current_cycle(unit: Unit, today):
    return Cycle.objects.for_unit(unit, today.year)


# --- the unit's registration -----------------------------------------------------------------


def unit_registration(request, unit_pk: int):
    """The unit representative's page for this year's registration (others read it)."""
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("area"), pk=unit_pk
    )
    today = timezone.localdate()
    cycle = _current_cycle(unit, today)
    registration = (
        Registration.objects.filter(cycle=cycle, unit=unit).select_related("cycle").first()
        if cycle
        else None
    )
    may_edit = represents(request.user, unit) and (
        registration is None or registration.is_editable_by_unit
    )
    refusal = ""
    if cycle and registration is None:
        refusal = registration_services.registration_refusal(cycle, unit, today=today)

    form = None
    if cycle and may_edit and not refusal:
        form = RegistrationForm(
            request.POST or None,
            request.FILES or None,
            instance=registration,
            unit=unit,
            year=cycle.year,
            signer=request.user,
        )
        if request.method == "POST":
            outcome = _save_registration_form(request, form, cycle, unit, registration, today)
            if outcome is not None:
                return outcome
    elif request.method == "POST":
        messages.error(request, refusal or _("This registration can no longer be changed."))

    return render(
        request,
        "certification/unit_registration.html",
        _registration_context(request, unit, cycle, registration, form, refusal, today),
        status=400 if request.method == "POST" else 200,
    )


def _save_registration_form(request, form, cycle, unit, registration, today):
    """Saves (and maybe submits) the form; returns a redirect, or None to show the errors."""
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return None
    try:
        with transaction.atomic():
            values = form.registration_values()
            if registration is None:
                registration = registration_services.start_registration(
                    cycle, unit, values=values, by=request.user, today=today
                )
            else:
                registration = registration_services.save_registration(
                    registration, values=values, by=request.user
                )
            if form.cleaned_data.get("document_file"):
                registration_services.add_document(
                    registration,
                    kind=form.cleaned_data["document_kind"],
                    uploaded_file=form.cleaned_data["document_file"],
                    document_date=form.cleaned_data["document_date"],
                    by=request.user,
                )
    except ValidationError as error:
        _show_errors(request, form, error)
        return None
    if request.POST.get("action") == "submit":
        try:
            registration = registration_services.submit_registration(
                registration, by=request.user, now=timezone.now(), today=today
            )
        except ValidationError as error:
            messages.warning(request, _("Saved, but not submitted yet:"))
            for message in error.messages:
                messages.error(request, message)
            return redirect("certification:unit-registration", unit_pk=unit.pk)
        messages.success(
            request,
            _("Registration submitted. Your receipt code is %(code)s.")
            % {"code": registration.receipt_code},
        )
    else:
        messages.success(request, _("Saved. You can finish and submit it later."))
    return redirect("certification:unit-registration", unit_pk=unit.pk)


def _show_errors(request, form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
    messages.error(request, _("Nothing was saved: correct the fields marked below."))


def _registration_context(request, unit, cycle, registration, form, refusal, today):
    calendar = extension = registration_deadline = None
    if cycle:
        calendar = cycle_services.calendar_for(cycle, unit)
        registration_deadline, extension = cycle_services.deadline_for(
            cycle, unit, CycleStep.REGISTRATION
        )
    return {
        "unit": unit,
        "cycle": cycle,
        "calendar": calendar,
        "extension": extension,
        "extensions": DeadlineExtension.objects.filter(cycle=cycle, unit=unit) if cycle else [],
        "registration_deadline": registration_deadline,
        "registration": registration,
        "documents": registration.documents.select_related("uploaded_by") if registration else [],
        "events": registration.events.select_related("by") if registration else [],
        "return_reason": registration.events.filter(action=RegistrationEvent.Action.RETURNED)
        .values_list("reason", flat=True)
        .last()
        if registration
        else "",
        "missing": registration_services.missing_for_submission(registration)
        if registration and registration.is_editable_by_unit
        else [],
        "form": form,
        "refusal": refusal,
        "may_extend": extends_deadlines_of(request.user, unit) if cycle else False,
        "today": today,
    }


@require_POST
def document_remove(request, pk: int):
    document = get_object_or_404(
        RegistrationDocument.objects.filter(
            registration__in=Registration.objects.visible_to(request.user)
        ).select_related("registration__unit"),
        pk=pk,
    )
    unit = document.registration.unit
    if not represents(request.user, unit):
        raise Http404
    try:
        registration_services.remove_document(document, by=request.user)
        messages.success(request, _("The document was removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("certification:unit-registration", unit_pk=unit.pk)


@require_safe
def document_download(request, pk: int):
    """Serves an uploaded file only to users who may see its registration."""
    document = get_object_or_404(
        RegistrationDocument.objects.filter(
            registration__in=Registration.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return serve_upload(document)


# --- reviewers -------------------------------------------------------------------------------


class RegistrationListView(SearchBoundedPaginationMixin, FilterView):
    """Registrations the user may see; reviewers start on those waiting for them."""

    filterset_class = RegistrationFilter
    template_name = "certification/registration_list.html"
    paginate_by = settings.REGISTRATION_LIST_PAGE_SIZE
    paginator_class = BoundedPaginator
    strict = True

    def get_queryset(self):
        return (
            Registration.objects.visible_to(self.request.user)
            .select_related("unit__area", "cycle__province")
            # The order of the index (status, submitted_at, id): a page is read, not sorted.
            .order_by("status", "submitted_at", "pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or not set(kwargs["data"]) - {"page"}:
            # First visit: a reviewer sees what waits for them, anyone else the current cycle.
            page = kwargs["data"].get("page") if kwargs["data"] else None
            scope = jurisdiction_of(self.request.user)
            if Role.REVIEWER in scope.roles:
                default = {"waiting": "1"}
            else:
                year = Cycle.objects.current_year()
                default = {"year": str(year)} if year else {}
            kwargs["data"] = {**default, **({"page": page} if page else {})}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class RegistrationDetailView(DetailView):
    template_name = "certification/registration_detail.html"
    context_object_name = "registration"

    def get_queryset(self):
        return Registration.objects.visible_to(self.request.user).select_related(
            "unit__area", "cycle__province", "cycle__criteria_set"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.object
        context.update(
            may_review=reviews_registration_of(self.request.user, registration.unit),
            steps=registration_workflow.offered(registration, self.request.user),
            documents=registration.documents.select_related("uploaded_by"),
            events=registration.events.select_related("by"),
            return_form=kwargs.get("return_form") or ReturnForm(),
            figure_pairs=[
                (
                    Registration._meta.get_field(part).verbose_name,
                    getattr(registration, part),
                    Registration._meta.get_field(whole).verbose_name,
                    getattr(registration, whole),
                )
                for whole, part in registration.figure_pairs
            ],
        )
        return context


def _reviewable(request, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    if not reviews_registration_of(request.user, registration.unit):
        raise Http404
    return registration


@require_POST
def registration_acknowledge(request, pk: int):
    registration = _reviewable(request, pk)
    try:
        registration_services.acknowledge_registration(
            registration, by=request.user, now=timezone.now()
        )
        messages.success(request, _("Registration acknowledged."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("certification:registration-detail", pk=registration.pk)


@require_POST
def registration_return(request, pk: int):
    registration = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            registration_services.return_registration(
                registration,
                by=request.user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
            messages.success(request, _("Registration returned to the unit."))
            return redirect("certification:registration-detail", pk=registration.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("certification:registration-detail", pk=registration.pk)
    view = RegistrationDetailView()
    view.setup(request, pk=pk)
    view.object = registration
    context = view.get_context_data(object=registration, return_form=form)
    return render(request, view.template_name, context, status=400)


def extension_create(request, unit_pk: int):
    """A reviewer of the unit's area (or an administrator) grants a later deadline."""
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("area"), pk=unit_pk
    )
    if not extends_deadlines_of(request.user, unit):
        raise Http404
    today = timezone.localdate()
    cycle = _current_cycle(unit, today)
    if cycle is None:
        raise Http404
    form = ExtensionForm(request.POST or None, year=cycle.year)
    if request.method == "POST" and form.is_valid():
        try:
            extension = cycle_services.grant_extension(
                cycle,
                unit,
                form.cleaned_data["step"],
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(
                request,
                _("%(unit)s now has until %(date)s for the %(step)s.")
                % {
                    "unit": unit.name,
                    "date": extension.due_on.strftime("%d/%m/%Y"),
                    "step": extension.get_step_display(),
                },
            )
            return redirect("certification:unit-registration", unit_pk=unit.pk)
    return render(
        request,
        "certification/extension_form.html",
        {"unit": unit, "cycle": cycle, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _completeness_areas(user):
    """Communes whose completeness a user may read: those under their reviewer, decision-maker or
    observer scope, and the commune whose own unit they represent (its criterion counts its child
    units). The representative of a unit inside a commune does not see which neighbours lag."""
    under_scope = Area.objects.visible_to(user, roles=AREA_ROLES).values("pk")
    own_communes = (
        Unit.objects.visible_to(user, roles=[Role.UNIT_REPRESENTATIVE])
        .filter(unit_type=UnitType.COMMUNE)
        .values("area_id")
    )
    return Area.objects.filter(level=AreaLevel.COMMUNE).filter(
        Q(pk__in=under_scope) | Q(pk__in=own_communes)
    )


@require_safe
def registration_completeness_view(request, area_pk: int):
    """x of y child units of a commune registered, and which are missing."""
    area = get_object_or_404(_completeness_areas(request.user), pk=area_pk)
    today = timezone.localdate()
    cycle = Cycle.objects.for_area(area, today.year)
    report = registration_completeness(area, cycle, today=today) if cycle else None
    return render(
        request,
        "certification/registration_completeness.html",
        {"area": area, "cycle": cycle, "report": report},
    )
