"""The progress of an area: per child area and unit type, this year beside last year, with the
communes failing the 100%/70% rule. Observers, reviewers and decision makers; others get a 404."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from certification import charts, exports, reports
from units.jurisdiction import jurisdiction_of
from units.models import AREA_ROLES, Area, UnitType


def _progress_areas(user):
    """The areas whose progress the user may open: the subtrees of their area roles."""
    scope = jurisdiction_of(user)
    if scope.sees_everything:
        return Area.objects.all()
    condition = scope.area_condition("path", roles=AREA_ROLES)
    return Area.objects.filter(condition) if condition else Area.objects.none()


def _area_for(request, area_pk: int | None) -> Area:
    scope = jurisdiction_of(request.user)
    area_roles = [s for s in scope.scopes if s.role in AREA_ROLES]
    if not scope.sees_everything and not area_roles:
        raise Http404
    if area_pk is None:
        if not area_roles:  # an administrator without an area: the first province
            return get_object_or_404(Area.objects.filter(depth=1).order_by("name")[:1])
        return get_object_or_404(Area, path=min(s.path for s in area_roles))
    return get_object_or_404(_progress_areas(request.user), pk=area_pk)


def _year(request, today) -> int:
    try:
        return int(request.GET.get("year") or today.year)
    except ValueError as bad:
        raise Http404 from bad


def _summary_chart(summary: reports.YearlySummary) -> str:
    return charts.percent_bars(
        [str(line.label) for line in summary.lines],
        {
            _("registered / eligible"): [line.registered_percent for line in summary.lines],
            _("recognised / registered"): [line.recognised_percent for line in summary.lines],
        },
    )


def area_progress(request, area_pk: int | None = None):
    area = _area_for(request, area_pk)
    today = timezone.localdate()
    year = _year(request, today)
    years = (year, year - 1)
    tables = {y: reports.area_progress(area, y, today=today) for y in years}
    children = {child.path: child for child in area.get_children().order_by("name")}
    type_labels = dict(UnitType.choices)
    rows = []
    keys = sorted(
        {key for table in tables.values() for key in table},
        key=lambda key: (children[key[0]].name if key[0] in children else "", key[1]),
    )
    for path, unit_type in keys:
        rows.append(
            {
                "area": children.get(path, area),
                "unit_type": unit_type,
                "unit_type_label": type_labels.get(unit_type, unit_type),
                "years": [
                    reports.ProgressRow(path, unit_type, y, tables[y].get((path, unit_type), {}))
                    for y in years
                ],
            }
        )
    summary = reports.yearly_summary(area, year, today=today)
    ancestors = list(Area.objects.get_ancestors(area))
    reachable = set(
        _progress_areas(request.user)
        .filter(pk__in=[ancestor.pk for ancestor in ancestors])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "certification/area_progress.html",
        {
            "area": area,
            # Areas above the user's own are named, not linked: their progress is not theirs.
            "ancestors": [(ancestor, ancestor.pk in reachable) for ancestor in ancestors],
            "year": year,
            "years": years,
            "rows": rows,
            "measures": reports.PROGRESS_MEASURES,
            "failing": summary.failing,
            "summary": summary,
            "summary_chart": _summary_chart(summary) if summary.lines else None,
            "required_registered": reports.REQUIRED_REGISTERED_PERCENT,
            "required_recognised": reports.REQUIRED_RECOGNISED_PERCENT,
        },
    )


@require_safe
def area_summary(request, area_pk: int):
    """The yearly summary in the shape the police report upwards, as a printable page."""
    area = _area_for(request, area_pk)
    today = timezone.localdate()
    summary = reports.yearly_summary(area, _year(request, today), today=today)
    return render(
        request,
        "certification/area_summary.html",
        {
            "summary": summary,
            "area": area,
            "year": summary.year,
            "today": today,
            "required_registered": reports.REQUIRED_REGISTERED_PERCENT,
            "required_recognised": reports.REQUIRED_RECOGNISED_PERCENT,
        },
    )


@require_safe
def area_summary_xlsx(request, area_pk: int):
    """The same summary as a workbook: the figures per unit type, then the failing communes."""
    from openpyxl import Workbook

    area = _area_for(request, area_pk)
    today = timezone.localdate()
    summary = reports.yearly_summary(area, _year(request, today), today=today)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Summary"))
    sheet.append(
        [_("Yearly summary of %(area)s, %(year)s") % {"area": area.name, "year": summary.year}]
    )
    sheet.append([])
    sheet.append(_summary_header())
    for line in [*summary.lines, summary.total]:
        sheet.append(
            [
                str(line.label) or _("Total"),
                line.eligible,
                line.registered,
                line.registered_percent,
                line.recognised,
                line.recognised_percent,
            ]
        )
    failing = workbook.create_sheet(_("Communes failing the rule"))
    failing.append([_("Commune"), _("Eligible"), _("Registered"), "%", _("Recognised"), "%"])
    for rule in summary.failing:
        failing.append(
            [
                rule.area.name,
                rule.eligible,
                rule.registered,
                rule.registered_percent,
                rule.recognised,
                rule.recognised_percent,
            ]
        )
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"tong-hop-{summary.year}.xlsx",
        content_type=exports.CONTENT_TYPES["xlsx"],
    )


def _summary_header() -> list[str]:
    return [
        _("Unit type"),
        _("Eligible"),
        _("Registered"),
        _("Rate registered"),
        _("Recognised"),
        _("Rate recognised of registered"),
    ]
