"""The stored due dates (`EngagementDue`): so that the reminder sweep reads the engagements a
reminder can be due for, found through indexes, rather than every active engagement and its
booked sessions.

- Database triggers (migration 0014) make a row with each engagement and mark it stale in the
  writer's transaction whenever an input changes: one of its sessions, the engagement, its
  mentor's time zone. Nothing else needs to remember to.
- `refresh(now)` recomputes the stale rows with `sessions.due` (the definition of a due date);
  the sweep calls it first. A row that a writer holds is left stale, not waited for; a stale row
  is always a candidate, so it is never missed, only computed afresh.
- `rebuild()` marks every row stale and refreshes them (`manage.py rebuild_due_dates`): after a
  change to the cadence settings, the public holidays or the summer pause.
- `reminder_candidates(engagements, now)` is the sweep's prefilter; a test checks that it leaves
  out no engagement a reminder is due for.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from mentorship.models import STEADY_FROM, Engagement
from sessions.due import NUDGE_WINDOW_DAYS, due_from_stats
from sessions.models import UPCOMING_STATUSES, EngagementDue, MentoringSession, SessionKind, SessionStatus

BATCH = 500


def _stats(ids: list[int]) -> dict[int, dict]:
    """Per engagement: the latest end of a requested or confirmed session, and the latest start of
    a completed or confirmed one (the last held once nothing is booked). Whole-team sessions only:
    one-to-ones follow their own cadence (`sessions.one_to_ones.due`)."""
    rows = (
        MentoringSession.objects.filter(engagement__in=ids, kind=SessionKind.SESSION)
        .values("engagement")
        .annotate(
            booked_until=Max("end", filter=Q(status__in=UPCOMING_STATUSES)),
            last_held=Max("start", filter=Q(status__in=[SessionStatus.COMPLETED, SessionStatus.CONFIRMED])),
        )
    )
    return {row["engagement"]: row for row in rows}


@transaction.atomic
def _refresh_batch(now: datetime.datetime) -> int:
    """Recompute up to BATCH stale rows that no writer holds. Returns how many."""
    taken = list(
        EngagementDue.objects.filter(is_stale=True)
        .order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:BATCH]
    )
    if not taken:
        return 0
    # Read after the rows are locked: a writer that marked one before has committed, and one
    # that marks one now waits for this transaction and marks it stale again after it.
    stats = _stats(taken)
    rows = []
    for engagement in Engagement.objects.filter(pk__in=taken).select_related("mentor"):
        row = stats.get(engagement.pk, {})
        due = due_from_stats(engagement, last_held=row.get("last_held"), next_booked=None, now=now)
        rows.append(
            EngagementDue(
                engagement=engagement,
                booked_until=row.get("booked_until"),
                due_date=due.due_date if due else None,
                is_stale=False,
            )
        )
    EngagementDue.objects.bulk_update(rows, ["booked_until", "due_date", "is_stale"])
    return len(rows)


def refresh(now: datetime.datetime | None = None) -> int:
    """Recompute every stale row that no writer holds. Returns how many."""
    now = now or timezone.now()
    total = 0
    while done := _refresh_batch(now):
        total += done
    return total


def rebuild(now: datetime.datetime | None = None) -> int:
    """Every row stale, then recomputed (rows missing for any reason are made first)."""
    missing = Engagement.objects.filter(due_state__isnull=True).values_list("pk", flat=True)
    EngagementDue.objects.bulk_create([EngagementDue(engagement_id=pk) for pk in missing], ignore_conflicts=True)
    EngagementDue.objects.update(is_stale=True)
    return refresh(now)


def reminder_candidates(engagements: QuerySet[Engagement], now: datetime.datetime) -> QuerySet[Engagement]:
    """Those of `engagements` (active, with a mentor) that an engagement reminder
    (`sweep._engagement_reminders`) can be due for at `now`, found through indexes — so the sweep
    follows what is due, not everything active:
    - nothing booked and the stored due date near today (a booking nudge), or a stale row;
    - the planned end near (the review reminder);
    - the monthly phase just begun (the phase note).
    The date windows are a day wider on each side than the rules': the rules count in the
    mentor's zone, this in UTC. Four small queries; the result is lazy."""
    today = now.astimezone(datetime.UTC).date()
    day = datetime.timedelta(days=1)
    nudges = EngagementDue.objects.filter(
        Q(booked_until__isnull=True) | Q(booked_until__lte=now),
        due_date__gte=today - (NUDGE_WINDOW_DAYS + 1) * day,
        due_date__lte=today + (settings.BOOKING_NUDGE_DAYS_BEFORE + 1) * day,
    )
    review_days = datetime.timedelta(days=settings.REVIEW_REMINDER_DAYS_BEFORE)
    near_end = engagements.filter(planned_end__gte=today - day, planned_end__lte=today + review_days + day)
    phase = engagements.alias(steady_from=STEADY_FROM).filter(
        initial_phase_weeks__gt=0, steady_from__gte=today - 8 * day, steady_from__lte=today + day
    )
    ids = (
        set(nudges.values_list("pk", flat=True))
        | set(EngagementDue.objects.filter(is_stale=True).values_list("pk", flat=True))
        | set(near_end.order_by().values_list("pk", flat=True))
        | set(phase.order_by().values_list("pk", flat=True))
    )
    return engagements.filter(pk__in=ids)
