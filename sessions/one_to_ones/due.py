"""One-to-ones inside a team engagement: when each member's next one is due.

A team engagement may set a cadence of one-to-ones per member (`Engagement.one_to_one_interval_months`):
each member on the roster today is due one that many calendar months after their last held
one-to-one, or — with none held yet — after the later of the engagement's start and the day they
joined. The team's own cadence (`sessions.due`) leaves one-to-ones out. A member who left is due
nothing. Days are the mentor's local days, as in `sessions.due`.
"""

import dataclasses
import datetime
import zoneinfo

from django.db.models import Max, Min, Q
from django.utils import timezone

from mentorship.cadence import CadenceRules, Due, next_due
from mentorship.models import Engagement, EngagementStatus, TeamMembership, roster_date
from mentorship.workdays import next_working_day
from sessions.models import MentoringSession, SessionKind, held_condition, upcoming_condition


@dataclasses.dataclass(frozen=True)
class MemberOneToOnes:
    """One seat of the team with its one-to-ones in this engagement."""

    seat: TeamMembership
    last_held: datetime.datetime | None
    next_booked: datetime.datetime | None
    due: Due | None  # None: no cadence, engagement not active, or the member has left

    @property
    def member(self):
        return self.seat.user


def rules_for(engagement: Engagement, seat: TeamMembership) -> CadenceRules | None:
    """The one-to-one cadence of one member, or None when the engagement sets none."""
    if not engagement.one_to_one_interval_months:
        return None
    return CadenceRules(
        start_date=max(engagement.start_date, seat.joined_on),
        initial_phase_weeks=0,
        steady_interval_months=engagement.one_to_one_interval_months,
        is_active=engagement.status == EngagementStatus.ACTIVE,
        first_session_days=None,
    )


def one_to_one_stats(engagement: Engagement, now: datetime.datetime) -> dict[int, tuple]:
    """Per member (user id): the start of their last held and next booked one-to-one. One query."""
    rows = (
        MentoringSession.objects.filter(engagement=engagement, kind=SessionKind.ONE_TO_ONE)
        .values("mentee")
        .annotate(
            last_held=Max("start", filter=held_condition(now)),
            next_booked=Min("start", filter=upcoming_condition(now)),
        )
        .order_by()
    )
    return {row["mentee"]: (row["last_held"], row["next_booked"]) for row in rows}


def _due(engagement: Engagement, seat: TeamMembership, last_held, next_booked, now) -> Due | None:
    rules = rules_for(engagement, seat)
    if rules is None or engagement.mentor_id is None or not seat.is_on(roster_date(now)):
        return None
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    due = next_due(
        rules,
        last_held=last_held.astimezone(zone).date() if last_held else None,
        next_booked=next_booked.astimezone(zone).date() if next_booked else None,
        today=now.astimezone(zone).date(),
    )
    return dataclasses.replace(due, due_date=next_working_day(due.due_date)) if due else None


def members_one_to_ones(
    engagement: Engagement, *, now: datetime.datetime | None = None, seats: list[TeamMembership] | None = None
) -> list[MemberOneToOnes]:
    """Every seat of the engagement's team (those who left included, due nothing) with their
    one-to-ones. Two queries (the seats unless given, and the one-to-ones)."""
    now = now or timezone.now()
    if not engagement.team_id:
        return []
    if seats is None:
        seats = list(
            TeamMembership.objects.filter(team_id=engagement.team_id).select_related("user").order_by("user__full_name")
        )
    stats = one_to_one_stats(engagement, now)
    out = []
    for seat in seats:
        last_held, next_booked = stats.get(seat.user_id, (None, None))
        out.append(MemberOneToOnes(seat, last_held, next_booked, _due(engagement, seat, last_held, next_booked, now)))
    return out


def member_one_to_ones(
    engagement: Engagement, member, *, now: datetime.datetime | None = None
) -> MemberOneToOnes | None:
    """One member's part: their current seat's one-to-ones, or None when they are not in the team today."""
    now = now or timezone.now()
    seat = (
        TeamMembership.objects.filter(team_id=engagement.team_id, user=member)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=roster_date(now)))
        .select_related("user")
        .first()
    )
    if seat is None or not seat.is_on(roster_date(now)):
        return None
    return members_one_to_ones(engagement, now=now, seats=[seat])[0]
