"""The notification page's form: how the user wants their reminder e-mails."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from certification.models import EmailMode, NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    email_mode = forms.ChoiceField(
        label=gettext_lazy("Reminder e-mails"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = NotificationPreference
        fields = ["email_mode"]
