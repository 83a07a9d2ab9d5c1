"""The progress charts: a goal's ratings and the clarity map over time, drawn by `core.charts`
(server-side SVG with a data-table fallback). Categories are the days of the check-ins; a series
without a rating on a day has a gap there."""

import datetime
from collections.abc import Sequence

from django.utils import formats
from django.utils.translation import gettext as _

from core.charts import Chart, Series

Dated = Sequence[tuple[datetime.date, int | float]]


def dated_chart(*, chart_id: str, title: str, description: str, series: Sequence[tuple[str, Dated]]) -> Chart:
    """A line chart on the scale 1–10 over the days of all the series' points."""
    days = sorted({day for _name, points in series for day, _score in points})
    drawn = []
    for name, points in series:
        by_day = dict(points)
        drawn.append(Series(name, tuple(by_day.get(day) for day in days), fmt="int"))
    return Chart(
        id=chart_id,
        kind="line",
        title=title,
        description=description,
        category_header=_("Day"),
        categories=tuple(formats.date_format(day, "j M") for day in days),
        category_names=tuple(formats.date_format(day, "DATE_FORMAT") for day in days),
        series=tuple(drawn),
        y_max=10,
        y_step=2,
    )


def describe(points: Dated) -> str:
    """One sentence for a screen reader: from the first rating to the latest."""
    if not points:
        return _("No ratings yet.")
    (first_day, first), (last_day, last) = points[0], points[-1]
    if len(points) == 1:
        return _("Rated %(score)s of 10 on %(day)s.") % {"score": first, "day": formats.date_format(first_day)}
    return _("From %(first)s of 10 on %(first_day)s to %(last)s of 10 on %(last_day)s, %(count)d ratings.") % {
        "first": formats.number_format(first),
        "first_day": formats.date_format(first_day),
        "last": formats.number_format(last),
        "last_day": formats.date_format(last_day),
        "count": len(points),
    }
