"""Filters for the registration list: status, unit type, area, search, and "waiting for me"."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import Cycle, Registration, RegistrationStatus
from units.filters import AreaSubtreeFilter, BootstrapFilterSet, areas_for_filter
from units.models import Unit, UnitType
from units.search import code_is, name_contains


class RegistrationFilter(BootstrapFilterSet):
    waiting = django_filters.BooleanFilter(
        label=_("Waiting for me"),
        method="filter_waiting",
        widget=forms.CheckboxInput,
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"placeholder": _("Unit, code or receipt code"), "type": "search"}
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RegistrationStatus.choices, empty_label=_("All")
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

    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")

    class Meta:
        model = Registration
        fields = ["waiting", "q", "status", "unit_type", "area", "year"]

    def filter_waiting(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            status=RegistrationStatus.SUBMITTED,
            unit__in=Unit.objects.in_charge_of(self.request.user),
        )

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            name_contains("unit__name", value)
            | code_is("unit__code", value)
            | code_is("receipt_code", value)
        )

    def filter_year(self, queryset, name, value):
        return queryset.filter(cycle__in=Cycle.objects.ids_of_year(value))

    def filter_area(self, queryset, name, area):
        return queryset.filter(unit__area__path__startswith=area.path)
