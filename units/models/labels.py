"""Choice labels read from a table made once per field, not rebuilt at every call."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _choice_labels(field) -> dict:
    # The labels stay lazy: each request reads them in its own language.
    return dict(make_hashable(field.flatchoices))


class ChoiceLabels(models.Model):
    """A model whose get_FOO_display() looks the label up in a table made once per field.

    Django's own rebuilds the field's choices at every call and hashes every label, a lazy
    translation translated to be hashed: about 30 µs a call, paid for each status or type
    shown in each row of a list (issue 10). The same result, for fields whose choices are fixed
    (TextChoices), as every choice field of the portal's models is.
    tests/test_choice_labels.py keeps every such model on it.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _choice_labels(field).get(make_hashable(value), value)
        return force_str(label, strings_only=True)
