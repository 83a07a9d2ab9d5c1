"""Small server-side SVG charts with an accessible data-table fallback; no JavaScript.

A `Chart` is plain data (categories and series); `column_chart`, `line_chart` and `bar_chart`
turn it into SVG markup and `data_table` into an HTML table with the same numbers. Every text
(titles, labels, names) goes through `format_html`, so a mentor called `<script>` is drawn as
text, never run. The SVG scales to its container (viewBox, width from CSS: `.chart`), is one
image for screen readers (`role="img"` labelled by its `<title>` and `<desc>`) and uses CSS
classes for colour (no inline styles: the site's Content-Security-Policy forbids them).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 400
COLUMN_HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 48, 6, 10, 26  # room for "100 %" on the y axis
ROW_HEIGHT = 28
LABEL_WIDTH, VALUE_WIDTH = 150, 56
LABEL_CHARS = 17

Number = int | float | None


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Number, ...]
    fmt: str = "int"  # "int", "percent" (0.0–1.0) or "decimal"
    drawn: bool = True  # False: only in the data table
    marker: bool = False  # bar charts: a reference tick (capacity) rather than a bar


@dataclass(frozen=True)
class Chart:
    id: str  # unique on the page; prefixes the ids of the title and description
    kind: str  # "columns", "line" or "bars"
    title: str
    description: str  # one sentence a screen reader announces with the title
    category_header: str
    categories: tuple[str, ...]  # short labels drawn on the axis
    category_names: tuple[str, ...]  # full labels for tooltips and the table
    series: tuple[Series, ...]
    y_max: float | None = None  # a fixed top of the scale (1.0 for shares)

    @property
    def svg(self) -> SafeString:
        return render_svg(self)

    @property
    def table(self) -> SafeString:
        return data_table(self)

    @property
    def legend(self) -> list[tuple[int, Series]]:
        """(colour index, series) for each series drawn, for a legend in HTML."""
        return list(enumerate(series for series in self.series if series.drawn))


def _join(parts: Iterable) -> SafeString:
    """Concatenate, escaping every part that is not already safe markup from format_html."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _n(value: float) -> str:
    """A coordinate, locale-free (SVG wants a dot)."""
    return f"{value:.1f}"


def format_value(value: Number, fmt: str = "int") -> str:
    if value is None:
        return "—"
    if fmt == "percent":
        return _("%(percent)s%%") % {"percent": formats.number_format(round(value * 100))}
    if fmt == "decimal":
        return formats.number_format(value, decimal_pos=1)
    return formats.number_format(value)


def truncate(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def nice_ticks(maximum: float, *, count: int = 4, integer: bool = True) -> list[float]:
    """Round tick values from 0 to at least `maximum`: steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, round(step))
    steps = math.ceil(maximum / step - 1e-9)
    return [index * step for index in range(steps + 1)]


def _svg(chart: Chart, height: float, parts: list[SafeString]) -> SafeString:
    return format_html(
        '<svg class="chart chart-{kind}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc"'
        ' focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        kind=chart.kind,
        w=WIDTH,
        h=_n(height),
        id=chart.id,
        title=chart.title,
        desc=chart.description,
        body=_join(parts),
    )


def _tooltip(series: Series, name: str, value: Number) -> str:
    return f"{series.name}, {name}: {format_value(value, series.fmt)}"


def _value_axis(chart: Chart, drawn: list[Series], plot_height: float) -> tuple[list[SafeString], float]:
    """Grid lines and labels for the value axis; returns them and the top of the scale."""
    fmt = drawn[0].fmt if drawn else "int"
    if chart.y_max is not None:
        top = chart.y_max
        ticks = [top * index / 4 for index in range(5)]
    else:
        values = [value for series in drawn for value in series.values if value is not None]
        ticks = nice_ticks(max(values, default=0))
        top = ticks[-1]
    parts = []
    for tick in ticks:
        y = TOP + plot_height - tick / top * plot_height
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"></line>'
                '<text class="chart-axis" x="{tx}" y="{ty}" text-anchor="end">{label}</text>',
                x1=LEFT,
                x2=WIDTH - RIGHT,
                y=_n(y),
                tx=LEFT - 4,
                ty=_n(y + 4),
                label=format_value(tick, fmt),
            )
        )
    return parts, top


def _category_axis(chart: Chart, band: float) -> list[SafeString]:
    return [
        format_html(
            '<text class="chart-axis" x="{x}" y="{y}" text-anchor="middle">{label}</text>',
            x=_n(LEFT + (index + 0.5) * band),
            y=COLUMN_HEIGHT - 8,
            label=truncate(label, 6),
        )
        for index, label in enumerate(chart.categories)
    ]


def column_chart(chart: Chart) -> SafeString:
    """Vertical bars, one group per category, one bar per drawn series."""
    drawn = [series for series in chart.series if series.drawn]
    plot_width, plot_height = WIDTH - LEFT - RIGHT, COLUMN_HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(chart.categories), 1)
    bar = band * 0.8 / max(len(drawn), 1)
    parts, top = _value_axis(chart, drawn, plot_height)
    for index, name in enumerate(chart.category_names):
        for number, series in enumerate(drawn):
            value = series.values[index] or 0
            height = value / top * plot_height
            parts.append(
                format_html(
                    '<rect class="chart-s{number}" x="{x}" y="{y}" width="{w}" height="{h}">'
                    "<title>{tip}</title></rect>",
                    number=number,
                    x=_n(LEFT + index * band + band * 0.1 + number * bar),
                    y=_n(TOP + plot_height - height),
                    w=_n(max(bar - 1, 1)),
                    h=_n(height),
                    tip=_tooltip(series, name, series.values[index]),
                )
            )
    parts += _category_axis(chart, band)
    return _svg(chart, COLUMN_HEIGHT, parts)


def line_chart(chart: Chart) -> SafeString:
    """One line per drawn series, a point per category; a missing value (None) breaks the line."""
    drawn = [series for series in chart.series if series.drawn]
    plot_width, plot_height = WIDTH - LEFT - RIGHT, COLUMN_HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(chart.categories), 1)
    parts, top = _value_axis(chart, drawn, plot_height)
    for number, series in enumerate(drawn):
        runs: list[list[str]] = [[]]
        points = []
        for index, (name, value) in enumerate(zip(chart.category_names, series.values, strict=True)):
            if value is None:
                runs.append([])
                continue
            x, y = LEFT + (index + 0.5) * band, TOP + plot_height - value / top * plot_height
            runs[-1].append(f"{_n(x)},{_n(y)}")
            points.append(
                format_html(
                    '<circle class="chart-point chart-s{number}" cx="{x}" cy="{y}" r="3.5">'
                    "<title>{tip}</title></circle>",
                    number=number,
                    x=_n(x),
                    y=_n(y),
                    tip=_tooltip(series, name, value),
                )
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    format_html(
                        '<polyline class="chart-line chart-s{number}" points="{points}"></polyline>',
                        number=number,
                        points=" ".join(run),
                    )
                )
        parts += points
    parts += _category_axis(chart, band)
    return _svg(chart, COLUMN_HEIGHT, parts)


def bar_chart(chart: Chart) -> SafeString:
    """Horizontal bars, one row per category (long names fit on a phone), for the first drawn
    series; a marker series (capacity) is drawn as a tick, and a bar past its tick is marked."""
    bars = next((series for series in chart.series if series.drawn and not series.marker), None)
    marker = next((series for series in chart.series if series.marker), None)
    rows = len(chart.categories)
    height = TOP + max(rows, 1) * ROW_HEIGHT + 4
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    values = [value for series in (bars, marker) if series for value in series.values if value is not None]
    top = max(values, default=0) or 1
    parts = []
    for index, (label, name) in enumerate(zip(chart.categories, chart.category_names, strict=True)):
        y = TOP + index * ROW_HEIGHT
        value = bars.values[index] if bars else None
        limit = marker.values[index] if marker else None
        over = value is not None and limit is not None and value > limit
        parts.append(
            format_html(
                '<text class="chart-axis chart-label" x="{x}" y="{y}" text-anchor="end">{label}</text>',
                x=LABEL_WIDTH - 6,
                y=_n(y + ROW_HEIGHT / 2 + 4),
                label=truncate(label),
            )
        )
        if bars:
            parts.append(
                format_html(
                    '<rect class="{cls}" x="{x}" y="{y}" width="{w}" height="{h}"><title>{tip}</title></rect>',
                    cls="chart-s0 chart-over" if over else "chart-s0",
                    x=LABEL_WIDTH,
                    y=_n(y + 5),
                    w=_n((value or 0) / top * plot_width),
                    h=_n(ROW_HEIGHT - 10),
                    tip=_tooltip(bars, name, value),
                )
            )
        if marker and limit is not None:
            parts.append(
                format_html(
                    '<line class="chart-marker" x1="{x}" x2="{x}" y1="{y1}" y2="{y2}"><title>{tip}</title></line>',
                    x=_n(LABEL_WIDTH + limit / top * plot_width),
                    y1=_n(y + 2),
                    y2=_n(y + ROW_HEIGHT - 2),
                    tip=_tooltip(marker, name, limit),
                )
            )
        text = format_value(value, bars.fmt) if bars else ""
        if limit is not None:
            text = f"{text} / {format_value(limit, marker.fmt)}"
        parts.append(
            format_html(
                '<text class="chart-axis" x="{x}" y="{y}">{text}</text>',
                x=LABEL_WIDTH + plot_width + 4,
                y=_n(y + ROW_HEIGHT / 2 + 4),
                text=text,
            )
        )
    return _svg(chart, height, parts)


RENDERERS = {"columns": column_chart, "line": line_chart, "bars": bar_chart}


def render_svg(chart: Chart) -> SafeString:
    return RENDERERS[chart.kind](chart)


def data_table(chart: Chart) -> SafeString:
    """The chart's numbers as a table: a row per category, a column per series (drawn or not)."""
    head = _join(format_html('<th scope="col">{}</th>', series.name) for series in chart.series)
    body = _join(
        format_html(
            '<tr><th scope="row">{name}</th>{cells}</tr>',
            name=name,
            cells=_join(
                format_html("<td>{}</td>", format_value(series.values[index], series.fmt)) for series in chart.series
            ),
        )
        for index, name in enumerate(chart.category_names)
    )
    return format_html(
        '<div class="table-scroll"><table class="chart-table"><caption class="visually-hidden">{caption}</caption>'
        '<thead><tr><th scope="col">{header}</th>{head}</tr></thead><tbody>{body}</tbody></table></div>',
        caption=chart.title,
        header=chart.category_header,
        head=head,
        body=body,
    )
