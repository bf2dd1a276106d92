"""Filters for the reviewer's dossier queue: waiting for me, type, area, status, overdue, order."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from certification.models import (
    Assessment,
    AssessmentStatus,
    CycleCalendar,
    CycleStep,
    DeadlineExtension,
)
from units.filters import AreaSubtreeFilter, BootstrapFilterSet, areas_for_filter
from units.models import UnitType

# A dossier can only be late for its reviewer while a reviewer holds it.
UNDER_REVIEW = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED)


def with_review_due_on(queryset):
    """Annotates `review_due_on`: the unit's review extension, else its type's calendar date.

    Two correlated subqueries in the same SELECT, so the queue stays one query per page.
    """
    extension = DeadlineExtension.objects.filter(
        cycle=OuterRef("cycle"), unit=OuterRef("unit"), step=CycleStep.REVIEW
    ).values("due_on")[:1]
    calendar = CycleCalendar.objects.filter(
        cycle=OuterRef("cycle"), unit_type=OuterRef("unit__unit_type")
    ).values("review_due_on")[:1]
    return queryset.annotate(review_due_on=Coalesce(Subquery(extension), Subquery(calendar)))


def overdue_condition(today) -> Q:
    return Q(review_due_on__lt=today, status__in=UNDER_REVIEW)


class AssessmentFilter(BootstrapFilterSet):
    """Expects a queryset annotated by `with_review_due_on` and `today` from the view."""

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
    year = django_filters.NumberFilter(label=_("Year"), field_name="cycle__year")
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

    # Every order ends on the primary key, so pages never overlap.
    ORDERS = {
        "due": (F("review_due_on").asc(nulls_last=True), "submitted_at", "unit__name", "pk"),
        "-due": (F("review_due_on").desc(nulls_last=True), "submitted_at", "unit__name", "pk"),
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
        return queryset.filter(overdue_condition(self.today)) if value else queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(unit__name__icontains=value) | Q(unit__code__iexact=value))

    def filter_area(self, queryset, name, area):
        return queryset.filter(unit__area__path__startswith=area.path)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.ORDERS[value])
