"""The one shape of every audit row, written by certification.workflows for each step."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.jurisdiction import ReviewLevel
from units.models import ChoiceLabels, User


class StepRecord(ChoiceLabels):
    """What was done (action), from which state to which, by whom, when, why, at which level."""

    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(
        User, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Steps pass their time in; the unit's edits of a draft are stamped when written.
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=ReviewLevel.choices, blank=True)

    class Meta:
        abstract = True
