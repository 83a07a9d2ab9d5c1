"""Booking nudges for one-to-ones: each member on the roster today whose one-to-one is due and
not booked is nudged, as the sweep nudges an engagement (BOOKING_NUDGE_DAYS_BEFORE days before
the due date, again on it; the mentor too BOOKING_NUDGE_MENTOR_AFTER_DAYS after it; none in the
summer pause, none a month after). A member who left is nudged no more. The sweep
(`sessions.reminders.sweep`) turns these into reminders of kind "booking nudge"."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User
from mentorship.models import Engagement, EngagementStatus, TeamMembership, roster_date
from mentorship.workdays import in_summer_pause
from sessions.due import NUDGE_WINDOW_DAYS
from sessions.one_to_ones.due import members_one_to_ones

KEY_PREFIX = "one-to-one:"


@dataclass(frozen=True)
class Nudge:
    key: str
    recipient: User
    engagement_id: int
    about: str  # the due date (ISO)


def member_of_key(key: str) -> int | None:
    """The member a one-to-one nudge is about, from its key (see `_nudges_for`); None for other keys."""
    if not key.startswith(KEY_PREFIX):
        return None
    return int(key.split(":")[2])


def one_to_one_nudges(engagements: QuerySet[Engagement], now: datetime.datetime) -> list[Nudge]:
    """The one-to-one nudges due at `now` for these engagements (active team engagements with a
    one-to-one cadence among them). Three queries, and one per such engagement."""
    candidates = list(
        engagements.filter(
            status=EngagementStatus.ACTIVE, mentor__isnull=False, team__isnull=False, one_to_one_interval_months__gt=0
        ).select_related("mentor")
    )
    if not candidates:
        return []
    today = roster_date(now)
    seats: dict[int, list[TeamMembership]] = {}
    for seat in TeamMembership.objects.filter(team__in={e.team_id for e in candidates}).select_related("user"):
        if seat.is_on(today):
            seats.setdefault(seat.team_id, []).append(seat)
    out: list[Nudge] = []
    for engagement in candidates:
        out += _nudges_for(engagement, seats.get(engagement.team_id, []), now)
    return out


def _nudges_for(engagement: Engagement, seats: list[TeamMembership], now: datetime.datetime) -> list[Nudge]:
    if not seats:
        return []
    today = now.astimezone(zoneinfo.ZoneInfo(engagement.mentor.time_zone)).date()
    if in_summer_pause(today):
        return []
    out = []
    for part in members_one_to_ones(engagement, now=now, seats=seats):
        if part.due is None or part.due.is_booked:
            continue
        days_to_due = (part.due.due_date - today).days
        about = part.due.due_date.isoformat()
        base = f"{KEY_PREFIX}{engagement.uuid}:{part.member.pk}:{about}"
        stages = []
        if -NUDGE_WINDOW_DAYS <= days_to_due <= settings.BOOKING_NUDGE_DAYS_BEFORE:
            stages.append(("soon", [part.member]))
        if -NUDGE_WINDOW_DAYS <= days_to_due <= 0:
            stages.append(("due", [part.member]))
        if -NUDGE_WINDOW_DAYS <= days_to_due <= -settings.BOOKING_NUDGE_MENTOR_AFTER_DAYS:
            stages.append(("overdue", [part.member, engagement.mentor]))
        out += [
            Nudge(f"{base}:{stage}:{person.pk}", person, engagement.pk, about)
            for stage, people in stages
            for person in people
        ]
    return out
