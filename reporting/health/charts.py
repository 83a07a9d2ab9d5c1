"""The health dashboard's three charts (sessions per month, adherence per month, utilisation),
drawn by `reporting.charts`."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.charts import Chart, Series
from reporting.health.dashboard import Dashboard


def _month_labels(months: list[datetime.date]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    short = tuple(formats.date_format(month, "SHORT_MONTH_FORMAT") for month in months)
    long = tuple(formats.date_format(month, "YEAR_MONTH_FORMAT") for month in months)
    return short, long


def dashboard_charts(data: Dashboard) -> list[Chart]:
    """The dashboard's three charts: sessions per month, adherence per month, utilisation."""
    short, long = _month_labels(data.months)
    return [_sessions_chart(data, short, long), _adherence_chart(data, short, long), _utilisation_chart(data)]


def _sessions_chart(data: Dashboard, short: tuple[str, ...], long: tuple[str, ...]) -> Chart:
    first, last = long[0], long[-1]
    held = sum(month.first for month in data.sessions_by_month)
    missed = sum(month.second for month in data.sessions_by_month)
    return Chart(
        id="chart-sessions",
        kind="columns",
        title=_("Sessions per month"),
        description=_("%(held)d held and %(missed)d cancelled or no-show from %(first)s to %(last)s.")
        % {"held": held, "missed": missed, "first": first, "last": last},
        category_header=_("Month"),
        categories=short,
        category_names=long,
        series=(
            Series(_("Held"), tuple(month.first for month in data.sessions_by_month)),
            Series(_("Cancelled or no-show"), tuple(month.second for month in data.sessions_by_month)),
        ),
    )


def _adherence_chart(data: Dashboard, short: tuple[str, ...], long: tuple[str, ...]) -> Chart:
    first, last = long[0], long[-1]
    share = data.adherence
    return Chart(
        id="chart-adherence",
        kind="line",
        title=_("Cadence adherence per month"),
        description=(
            _("%(share)s of %(held)d sessions held from %(first)s to %(last)s were held on time.")
            % {"share": _percent(share), "held": data.held, "first": first, "last": last}
            if share is not None
            else _("No sessions held from %(first)s to %(last)s.") % {"first": first, "last": last}
        ),
        category_header=_("Month"),
        categories=short,
        category_names=long,
        series=(
            Series(_("Held on time"), tuple(month.share for month in data.adherence_by_month), fmt="percent"),
            Series(_("Sessions held"), tuple(month.first for month in data.adherence_by_month), drawn=False),
            Series(_("Of these on time"), tuple(month.second for month in data.adherence_by_month), drawn=False),
        ),
        y_max=1.0,
    )


def _utilisation_chart(data: Dashboard) -> Chart:
    loads = data.utilisation.mentors
    if len(loads) < data.utilisation.total:
        description = _(
            "Active and paused engagements against capacity for the %(shown)d fullest of %(count)d mentors; "
            "%(over)d over capacity."
        ) % {"shown": len(loads), "count": data.utilisation.total, "over": data.utilisation.over_capacity}
    else:
        description = ngettext(
            "Active and paused engagements against capacity for %(count)d mentor; %(over)d over capacity.",
            "Active and paused engagements against capacity for %(count)d mentors; %(over)d over capacity.",
            len(loads),
        ) % {"count": len(loads), "over": data.utilisation.over_capacity}
    return Chart(
        id="chart-utilisation",
        kind="bars",
        title=_("Mentor utilisation"),
        description=description,
        category_header=_("Mentor"),
        categories=tuple(row.mentor.display_name for row in loads),
        category_names=tuple(row.mentor.display_name for row in loads),
        series=(
            Series(_("Engagements (active and paused)"), tuple(row.load for row in loads)),
            Series(_("Capacity"), tuple(row.capacity for row in loads), marker=True),
            Series(_("Active"), tuple(row.active for row in loads), drawn=False),
            Series(_("Paused"), tuple(row.paused for row in loads), drawn=False),
            Series(_("Utilisation"), tuple(row.share for row in loads), fmt="percent", drawn=False),
        ),
    )


def _percent(share: float | None) -> str:
    if share is None:
        return "—"
    return _("%(percent)s%%") % {"percent": formats.number_format(round(share * 100))}
