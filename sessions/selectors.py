"""Reads for booking: a mentor's rules, free slots, a person's sessions."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from mentorship.cadence import CadenceRules, Due, next_due
from mentorship.models import Engagement, TeamMembership

from .models import OCCUPYING_STATUSES, AvailabilityWindow, BookingSettings, MentoringSession, SessionStatus, TimeOff
from .slots import Slot, Window, free_slots


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
) -> list[Slot]:
    """Free slots of the engagement's length with its mentor, in a fixed number of queries
    (settings, windows, time off, busy sessions) whatever the number of sessions.

    Busy time is every occupying session of the mentor and of the mentee (or of the team) —
    `ignore_session` is left out, so a session can move to a time overlapping its old one.
    """
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
    time_off = list(
        TimeOff.objects.filter(mentor=mentor, end_date__gte=earliest.date() - datetime.timedelta(days=1))
        .filter(start_date__lte=latest.date() + datetime.timedelta(days=1))
        .values_list("start_date", "end_date")
    )
    buffer = datetime.timedelta(minutes=settings.buffer_minutes)
    who = Q(mentor=mentor)
    who |= Q(team=engagement.team_id) if engagement.team_id else Q(mentee=engagement.mentee_id)
    busy_sessions = MentoringSession.objects.filter(
        who, status__in=OCCUPYING_STATUSES, start__lt=latest + buffer, end__gt=earliest - buffer
    )
    if ignore_session is not None:
        busy_sessions = busy_sessions.exclude(pk=ignore_session.pk)
    return free_slots(
        windows=windows,
        time_off=time_off,
        busy=busy_sessions.values_list("start", "end"),
        earliest=earliest,
        latest=latest,
        duration=datetime.timedelta(minutes=engagement.session_minutes),
        buffer=buffer,
        time_off_zone=mentor.time_zone,
    )


def suggested_slots(slots: list[Slot], due_date: datetime.date | None, *, count: int = 6) -> list[Slot]:
    """The slots closest to the due date (the earliest ones when nothing is due), in time order."""
    if due_date is None:
        return slots[:count]
    target = datetime.datetime.combine(due_date, datetime.time(12), tzinfo=datetime.UTC)
    nearest = sorted(slots, key=lambda slot: (abs(slot.start - target), slot.start))[:count]
    return sorted(nearest)


def cadence_for(engagement: Engagement, *, today: datetime.date | None = None) -> Due | None:
    """Phase and next due date of one engagement (two queries)."""
    now = timezone.now()
    today = today or timezone.localdate()
    sessions = MentoringSession.objects.filter(engagement=engagement)
    # Until attendance is recorded, a confirmed session whose time has passed counts as held.
    last_held = (
        sessions.filter(status__in=[SessionStatus.COMPLETED, SessionStatus.CONFIRMED], end__lte=now)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
    )
    next_booked = (
        sessions.filter(status__in=[SessionStatus.REQUESTED, SessionStatus.CONFIRMED], start__gt=now)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    local = timezone.localtime
    return next_due(
        CadenceRules.of(engagement),
        last_held=local(last_held).date() if last_held else None,
        next_booked=local(next_booked).date() if next_booked else None,
        today=today,
    )


def sessions_for_person(user: User, visible: QuerySet[MentoringSession]) -> QuerySet[MentoringSession]:
    """The user's own sessions (as mentor, mentee or team member) out of a visible queryset."""
    teams = TeamMembership.objects.filter(user=user).values("team")
    return visible.filter(Q(mentor=user) | Q(mentee=user) | Q(team__in=teams)).select_related(
        "engagement", "mentor", "mentee", "team", "venue"
    )


def participants(session: MentoringSession) -> list[User]:
    """Everyone in a session: the mentor first, then the mentee or every member of the team."""
    if session.team_id:
        members = [m.user for m in TeamMembership.objects.filter(team_id=session.team_id).select_related("user")]
        return [session.mentor, *sorted(members, key=lambda user: user.display_name)]
    return [session.mentor, session.mentee]
