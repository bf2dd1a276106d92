"""For the rows of long lists: a choice field's label from a table read once per field and
language, where Django's get_FOO_display rebuilds (and translates) the field's choices on every
call, i.e. on every row."""

from functools import cache

from django import template
from django.utils.translation import get_language

register = template.Library()


@cache
def _labels(model: type, name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


@register.filter
def display(row, name: str) -> str:
    """`{{ row|display:"status" }}`: what `row.get_status_display` shows."""
    value = getattr(row, name)
    return _labels(type(row), name, get_language()).get(value, value)
