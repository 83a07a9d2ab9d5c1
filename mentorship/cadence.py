"""The cadence engine: the one place that knows how often a mentorship meets.

The first session (the kickoff) is due FIRST_SESSION_DUE_DAYS (7) after the start. An engagement
is in its *initial phase* for `initial_phase_weeks` from its start date: the next session is due
`initial_interval_days` after the last held session. After that it is in the *steady phase*: due `steady_interval_months` calendar
months after the last held session (month ends clamp: 31 January + 1 month = 28/29 February).
Only active engagements are due anything.

"Next session due" is computed from the data every time, never stored.
"""

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.utils.translation import gettext_lazy as _


class Phase(StrEnum):
    INITIAL = "initial"
    STEADY = "steady"

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self])


PHASE_LABELS = {Phase.INITIAL: _("Every other week (initial phase)"), Phase.STEADY: _("Monthly (steady phase)")}


@dataclass(frozen=True)
class CadenceRules:
    start_date: datetime.date
    initial_phase_weeks: int = 12
    initial_interval_days: int = 14
    steady_interval_months: int = 1
    is_active: bool = True
    # The first session (the kickoff) is due this many days after the start; None: one interval
    # of the start's phase, as any other session.
    first_session_days: int | None = None

    @classmethod
    def of(cls, engagement) -> "CadenceRules":
        from django.conf import settings

        return cls(
            start_date=engagement.start_date,
            initial_phase_weeks=engagement.initial_phase_weeks,
            initial_interval_days=engagement.initial_interval_days,
            steady_interval_months=engagement.steady_interval_months,
            is_active=engagement.status == "active",
            first_session_days=settings.FIRST_SESSION_DUE_DAYS,
        )

    @cached_property  # the rules are frozen; the health dashboard asks for every held session
    def steady_from(self) -> datetime.date:
        """The first day of the steady phase."""
        return self.start_date + datetime.timedelta(weeks=self.initial_phase_weeks)

    def phase_on(self, day: datetime.date) -> Phase:
        return Phase.INITIAL if day < self.steady_from else Phase.STEADY

    @cached_property
    def first_due(self) -> datetime.date:
        """The day the first session is due: `first_session_days` after the start."""
        if self.first_session_days is None:
            return self.due_after(self.start_date)
        return self.start_date + datetime.timedelta(days=self.first_session_days)

    def due_after(self, anchor: datetime.date) -> datetime.date:
        """The day the session after `anchor` (a held session's day, or the start) is due: the
        interval of the phase `anchor` falls in."""
        if anchor < self.steady_from:
            return anchor + datetime.timedelta(days=self.initial_interval_days)
        return add_months(anchor, self.steady_interval_months)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole calendar months, clamped to the month's end (31 January + 1 = 28/29
    February); as `day + relativedelta(months=months)`, without its cost — the health dashboard
    calls this for every held session."""
    years, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month + 1
    if day.day <= 28:  # every month has these
        return datetime.date(year, month, day.day)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    phase: Phase
    due_date: datetime.date
    booked: datetime.date | None  # the next booked session on or after the last held one, if any

    @property
    def is_booked(self) -> bool:
        return self.booked is not None


def next_due(
    rules: CadenceRules, *, last_held: datetime.date | None, next_booked: datetime.date | None, today: datetime.date
) -> Due | None:
    """When the next session is due, or None for an engagement that is not active.

    `last_held`: date of the most recent held session; `next_booked`: date of the earliest
    upcoming booked session. With none held yet, the kickoff is due `first_session_days` after
    the start; after that the interval follows the phase the last held session (or, with
    none held yet, the start) fell in: a session in week 11 sets the next one 14 days later,
    a session in week 13 one month later. The reported phase is the engagement's phase today.
    """
    if not rules.is_active:
        return None
    due_date = rules.due_after(last_held) if last_held else rules.first_due
    return Due(phase=rules.phase_on(today), due_date=due_date, booked=next_booked)


def describe(rules: CadenceRules) -> str:
    from django.utils.translation import gettext, ngettext

    months = ngettext("every month", "every %(n)d months", rules.steady_interval_months) % {
        "n": rules.steady_interval_months
    }
    if rules.initial_phase_weeks == 0:
        return gettext("Sessions %(months)s.") % {"months": months}
    return gettext("Every %(days)d days for the first %(weeks)d weeks, then %(months)s.") % {
        "days": rules.initial_interval_days,
        "weeks": rules.initial_phase_weeks,
        "months": months,
    }
