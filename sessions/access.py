"""Who may see and change sessions. Built on the engagement rules in `mentorship.access`: a
session is visible to exactly the people who may see its engagement."""

import operator
from functools import reduce

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.access import (
    engagement_ids_visible_to,
    is_consultancy_admin,
    is_engagement_mentee,
    is_engagement_mentor,
    is_team_coordinator,
)
from mentorship.models import Engagement, TeamMembership, roster_date
from sessions.models import (
    AvailabilityWindow,
    BusyCalendar,
    CalendarFeed,
    MentoringSession,
    NoteVisibility,
    Reflection,
    ReflectionVisibility,
    SessionKind,
    SessionNote,
    TimeOff,
    Venue,
    later_joiner_condition,
    person_seats,
    seat_sessions_condition,
    seated_condition,
)


def sessions_visible_to(user: User, *, seats: list[tuple] | None = None) -> QuerySet[MentoringSession]:
    """Admins: all sessions. Mentors: sessions they lead. Mentees: sessions of their own
    engagements, their leadership team's included.

    For everyone but admins the engagements they may see and their seats in teams are read first
    (two small queries; the seats may be given, `person_seats`) and the sessions filtered on those
    ids and dates: PostgreSQL spent more time planning the rules as subqueries and a join than
    running them."""
    sessions = MentoringSession.objects.all()
    if not (user.is_authenticated and user.is_active):
        return sessions.none()
    if user.is_consultancy_admin:
        return sessions
    visible = list(Engagement.objects.filter(pk__in=engagement_ids_visible_to(user)).values_list("pk", "mentor_id"))
    sessions = sessions.filter(engagement__in=[pk for pk, _mentor in visible])
    if user.is_mentee:
        # A team member sees the team's sessions of the days they were in it (and those whose
        # mentor shared them with later joiners while they are in the team), not the others; of
        # the one-to-ones in a team engagement only their own.
        mentored = [pk for pk, mentor in visible if mentor == user.pk]
        seats = person_seats(user) if seats is None else seats
        today = roster_date()
        current_teams = [team for team, joined, left in seats if joined <= today and (left is None or left > today)]
        ways = [
            Q(team__isnull=True, kind=SessionKind.SESSION),
            Q(kind=SessionKind.ONE_TO_ONE, mentee=user),
            Q(mentor=user),
            Q(engagement__in=mentored),
            Q(shared_with_later_joiners=True, team__in=current_teams),
            *(seat_sessions_condition(*seat) for seat in seats),
        ]
        sessions = sessions.filter(reduce(operator.or_, ways))
    return sessions


def own_sessions(user: User, *, as_mentor: bool = True) -> QuerySet[MentoringSession]:
    """The sessions `user` may see and sits in (`sessions_visible_to`, then `of_person`), their
    seats read once for both."""
    seats = person_seats(user) if user.is_authenticated else []
    return sessions_visible_to(user, seats=seats).of_person(user, as_mentor=as_mentor, seats=seats)


def get_session_for(user: User, session_uuid) -> MentoringSession:
    """The session if the user may see it; 404 otherwise."""
    return get_object_or_404(
        sessions_visible_to(user).select_related(
            "engagement__organisation", "engagement__team", "mentor", "mentee", "team", "venue"
        ),
        uuid=session_uuid,
    )


def is_session_participant(user: User, session: MentoringSession) -> bool:
    """The session's people: its mentor, its mentee, the members of its team on its day. Not the
    admins, who see every session but sit in none of them, nor the client's sponsor."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.pk in (session.mentor_id, session.mentee_id):
        return True
    return session.roster().filter(user=user).exists()


def meeting_link_for(user: User, session: MentoringSession) -> str:
    """The session's private meeting link for one of its people, while it is not cancelled;
    nothing for anyone else (an admin opening the session, a sponsor)."""
    if not session.live_meeting_url or not is_session_participant(user, session):
        return ""
    return session.live_meeting_url


def can_set_meeting_link(user: User, session: MentoringSession) -> bool:
    """The session's own mentor pastes a meeting link of theirs (Teams, Zoom) for an upcoming
    online session."""
    return (
        user.is_authenticated
        and user.is_active
        and session.mentor_id == user.pk
        and session.meeting_url != ""
        and session.is_upcoming
    )


def can_book(user: User, engagement: Engagement) -> bool:
    """Individual engagements: the mentee, the mentor and admins book. Leadership-team
    engagements: the mentor, an admin, or the member the admin chose as the team's coordinator
    book sessions that invite every member; the other members do not (`booking_refusal`)."""
    if engagement.status != Engagement.Status.ACTIVE or engagement.mentor_id is None:
        return False
    if is_consultancy_admin(user) or is_engagement_mentor(user, engagement):
        return True
    if engagement.is_team:
        return is_team_coordinator(user, engagement)
    return is_engagement_mentee(user, engagement)


def one_to_one_members(engagement: Engagement) -> QuerySet[User]:
    """Who may have a one-to-one in this team engagement: its team's members today."""
    if not engagement.team_id:
        return User.objects.none()
    seats = TeamMembership.objects.current().filter(team_id=engagement.team_id).values("user")
    return User.objects.filter(pk__in=seats, is_active=True)


def one_to_ones_bookable_by(user: User, engagement: Engagement) -> set[int]:
    """The members whose one-to-one `user` may book in this team engagement, in one query at most:
    the member books their own, the mentor and admins book any member's. Not the coordinator for
    somebody else (a one-to-one is private to the member and the mentor), not a member who left."""
    if not engagement.is_team or engagement.status != Engagement.Status.ACTIVE or engagement.mentor_id is None:
        return set()
    members = one_to_one_members(engagement)
    if not (is_consultancy_admin(user) or is_engagement_mentor(user, engagement)):
        if not (user.is_authenticated and user.is_active):
            return set()
        members = members.filter(pk=user.pk)
    return set(members.values_list("pk", flat=True))


def can_book_one_to_one(user: User, engagement: Engagement, member: User) -> bool:
    """Whether `user` may book a one-to-one for `member` (`one_to_ones_bookable_by`)."""
    return member.pk in one_to_ones_bookable_by(user, engagement)


def booking_refusal(user: User, engagement: Engagement) -> str:
    """Why this person may not book for the engagement, in words for them."""
    if engagement.status != Engagement.Status.ACTIVE or engagement.mentor_id is None:
        return _("Sessions can be booked once the mentorship is active and has a mentor.")
    if engagement.is_team and is_engagement_mentee(user, engagement):
        if engagement.coordinator_id and engagement.coordinator_id != user.pk:
            return _(
                "The team's sessions are booked by your mentor or by the team's coordinator, %(name)s. "
                "Ask them to book a time."
            ) % {"name": engagement.coordinator.display_name}
        return _("The team's sessions are booked by your mentor or the consultancy. Ask your mentor to book a time.")
    return _("You cannot book sessions for this mentorship.")


def can_change(user: User, session: MentoringSession) -> bool:
    """Reschedule or cancel: whoever may book for the engagement (the cut-off applies to mentees);
    a one-to-one: its member, the mentor and admins."""
    if session.is_one_to_one:
        return can_book_one_to_one(user, session.engagement, session.mentee)
    return can_book(user, session.engagement)


def is_mentor_or_admin(user: User, mentor_id: int | None) -> bool:
    """The mentor in question or a consultancy admin: not bound by the mentee's change cut-off,
    and their bookings need no confirmation."""
    return is_consultancy_admin(user) or (user.is_authenticated and user.is_mentor and mentor_id == user.pk)


def venues_for(engagement: Engagement) -> QuerySet[Venue]:
    """Venues an engagement may meet at: every active shared venue, plus its own client's premises."""
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


def busy_calendars_of(user: User) -> QuerySet[BusyCalendar]:
    """A mentor's own calendar links. Nobody else sees or manages them — not another mentor, not
    a mentee, not an admin: a link opens the mentor's whole calendar."""
    if not (user.is_authenticated and user.is_active and user.is_mentor):
        return BusyCalendar.objects.none()
    return BusyCalendar.objects.filter(mentor=user)


def get_busy_calendar_for_mentor(user: User, calendar_pk: int) -> BusyCalendar:
    """One of the mentor's own calendars; anyone else's, or a removed one, is a 404."""
    return get_object_or_404(busy_calendars_of(user), pk=calendar_pk)


# Notes and reflections: the confidentiality rules -------------------------------------------
#
# A private note is readable by its author only: not admins, not other mentors, not mentees,
# not the client. A shared note is readable by the session's mentor and the engagement's
# mentee(s). Admins read no note bodies at all. A mentee's reflection is readable by its author,
# and by the session's mentor when shared. Every page, export, email and feed goes through these.


def is_session_mentee(user: User, session: MentoringSession) -> bool:
    """The session's mentee, or a member of its team on the session's day (the roster rule). A
    one-to-one's only mentee is its member: never the rest of the team."""
    if session.is_one_to_one:
        return bool(user.is_authenticated and user.is_active and user.is_mentee and user.pk == session.mentee_id)
    if not session.team_id:
        return is_engagement_mentee(user, session.engagement)
    return bool(user.is_authenticated and user.is_active and user.is_mentee) and (
        session.roster().filter(user=user).exists()
    )


def notes_visible_to(user: User, session: MentoringSession):
    """The notes on this session the user may read."""
    notes = SessionNote.objects.filter(session=session)
    if not (user.is_authenticated and user.is_active):
        return notes.none()
    condition = Q(author=user)
    if session.mentor_id == user.pk or is_session_mentee(user, session) or _is_later_joiner(user, session):
        condition |= Q(visibility=NoteVisibility.SHARED)
    return notes.filter(condition)


def _is_later_joiner(user: User, session: MentoringSession) -> bool:
    """A member of the team today, for a team session whose mentor shared its notes on purpose
    with those who joined after it."""
    return bool(
        session.shared_with_later_joiners
        and session.team_id
        and user.is_authenticated
        and user.is_active
        and user.is_mentee
        and TeamMembership.objects.current().filter(team_id=session.team_id, user=user).exists()
    )


def can_write_notes(user: User, session: MentoringSession) -> bool:
    """Only the session's mentor writes session notes and records attendance."""
    return bool(user.is_authenticated and user.is_active and user.is_mentor and session.mentor_id == user.pk)


def reflections_visible_to(user: User, session: MentoringSession):
    reflections = Reflection.objects.filter(session=session)
    if not (user.is_authenticated and user.is_active):
        return reflections.none()
    condition = Q(author=user)
    if session.mentor_id == user.pk:
        condition |= Q(visibility=ReflectionVisibility.SHARED)
    return reflections.filter(condition)


def can_reflect(user: User, session: MentoringSession) -> bool:
    """The engagement's mentee (each member, for a team) writes reflections on its sessions."""
    return bool(user.is_authenticated and user.is_active and is_session_mentee(user, session))


def _session_mentee_condition(user: User, prefix: str = "session__") -> Q:
    """The SQL form of `is_session_mentee` for rows reached through `prefix` (many sessions at once)."""
    if not user.is_mentee:
        return Q(pk__in=[])
    return (
        Q(**{f"{prefix}kind": SessionKind.SESSION, f"{prefix}engagement__mentee": user})
        | Q(**{f"{prefix}kind": SessionKind.ONE_TO_ONE, f"{prefix}mentee": user})
        | seated_condition(user, prefix)
    )


def notes_visible_to_for_sessions(user: User, sessions) -> QuerySet[SessionNote]:
    """The notes on any of these sessions the user may read: the rules of `notes_visible_to`,
    in one query for many sessions (the engagement timeline). `sessions` is a queryset or a list."""
    notes = SessionNote.objects.filter(session__in=sessions)
    if not (user.is_authenticated and user.is_active):
        return notes.none()
    shared_with_user = Q(session__mentor=user) | _session_mentee_condition(user)
    if user.is_mentee:
        shared_with_user |= later_joiner_condition(user, "session__")
    return notes.filter(Q(author=user) | (Q(visibility=NoteVisibility.SHARED) & shared_with_user))


def reflections_visible_to_for_sessions(user: User, sessions) -> QuerySet[Reflection]:
    """The reflections on any of these sessions the user may read: the rules of
    `reflections_visible_to`, in one query for many sessions."""
    reflections = Reflection.objects.filter(session__in=sessions)
    if not (user.is_authenticated and user.is_active):
        return reflections.none()
    return reflections.filter(Q(author=user) | Q(visibility=ReflectionVisibility.SHARED, session__mentor=user))


def get_note_for_author(user: User, session: MentoringSession, note_pk: int) -> SessionNote:
    """A note on this session, for its author to change or delete; 404 for everybody else
    (admins included), so nobody learns that a private note exists."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    return get_object_or_404(SessionNote.objects.filter(session=session, author=user), pk=note_pk)
