"""Forms of the registration pages: the registration, a return with reasons, an extension;
error messages are specific and in Vietnamese."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certification.forms.widgets import DATE_FORMATS, DATE_INPUT
from certification.models import CycleStep, DocumentKind, Registration
from certification.models.registration import FIGURES
from certification.services.registration import EDITABLE_FIELDS, figure_errors
from certification.uploads import ACCEPTED_NAMES, check_upload
from certification.validators import FIRST_YEAR, LAST_YEAR, bound_counts, bound_dates


class RegistrationForm(forms.ModelForm):
    """The unit's registration, with an optional document attached in the same submit.

    Keeping the file in the same form means a rejected file never loses what was typed above it.
    """

    document_kind = forms.ChoiceField(label=_("Document"), required=False)
    document_date = forms.DateField(
        label=_("Date of the document"), required=False, widget=DATE_INPUT
    )
    document_file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("%(types)s, judged by content.") % {"types": ACCEPTED_NAMES},
    )

    class Meta:
        model = Registration
        fields = EDITABLE_FIELDS
        widgets = {
            "registered_on": DATE_INPUT,
            "commitment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, unit, year: int | None = None, signer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if signer is not None and not self.instance.pk:
            # A new registration is signed by whoever fills it in, with last year's title.
            self.initial.setdefault("signer_name", signer.get_full_name())
            previous = (
                Registration.objects.filter(unit=unit)
                .exclude(signer_title="")
                .order_by("-cycle__year")
                .values_list("signer_title", flat=True)
                .first()
            )
            if previous:
                self.initial.setdefault("signer_title", previous)
        # Only the figures this unit type reports (households, staff, students).
        shown = {name for pair in FIGURES[unit.unit_type] for name in pair}
        all_figures = {name for pairs in FIGURES.values() for pair in pairs for name in pair}
        for name in all_figures - shown:
            del self.fields[name]
        self.fields["document_kind"].choices = [("", "—"), *DocumentKind.choices]
        self.fields["registered_on"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        self.fields["document_date"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        bound_counts(self)
        # Registered in the cycle's first quarter, on documents of that year or the one before.
        bound_dates(self, *((year - 1, year) if year else (FIRST_YEAR, LAST_YEAR)))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_document_file(self):
        uploaded = self.cleaned_data.get("document_file")
        if uploaded:
            self.checked_upload = check_upload(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        for field, message in figure_errors(cleaned).items():
            if field in self.fields:
                self.add_error(field, message)
        if cleaned.get("document_file"):
            if not cleaned.get("document_kind"):
                self.add_error("document_kind", _("Choose which document this file is."))
            if not cleaned.get("document_date"):
                self.add_error("document_date", _("Give the date written on the document."))
        elif cleaned.get("document_kind") and "document_file" not in self.errors:
            self.add_error("document_file", _("Choose the file to attach."))
        return cleaned

    def registration_values(self) -> dict:
        return {
            name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS if name in self.fields
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason, so the unit knows what to fix.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ExtensionForm(forms.Form):
    """A later deadline for one step of the cycle's year (a dossier may run into the next)."""

    step = forms.ChoiceField(label=_("Step"), choices=CycleStep.choices)
    due_on = forms.DateField(label=_("New deadline"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the extension.")},
    )

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self, *((year, year + 1) if year else (FIRST_YEAR, LAST_YEAR)))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def apply_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)
