"""Template tags of the certification app used on pages of other apps."""

from django import template

from certification.services.history import recognition_history

register = template.Library()


@register.simple_tag
def recognition_history_of(unit):
    """The unit's results year by year and its run of consecutive recognised years, for the
    units registry's unit page (which knows nothing of certification)."""
    return recognition_history(unit)
