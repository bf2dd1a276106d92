"""The registration list and the dossier queue as CSV or XLSX, filtered exactly as on screen: the
list view itself builds the filter set (its queryset, its defaults on a first visit)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification import exports
from certification.views.registration import RegistrationListView
from certification.views.review import DossierQueueView


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


def _filtered(request, view_class):
    """The rows the list view shows for this request, on all its pages."""
    view = view_class()
    view.setup(request)
    filterset = view.get_filterset(view.get_filterset_class())
    if filterset.is_bound and not filterset.is_valid():
        raise Http404  # the list shows the filter's error; there is no list to download
    return filterset.qs


def _unit_year_header() -> list[str]:
    return [_("Unit code"), _("Unit"), _("Unit type"), _("Area"), _("Year"), _("Status")]


def _unit_year_cells(row) -> list:
    """The unit, its area today, the cycle's year and the row's status (a registration's or a
    dossier's)."""
    unit = row.unit
    return [
        unit.code,
        unit.name,
        unit.get_unit_type_display(),
        unit.area.name,
        row.cycle.year,
        row.get_status_display(),
    ]


def registration_export(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    return exports.export(
        _filtered(request, RegistrationListView),
        header=[_("Receipt code"), *_unit_year_header(), _("Submitted")],
        row=lambda r: [r.receipt_code, *_unit_year_cells(r), _local(r.submitted_at)],
        filename="dang-ky",
        fmt=fmt,
    )


def dossier_export(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    return exports.export(
        _filtered(request, DossierQueueView),
        header=[*_unit_year_header(), _("Round"), _("Submitted"), _("Review due date")],
        row=lambda a: [
            *_unit_year_cells(a),
            a.round,
            _local(a.submitted_at),
            date_format(a.review_due_on, "SHORT_DATE_FORMAT") if a.review_due_on else "",
        ],
        filename="ho-so",
        fmt=fmt,
    )
