"""Forms of the units admin: adding areas through the tree, moving units, merging areas, imports."""

from __future__ import annotations

import os

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from units import services
from units.models import Area, AreaLevel, Unit, UnitSuccession
from units.resources import tree_level_problem


class AreaChoiceField(forms.ModelChoiceField):
    """Areas in tree order, indented by depth, with their code."""

    def label_from_instance(self, area):
        return f"{'— ' * (area.depth - 1)}{area.name} ({area.code})"


class AreaAdminForm(forms.ModelForm):
    """Adding an area places it in the tree under `parent`; the admin saves it via create_area."""

    parent = AreaChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Parent area"),
        help_text=_("Leave empty for a province-level area."),
    )

    class Meta:
        model = Area
        fields = ("code", "name", "level", "kind", "valid_from", "valid_to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An existing area moves only by a merge (see the action on the area list).
            self.fields.pop("parent", None)
        elif "parent" in self.fields:
            self.fields["parent"].queryset = (
                Area.objects.exclude(level=AreaLevel.COMMUNE)
                .filter(merged_into__isnull=True)
                .order_by("path")
            )

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        if not level:
            return cleaned
        if self.instance.pk:
            parent = Area.objects.get_parent(self.instance)
            child_levels = set(
                Area.objects.get_children(self.instance).values_list("level", flat=True)
            )
            problem = tree_level_problem(level, parent, child_levels)
            if problem:
                self.add_error("level", problem)
        else:
            problem = tree_level_problem(level, cleaned.get("parent"))
            if problem:
                self.add_error("parent" if "parent" in self.fields else None, problem)
        return cleaned


class UnitAdminForm(forms.ModelForm):
    """Changing a unit's area records the move; it needs an effective date and a reason."""

    area_change_on = forms.DateField(
        label=_("Area change effective on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("Needed only when you change the area."),
    )
    area_change_reason = forms.CharField(
        label=_("Reason for the area change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when you change the area."),
    )

    class Meta:
        model = Unit
        fields = (
            "code",
            "name",
            "unit_type",
            "residential_subtype",
            "enterprise_size",
            "school_level",
            "is_armed_forces",
            "area",
            "managing_level",
            "delegated_one_level_down",
            "address",
            "contact_email",
            "contact_phone",
            "active_from",
            "active_to",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields.pop("area_change_on", None)
            self.fields.pop("area_change_reason", None)
        elif "area_change_on" in self.fields:
            self.fields["area_change_on"].initial = timezone.localdate

    @property
    def area_changed(self) -> bool:
        return bool(self.instance.pk) and "area" in self.changed_data

    def clean(self):
        cleaned = super().clean()
        if self.area_changed:
            if not cleaned.get("area_change_on") and "area_change_on" not in self.errors:
                self.add_error(
                    "area_change_on",
                    gettext("Give the date from which the unit is in the new area."),
                )
            if not (cleaned.get("area_change_reason") or "").strip():
                self.add_error(
                    "area_change_reason", gettext("Give the reason for the area change.")
                )
        return cleaned


class MergeAreaForm(forms.Form):
    """The intermediate page of the admin action "Merge into another area"."""

    into = forms.ModelChoiceField(
        queryset=Area.objects.filter(merged_into__isnull=True),
        label=_("Merge into"),
        help_text=_("Type the code or the name of the area that takes over."),
    )
    on = forms.DateField(
        label=_("Effective date"),
        initial=timezone.localdate,
        widget=AdminDateWidget,
        help_text=_("The first day on which the area belongs to the area it is merged into."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("For example the number and date of the resolution on the merger."),
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        into = self.fields["into"]
        into.widget = AutocompleteSelect(Area._meta.get_field("merged_into"), admin_site)
        into.queryset = into.queryset  # hands the choices to the new widget

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(gettext("Give the reason for the merge."))
        return reason


class UnitsImportForm(ImportForm):
    """The import form; refuses files that are not .csv/.xlsx or do not match the chosen format."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self._formats = formats

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        chosen = cleaned.get("format")
        if not upload:
            return cleaned
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        extensions = {file_format().get_extension() for file_format in self._formats}
        if extension not in extensions:
            self.add_error(
                "import_file",
                gettext("Only %(extensions)s files can be imported; “%(name)s” is not one.")
                % {
                    "extensions": ", ".join(f".{ext}" for ext in sorted(extensions)),
                    "name": upload.name,
                },
            )
        elif chosen not in (None, ""):
            file_format = self._formats[int(chosen)]()
            if file_format.get_extension() != extension:
                self.add_error(
                    "format",
                    gettext(
                        "“%(name)s” is a .%(extension)s file, but the chosen format is %(format)s."
                    )
                    % {
                        "name": upload.name,
                        "extension": extension,
                        "format": file_format.get_title(),
                    },
                )
        return cleaned


class UnitSuccessionForm(forms.ModelForm):
    """One residential area absorbed into the unit being edited; checked as the service will."""

    class Meta:
        model = UnitSuccession
        fields = ("predecessor", "merged_on", "reason")
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        predecessor, on = cleaned.get("predecessor"), cleaned.get("merged_on")
        if self.instance.pk is None and predecessor is not None and on is not None:
            try:
                services.check_succession(
                    self.instance.successor, predecessor, on=on, reason=cleaned.get("reason", "")
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned
