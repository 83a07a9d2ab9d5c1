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

from django.conf import settings
from django.db.models import Aggregate, DateField, Exists, ExpressionWrapper, F, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from mentorship.cadence import CadenceRules, Due, next_due
from mentorship.models import Engagement
from mentorship.workdays import next_working_day
from sessions.models import MentoringSession, SessionKind, held_condition, upcoming_condition


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


def may_have_reminders_due(engagements: QuerySet[Engagement], now: datetime.datetime) -> QuerySet[Engagement]:
    """The engagements an engagement reminder can be due for at `now`: nothing booked (a booking
    nudge), the planned end near (the review), or the monthly phase just begun (the phase note).
    `_engagement_reminders` applies the rules; this only leaves out, in SQL, the engagements none
    of them can apply to — in real use most of them, whose next session is booked — so the sweep
    follows what is due, not everything active. The date windows are a day wider on each side
    than the rules': the rules count in the mentor's zone, this in UTC."""
    today = now.astimezone(datetime.UTC).date()
    day = datetime.timedelta(days=1)
    nothing_booked = ~Exists(
        MentoringSession.objects.upcoming(now).filter(engagement=OuterRef("pk"), kind=SessionKind.SESSION)
    )
    review_days = datetime.timedelta(days=settings.REVIEW_REMINDER_DAYS_BEFORE)
    near_end = Q(planned_end__gte=today - day, planned_end__lte=today + review_days + day)
    steady_from = ExpressionWrapper(
        F("start_date") + F("initial_phase_weeks") * datetime.timedelta(weeks=1), output_field=DateField()
    )
    return engagements.alias(steady_from=steady_from).filter(
        nothing_booked
        | near_end
        | Q(initial_phase_weeks__gt=0, steady_from__gte=today - 8 * day, steady_from__lte=today + day)
    )
