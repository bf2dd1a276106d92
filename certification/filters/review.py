"""Filters for the reviewer's dossier queue: waiting for me, type, area, status, overdue, order."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from certification.filters.unit_rows import UnitRowFilterSet
from certification.models import Assessment, AssessmentStatus
from units.search import sorted_matches


class AssessmentFilter(UnitRowFilterSet):
    """Expects `today` from the view; the review due date is stored on each dossier."""

    area_path = "area__path"  # the dossier's stored area: no join through its unit

    waiting = django_filters.BooleanFilter(
        label=_("Waiting for me"), method="filter_waiting", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label=_("Review overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Unit name or code"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AssessmentStatus.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("due", _("Review due date, earliest first")),
            ("-due", _("Review due date, latest first")),
            ("submitted", _("Submitted, earliest first")),
            ("unit", _("Unit name")),
        ],
        method="filter_sort",
        empty_label=None,
    )

    # Every order ends on the primary key, so pages never overlap. The due-date orders match
    # the index (cycle, review_due_on, id): a page is read from it, not sorted from a year.
    ORDERS = {
        "due": (F("review_due_on").asc(nulls_last=True), "pk"),
        "-due": (F("review_due_on").desc(nulls_first=True), "-pk"),
        "submitted": (F("submitted_at").asc(nulls_last=True), "unit__name", "pk"),
        "unit": ("unit__name", "cycle__year", "pk"),
    }

    class Meta:
        model = Assessment
        fields = ["waiting", "overdue", "q", "status", "unit_type", "area", "year", "sort"]

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def filter_waiting(self, queryset, name, value):
        return queryset.waiting_for(self.request.user) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value else queryset

    def filter_sort(self, queryset, name, value):
        order = self.ORDERS[value]
        if value == "unit" and self.form.cleaned_data.get("q", "").strip():
            order = (sorted_matches("unit__name"), *order[1:])
        return queryset.order_by(*order)
