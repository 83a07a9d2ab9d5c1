"""The SVG charts: accessible markup, scaling, gaps, markers, escaping, and the table fallback."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import charts
from core.charts import Chart, Series

EVIL = "<script>alert(1)</script>"


def _chart(kind="columns", **overrides) -> Chart:
    fields = {
        "id": "chart-test",
        "kind": kind,
        "title": "Sessions per month",
        "description": "12 held.",
        "category_header": "Month",
        "categories": ("Jan", "Feb", "Mar"),
        "category_names": ("January 2025", "February 2025", "March 2025"),
        "series": (Series("Held", (3, 0, 5)), Series("Cancelled", (1, 2, 0))),
    }
    return Chart(**{**fields, **overrides})


@pytest.mark.parametrize("kind", ["columns", "line", "bars"])
def test_every_chart_is_one_labelled_scalable_image(kind):
    svg = str(_chart(kind).svg)
    assert svg.startswith('<svg class="chart chart-' + kind)
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">Sessions per month</title>' in svg
    assert '<desc id="chart-test-desc">12 held.</desc>' in svg
    assert re.search(r'viewBox="0 0 400 [\d.]+"', svg)
    assert "width=" not in svg.split(">", 1)[0]  # the width comes from CSS: 100% of the container
    assert "style=" not in svg
    assert svg.endswith("</svg>")


def test_columns_draw_a_bar_per_category_and_series_with_a_tooltip():
    svg = str(_chart().svg)
    assert svg.count("<rect") == 6
    assert svg.count('class="chart-s0"') == 3
    assert svg.count('class="chart-s1"') == 3
    assert "<title>Held, March 2025: 5</title>" in svg
    assert ">Feb</text>" in svg


def test_series_left_out_of_the_drawing_stay_in_the_table():
    chart = _chart(series=(Series("Held", (3, 0, 5)), Series("Extra", (9, 9, 9), drawn=False)))
    assert chart.svg.count("<rect") == 3
    assert '<th scope="col">Extra</th>' in chart.table
    assert [series.name for _, series in chart.legend] == ["Held"]


def test_an_empty_or_all_zero_chart_renders_without_dividing_by_zero():
    empty = _chart(categories=(), category_names=(), series=(Series("Held", ()),))
    zeros = _chart(series=(Series("Held", (0, 0, 0)),))
    for kind in ("columns", "line", "bars"):
        assert "</svg>" in str(_chart(kind, categories=(), category_names=(), series=(Series("Held", ()),)).svg)
        assert "</svg>" in str(_chart(kind, series=(Series("Held", (0, 0, 0)),)).svg)
    assert "<tbody></tbody>" in str(empty.table)
    assert "<td>0</td>" in str(zeros.table)


def test_line_breaks_where_a_value_is_missing():
    chart = _chart(
        "line",
        categories=("Jan", "Feb", "Mar", "Apr"),
        category_names=("J", "F", "M", "A"),
        series=(Series("On time", (0.5, None, 1.0, 0.75), fmt="percent"),),
        y_max=1.0,
    )
    svg = str(chart.svg)
    assert svg.count("<polyline") == 1  # Mar–Apr; Jan stands alone
    assert svg.count("<circle") == 3
    assert "<title>On time, A: 75%</title>" in svg
    assert ">100%</text>" in svg  # the axis of a share goes to 100 %
    assert "<td>—</td>" in str(chart.table)


def test_bars_mark_capacity_and_what_goes_past_it():
    chart = _chart(
        "bars",
        categories=("Ann", "Ben", "Cat"),
        category_names=("Ann", "Ben", "Cat"),
        series=(Series("Load", (5, 1, 2)), Series("Capacity", (4, 4, None), marker=True)),
    )
    svg = str(chart.svg)
    assert svg.count("<rect") == 3
    assert svg.count("chart-over") == 1
    assert svg.count('<line class="chart-marker"') == 2  # no profile, no capacity marker
    assert ">5 / 4</text>" in svg
    assert "<title>Capacity, Ann: 4</title>" in svg


def test_long_names_are_shortened_on_the_chart_but_whole_in_tooltips_and_table():
    name = "Bartholomew Montgomery-Smythe"
    chart = _chart("bars", categories=(name,), category_names=(name,), series=(Series("Load", (2,)),))
    svg = str(chart.svg)
    assert ">Bartholomew Mont…</text>" in svg
    assert f"<title>Load, {name}: 2</title>" in svg
    assert f'<th scope="row">{name}</th>' in str(chart.table)


@pytest.mark.parametrize("kind", ["columns", "line", "bars"])
def test_labels_titles_and_names_are_escaped_in_svg_and_table(kind):
    chart = _chart(
        kind,
        id='x" onload="alert(1)',
        title=f"Title {EVIL}",
        description=f"Desc {EVIL}",
        categories=(EVIL, "b"),
        category_names=(EVIL, "b & c"),
        series=(Series(EVIL, (1, 2)), Series("Capacity", (2, 2), marker=True)),
    )
    for markup in (str(chart.svg), str(chart.table)):
        assert "<script>" not in markup
        assert "&lt;script&gt;" in markup
        assert 'onload="' not in markup
    assert "b &amp; c" in str(chart.table)


def test_the_table_fallback_has_a_caption_and_header_cells():
    table = str(_chart().table)
    assert table.startswith(
        '<div class="table-scroll"><table class="chart-table"><caption class="visually-hidden">Sessions per month</caption>'
    )
    assert '<th scope="col">Month</th><th scope="col">Held</th><th scope="col">Cancelled</th>' in table
    assert '<tr><th scope="row">January 2025</th><td>3</td><td>1</td></tr>' in table


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]), (12, [0, 5, 10, 15]), (100, [0, 50, 100])],
)
def test_nice_ticks(maximum, ticks):
    assert charts.nice_ticks(maximum) == ticks


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [(None, "int", "—"), (3, "int", "3"), (0.756, "percent", "76%"), (4.25, "decimal", "4.2"), (1234, "int", "1234")],
)
def test_format_value(value, fmt, text):
    assert charts.format_value(value, fmt) == text


@given(
    value=st.none() | st.integers(min_value=-(10**7), max_value=10**7) | st.floats(min_value=0, max_value=1e6),
    fmt=st.sampled_from(["int", "percent", "decimal"]),
)
def test_a_chart_formats_each_number_as_format_value(value, fmt):
    formatted = charts._Formatted()  # remembers numbers for one chart
    assert formatted(value, fmt) == charts.format_value(value, fmt)
    assert formatted(value, fmt) == charts.format_value(value, fmt)


def test_a_whole_float_is_not_mistaken_for_the_same_int():
    formatted = charts._Formatted()
    assert formatted(2, "decimal") == charts.format_value(2, "decimal")
    assert formatted(2.0, "int") == charts.format_value(2.0, "int")
    assert formatted(2, "int") == charts.format_value(2, "int")
