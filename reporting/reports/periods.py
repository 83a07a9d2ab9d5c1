"""What every report counts with: periods of whole days, and cadence adherence over a period.

Cadence adherence is the dashboard's (`reporting.health.rules.adherence_of`): the share of held
sessions held within the due window the cadence engine gives them (±7 days in the every-other-week
phase, ±10 once monthly; the first session may come early). Here it is counted over a period, with
days in the viewer's time zone. Held sessions follow `sessions.models.held_condition`.

Confidentiality: nothing in the reports reads session notes, note revisions, reflections or
feedback. Exports and sponsor reports are built from engagements and from session times,
venues and statuses only, so no confidential text can leak into them.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from mentorship.cadence import CadenceRules
from mentorship.models import Engagement
from reporting.health import rules as health_rules
from sessions.models import MentoringSession


@dataclasses.dataclass(frozen=True)
class Period:
    """Whole days, both ends included, in the current time zone; an open end is None."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def contains(self, day: datetime.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def session_filter(self, prefix: str = "") -> Q:
        """Sessions starting within the period."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{prefix}start__gte": _midnight(self.start)})
        if self.end is not None:
            condition &= Q(**{f"{prefix}start__lt": _midnight(self.end + datetime.timedelta(days=1))})
        return condition


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclasses.dataclass(frozen=True)
class Adherence:
    held: int = 0
    on_time: int = 0

    @property
    def percent(self) -> int | None:
        """Whole percent of held sessions that were on time; None with nothing held."""
        return round(100 * self.on_time / self.held) if self.held else None

    def __add__(self, other: "Adherence") -> "Adherence":
        return Adherence(held=self.held + other.held, on_time=self.on_time + other.on_time)


def adherence_of(rules: CadenceRules, held_dates: Iterable[datetime.date], period: Period | None = None) -> Adherence:
    """Adherence of one engagement's held sessions (dates in any order) that fall in `period`.

    Every held session moves the due date of the next one, also those before the period, so
    pass all held dates up to the end of the period. No query.
    """
    marks = health_rules.adherence_of(rules, held_dates, since=period.start if period else None)
    on_time = [ok for day, ok in marks if period is None or period.contains(day)]
    return Adherence(held=len(on_time), on_time=sum(on_time))


def held_dates_by_engagement(
    engagements: QuerySet[Engagement], until: datetime.date | None = None, *, now: datetime.datetime | None = None
) -> dict:
    """Engagement id → local dates of its held sessions (up to `until`), in one query."""
    now = now or timezone.now()
    sessions = MentoringSession.objects.held(now).filter(engagement__in=engagements.values("pk"))
    if until is not None:
        sessions = sessions.filter(Period(end=until).session_filter())
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    for engagement_id, start in sessions.order_by("start").values_list("engagement_id", "start"):
        dates[engagement_id].append(timezone.localtime(start).date())
    return dates
