"""Filters for the registration list: status, unit type, area, search, and "waiting for me"."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.filters.unit_rows import UnitRowFilterSet
from certification.models import Registration, RegistrationStatus
from units.models import Unit
from units.search import code_is


class RegistrationFilter(UnitRowFilterSet):
    area_path = "area__path"  # the registration's stored area: no join through its unit

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

    def search_condition(self, value):
        # The receipt code is looked up first (one row at most, by its unique index): OR-ed in
        # the query, a condition on the registration beside those on its unit would keep the
        # unit's indexes out of the plan and scan the year's registrations.
        receipts = list(
            Registration.objects.filter(code_is("receipt_code", value)).values_list("pk", flat=True)
        )
        condition = super().search_condition(value)
        return condition | Q(pk__in=receipts) if receipts else condition
