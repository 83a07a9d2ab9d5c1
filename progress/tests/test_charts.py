"""The check-in charts: the right points for a known series, the mentor's view as its own line,
a table with the same numbers, in English and in Swedish."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from demo import factories
from progress.charts import dated_chart

DAYS = [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]

# core.charts: a plot 346 wide (48 to 394) and 184 high (10 to 194); three days make bands of
# 346 / 3, a point in the middle of each; a rating r sits at 194 - r / 10 * 184.
EXPECTED_POINTS = [("105.7", "138.8"), ("221.0", "102.0"), ("336.3", "46.8")]  # ratings 3, 5, 8


def _points(svg: str, series: int = 0) -> list[tuple[str, str]]:
    return re.findall(rf'class="chart-point chart-s{series}" cx="([\d.]+)" cy="([\d.]+)"', svg)


def test_a_known_series_is_drawn_at_the_right_points_on_a_1_to_10_scale():
    chart = dated_chart(
        chart_id="g", title="Delegate", description="", series=[("Mentee", list(zip(DAYS, [3, 5, 8], strict=True)))]
    )

    svg = str(chart.svg)

    assert _points(svg) == EXPECTED_POINTS
    assert 'points="105.7,138.8 221.0,102.0 336.3,46.8"' in svg
    ticks = re.findall(r'text-anchor="end">(\d+)</text>', svg)
    assert ticks == ["0", "2", "4", "6", "8", "10"]


def test_a_day_without_a_rating_breaks_the_line_of_that_series_only():
    chart = dated_chart(
        chart_id="g",
        title="T",
        description="",
        series=[("Mentee", list(zip(DAYS, [3, 5, 8], strict=True))), ("Mentor", [(DAYS[0], 4), (DAYS[2], 6)])],
    )

    svg = str(chart.svg)

    assert len(_points(svg, 1)) == 2
    assert "chart-line chart-s1" not in svg  # two points with a gap: no line between them
    assert chart.series[1].values == (4, None, 6)


@pytest.mark.parametrize(
    ("language", "header", "summary", "month"),
    [("en", "Day", "Show as a table", "Sept. 1, 2026"), ("sv", "Dag", "Visa som tabell", "1 september 2026")],
)
def test_the_plan_page_draws_the_charts_with_a_table_in_english_and_swedish(
    client, mentee, engagement, past_session, language, header, summary, month
):
    goal = factories.make_goal(engagement=engagement, title="Delegate")
    area = engagement.focus_areas.get()
    session = past_session(engagement, days_ago=40)
    for day, score, kind in zip(DAYS, [3, 5, 8], ["start", "session", "review"], strict=True):
        factories.make_check_in(
            engagement=engagement,
            person=mentee,
            on=day,
            kind=kind,
            session=session if kind == "session" else None,
            goals={goal: score},
            clarity={area: score - 1},
        )
    mentee.language = language
    mentee.save()
    client.force_login(mentee)

    with translation.override(language):
        html = client.get(
            reverse("progress:plan", args=[engagement.uuid]), HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()

    assert _points(html.split(f'id="goal-{goal.pk}-title"')[1].split("</svg>")[0]) == EXPECTED_POINTS
    assert 'id="clarity-map-title"' in html
    assert f'<th scope="col">{header}</th>' in html
    assert summary in html
    assert month in html  # the table's full dates, in the reader's language
    assert "<td>8</td>" in html
