"""Pages of the units registry; every queryset starts from `visible_to(request.user)`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.db.models import Count
from django.utils import timezone
from django.views.generic import DetailView
from django_filters.views import FilterView

from units.filters import UnitFilter
from units.models import Area, Role, RoleAssignment, Unit, UnitType
from units.pagination import BoundedPaginator, SearchBoundedPaginationMixin


def counts_by_type(units) -> list[tuple[str, int]]:
    """[(type label, count)] for every unit type, zero included, in one aggregate query."""
    counts = dict(units.order_by().values_list("unit_type").annotate(n=Count("pk")))
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
