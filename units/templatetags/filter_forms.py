"""Template tags of the list pages' filter forms."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def select_options(field):
    """The <option>s of a select field (a bound field), from the widget's own options: the
    same values, labels and selected one as Django's widget templates, written in one pass
    instead of a template rendering per option (an area filter offers a hundred communes)."""
    widget = field.field.widget
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()))
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (option["value"], " selected" if option["selected"] else "", option["label"])
            for _, options, _ in groups
            for option in options
        ),
    )
