"""Widgets shared by the certification forms."""

from django import forms

# A phone's date picker: the browser shows the date in the user's format and sends ISO.
# Dates typed by hand (dd/mm/yyyy) or sent by a date picker (ISO).
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
