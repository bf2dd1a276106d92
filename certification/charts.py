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
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=15,
    value_label_font_size=15,
    legend_font_size=16,
    title_font_size=16,
)


def percent_bars(labels: list[str], series: dict[str, list[int]]) -> str:
    """A horizontal bar chart of percentages (0–100), one bar per label and series, as a data:
    URI for an <img>."""
    chart = pygal.HorizontalBar(
        style=STYLE,
        # The page names the chart in its heading; the SVG keeps the name for screen readers.
        title=None,
        range=(0, 100),
        # Narrow, so the letters stay readable when the chart is shrunk to a phone's width.
        width=420,
        height=max(240, 100 + 60 * len(labels)),
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        print_values=True,
        value_formatter=lambda value: f"{value:.0f}%",
        disable_xml_declaration=True,
        js=[],
        truncate_label=-1,
    )
    # pygal draws the first label at the bottom; a reader starts at the top.
    chart.x_labels = list(reversed(labels))
    # Few marks on the percent axis, 70% (the commune rule's threshold) among them.
    chart.y_labels = [0, 50, 70, 100]
    for name, values in series.items():
        chart.add(name, list(reversed(values)))
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
