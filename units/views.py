"""Pages of the units registry; every queryset starts from `visible_to(request.user)`."""

import datetime
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.utils import timezone
from django.views.generic import DetailView
from django_filters.views import FilterView

from units.filters import UnitFilter
from units.jurisdiction import jurisdiction_of
from units.models import Area, Role, RoleAssignment, Unit, UnitCount, UnitType
from units.pagination import BoundedPaginator, SearchBoundedPaginationMixin


def counts_by_type(user, on: datetime.date, area: Area | None = None) -> list[tuple[str, int]]:
    """[(type label, count)] for every unit type, zero included: the units active on `on` that
    the user sees, or those under `area` (one of the user's scope areas).

    Whatever the number of units, a few small queries: the unit counters of the areas (units
    without dates), the few units with dates active that day, and what the user sees outside
    their areas (a representative's own units, a Ministry department reviewer's bodies).
    """
    scope = jurisdiction_of(user)
    visible = Unit.objects.visible_to(user)
    dated = visible.dated().active(on)
    outside: dict[str, int] = {}
    if area is not None:
        counters = UnitCount.objects.filter(area__path__startswith=area.path)
        dated = dated.within(area)
    elif scope.sees_everything:
        counters = UnitCount.objects.all()
    else:
        areas = scope.area_condition("area__path")
        counters = UnitCount.objects.filter(areas) if areas else UnitCount.objects.none()
        if scope.unit_ids or scope.ministry_reviewer:
            outside = (visible.exclude(areas) if areas else visible).undated().by_type()
    counts = Counter(counters.by_type()) + Counter(dated.by_type()) + Counter(outside)
    return [(label, counts.get(value, 0)) for value, label in UnitType.choices]


class UnitListView(SearchBoundedPaginationMixin, FilterView):
    filterset_class = UnitFilter
    template_name = "units/unit_list.html"
    paginate_by = settings.UNIT_LIST_PAGE_SIZE
    paginator_class = BoundedPaginator
    # An invalid filter (an area outside the jurisdiction) shows its error, not every unit.
    strict = True

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).select_related("area")

    def search_is_read_in_order(self):
        return False  # a search sorts its matches by name (UnitFilter.filter_search)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        today = timezone.localdate()
        for unit in context["object_list"]:
            unit.active_now = unit.is_active(today)
        return context


class UnitDetailView(DetailView):
    template_name = "units/unit_detail.html"

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).select_related("area")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context.update(
            today=timezone.localdate(),
            area_ancestors=list(Area.objects.get_ancestors(unit.area)),
            area_changes=unit.area_changes.select_related("old_area", "new_area", "changed_by"),
            representatives=RoleAssignment.objects.filter(
                unit=unit, role=Role.UNIT_REPRESENTATIVE
            ).select_related("user"),
        )
        return context


class SiteUrlPasswordResetView(PasswordResetView):
    """Password reset whose e-mailed link starts with SITE_URL, never with the request's Host.

    A forged Host header must not turn the reset link into one pointing at another site.
    """

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        self.extra_email_context = {
            "protocol": site.scheme,
            "domain": f"{site.netloc}{site.path.rstrip('/')}",
            "site_name": site.netloc,
        }
        return super().form_valid(form)
