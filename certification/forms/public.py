"""The public register's filter form (no login)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from certification.validators import parse_id
from units.models import Area, AreaLevel


class RegisterFilterForm(forms.Form):
    """A plain GET form, so the register works without JavaScript.

    The province and commune lists are read once each: the same rows are the options and what
    a chosen value is checked against (cleaned to its Area).
    """

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    province = forms.TypedChoiceField(
        label=gettext_lazy("Province"), coerce=int, empty_value=None, required=False
    )
    commune = forms.TypedChoiceField(
        label=gettext_lazy("Commune"), coerce=int, empty_value=None, required=False
    )
    q = forms.CharField(
        label=gettext_lazy("Unit name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].choices = [("", gettext_lazy("All years"))] + [
            (year, year) for year in years
        ]
        provinces = Area.objects.filter(level=AreaLevel.PROVINCE).current(today).order_by("path")
        self.provinces = {area.pk: area for area in provinces}
        self.communes: dict[int, Area] = {}
        # Communes are offered once a province is chosen (the form is sent again).
        chosen = self.provinces.get(parse_id(self.data.get("province", "")))
        if chosen is not None:
            communes = Area.objects.within(chosen).filter(level=AreaLevel.COMMUNE).current(today)
            self.communes = {area.pk: area for area in communes.order_by("path")}
        self.fields["province"].choices = _choices(gettext_lazy("All provinces"), self.provinces)
        self.fields["commune"].choices = _choices(gettext_lazy("All communes"), self.communes)

    def clean_province(self) -> Area | None:
        return self.provinces.get(self.cleaned_data["province"])

    def clean_commune(self) -> Area | None:
        return self.communes.get(self.cleaned_data["commune"])


def _choices(everything, areas: dict[int, Area]) -> list[tuple]:
    return [("", everything)] + [(pk, str(area)) for pk, area in areas.items()]
