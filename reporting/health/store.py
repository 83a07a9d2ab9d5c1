"""The stored engagement health: one `EngagementHealthRecord` per engagement and its
`EngagementMonth` rows, so the health pages read them with SQL instead of recomputing every
engagement on every page view.

How they stay current
- A change to an input (a session, feedback, an intake answer, the engagement itself, the
  mentor's time zone) marks the engagement's record due in the same transaction (`mark_due`
  empties its `computed_at`, from
  the model signals in `reporting.signals`, so services, the Django admin and the test factories
  all count).
- Time alone changes some answers: a confirmed session becomes held when it ends, an engagement
  becomes overdue at midnight in its mentor's zone, the cadence turns monthly, a no-show leaves the
  90-day window, the summer pause begins or ends. Each record keeps `refresh_at`, the first such moment (`_refresh_at`).
- `refresh_due(now)` recomputes the records that are due (`due_records`), in batches with a fixed
  number of queries each. The health pages call it first, so they never show a stale row; beat
  calls it every few minutes (`reporting.refresh_health`), so pages rarely find work to do.
  `rebuild(now)` recomputes every record (`manage.py rebuild_health`).
- The computation itself is `selectors.engagement_health`, the definition of health; a property
  test checks that stored rows equal it after random operations and jumps in time.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from mentorship.cadence import CadenceRules
from mentorship.models import Engagement
from mentorship.workdays import pause_changes_after
from reporting.health import totals
from reporting.health.rules import MISSED_LOOKBACK_DAYS, OVERDUE_GRACE_DAYS, adherence_of
from reporting.health.selectors import EngagementHealth, engagement_health
from reporting.models import EngagementHealthRecord, EngagementMonth
from sessions.models import (
    Feedback,
    MentoringSession,
    SessionKind,
    SessionStatus,
    held_condition,
    upcoming_condition,
)

BATCH = 500


def mark_due(records) -> None:
    """An input of these records' engagements changed (`records`: a queryset of
    EngagementHealthRecord): recompute them before they are read next, whatever the time. An
    UPDATE only — a record is made with its engagement (`reporting.signals`), never here, so this
    is safe inside the deletion of an engagement."""
    records.update(computed_at=None)


def due_records(now: datetime.datetime) -> Q:
    """Records not valid at `now`: changed since computed, time has reached `refresh_at`, or
    computed for a later moment than `now` (a page asked about the past)."""
    return Q(computed_at__isnull=True) | Q(refresh_at__lte=now) | Q(computed_at__gt=now)


def _zone(engagement: Engagement) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(engagement.mentor.time_zone if engagement.mentor_id else settings.DEFAULT_USER_TIME_ZONE)


def _midnight(day: datetime.date, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone)


def _sessions_by_engagement(ids: list[int], now: datetime.datetime) -> dict[int, list[dict]]:
    """Every session of these engagements, oldest first, with the row rules worked out in SQL. A
    team engagement's one-to-ones follow their own cadence per member, not the team's: left out."""
    rows = (
        MentoringSession.objects.filter(engagement__in=ids, kind=SessionKind.SESSION)
        .annotate(
            is_held=ExpressionWrapper(held_condition(now), output_field=BooleanField()),
            is_upcoming=ExpressionWrapper(upcoming_condition(now), output_field=BooleanField()),
        )
        .order_by("start", "pk")
        .values("pk", "engagement_id", "start", "end", "status", "late_cancellation", "is_held", "is_upcoming")
    )
    out: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        out[row["engagement_id"]].append(row)
    return out


def _ratings_by_session(ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = Feedback.objects.filter(session__engagement__in=ids).values_list("session_id", "usefulness", "trust")
    for session_id, usefulness, trust in rows:
        out[session_id].append((usefulness, trust))
    return out


def _months(engagement: Engagement, sessions: list[dict], ratings: dict) -> list[EngagementMonth]:
    """The engagement's sessions added up by its mentor's local month."""
    zone = _zone(engagement)
    months: dict[datetime.date, EngagementMonth] = {}

    def month_of(session: dict) -> EngagementMonth:
        first = session["start"].astimezone(zone).date().replace(day=1)
        if first not in months:
            months[first] = EngagementMonth(engagement=engagement, month=first)
        return months[first]

    held = [session for session in sessions if session["is_held"]]
    days = [session["start"].astimezone(zone).date() for session in held]
    for session, (_day, on_time) in zip(held, adherence_of(CadenceRules.of(engagement), days), strict=True):
        row = month_of(session)
        row.held += 1
        row.held_on_time += on_time
    for session in sessions:
        if session["status"] in (SessionStatus.CANCELLED, SessionStatus.NO_SHOW):
            month_of(session).missed += 1
        for usefulness, trust in ratings.get(session["pk"], ()):
            row = month_of(session)
            row.ratings += 1
            row.usefulness_total += usefulness
            row.trust_total += trust
    return list(months.values())


def _refresh_at(
    engagement: Engagement, health: EngagementHealth | None, sessions: list[dict], now: datetime.datetime
) -> datetime.datetime | None:
    """The first moment after `now` at which time alone changes this engagement's health or months."""
    moments = [session["end"] for session in sessions if session["is_upcoming"]]  # held, or no longer booked
    lookback = datetime.timedelta(days=MISSED_LOOKBACK_DAYS)
    moments += [
        session["start"] + lookback
        for session in sessions
        if session["status"] == SessionStatus.NO_SHOW
        or (session["status"] == SessionStatus.CANCELLED and session["late_cancellation"])
    ]
    if health is not None:
        zone = _zone(engagement)
        rules = CadenceRules.of(engagement)
        moments.append(_midnight(rules.steady_from, zone))  # the cadence turns monthly
        if health.due is not None and not health.due.is_booked and health.overdue_days is None:
            overdue_from = health.due.due_date + datetime.timedelta(days=OVERDUE_GRACE_DAYS + 1)
            moments.append(_midnight(overdue_from, zone))
        if health.due is not None and not health.due.is_booked:
            # Nobody is overdue in the summer pause: its first day and the day after it change that.
            moments += [_midnight(day, zone) for day in pause_changes_after(now.astimezone(zone).date())]
    future = [moment for moment in moments if moment > now]
    return min(future) if future else None


def _record(engagement: Engagement, health: EngagementHealth | None, refresh_at, now) -> EngagementHealthRecord:
    record = EngagementHealthRecord(engagement=engagement, computed_at=now, refresh_at=refresh_at)
    if health is None:
        return record
    facts = asdict(health.facts)
    facts.pop("overdue_days")  # worked out when shown, from the due date: it changes every day
    record.is_active = True
    record.phase = health.phase.value
    record.due_date = health.due.due_date if health.due else None
    record.next_booked = health.next_booked
    record.last_held = health.last_held
    record.is_overdue = health.overdue_days is not None
    record.score = health.score
    record.signals = [signal.code for signal in health.signals]
    record.facts = facts
    return record


FIELDS = [
    "is_active",
    "phase",
    "due_date",
    "next_booked",
    "last_held",
    "is_overdue",
    "score",
    "signals",
    "facts",
    "computed_at",
    "refresh_at",
]


@transaction.atomic
def refresh(engagement_ids: Iterable[int], now: datetime.datetime | None = None, *, wait: bool = False) -> int:
    """Recompute the records and months of these engagements (at most BATCH of them), in a fixed
    number of queries. Returns how many.

    Locks: the engagements first, then their records — the order of a writer (a booking locks
    the engagement, then its signal marks the record due), so the two cannot deadlock. Unless
    `wait`, an engagement or record that a writer holds is left out rather than waited for: its
    writer marks it due, and the next refresh takes it. A page that refreshes must not queue
    behind a booking, nor a booking behind a page."""
    now = now or timezone.now()
    engagements = list(
        Engagement.objects.filter(pk__in=list(engagement_ids))
        .order_by("pk")
        .select_for_update(no_key=True, skip_locked=not wait, of=("self",))
        .select_related("mentor")
    )
    held = set(
        EngagementHealthRecord.objects.filter(pk__in=[engagement.pk for engagement in engagements])
        .order_by("pk")
        .select_for_update(skip_locked=not wait)
        .values_list("pk", flat=True)
    )
    # A record is made with its engagement (`reporting.signals`); one made by a bulk insert
    # without signals has none yet and gets it here.
    missing = (
        {e.pk for e in engagements}
        - held
        - set(EngagementHealthRecord.objects.filter(pk__in=[e.pk for e in engagements]).values_list("pk", flat=True))
    )
    engagements = [engagement for engagement in engagements if engagement.pk in held | missing]
    ids = [engagement.pk for engagement in engagements]
    if not ids:
        return 0
    old_records = list(
        EngagementHealthRecord.objects.filter(pk__in=ids).values("is_active", "phase", "is_overdue", "score")
    )
    old_months = list(EngagementMonth.objects.filter(engagement__in=ids).values("month", *totals.MONTH_FIELDS))
    health = {row.engagement.pk: row for row in engagement_health(Engagement.objects.filter(pk__in=ids), now=now)}
    sessions, ratings = _sessions_by_engagement(ids, now), _ratings_by_session(ids)
    records, months = [], []
    for engagement in engagements:
        own = sessions.get(engagement.pk, [])
        row = health.get(engagement.pk)
        records.append(_record(engagement, row, _refresh_at(engagement, row, own, now), now))
        months += _months(engagement, own, ratings)
    EngagementHealthRecord.objects.bulk_create(
        records, update_conflicts=True, unique_fields=["engagement"], update_fields=FIELDS
    )
    EngagementMonth.objects.filter(engagement__in=ids).delete()
    EngagementMonth.objects.bulk_create(months)
    totals.add_change(old_records=old_records, new_records=records, old_months=old_months, new_months=months)
    return len(ids)


def refresh_due(now: datetime.datetime | None = None) -> int:
    """Recompute every record whose `refresh_at` has come. Returns how many."""
    now = now or timezone.now()
    total = last = 0
    while True:
        due = list(
            EngagementHealthRecord.objects.filter(due_records(now), pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not due:
            return total
        total += refresh(due, now)  # leaves out what a writer holds: that one stays due
        last = due[-1]


def rebuild(now: datetime.datetime | None = None) -> int:
    """Recompute the record of every engagement (after a change to the rules, or to fill the table)."""
    now = now or timezone.now()
    total = 0
    last = 0
    while True:
        batch = list(Engagement.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not batch:
            with transaction.atomic():
                totals.recount()  # from scratch: whatever they were, they are right now
            return total
        total += refresh(batch, now, wait=True)  # every one, so wait for writers
        last = batch[-1]
