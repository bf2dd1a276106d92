"""Filters for the list of yearly results: year, result, unit type, area and search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from certification.filters.unit_rows import UnitRowFilterSet
from certification.models import ResultValue, YearlyResult


class ResultFilter(UnitRowFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Unit name or code"), "type": "search"}),
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="cycle__year")
    result = django_filters.ChoiceFilter(
        label=_("Result"), choices=ResultValue.choices, empty_label=_("All")
    )

    class Meta:
        model = YearlyResult
        fields = ["q", "year", "result", "unit_type", "area"]
