"""Recognised or not, per unit and year: the yearly results the user may see, filtered."""

from __future__ import annotations

from django_filters.views import FilterView

from certification.filters.results import ResultFilter
from certification.models import YearlyResult
from units.models import Unit
from units.pagination import BoundedPaginator, SearchBoundedPaginationMixin

PAGE_SIZE = 50


class ResultListView(SearchBoundedPaginationMixin, FilterView):
    filterset_class = ResultFilter
    template_name = "certification/result_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
    # An invalid filter (an area outside the jurisdiction) shows its error, not every result.
    strict = True

    def get_queryset(self):
        return (
            YearlyResult.objects.filter(unit__in=Unit.objects.visible_to(self.request.user))
            .select_related("unit__area", "cycle")
            .order_by("-cycle__year", "unit__area__name", "unit__name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
