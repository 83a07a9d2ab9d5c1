"""The team view of a leadership team's engagement: how the team is doing, on one page.

The mentor and the admins see every member — role/title, the dates of their seat, attendance at
team sessions, last and next one-to-one (and when the next is due) — and the team's sessions. A
member sees only their own part and what the team shares (its sessions). One-to-ones are never
shown to another member, nor is a member's own goal (from their development plan, `progress`)."""

import dataclasses
import datetime
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import User
from mentorship import access
from mentorship.models import Engagement, TeamMembership
from mentorship.organisations.selectors import team_roster
from progress.plan.selectors import own_goal_titles
from sessions import access as session_access
from sessions.models import SessionKind
from sessions.one_to_ones.due import MemberOneToOnes, members_one_to_ones
from sessions.one_to_ones.paths import one_to_one_booking_path


@dataclasses.dataclass
class TeamRow:
    seat: TeamMembership  # with `attended`, `recorded` and `attendance_rate` (team_roster)
    one_to_ones: MemberOneToOnes
    book_url: str  # where the viewer books this member's one-to-one ("" when they may not)
    goals: list[str] = dataclasses.field(default_factory=list)  # the member's own current goals

    @property
    def member(self) -> User:
        return self.seat.user

    @property
    def next_due(self) -> datetime.date | None:
        due = self.one_to_ones.due
        return due.due_date if due else None


def _rows(user: User, engagement: Engagement, *, sees_all: bool) -> list[TeamRow]:
    seats = team_roster(engagement.team)
    if not sees_all:
        seats = [seat for seat in seats if seat.user_id == user.pk]
    parts = {part.seat.pk: part for part in members_one_to_ones(engagement, seats=seats)}
    goals = own_goal_titles(engagement, [seat.user_id for seat in seats])
    bookable = session_access.one_to_ones_bookable_by(user, engagement)
    rows = []
    for seat in seats:
        may_book = seat.user_id in bookable
        url = one_to_one_booking_path(engagement, seat.user_id, for_mentor=sees_all) if may_book else ""
        rows.append(TeamRow(seat=seat, one_to_ones=parts[seat.pk], book_url=url, goals=goals[seat.user_id]))
    return rows


@login_required
def team_view(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    engagement = access.get_engagement_for(user, engagement_uuid)  # 404 for outsiders
    if not engagement.is_team:
        raise Http404
    sees_all = access.is_consultancy_admin(user) or access.is_engagement_mentor(user, engagement)
    if not sees_all and not access.is_engagement_mentee(user, engagement):
        raise Http404  # a mentor only asked to take the engagement
    now = timezone.now()
    team_sessions = (
        session_access.sessions_visible_to(user)
        .filter(engagement=engagement, kind=SessionKind.SESSION)
        .select_related("venue")
        .order_by("start")
    )
    context = {
        "engagement": engagement,
        "team": engagement.team,
        "sees_all": sees_all,
        "rows": _rows(user, engagement, sees_all=sees_all),
        "upcoming_team_sessions": list(team_sessions.upcoming(now)[:5]),
        "past_team_sessions": list(team_sessions.exclude(start__gte=now).order_by("-start")[:5]),
        "has_cadence": bool(engagement.one_to_one_interval_months),
    }
    return render(request, "overview/team_view.html", context)
