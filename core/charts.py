"""Small server-side SVG charts with an accessible data-table fallback; no JavaScript.

A `Chart` is plain data (categories and series); `column_chart`, `line_chart` and `bar_chart`
turn it into SVG markup and `data_table` into an HTML table with the same numbers. Every text
(titles, labels, names) is escaped (`_e`, as `format_html` would), so a mentor called `<script>`
is drawn as text, never run. The SVG scales to its container (viewBox, width from CSS: `.chart`), is one
image for screen readers (`role="img"` labelled by its `<title>` and `<desc>`) and uses CSS
classes for colour (no inline styles: the site's Content-Security-Policy forbids them).
"""

import html
import math
from dataclasses import dataclass

from django.utils import formats
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
    y_step: float | None = None  # with y_max: a tick every y_step from 0 (2 for ratings 1–10); else quarters

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


def _e(value) -> str:
    """`conditional_escape` without its wrapper for lazy text (the charts escape a few thousand
    values per dashboard: 200 mentors' names, tooltips and table cells)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _n(value: float) -> str:
    """A coordinate, locale-free (SVG wants a dot)."""
    return f"{value:.1f}"


class _Formatted(dict):
    """`format_value`, remembered for one chart in one language: a chart repeats the same few
    numbers (loads, capacities, axis ticks) many times, and `number_format` is not cheap."""

    def __missing__(self, key: tuple) -> str:
        _, value, fmt = key
        text = self[key] = format_value(value, fmt)
        return text

    def __call__(self, value: "Number", fmt: str = "int") -> str:
        return self[type(value), value, fmt]  # the type too: 1 and 1.0 are formatted differently


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


def _svg(chart: Chart, height: float, parts: list[str]) -> SafeString:
    """The drawing around `parts` (markup, already escaped)."""
    chart_id = _e(chart.id)
    return SafeString(
        f'<svg class="chart chart-{_e(chart.kind)}" viewBox="0 0 {WIDTH} {_n(height)}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{_e(chart.title)}</title><desc id="{chart_id}-desc">{_e(chart.description)}'
        f"</desc>{''.join(parts)}</svg>"
    )


def _tooltip(series: Series, name: str, value: Number, fmt: _Formatted) -> str:
    """A drawn value's tooltip, escaped."""
    return _e(f"{series.name}, {name}: {fmt(value, series.fmt)}")


def _value_axis(chart: Chart, drawn: list[Series], plot_height: float, fmt: _Formatted) -> tuple[list[str], float]:
    """Grid lines and labels for the value axis; returns them and the top of the scale."""
    kind = drawn[0].fmt if drawn else "int"
    if chart.y_max is not None:
        top = chart.y_max
        if chart.y_step:
            ticks = [index * chart.y_step for index in range(round(top / chart.y_step) + 1)]
        else:
            ticks = [top * index / 4 for index in range(5)]
    else:
        values = [value for series in drawn for value in series.values if value is not None]
        ticks = nice_ticks(max(values, default=0))
        top = ticks[-1]
    parts = []
    for tick in ticks:
        y = TOP + plot_height - tick / top * plot_height
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y)}" y2="{_n(y)}"></line>'
            f'<text class="chart-axis" x="{LEFT - 4}" y="{_n(y + 4)}" text-anchor="end">{_e(fmt(tick, kind))}</text>'
        )
    return parts, top


def _category_axis(chart: Chart, band: float) -> list[str]:
    return [
        f'<text class="chart-axis" x="{_n(LEFT + (index + 0.5) * band)}" y="{COLUMN_HEIGHT - 8}"'
        f' text-anchor="middle">{_e(truncate(label, 6))}</text>'
        for index, label in enumerate(chart.categories)
    ]


def column_chart(chart: Chart) -> SafeString:
    """Vertical bars, one group per category, one bar per drawn series."""
    fmt = _Formatted()
    drawn = [series for series in chart.series if series.drawn]
    plot_width, plot_height = WIDTH - LEFT - RIGHT, COLUMN_HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(chart.categories), 1)
    bar = band * 0.8 / max(len(drawn), 1)
    parts, top = _value_axis(chart, drawn, plot_height, fmt)
    for index, name in enumerate(chart.category_names):
        for number, series in enumerate(drawn):
            value = series.values[index] or 0
            height = value / top * plot_height
            parts.append(
                f'<rect class="chart-s{number}" x="{_n(LEFT + index * band + band * 0.1 + number * bar)}"'
                f' y="{_n(TOP + plot_height - height)}" width="{_n(max(bar - 1, 1))}" height="{_n(height)}">'
                f"<title>{_tooltip(series, name, series.values[index], fmt)}</title></rect>"
            )
    parts += _category_axis(chart, band)
    return _svg(chart, COLUMN_HEIGHT, parts)


def line_chart(chart: Chart) -> SafeString:
    """One line per drawn series, a point per category; a missing value (None) breaks the line."""
    fmt = _Formatted()
    drawn = [series for series in chart.series if series.drawn]
    plot_width, plot_height = WIDTH - LEFT - RIGHT, COLUMN_HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(chart.categories), 1)
    parts, top = _value_axis(chart, drawn, plot_height, fmt)
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
                f'<circle class="chart-point chart-s{number}" cx="{_n(x)}" cy="{_n(y)}" r="3.5">'
                f"<title>{_tooltip(series, name, value, fmt)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline class="chart-line chart-s{number}" points="{" ".join(run)}"></polyline>')
        parts += points
    parts += _category_axis(chart, band)
    return _svg(chart, COLUMN_HEIGHT, parts)


def bar_chart(chart: Chart) -> SafeString:
    """Horizontal bars, one row per category (long names fit on a phone), for the first drawn
    series; a marker series (capacity) is drawn as a tick, and a bar past its tick is marked."""
    fmt = _Formatted()
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
        text_y = _n(y + ROW_HEIGHT / 2 + 4)
        value = bars.values[index] if bars else None
        limit = marker.values[index] if marker else None
        over = value is not None and limit is not None and value > limit
        parts.append(
            f'<text class="chart-axis chart-label" x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end">'
            f"{_e(truncate(label))}</text>"
        )
        if bars:
            parts.append(
                f'<rect class="{"chart-s0 chart-over" if over else "chart-s0"}" x="{LABEL_WIDTH}" y="{_n(y + 5)}"'
                f' width="{_n((value or 0) / top * plot_width)}" height="{_n(ROW_HEIGHT - 10)}">'
                f"<title>{_tooltip(bars, name, value, fmt)}</title></rect>"
            )
        if marker and limit is not None:
            x = _n(LABEL_WIDTH + limit / top * plot_width)
            parts.append(
                f'<line class="chart-marker" x1="{x}" x2="{x}" y1="{_n(y + 2)}" y2="{_n(y + ROW_HEIGHT - 2)}">'
                f"<title>{_tooltip(marker, name, limit, fmt)}</title></line>"
            )
        text = fmt(value, bars.fmt) if bars else ""
        if limit is not None:
            text = f"{text} / {fmt(limit, marker.fmt)}"
        parts.append(f'<text class="chart-axis" x="{LABEL_WIDTH + plot_width + 4}" y="{text_y}">{_e(text)}</text>')
    return _svg(chart, height, parts)


RENDERERS = {"columns": column_chart, "line": line_chart, "bars": bar_chart}


def render_svg(chart: Chart) -> SafeString:
    return RENDERERS[chart.kind](chart)


def data_table(chart: Chart) -> SafeString:
    """The chart's numbers as a table: a row per category, a column per series (drawn or not)."""
    fmt = _Formatted()
    head = "".join(f'<th scope="col">{_e(series.name)}</th>' for series in chart.series)
    body = "".join(
        f'<tr><th scope="row">{_e(name)}</th>'
        + "".join(f"<td>{_e(fmt(series.values[index], series.fmt))}</td>" for series in chart.series)
        + "</tr>"
        for index, name in enumerate(chart.category_names)
    )
    return SafeString(
        '<div class="table-scroll"><table class="chart-table">'
        f'<caption class="visually-hidden">{_e(chart.title)}</caption>'
        f'<thead><tr><th scope="col">{_e(chart.category_header)}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
