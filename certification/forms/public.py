"""The public register's filter form (no login)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from certification.validators import parse_id
from units.filters import AreaSelectField
from units.models import Area, AreaLevel


class RegisterFilterForm(forms.Form):
    """A plain GET form, so the register works without JavaScript."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    province = AreaSelectField(
        label=gettext_lazy("Province"), queryset=Area.objects.none(), required=False
    )
    commune = AreaSelectField(
        label=gettext_lazy("Commune"), queryset=Area.objects.none(), required=False
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
        provinces = Area.objects.filter(level=AreaLevel.PROVINCE).current(today)
        self.fields["province"].queryset = provinces
        self.fields["province"].empty_label = gettext_lazy("All provinces")
        self.fields["commune"].empty_label = gettext_lazy("All communes")
        # Communes are offered once a province is chosen (the form is sent again).
        province = parse_id(self.data.get("province", ""))
        if province is not None:
            chosen = provinces.filter(pk=province).first()
            if chosen is not None:
                self.fields["commune"].queryset = (
                    Area.objects.within(chosen).filter(level=AreaLevel.COMMUNE).current(today)
                )
