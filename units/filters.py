"""Filters for the unit list: search, type, area (a subtree) and active status."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.jurisdiction import jurisdiction_of
from units.models import Area, AreaLevel, Unit, UnitType
from units.search import code_is, name_contains, sorted_matches


def areas_for_filter(request):
    """The areas a user may filter by: those of their jurisdiction down to commune level.

    For the whole country (3,000-odd communes, too many for one list) the provinces are offered,
    and the areas of the province an area is chosen in: choose a province, then its commune.
    """
    if request is None:
        return Area.objects.none()
    areas = (
        Area.objects.visible_to(request.user)
        .filter(level__in=[AreaLevel.PROVINCE, AreaLevel.DISTRICT, AreaLevel.COMMUNE])
        .only("pk", "name", "path", "depth", "valid_to")
        .order_by("path")
    )
    if not jurisdiction_of(request.user).sees_everything:
        return areas
    offered = Q(depth=1)
    chosen = request.GET.get("area", "")
    if chosen.isdigit():
        path = Area.objects.filter(pk=chosen).values_list("path", flat=True).first()
        if path:
            offered |= Q(path__startswith=path[: Area.steplen])
    return areas.filter(offered)


class AreaChoiceIterator(forms.models.ModelChoiceIterator):
    """The areas read with one plain query.

    Django's iterator reads them through queryset.iterator(), which on PostgreSQL opens a
    server-side cursor (DECLARE ... WITH HOLD, FETCH, CLOSE: three round trips and a result the
    server materialises) on every page with an area filter, for a list of a few hundred areas
    at the most.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for area in self.queryset:
            yield self.choice(area)


class AreaSelectField(forms.ModelChoiceField):
    """A choice of areas, offered from one query."""

    iterator = AreaChoiceIterator


class AreaChoiceField(AreaSelectField):
    """A choice of areas from several levels: communes indented under their province."""

    def label_from_instance(self, area):
        indent = "— " * max(area.depth - 1, 0)
        closed = _(" (merged)") if area.valid_to else ""
        return f"{indent}{area.name}{closed}"


class AreaSubtreeFilter(django_filters.ModelChoiceFilter):
    field_class = AreaChoiceField


class BootstrapFilterSet(django_filters.FilterSet):
    """A filter set whose form renders with Bootstrap's classes (no template tag needed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"


class UnitFilter(BootstrapFilterSet):
    ACTIVE_CHOICES = (("yes", _("Active")), ("no", _("Inactive")))

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Name or code"), "type": "search"}),
    )
    unit_type = django_filters.ChoiceFilter(
        label=_("Unit type"), choices=UnitType.choices, empty_label=_("All types")
    )
    area = AreaSubtreeFilter(
        label=_("Area"),
        queryset=areas_for_filter,
        method="filter_area",
        empty_label=_("All areas"),
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("All")
    )

    class Meta:
        model = Unit
        fields = ["q", "unit_type", "area", "active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matches = queryset.filter(name_contains("search_name", value) | code_is("code", value))
        return matches.order_by(sorted_matches("name"), "code")

    def filter_area(self, queryset, name, area):
        return queryset.within(area)

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.active(today) if value == "yes" else queryset.inactive(today)
