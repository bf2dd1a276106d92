"""Bounds on what people type and post: counts, ids, years and dates.

A number too big for the database column, a Unicode digit that `int()` accepts and the database
does not, or a date in the year 9999 is refused here with a clear message, never a 500.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

# The most people, households, staff or students any count on the portal may reach: far above a
# real unit (the largest enterprises and schools count tens of thousands), far below the column.
MAX_COUNT = 1_000_000
# Primary keys are 64-bit on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1
# Years a cycle, decision or list filter may name.
FIRST_YEAR, LAST_YEAR = 2000, 2100

count_validator = MaxValueValidator(
    MAX_COUNT, message=_("This number is too large: at most %(limit_value)s.")
)


def parse_id(value) -> int | None:
    """The id written in `value` (ASCII digits, within the 64-bit range), or None."""
    text = str(value).strip()
    if not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int] | None:
    """Every id in `values`, or None when one of them is not an id."""
    ids = [parse_id(value) for value in values]
    return None if None in ids else ids


def parse_year(value) -> int | None:
    """A year between FIRST_YEAR and LAST_YEAR written in ASCII digits, or None."""
    text = str(value).strip()
    if not (text.isascii() and text.isdecimal() and len(text) == 4):
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def bound_counts(form: forms.Form) -> None:
    """Caps every integer field of the form at MAX_COUNT (and tells the browser)."""
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField):
            field.max_value = MAX_COUNT
            field.validators.append(count_validator)
            field.widget.attrs["max"] = MAX_COUNT


def check_within_years(value: datetime.date | None, first: int, last: int) -> None:
    """Refuses a date outside the years first..last (inclusive)."""
    if value is None or first <= value.year <= last:
        return
    if first == last:
        message = _("Give a date in %(first)s.") % {"first": first}
    else:
        message = _("Give a date between %(first)s and %(last)s.") % {
            "first": first,
            "last": last,
        }
    raise ValidationError(message, code="out_of_range")


def bound_dates(form: forms.Form, first: int, last: int) -> None:
    """Every date field of the form must fall in the years first..last."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.validators.append(lambda value: check_within_years(value, first, last))
