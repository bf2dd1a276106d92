"""Every list as CSV or XLSX, filtered exactly as on screen: the list view itself builds the
filter set (its queryset, its defaults on a first visit), so the file holds the rows the page
lists on all its pages, and never a row out of the user's scope.

A list longer than EXPORT_BACKGROUND_ROWS leaves the request: a background job writes the file
and the user follows its progress on the job's page (certification.views.jobs).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from certification import exports
from certification.models import AssessmentAnswer, ResultValue
from certification.services import jobs
from certification.views.decisions import DecisionListView
from certification.views.registration import RegistrationListView
from certification.views.results import ResultListView
from certification.views.review import DossierQueueView
from units.views import UnitListView


class BadFilter(Exception):
    """The list's filter does not validate: the list page shows why; there is nothing to write."""


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


def _day(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _filtered(request, view_class):
    """The rows the list view shows for this request, on all its pages."""
    view = view_class()
    view.setup(request)
    if not hasattr(view, "get_filterset_class"):
        return view.get_queryset()
    filterset = view.get_filterset(view.get_filterset_class())
    if filterset.is_bound and not filterset.is_valid():
        raise BadFilter
    return filterset.qs


def _unit_cells(unit) -> list:
    return [unit.code, unit.name, unit.get_unit_type_display(), unit.area.name]


def _unit_header() -> list[str]:
    return [_("Unit code"), _("Unit"), _("Unit type"), _("Area")]


def _unit_year_header() -> list[str]:
    return [*_unit_header(), _("Year"), _("Status")]


def _unit_year_cells(row) -> list:
    """The unit, its area today, the cycle's year and the row's status (a registration's or a
    dossier's)."""
    return [*_unit_cells(row.unit), row.cycle.year, row.get_status_display()]


def _answers(dossiers):
    """One line per dossier and criterion: what a provincial officer filters and pivots in Excel
    (criteria differ per unit type, so one column per criterion would be mostly empty)."""
    return (
        AssessmentAnswer.objects.filter(assessment__in=dossiers.order_by().values("pk"))
        .select_related("assessment__unit__area", "assessment__cycle", "criterion")
        .order_by("assessment__unit__name", "assessment__cycle__year", "assessment", "criterion")
    )


def _decisions(queryset):
    recognised = Q(entries__result=ResultValue.RECOGNISED)
    return queryset.annotate(units=Count("entries"), recognised=Count("entries", filter=recognised))


@dataclass(frozen=True)
class ListExport(exports.Listing):
    """A list page's export: the view that filters it and the page to send a bad filter back to."""

    view_class: type = None
    list_url: str = ""
    shape: object = None  # turns the list's queryset into the file's (one line per answer)

    def rows(self, request):
        queryset = _filtered(request, self.view_class)
        return self.shape(queryset) if self.shape else queryset


LISTINGS = {
    "units": ListExport(
        filename="don-vi",
        header=lambda: [*_unit_header(), _("Managed by"), _("Address"), _("Active")],
        row=lambda u: [
            *_unit_cells(u),
            u.get_managing_level_display(),
            u.address,
            _("yes") if u.is_active(timezone.localdate()) else _("no"),
        ],
        view_class=UnitListView,
        list_url="units:unit-list",
    ),
    "registrations": ListExport(
        filename="dang-ky",
        header=lambda: [_("Receipt code"), *_unit_year_header(), _("Submitted")],
        row=lambda r: [r.receipt_code, *_unit_year_cells(r), _local(r.submitted_at)],
        view_class=RegistrationListView,
        list_url="certification:registration-list",
    ),
    "dossiers": ListExport(
        filename="ho-so",
        header=lambda: [*_unit_year_header(), _("Round"), _("Submitted"), _("Review due date")],
        row=lambda a: [
            *_unit_year_cells(a),
            a.round,
            _local(a.submitted_at),
            _day(a.review_due_on),
        ],
        view_class=DossierQueueView,
        list_url="certification:dossier-queue",
    ),
    "dossier-answers": ListExport(
        filename="ho-so-tieu-chi",
        header=lambda: [
            *_unit_year_header(),
            _("Criterion number"),
            _("Criterion"),
            _("Answer"),
            _("Note"),
        ],
        row=lambda a: [
            *_unit_year_cells(a.assessment),
            a.criterion.number,
            a.criterion.title,
            a.get_answer_display(),
            a.note,
        ],
        view_class=DossierQueueView,
        list_url="certification:dossier-queue",
        shape=_answers,
    ),
    "decisions": ListExport(
        filename="quyet-dinh",
        header=lambda: [
            _("Number"),
            _("Issuing body"),
            _("Year"),
            _("Date"),
            _("Status"),
            _("Signed by"),
            _("Units"),
            _("Recognised"),
        ],
        row=lambda d: [
            d.number,
            d.issuing_body,
            d.cycle.year,
            _day(d.decided_on),
            d.get_status_display(),
            d.signer_name,
            d.units,
            d.recognised,
        ],
        view_class=DecisionListView,
        list_url="certification:decision-list",
        shape=_decisions,
    ),
    "results": ListExport(
        filename="ket-qua",
        header=lambda: [*_unit_header(), _("Year"), _("Result"), _("Decided on")],
        row=lambda r: [
            *_unit_cells(r.unit),
            r.cycle.year,
            r.get_result_display(),
            _day(r.decided_on),
        ],
        view_class=ResultListView,
        list_url="certification:result-list",
    ),
}


def request_as(user, query: str) -> HttpRequest:
    """A GET request of the list page by this user: how a background job filters as on screen."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.GET = QueryDict(query)
    return request


@require_safe
def list_export(request, listing: str, fmt: str):
    """The file of a list; a long one is handed to a background job and its progress page."""
    spec = LISTINGS[listing]
    if fmt not in exports.FORMATS:
        raise Http404
    query = request.GET.urlencode()
    try:
        rows = spec.rows(request)
    except BadFilter:
        messages.error(
            request,
            _("The file was not made: a filter is not valid. Correct it, then download again."),
        )
        url = reverse(spec.list_url)
        return redirect(f"{url}?{query}" if query else url)
    total = rows.count()
    if total > settings.EXPORT_BACKGROUND_ROWS:
        job = jobs.start_export(
            listing, fmt, query, total=total, by=request.user, title=_title(spec, fmt, total)
        )
        return redirect("certification:job-detail", pk=job.pk)
    return exports.export(rows, header=spec.header(), row=spec.row, filename=spec.filename, fmt=fmt)


def _title(spec: ListExport, fmt: str, total: int) -> str:
    return _("%(file)s.%(fmt)s: %(total)s lines") % {
        "file": spec.filename,
        "fmt": fmt,
        "total": total,
    }
