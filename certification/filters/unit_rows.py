"""What the lists of registrations, dossiers and results filter on alike: the row's unit (its
type, its area's subtree, its name or code) and the cycle's year."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.models import Cycle
from units.filters import AreaSubtreeFilter, BootstrapFilterSet, areas_for_filter
from units.models import UnitType
from units.search import code_is, name_contains


class UnitRowFilterSet(BootstrapFilterSet):
    # Where a row's area path is read: through its unit, or on the row's own stored area.
    area_path = "unit__area__path"

    unit_type = django_filters.ChoiceFilter(
        label=_("Unit type"),
        field_name="unit__unit_type",
        choices=UnitType.choices,
        empty_label=_("All types"),
    )
    area = AreaSubtreeFilter(
        label=_("Area"),
        queryset=areas_for_filter,
        method="filter_area",
        empty_label=_("All areas"),
    )

    def search_condition(self, value: str) -> Q:
        """The rows a search finds: the unit's name (without accents) or its exact code."""
        return name_contains("unit__search_name", value) | code_is("unit__code", value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(self.search_condition(value)) if value else queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(cycle__in=Cycle.objects.ids_of_year(value))

    def filter_area(self, queryset, name, area):
        return queryset.filter(**{f"{self.area_path}__startswith": area.path})
