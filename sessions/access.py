"""Who may see and change sessions. Built on the engagement rules in `mentorship.access`: a
session is visible to exactly the people who may see its engagement."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from mentorship.access import engagements_visible_to, is_consultancy_admin, is_engagement_mentee, is_engagement_mentor
from mentorship.models import Engagement

from .models import AvailabilityWindow, CalendarFeed, MentoringSession, TimeOff, Venue


def sessions_visible_to(user: User) -> QuerySet[MentoringSession]:
    """Admins: all sessions. Mentors: sessions they lead. Mentees: sessions of their own
    engagements, their leadership team's included."""
    sessions = MentoringSession.objects.all()
    if not (user.is_authenticated and user.is_active):
        return sessions.none()
    if user.is_consultancy_admin:
        return sessions
    return sessions.filter(engagement__in=engagements_visible_to(user))


def get_session_for(user: User, session_uuid) -> MentoringSession:
    """The session if the user may see it; 404 otherwise."""
    return get_object_or_404(
        sessions_visible_to(user).select_related(
            "engagement__organisation", "engagement__team", "mentor", "mentee", "team", "venue"
        ),
        uuid=session_uuid,
    )


def can_book(user: User, engagement: Engagement) -> bool:
    """Individual engagements: the mentee, the mentor and admins book. Leadership-team
    engagements: the mentor or an admin books sessions that invite every member."""
    if engagement.status != Engagement.Status.ACTIVE or engagement.mentor_id is None:
        return False
    if is_consultancy_admin(user) or is_engagement_mentor(user, engagement):
        return True
    return not engagement.is_team and is_engagement_mentee(user, engagement)


def can_change(user: User, session: MentoringSession) -> bool:
    """Reschedule or cancel: whoever may book for the engagement (the cut-off applies to mentees)."""
    return can_book(user, session.engagement) or (
        session.engagement.status == Engagement.Status.ACTIVE and is_consultancy_admin(user)
    )


def is_mentor_or_admin(user: User, mentor_id: int | None) -> bool:
    """The mentor in question or a consultancy admin: not bound by the mentee's change cut-off,
    and their bookings need no confirmation."""
    return is_consultancy_admin(user) or (user.is_authenticated and user.is_mentor and mentor_id == user.pk)


def venues_for(engagement: Engagement) -> QuerySet[Venue]:
    """Venues an engagement may meet at: every active shared venue, plus its own client's premises."""
    from django.db.models import Q

    return Venue.objects.filter(is_active=True).filter(
        Q(organisation=None) | Q(organisation=engagement.organisation_id)
    )


def get_venue_for_admin(user: User, venue_pk: int) -> Venue:
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(Venue, pk=venue_pk)


def get_feed_by_token(token: str) -> CalendarFeed:
    """A calendar feed by its secret token; a wrong or revoked token is a 404."""
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)


def availability_windows_of(user: User) -> QuerySet[AvailabilityWindow]:
    """A mentor's own weekly windows; nobody sees or changes another mentor's (admins neither:
    they see free slots through booking, not the rules behind them)."""
    if not (user.is_authenticated and user.is_active and user.is_mentor):
        return AvailabilityWindow.objects.none()
    return AvailabilityWindow.objects.filter(mentor=user)


def get_availability_window_for_mentor(user: User, window_pk: int) -> AvailabilityWindow:
    """One of the mentor's own windows; another mentor's window, or a deleted one, is a 404."""
    return get_object_or_404(availability_windows_of(user), pk=window_pk)


def time_off_of(user: User) -> QuerySet[TimeOff]:
    """A mentor's own time off; its notes are private to the mentor."""
    if not (user.is_authenticated and user.is_active and user.is_mentor):
        return TimeOff.objects.none()
    return TimeOff.objects.filter(mentor=user)


def get_time_off_for_mentor(user: User, time_off_pk: int) -> TimeOff:
    """One of the mentor's own time-off ranges; another mentor's, or a deleted one, is a 404."""
    return get_object_or_404(time_off_of(user), pk=time_off_pk)
