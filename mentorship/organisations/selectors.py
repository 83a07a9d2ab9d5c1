"""Reads about client organisations, their leadership teams and invitations."""

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from mentorship import access
from mentorship.models import Invitation, LeadershipTeam, TeamMembership


def open_invitation_count(user: User) -> int:
    """Invitations sent and neither accepted, revoked nor expired, for an admin's home page
    (`templates/mentorship/includes/home_organisations.html`); 0 for everybody else. One query."""
    if not access.is_consultancy_admin(user):
        return 0
    return Invitation.objects.open(timezone.now()).count()


# Attendance per member is recorded in the sessions app (`sessions.models.MemberAttendance`, one
# layer up), so it is reached here by its relation's name, never imported. A held or no-show team
# session's rows count; "absent" is the one status that is not attending.
_RECORDED = Q(
    user__team_attendance__session__team=F("team"), user__team_attendance__session__status__in=["completed", "no_show"]
)
_ATTENDED = _RECORDED & ~Q(user__team_attendance__status="absent")


def team_roster(team: LeadershipTeam) -> list[TeamMembership]:
    """The team page's seats: current members first (by name), then those who left (latest
    first), each with its history (`events`) and its attendance at the team's sessions
    (`attended` of `recorded`, and `attendance_rate` in whole percent or None). Three queries."""
    seats = list(
        TeamMembership.objects.filter(team=team)
        .select_related("user")
        .prefetch_related("events__actor")
        .annotate(
            recorded=Count("user__team_attendance", filter=_RECORDED),
            attended=Count("user__team_attendance", filter=_ATTENDED),
        )
    )
    for seat in seats:
        seat.attendance_rate = round(100 * seat.attended / seat.recorded) if seat.recorded else None
    return sorted(
        seats,
        key=lambda seat: (
            seat.has_left,
            -seat.left_on.toordinal() if seat.has_left else 0,
            seat.user.display_name.lower(),
        ),
    )


def invitations_waiting(user: User) -> QuerySet[Invitation]:
    """For the admins' queue: invitations neither accepted nor revoked, the soonest to expire (or
    longest expired) first, read from their partial index; none but for admins."""
    if not access.is_consultancy_admin(user):
        return Invitation.objects.none()
    return Invitation.objects.unanswered().select_related("organisation", "team").order_by("expires_at", "pk")
