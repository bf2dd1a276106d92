"""Forms of the reviewer's steps on a dossier; error messages say exactly what is missing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import AssessmentStatus
from certification.validators import parse_ids


class ReviewStepForm(forms.Form):
    """Every step carries the status the reviewer saw, so a lost race reads as one, not a 404."""

    seen_status = forms.ChoiceField(
        choices=AssessmentStatus.choices, required=False, widget=forms.HiddenInput
    )


class ApproveForm(ReviewStepForm):
    """Approving needs a ticked confirmation (no script: the box is in the form); an optional
    comment goes to the audit row. When the readiness check does not pass, recommending needs
    the override box and its reason, so nobody recommends past the check by one tap."""

    comment = forms.CharField(
        label=_("Comment (kept in the dossier's history)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override = forms.BooleanField(
        label=_("Recommend although the readiness check does not pass"), required=False
    )
    override_reason = forms.CharField(
        label=_("Why you recommend it anyway"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the confirmation box: nothing was done.")},
    )

    def __init__(self, *args, ready: bool = True, forwards: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.ready, self.forwards = ready, forwards
        self.fields["confirm"].label = (
            _("I confirm: forward this dossier to the province.")
            if forwards
            else _("I confirm: recommend this unit for recognition. This cannot be undone here.")
        )
        if ready or forwards:
            del self.fields["override"], self.fields["override_reason"]

    def clean(self):
        cleaned = super().clean()
        if self.ready or self.forwards:
            cleaned["override_reason"] = ""
            return cleaned
        reason = (cleaned.get("override_reason") or "").strip()
        if not cleaned.get("override"):
            self.add_error(
                "override",
                _(
                    "The readiness check does not pass: tick this box and give the reason to "
                    "recommend the unit anyway."
                ),
            )
        elif not reason:
            self.add_error(
                "override_reason", _("Give the reason for recommending despite the check.")
            )
        cleaned["override_reason"] = reason
        return cleaned


class OpinionsForm(forms.Form):
    """The reviewer's own opinion ("ý kiến thẩm định") on the whole dossier and per criterion."""

    prefix = "opinion"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["dossier"] = forms.CharField(
            label=_("Opinion on the whole dossier"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        for criterion in self.criteria:
            self.fields[self.field_name(criterion)] = forms.CharField(
                label=f"{criterion.number}. {criterion.title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def field_name(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def opinions(self) -> dict:
        """{criterion id (None for the dossier): text} as the service takes them."""
        values = {None: self.cleaned_data.get("dossier", "")}
        for criterion in self.criteria:
            values[criterion.pk] = self.cleaned_data.get(self.field_name(criterion), "")
        return values


class ReasonForm(ReviewStepForm):
    reason_label = _("Reason")
    reason_required = _("Give the reason.")

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.reason_label
        self.fields["reason"].error_messages["required"] = self.reason_required

    def clean_reason(self):
        # A reason of blanks is no reason: say so on the field, as the service would.
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(self.reason_required, code="required")
        return reason


class RefuseForm(ReasonForm):
    prefix = "refuse"
    reason_label = _("Why the unit is not recommended")
    reason_required = _("Give the reason for not recommending the unit.")


class SendDownForm(ReasonForm):
    prefix = "down"
    reason_label = _("What the commune police must look at again")
    reason_required = _("Give the reason for sending the dossier back.")


class ReopenForm(ReasonForm):
    prefix = "reopen"
    reason_label = _("Why the dossier is reopened")
    reason_required = _("Give the reason for reopening the dossier.")


class SendBackForm(ReviewStepForm):
    """One checkbox and one reason per criterion; only the ticked criteria go back to the unit."""

    prefix = "back"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            send, reason = self.field_names(criterion)
            self.fields[send] = forms.BooleanField(
                label=f"{criterion.number}. {criterion.title}", required=False
            )
            self.fields[reason] = forms.CharField(
                label=_("What the unit must correct"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def field_names(criterion) -> tuple[str, str]:
        return f"send_{criterion.pk}", f"reason_{criterion.pk}"

    def rows(self) -> list[tuple]:
        """(box, reason) bound fields per criterion, for the page's bordered groups."""
        return [
            tuple(self[name] for name in self.field_names(criterion)) for criterion in self.criteria
        ]

    def clean(self):
        cleaned = super().clean()
        reasons = {}
        for criterion in self.criteria:
            send, reason_field = self.field_names(criterion)
            reason = (cleaned.get(reason_field) or "").strip()
            if cleaned.get(send) and not reason:
                self.add_error(
                    reason_field,
                    _("Give the reason for sending back criterion %(number)s.")
                    % {"number": criterion.number},
                )
            elif reason and not cleaned.get(send):
                self.add_error(
                    send,
                    _("Tick criterion %(number)s to send it back, or clear its reason.")
                    % {"number": criterion.number},
                )
            elif reason:
                reasons[criterion.pk] = reason
        if not reasons and not self.errors:
            raise forms.ValidationError(
                _("Tick at least one criterion to send back and give the reason for each.")
            )
        cleaned["reasons"] = reasons
        return cleaned


class IdsModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses anything but ids in the 64-bit range before the database sees them."""

    def _check_values(self, value):
        if parse_ids(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_pk_value"], code="invalid_pk_value"
            )
        return super()._check_values(value)


class BulkApproveForm(forms.Form):
    dossiers = IdsModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Tick at least one dossier."),
            "invalid_choice": _("A ticked dossier is no longer in your list; reload the page."),
            "invalid_pk_value": _("A ticked dossier is no longer in your list; reload the page."),
        },
    )

    confirm = forms.BooleanField(
        label=_("I confirm: recommend (or forward) the ticked dossiers whose check passes."),
        error_messages={"required": _("Tick the confirmation box: nothing was done.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = queryset
