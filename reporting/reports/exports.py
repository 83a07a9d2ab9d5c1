"""CSV exports of engagements and sessions for consultancy admins: states, names and numbers, never
free text (see `periods` on confidentiality), safe against spreadsheet formula injection, with
column labels, states, separator, decimal mark and local times in the reader's language and time
zone (core.csvsafe). The column codes below name the columns in the code and tests."""

import dataclasses
import datetime
from collections.abc import Iterator

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.csvsafe import csv_lines, safe_cell  # noqa: F401 (re-exported: the views and tests use them from here)
from mentorship import access
from mentorship.cadence import CadenceRules
from mentorship.models import Engagement, FocusArea, Organisation
from reporting.reports.periods import Period, adherence_of
from sessions.models import MentoringSession, SessionStatus, held_condition

# Engagements are read from the database cursor and written this many at a time.
EXPORT_BATCH_SIZE = 500


@dataclasses.dataclass(frozen=True)
class ExportFilters:
    organisation: Organisation | None = None
    mentor: User | None = None
    status: str = ""
    period: Period = Period()


ENGAGEMENT_COLUMNS = [
    "uuid",
    "organisation",
    "mentee_or_team",
    "mentor",
    "status",
    "triggers",
    "initiated_by",
    "focus_areas",
    "start_date",
    "planned_end",
    "sessions_held",
    "no_shows",
    "late_cancellations",
    "adherence_percent",
]
SESSION_COLUMNS = [
    "uuid",
    "engagement_uuid",
    "organisation",
    "start",
    "end",
    "venue",
    "status",
    "late_cancellation",
]
COLUMN_LABELS = {
    "uuid": _("ID"),
    "organisation": _("Organisation"),
    "mentee_or_team": _("Mentee or team"),
    "mentor": _("Mentor"),
    "status": _("Status"),
    "triggers": _("Triggers"),
    "initiated_by": _("Initiated by"),
    "focus_areas": _("Focus areas"),
    "start_date": _("Start date"),
    "planned_end": _("Planned end"),
    "sessions_held": _("Sessions held"),
    "no_shows": _("No-shows"),
    "late_cancellations": _("Late cancellations"),
    "adherence_percent": _("Adherence (%)"),
    "engagement_uuid": _("Engagement ID"),
    "venue": _("Venue"),
    "late_cancellation": _("Late cancellation"),
}


def header(columns: list[str]) -> list[str]:
    """The columns' labels in the active language; times carry the reader's time zone."""
    zone = timezone.get_current_timezone_name()
    timed = {
        "start": _("Start (%(zone)s)") % {"zone": zone},
        "end": _("End (%(zone)s)") % {"zone": zone},
    }
    return [str(timed.get(column) or COLUMN_LABELS[column]) for column in columns]


def filtered_engagements(user: User, filters: ExportFilters) -> QuerySet[Engagement]:
    """The engagements the user may see, narrowed by the filters. With a period: those running
    in it (started by its end, planned to end after its start)."""
    engagements = access.engagements_visible_to(user)
    if filters.organisation is not None:
        engagements = engagements.filter(organisation=filters.organisation)
    if filters.mentor is not None:
        engagements = engagements.filter(mentor=filters.mentor)
    if filters.status:
        engagements = engagements.filter(status=filters.status)
    if filters.period.end is not None:
        engagements = engagements.filter(start_date__lte=filters.period.end)
    if filters.period.start is not None:
        engagements = engagements.filter(planned_end__gte=filters.period.start)
    return engagements


def engagement_rows(user: User, filters: ExportFilters, *, batch_size: int | None = None) -> Iterator[list]:
    """One CSV row per engagement the user may see (codes for states, names for people, no free
    text), in the export's order, streamed.

    One query gives every engagement its session counts in the period and the starts of its held
    sessions up to the period's end (for adherence), grouped and ordered by PostgreSQL, and is
    read with a server-side cursor `batch_size` (EXPORT_BATCH_SIZE) rows at a time; each batch
    adds one query for its focus areas. So the work grows with the rows, memory stays flat, and
    the first rows are written before the later ones are read.

    The moment, the viewer's time zone (local dates, the period's midnights) and the filters are
    fixed now, in the request: the rows are read later, while the response streams, after the
    middleware that set the zone has returned."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    in_period = filters.period.session_filter("sessions__")
    held = held_condition(now, "sessions__")
    engagements = (
        filtered_engagements(user, filters)
        .select_related("organisation", "mentee", "team", "mentor")
        .prefetch_related(Prefetch("focus_areas", queryset=FocusArea.objects.only("slug").order_by("slug")))
        .annotate(
            sessions_held=Count("sessions", filter=held & in_period),
            no_shows=Count("sessions", filter=Q(sessions__status=SessionStatus.NO_SHOW) & in_period),
            late_cancellations=Count(
                "sessions",
                filter=Q(sessions__status=SessionStatus.CANCELLED, sessions__late_cancellation=True) & in_period,
            ),
            # Every held session moves the next due date, those before the period too.
            held_starts=ArrayAgg(
                "sessions__start",
                filter=held & Period(end=filters.period.end).session_filter("sessions__"),
                order_by="sessions__start",
            ),
        )
        .order_by("organisation__name", "start_date", "pk")
    )
    rows = engagements.iterator(chunk_size=batch_size or EXPORT_BATCH_SIZE)
    return (_engagement_row(engagement, filters.period, zone) for engagement in rows)


def _engagement_row(e: Engagement, period: Period, zone: datetime.tzinfo) -> list:
    held_dates = [timezone.localtime(start, zone).date() for start in e.held_starts or ()]
    adherence = adherence_of(CadenceRules.of(e), held_dates, period)
    return [
        e.uuid,
        e.organisation.name,
        e.team.name if e.team_id else e.mentee.display_name,
        e.mentor.display_name if e.mentor_id else "",
        e.get_status_display(),
        ", ".join(e.triggers),
        e.get_initiated_by_display(),
        ", ".join(area.slug for area in e.focus_areas.all()),
        e.start_date,
        e.planned_end,
        e.sessions_held,
        e.no_shows,
        e.late_cancellations,
        "" if adherence.percent is None else adherence.percent,
    ]


def sessions_for_export(user: User, filters: ExportFilters) -> QuerySet:
    """Sessions of the filtered engagements starting in the period, as plain values (never a
    text field). Built now, while the viewer's time zone is active; read later by `session_rows`."""
    return (
        MentoringSession.objects.filter(engagement__in=filtered_engagements(user, filters).values("pk"))
        .filter(filters.period.session_filter())
        .order_by("start", "pk")
        .values_list(
            "uuid",
            "engagement__uuid",
            "engagement__organisation__name",
            "start",
            "end",
            "venue__name",
            "venue__city",
            "status",
            "late_cancellation",
        )
    )


def session_rows(sessions: QuerySet) -> Iterator[list]:
    """One CSV row per session, in one query read with a server-side cursor so a large export
    does not sit in memory. Times stay aware: the CSV writes them in the reader's time zone."""
    for uuid, engagement_uuid, organisation, start, end, venue, city, status, late in sessions.iterator(2000):
        yield [
            uuid,
            engagement_uuid,
            organisation,
            start,
            end,
            f"{venue}, {city}" if venue and city else venue or "",
            SessionStatus(status).label,
            gettext("yes") if late else gettext("no"),
        ]
