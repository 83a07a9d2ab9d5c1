"""Engagement health, the rules: cadence adherence, overdue, utilisation — pure functions over
plain data, fixed by table tests. The at-risk score is in `risk`, the queries that feed both in
`selectors`, the dashboard's charts in `charts`. Intervals come from the cadence engine
(`mentorship.cadence`); nothing here knows how often a mentorship meets.

Definitions
-----------
Held session
    `sessions.models.held_condition`: recorded as held by the mentor, or confirmed and over
    until attendance is recorded — the same rule as the booking page, the reminders and the
    reports. Days are the mentor's local days.
Cadence adherence
    A held session is *on time* when it falls within the due window of its engagement. The due
    date is `cadence.next_due` anchored on the engagement's previous held session (on its start
    for the first session). The window is the due date ± 7 days when the anchor lies in the
    initial phase (every other week), ± 10 days in the steady phase (monthly). The first session
    has no lower bound: starting early is never late. Adherence is the share of sessions held in
    the last 12 months (by the month they were held in) that were on time.
Overdue
    An active engagement with nothing booked whose next session was due more than 7 days (the
    grace period) ago — except during the summer pause (`mentorship.workdays`), when nobody is.
Review coming up
    An active engagement whose planned end is within 30 days, or already past.
Utilisation
    A mentor's active and paused engagements (a paused one keeps its place, as in matching)
    against the capacity on their profile.
Feedback averages
    Mean usefulness and trust of the ratings given for sessions held in the last 12 months.

The at-risk score is the sum of the weights of the signals that apply; see `risk.risk_signals`.
"""

import datetime
from collections.abc import Callable, Iterable

from mentorship.cadence import CadenceRules, Due
from mentorship.workdays import in_summer_pause

INITIAL_TOLERANCE_DAYS = 7
STEADY_TOLERANCE_DAYS = 10
OVERDUE_GRACE_DAYS = 7
REVIEW_WITHIN_DAYS = 30
# A member of a leadership team "keeps missing" when absent from at least MEMBER_MISSED_AT_LEAST of
# the last MEMBER_RECENT_SESSIONS team sessions whose attendance per member was recorded (held or
# no-show sessions, while they are still in the team).
MEMBER_RECENT_SESSIONS = 3
MEMBER_MISSED_AT_LEAST = 2
MISSED_LOOKBACK_DAYS = 90
CHART_MONTHS = 12
LOW_RATING = 2  # a commitment or feedback rating at or below this is low
FEEDBACK_DROP = 1  # the latest two ratings this much below the earlier average is a fall
_INITIAL_TOLERANCE = datetime.timedelta(days=INITIAL_TOLERANCE_DAYS)
_STEADY_TOLERANCE = datetime.timedelta(days=STEADY_TOLERANCE_DAYS)

# Adherence, overdue, utilisation: pure rules ---------------------------------------------------


Window = tuple[datetime.date | None, datetime.date]


def due_windows(rules: CadenceRules) -> Callable[[datetime.date | None], Window]:
    """`due_window` for one engagement's rules, with what depends only on the rules worked out
    once: adherence asks for the window of every held session of every engagement."""
    start_date, steady_from, due_after, first_due = (
        rules.start_date,
        rules.steady_from,
        rules.due_after,
        rules.first_due,
    )

    def window(previous: datetime.date | None) -> Window:
        anchor = previous or start_date
        # `due_after` / `first_due` are `cadence.next_due` without its status check: adherence
        # looks back at finished engagements too.
        due_date = due_after(previous) if previous else first_due
        tolerance = _INITIAL_TOLERANCE if anchor < steady_from else _STEADY_TOLERANCE
        return (None if previous is None else due_date - tolerance), due_date + tolerance

    return window


def due_window(rules: CadenceRules, previous: datetime.date | None) -> Window:
    """The first and last day on which the session after `previous` (a held session's day, or None
    for the first session) counts as on time. The first day is None for the first session."""
    return due_windows(rules)(previous)


def held_on_time(rules: CadenceRules, previous: datetime.date | None, held: datetime.date) -> bool:
    earliest, latest = due_window(rules, previous)
    return (earliest is None or earliest <= held) and held <= latest


def adherence_of(
    rules: CadenceRules, held_days: Iterable[datetime.date], *, since: datetime.date | None = None
) -> list[tuple[datetime.date, bool]]:
    """(day, on time?) for each held session of one engagement from `since` on. Every held session,
    also those before `since`, anchors the next one."""
    window = due_windows(rules)
    out: list[tuple[datetime.date, bool]] = []
    previous: datetime.date | None = None
    for day in sorted(held_days):
        if since is None or day >= since:
            earliest, latest = window(previous)
            out.append((day, (earliest is None or earliest <= day) and day <= latest))
        previous = day
    return out


def overdue_days(due: Due | None, today: datetime.date) -> int | None:
    """Days since the due date for an engagement with nothing booked, once the grace period is
    over; None when it is not overdue (or not active)."""
    if due is None or due.is_booked or in_summer_pause(today):
        return None
    late = (today - due.due_date).days
    return late if late > OVERDUE_GRACE_DAYS else None


def utilisation_share(load: int, capacity: int | None) -> float | None:
    """Load as a share of capacity (1.0 = full); None without a capacity to compare with."""
    if not capacity:
        return None
    return load / capacity
