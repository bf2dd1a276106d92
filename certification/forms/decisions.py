"""Forms of the decision pages: the decision with a choice per waiting dossier, and annulment."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.forms.widgets import DATE_FORMATS, DATE_INPUT
from certification.models import ResultValue
from certification.services import decisions as services
from certification.validators import FIRST_YEAR, LAST_YEAR, bound_dates

LATER = "later"


class DecisionForm(forms.Form):
    """The decision's details, and for each waiting dossier: recognise, not recognise, or later."""

    issuing_body = forms.CharField(label=gettext_lazy("Issuing body"), max_length=200)
    place = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=100,
        help_text=gettext_lazy("Written before the date: “Trà Vinh, ngày … tháng … năm …”."),
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Date of the decision"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    signer_name = forms.CharField(label=gettext_lazy("Signed by"), max_length=120)
    signer_title = forms.CharField(
        label=gettext_lazy("Title of the signer"),
        max_length=120,
        help_text=gettext_lazy("“Chủ tịch”, or “Phó Chủ tịch” when a deputy signs for the chair."),
    )

    CHOICES = [
        (ResultValue.RECOGNISED, gettext_lazy("recognise")),
        (ResultValue.NOT_RECOGNISED, gettext_lazy("do not recognise")),
        (LATER, gettext_lazy("not on this decision")),
    ]

    def __init__(self, *args, dossiers, year: int, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A decision on a year is taken at its end or early the next year.
        bound_dates(self, year, year + 1)
        # A new decision takes every waiting dossier; a changed draft only those already on it.
        default = LATER if entries else ResultValue.RECOGNISED
        entries = entries or {}
        self.dossiers = list(dossiers)
        for dossier in self.dossiers:
            entry = entries.get(dossier.pk)
            self.fields[f"choice_{dossier.pk}"] = forms.ChoiceField(
                label=dossier.unit.name,
                choices=self.CHOICES,
                initial=entry.result if entry else default,
            )
            self.fields[f"reason_{dossier.pk}"] = forms.CharField(
                label=gettext_lazy("Reason for not recognising"),
                required=False,
                initial=entry.reason if entry else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def rows(self):
        return [
            (dossier, self[f"choice_{dossier.pk}"], self[f"reason_{dossier.pk}"])
            for dossier in self.dossiers
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = 0
        for dossier in self.dossiers:
            choice = cleaned.get(f"choice_{dossier.pk}")
            if choice == ResultValue.NOT_RECOGNISED and not cleaned.get(f"reason_{dossier.pk}"):
                self.add_error(
                    f"reason_{dossier.pk}",
                    _("Give the reason for not recognising %(unit)s.") % {"unit": dossier.unit},
                )
            if choice in ResultValue.values:
                chosen += 1
        if self.dossiers and not chosen:
            raise ValidationError(_("Put at least one recommended dossier on the decision."))
        return cleaned

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.DETAIL_FIELDS}

    def choices(self) -> dict[int, tuple[str, str]]:
        return {
            dossier.pk: (
                self.cleaned_data[f"choice_{dossier.pk}"],
                self.cleaned_data.get(f"reason_{dossier.pk}", ""),
            )
            for dossier in self.dossiers
            if self.cleaned_data[f"choice_{dossier.pk}"] != LATER
        }

    def apply_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, field_messages in error.message_dict.items():
                for message in field_messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class AnnulmentForm(forms.Form):
    annulled_on = forms.DateField(
        label=gettext_lazy("Annulled on"), input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    reference = forms.CharField(
        label=gettext_lazy("Annulling decision"),
        max_length=200,
        help_text=gettext_lazy("For example “Quyết định số 12/QĐ-UBND ngày 05/01/2027”."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    apply_service_errors = DecisionForm.apply_service_errors

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self, FIRST_YEAR, LAST_YEAR)


class IssueForm(forms.Form):
    """Issuing is irreversible: a ticked confirmation (no script needed) and an optional comment
    that the decision's history keeps."""

    comment = forms.CharField(
        label=gettext_lazy("Comment (kept in the decision's history)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm: issue this decision. An issued decision can no longer be changed."
        ),
        error_messages={"required": gettext_lazy("Tick the confirmation box: nothing was done.")},
    )
