"""When an engagement's next session is due: the cadence engine (`mentorship.cadence`) applied to
its sessions. The one place that turns sessions into a due date — the booking page, the
engagement page, the reminder sweep, the health dashboard and the reports all come here.

A due date that falls on a public holiday or eve, or in the summer pause, moves to the next
working day (`mentorship.workdays`); the adherence windows of the health rules stay the cadence's
own, whose tolerance of a week or more takes in a holiday.

Days are the mentor's local days (a session at 00:30 in Stockholm counts for that day), and the
last held and next booked sessions follow the row rules in `sessions.models`
(`held_condition`, `upcoming_condition`).
"""

import dataclasses
import datetime
import zoneinfo

from django.db.models import Aggregate, Max, Min, Q, QuerySet
from django.utils import timezone

from mentorship.cadence import CadenceRules, Due, next_due
from mentorship.models import Engagement
from mentorship.workdays import next_working_day
from sessions.models import SessionKind, held_condition, upcoming_condition

NUDGE_WINDOW_DAYS = 30  # booking nudges stop a month after the due date; the dashboard flags it


def session_stats(now: datetime.datetime, prefix: str = "") -> dict[str, Aggregate]:
    """The two aggregates a due date needs, over sessions (or `prefix`-ed from another model):
    the start of the last held session and of the next booked one. The one-to-ones inside a team
    engagement follow their own cadence per member (`sessions.one_to_ones.due`), not the team's."""
    whole = Q(**{f"{prefix}kind": SessionKind.SESSION})
    return {
        "last_held": Max(f"{prefix}start", filter=held_condition(now, prefix) & whole),
        "next_booked": Min(f"{prefix}start", filter=upcoming_condition(now, prefix) & whole),
    }


def with_session_stats(engagements: QuerySet[Engagement], now: datetime.datetime) -> QuerySet[Engagement]:
    """`engagements` annotated with `last_held` and `next_booked` (see `session_stats`)."""
    return engagements.annotate(**session_stats(now, "sessions__"))


def due_from_stats(
    engagement: Engagement,
    *,
    last_held: datetime.datetime | None,
    next_booked: datetime.datetime | None,
    now: datetime.datetime,
) -> Due | None:
    """The engagement's phase and next due date, from its last held and next booked session
    starts (UTC); None unless it is active with a mentor. No query (the mentor must be loaded)."""
    if engagement.mentor_id is None:
        return None
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    due = next_due(
        CadenceRules.of(engagement),
        last_held=last_held.astimezone(zone).date() if last_held else None,
        next_booked=next_booked.astimezone(zone).date() if next_booked else None,
        today=now.astimezone(zone).date(),
    )
    if due is None:
        return None
    # Off a holiday or out of the summer pause, to the next working day.
    return dataclasses.replace(due, due_date=next_working_day(due.due_date))


def due_of(engagement: Engagement, now: datetime.datetime) -> Due | None:
    """`due_from_stats` for an engagement that came through `with_session_stats`. No query."""
    return due_from_stats(engagement, last_held=engagement.last_held, next_booked=engagement.next_booked, now=now)


def due_for(engagement: Engagement, *, now: datetime.datetime | None = None) -> Due | None:
    """One engagement's due date, in one query."""
    now = now or timezone.now()
    if engagement.mentor_id is None:
        return None
    return due_from_stats(engagement, now=now, **engagement.sessions.aggregate(**session_stats(now)))
