"""What the sweep will send for one engagement from now on, if nothing changes: the admins'
view of an engagement's reminders (`sessions/reminders/views.py`)."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from mentorship.cadence import CadenceRules
from mentorship.models import Engagement, EngagementStatus
from mentorship.workdays import in_summer_pause
from sessions.due import due_for
from sessions.models import ReminderKind, SessionStatus
from sessions.reminders.sweep import grace, local_date, offsets


@dataclass(frozen=True)
class PlannedReminder:
    kind: str
    at: datetime.datetime | datetime.date
    about: str

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime.datetime)


def upcoming_reminders(engagement: Engagement, now: datetime.datetime | None = None) -> list[PlannedReminder]:
    """What the sweep will send for this engagement from now on, if nothing changes (for admins)."""
    now = now or timezone.now()
    zone = engagement.mentor.time_zone if engagement.mentor_id else settings.DEFAULT_USER_TIME_ZONE
    today = local_date(now, zone)
    planned: list[PlannedReminder] = []
    if engagement.status != EngagementStatus.ACTIVE:
        return planned
    sessions = engagement.sessions.filter(status=SessionStatus.CONFIRMED, start__gt=now).order_by("start")[:5]
    for session in sessions:
        for offset in offsets():
            at = session.start - datetime.timedelta(hours=offset)
            if at + grace(offset) > now:
                planned.append(PlannedReminder(ReminderKind.SESSION, at, session.start.isoformat()))
    rules = CadenceRules.of(engagement)
    due = due_for(engagement, now=now)
    if due is not None and not due.is_booked:
        for days in (-settings.BOOKING_NUDGE_DAYS_BEFORE, 0, settings.BOOKING_NUDGE_MENTOR_AFTER_DAYS):
            day = due.due_date + datetime.timedelta(days=days)
            if day >= today and not in_summer_pause(day):
                planned.append(PlannedReminder(ReminderKind.BOOKING_NUDGE, day, due.due_date.isoformat()))
    review = engagement.planned_end - datetime.timedelta(days=settings.REVIEW_REMINDER_DAYS_BEFORE)
    if review >= today:
        planned.append(PlannedReminder(ReminderKind.REVIEW, review, engagement.planned_end.isoformat()))
    if rules.initial_phase_weeks and rules.steady_from >= today:
        planned.append(PlannedReminder(ReminderKind.PHASE_CHANGE, rules.steady_from, rules.steady_from.isoformat()))

    def sort_key(item: PlannedReminder) -> datetime.datetime:
        if isinstance(item.at, datetime.datetime):
            return item.at
        return datetime.datetime.combine(item.at, datetime.time(), tzinfo=zoneinfo.ZoneInfo(zone))

    return sorted(planned, key=sort_key)
