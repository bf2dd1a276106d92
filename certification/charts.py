"""Charts of the progress page, drawn on the server as SVG by pygal (installed from
requirements.txt: no CDN, no browser script).

The Content-Security-Policy forbids inline styles and scripts in the page, and pygal's SVG carries
a <style> and a <script> of its own; so a chart is sent as an <img> whose source is a data: URI
(img-src allows data:). An SVG shown as an image runs no script, and its styles stay inside it.
Every chart is shown beside the table of its figures."""

from __future__ import annotations

import base64

import pygal
from pygal.style import Style

# The portal's red and a muted blue; fonts large enough to read when the chart is phone-wide.
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#dc3545", "#198754"),
    font_family="sans-serif",
    label_font_size=18,
    major_label_font_size=18,
    value_font_size=16,
    value_label_font_size=16,
    legend_font_size=18,
    title_font_size=20,
)


def percent_bars(title: str, labels: list[str], series: dict[str, list[int]]) -> str:
    """A horizontal bar chart of percentages (0–100), one bar per label and series, as a data:
    URI for an <img>."""
    chart = pygal.HorizontalBar(
        style=STYLE,
        title=title,
        range=(0, 100),
        width=640,
        height=max(220, 90 + 70 * len(labels)),
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(series)),
        print_values=True,
        value_formatter=lambda value: f"{value:.0f}%",
        disable_xml_declaration=True,
        js=[],
        truncate_label=-1,
    )
    # pygal draws the first label at the bottom; a reader starts at the top.
    chart.x_labels = list(reversed(labels))
    for name, values in series.items():
        chart.add(name, list(reversed(values)))
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
