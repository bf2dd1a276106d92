"""Filters for the list of yearly results: year, result, unit type, area and search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import ResultValue, YearlyResult
from units.filters import AreaSubtreeFilter, BootstrapFilterSet, areas_for_filter
from units.models import UnitType
from units.search import code_is, name_contains


class ResultFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Unit name or code"), "type": "search"}),
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="cycle__year")
    result = django_filters.ChoiceFilter(
        label=_("Result"), choices=ResultValue.choices, empty_label=_("All")
    )
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

    class Meta:
        model = YearlyResult
        fields = ["q", "year", "result", "unit_type", "area"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name_contains("unit__name", value) | code_is("unit__code", value))

    def filter_area(self, queryset, name, area):
        return queryset.filter(unit__area__path__startswith=area.path)
