"""Reads for booking: a mentor's rules, free slots, a person's sessions."""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from mentorship import workdays
from mentorship.models import Engagement, TeamMembership, roster_date
from sessions.booking.slots import Slot, Window, free_slots
from sessions.models import (
    OCCUPYING_STATUSES,
    UPCOMING_STATUSES,
    AvailabilityWindow,
    BookingSettings,
    BusyInterval,
    MentoringSession,
    SessionKind,
    TimeOff,
)


def booking_settings_for(mentor: User) -> BookingSettings:
    """The mentor's saved rules, or the defaults (unsaved) when they never changed them."""
    try:
        return mentor.booking_settings
    except BookingSettings.DoesNotExist:
        return BookingSettings(mentor=mentor)


@dataclass(frozen=True)
class BookingWindow:
    earliest: datetime.datetime
    latest: datetime.datetime


def booking_window(settings: BookingSettings, now: datetime.datetime | None = None) -> BookingWindow:
    now = now or timezone.now()
    return BookingWindow(
        earliest=now + datetime.timedelta(hours=settings.min_notice_hours),
        latest=now + datetime.timedelta(weeks=settings.horizon_weeks),
    )


def free_slots_for_engagement(
    engagement: Engagement,
    *,
    now: datetime.datetime | None = None,
    ignore_session: MentoringSession | None = None,
    earliest: datetime.datetime | None = None,
    latest: datetime.datetime | None = None,
    member: User | None = None,
) -> list[Slot]:
    """Free slots of the engagement's length with its mentor (a one-to-one's with `member`), in
    a fixed number of queries (settings, windows, time off, busy sessions, the mentor's own busy
    times) whatever the number of sessions. No slot lies on a public holiday or eve (`workdays`).

    Busy time is every occupying session of anyone who would sit in the session (see
    `occupying_anyone_of`) but `ignore_session` (a session may move to a time overlapping its old
    one), and every busy time read from the mentor's own calendars."""
    mentor = engagement.mentor
    settings = booking_settings_for(mentor)
    window = booking_window(settings, now)
    earliest = max(earliest or window.earliest, window.earliest)
    latest = min(latest or window.latest, window.latest)
    if earliest >= latest:
        return []
    windows = [
        Window(w.weekday, w.start_time, w.end_time, w.time_zone)
        for w in AvailabilityWindow.objects.filter(mentor=mentor).only("weekday", "start_time", "end_time", "time_zone")
    ]
    if not windows:
        return []
    first_day, last_day = earliest.date() - datetime.timedelta(days=1), latest.date() + datetime.timedelta(days=1)
    time_off = list(
        TimeOff.objects.filter(mentor=mentor, end_date__gte=first_day)
        .filter(start_date__lte=last_day)
        .values_list("start_date", "end_date")
    )
    # Public holidays and eves are nobody's working days: taken off like the mentor's own days.
    time_off += [(day, day) for day in workdays.holidays_between(first_day, last_day)]
    buffer = datetime.timedelta(minutes=settings.buffer_minutes)
    busy_sessions = MentoringSession.objects.filter(
        occupying_anyone_of(engagement, member=member),
        status__in=OCCUPYING_STATUSES,
        start__lt=latest + buffer,
        end__gt=earliest - buffer,
    )
    if ignore_session is not None:
        busy_sessions = busy_sessions.exclude(pk=ignore_session.pk)
    return free_slots(
        windows=windows,
        time_off=time_off,
        busy=[
            *busy_sessions.values_list("start", "end"),
            *mentor_busy_times(mentor, earliest - buffer, latest + buffer),
        ],
        earliest=earliest,
        latest=latest,
        duration=datetime.timedelta(minutes=engagement.session_minutes),
        buffer=buffer,
        time_off_zone=mentor.time_zone,
    )


def future_sessions_of(engagement: Engagement, now: datetime.datetime | None = None) -> QuerySet[MentoringSession]:
    """The engagement's sessions still to come (requested or confirmed, not started), in order:
    what pausing or completing it leaves behind."""
    return MentoringSession.objects.filter(
        engagement=engagement, status__in=UPCOMING_STATUSES, start__gt=now or timezone.now()
    ).order_by("start")


def mentor_busy_times(
    mentor: User, earliest: datetime.datetime, latest: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The busy times read from the mentor's own calendars that overlap `earliest`–`latest`."""
    return list(
        BusyInterval.objects.filter(mentor=mentor, start__lt=latest, end__gt=earliest).values_list("start", "end")
    )


def suggested_slots(slots: list[Slot], due_date: datetime.date | None, *, count: int = 6) -> list[Slot]:
    """The slots closest to the due date (the earliest ones when nothing is due), in time order."""
    if due_date is None:
        return slots[:count]
    target = datetime.datetime.combine(due_date, datetime.time(12), tzinfo=datetime.UTC)
    nearest = sorted(slots, key=lambda slot: (abs(slot.start - target), slot.start))[:count]
    return sorted(nearest)


def attendee_ids(engagement: Engagement, member: User | None = None):
    """The people (besides the mentor) who sit in the engagement's sessions: the mentee, or the
    team's current members (a subquery); for a one-to-one, its member alone."""
    if member is not None:
        return [member.pk]
    if engagement.team_id:
        return TeamMembership.objects.filter(team_id=engagement.team_id).current().values_list("user_id", flat=True)
    return [engagement.mentee_id]


def occupying_anyone_of(engagement: Engagement, member: User | None = None) -> Q:
    """Sessions that keep someone in this engagement's sessions busy: the mentor's, the team's,
    and every session of the mentee or of a team member elsewhere — their individual mentorship,
    another team they sit in, their one-to-ones, or a mentorship where they are the mentor. For a
    one-to-one with `member`: the mentor's and every session of that member (their teams'
    included).

    One SQL condition on ids: the people and their teams are read first (one small query), so
    PostgreSQL combines index scans on mentor, mentee and team instead of reading every session
    to test "IN (subquery)" inside the OR."""
    if member is not None:
        people = {member.pk}
        teams = set(TeamMembership.objects.current().filter(user_id=member.pk).values_list("team_id", flat=True))
    elif engagement.team_id:
        # Every seat of everyone in this team: the members, and each team they sit in.
        members = TeamMembership.objects.filter(team_id=engagement.team_id).current().values("user_id")
        seats = list(TeamMembership.objects.current().filter(user__in=members).values_list("user_id", "team_id"))
        people = {user_id for user_id, _team in seats}
        teams = {team_id for _user, team_id in seats} | {engagement.team_id}  # also with no members
    else:
        people = {engagement.mentee_id}
        teams = set(
            TeamMembership.objects.current().filter(user_id=engagement.mentee_id).values_list("team_id", flat=True)
        )
    return Q(mentor=engagement.mentor_id) | Q(mentee__in=people) | Q(mentor__in=people) | Q(team__in=teams)


PERSON_RELATED = ("engagement", "mentor", "mentee", "team", "venue")  # what a list of someone's sessions shows


def sessions_for_person(user: User) -> QuerySet[MentoringSession]:
    """The user's own sessions (as mentor, mentee or team member) that they may see, with their people."""
    from sessions import access

    return access.own_sessions(user).select_related(*PERSON_RELATED)


def participants(session: MentoringSession) -> list[User]:
    """Everyone in a session: the mentor first, then the mentee or the team's members on the
    session's day (`MentoringSession.roster`)."""
    if session.team_id:
        members = [m.user for m in session.roster().select_related("user")]
        return [session.mentor, *sorted(members, key=lambda user: user.display_name)]
    return [session.mentor, session.mentee]


def participants_for_sessions(sessions: Iterable[MentoringSession]) -> dict[int, list[User]]:
    """`participants` for many sessions at once: one query for the members of every team involved,
    whatever the number of sessions. The sessions need `mentor` and `mentee` selected."""
    sessions = list(sessions)
    team_ids = {session.team_id for session in sessions if session.team_id}
    seats: dict[int, list[TeamMembership]] = defaultdict(list)
    if team_ids:
        for membership in TeamMembership.objects.filter(team_id__in=team_ids).select_related("user"):
            seats[membership.team_id].append(membership)
    return {
        session.pk: (
            [session.mentor, *sorted(_seated(seats[session.team_id], session), key=lambda user: user.display_name)]
            if session.team_id
            else [session.mentor, session.mentee]
        )
        for session in sessions
    }


def _seated(seats: list[TeamMembership], session: MentoringSession) -> list[User]:
    """The roster rule of `MentoringSession.roster` applied in Python to seats read at once."""
    day = roster_date(session.start)
    return [seat.user for seat in seats if seat.is_on(day)]


@dataclass(frozen=True)
class FreeTime:
    intervals: list[Slot]  # merged stretches of free time, UTC
    days_off: set[datetime.date]  # the mentor's days of time off in the period


# Free time is shown to the minute a calendar would; 5 minutes keeps the work small.
FREE_TIME_STEP = datetime.timedelta(minutes=5)


def mentor_free_time(
    mentor: User,
    *,
    earliest: datetime.datetime,
    latest: datetime.datetime,
    busy: Iterable[tuple[datetime.datetime, datetime.datetime]],
    duration: datetime.timedelta,
) -> FreeTime:
    """The mentor's free time between `earliest` and `latest`, for their agenda: availability
    windows − time off − `busy` sessions − the busy times of the mentor's own calendars (kept
    apart by the mentor's buffer), as merged stretches in which a session of `duration` fits.
    Four queries (settings, windows, time off, own busy times).

    It is the slot engine's answer (every fitting start, 5 minutes apart) joined into stretches, so
    the agenda and the booking page agree; the booking page further applies the minimum notice
    and the horizon, which are about mentees, not about the mentor's own view.
    """
    settings = booking_settings_for(mentor)
    windows = [
        Window(w.weekday, w.start_time, w.end_time, w.time_zone)
        for w in AvailabilityWindow.objects.filter(mentor=mentor).only("weekday", "start_time", "end_time", "time_zone")
    ]
    first_day = earliest.astimezone(zoneinfo.ZoneInfo(mentor.time_zone)).date()
    last_day = latest.astimezone(zoneinfo.ZoneInfo(mentor.time_zone)).date()
    time_off = list(
        TimeOff.objects.filter(mentor=mentor, end_date__gte=first_day, start_date__lte=last_day).values_list(
            "start_date", "end_date"
        )
    )
    time_off += [(day, day) for day in workdays.holidays_between(first_day, last_day)]  # as for mentees
    days_off = {
        first_day + datetime.timedelta(days=offset)
        for offset in range((last_day - first_day).days + 1)
        if any(start <= first_day + datetime.timedelta(days=offset) <= end for start, end in time_off)
    }
    if not windows or earliest >= latest:
        return FreeTime(intervals=[], days_off=days_off)
    buffer = datetime.timedelta(minutes=settings.buffer_minutes)
    slots = free_slots(
        windows=windows,
        time_off=time_off,
        busy=[*busy, *mentor_busy_times(mentor, earliest - buffer, latest + buffer)],
        earliest=earliest,
        latest=latest,
        duration=duration,
        buffer=buffer,
        step=FREE_TIME_STEP,
        time_off_zone=mentor.time_zone,
    )
    intervals: list[Slot] = []
    for slot in slots:  # sorted by start: overlapping fitting sessions join into one stretch
        if intervals and slot.start <= intervals[-1].end:
            intervals[-1] = Slot(intervals[-1].start, max(intervals[-1].end, slot.end))
        else:
            intervals.append(slot)
    return FreeTime(intervals=intervals, days_off=days_off)


def upcoming_for_home(user: User, *, limit: int = 5) -> dict:
    """The home page's sessions box (`templates/sessions/includes/home_upcoming.html`), for every
    role, in a fixed number of queries whatever the data (their seats, what they may see, the
    sessions' ids, those sessions with their people, the engagements to book):

    - `sessions`: the user's next `limit` upcoming sessions (as mentor, mentee or team member);
    - `has_more`: whether there are more than those;
    - `to_book`: up to `limit` active engagements the user books for themselves (their own
      individual mentorship, or those they mentor) that have no upcoming session yet.
    """
    from django.db.models import Exists, OuterRef

    from mentorship.access import engagements_visible_to
    from sessions import access

    now = timezone.now()
    sessions = access.own_sessions(user).upcoming(now).order_by("start")[: limit + 1].fetched_with(*PERSON_RELATED)
    booked = MentoringSession.objects.upcoming(now).filter(engagement=OuterRef("pk"), kind=SessionKind.SESSION)
    to_book = list(
        engagements_visible_to(user)
        .filter(Q(mentor=user) | Q(mentee=user), status=Engagement.Status.ACTIVE, mentor__isnull=False)
        .filter(~Exists(booked))
        .select_related("mentee", "team")
        .order_by("start_date", "pk")[:limit]
    )
    return {"sessions": sessions[:limit], "has_more": len(sessions) > limit, "to_book": to_book}


def upcoming_booked_by(user: User, engagement: Engagement) -> QuerySet[MentoringSession]:
    """The sessions of the engagement still to come that this person booked, soonest first."""
    return (
        MentoringSession.objects.filter(engagement=engagement, booked_by=user)
        .upcoming(timezone.now())
        .order_by("start", "pk")
    )


def one_to_one_engagements_for(user: User) -> list[Engagement]:
    """The active team engagements in which this person, a member of the team today, books their
    own one-to-ones with the mentor (the home page's "Book a one-to-one with …"). One query."""
    if not (user.is_authenticated and user.is_active and user.is_mentee):
        return []
    teams = TeamMembership.objects.current().filter(user=user).values("team")
    return list(
        Engagement.objects.filter(team__in=teams, status=Engagement.Status.ACTIVE, mentor__isnull=False)
        .select_related("mentor", "team")
        .order_by("start_date", "pk")
    )
