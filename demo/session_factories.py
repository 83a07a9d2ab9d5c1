"""The session side of `demo/factories.py` (and re-exported there: import from `demo.factories`):
availability, busy calendars, venues, sessions and what follows them. Same conventions: `make_*`
saves, `build_*` returns unsaved, every argument a keyword."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from accounts.models import User
from demo.building import saved as _saved
from mentorship.models import Engagement
from sessions.models import (
    ActionItem,
    AvailabilityWindow,
    BookingSettings,
    BusyCalendar,
    BusyInterval,
    Feedback,
    MentoringSession,
    Reflection,
    SessionNote,
    SessionStatus,
    TimeOff,
    Venue,
    VenueKind,
)

# Availability and venues --------------------------------------------------------------------------


def build_availability(
    *,
    mentor: User,
    weekdays: Iterable[int] = range(7),
    start_time: datetime.time = datetime.time(8),
    end_time: datetime.time = datetime.time(18),
    **fields,
) -> list[AvailabilityWindow]:
    """Weekly windows, one per weekday (Monday is 0; every day unless told), 08:00–18:00 unless
    told, in the mentor's own time zone unless given."""
    fields.setdefault("time_zone", mentor.time_zone)
    return [
        AvailabilityWindow(mentor=mentor, weekday=weekday, start_time=start_time, end_time=end_time, **fields)
        for weekday in weekdays
    ]


def make_availability(**fields) -> list[AvailabilityWindow]:
    return AvailabilityWindow.objects.bulk_create(build_availability(**fields))


def make_time_off(*, mentor: User, start_date: datetime.date | None = None, **fields) -> TimeOff:
    """Days off, a week from today unless told; one day unless an end is given."""
    start_date = start_date or timezone.localdate() + datetime.timedelta(days=7)
    fields.setdefault("end_date", start_date)
    return _saved(TimeOff(mentor=mentor, start_date=start_date, **fields))


def make_booking_settings(*, mentor: User, **fields) -> BookingSettings:
    return _saved(BookingSettings(mentor=mentor, **fields))


def make_busy_calendar(
    *, mentor: User, url: str = "https://calendar.example.net/owa/calendar/4f2a9c1e/calendar.ics", **fields
) -> BusyCalendar:
    """A mentor's own calendar link (saved as is: not fetched)."""
    from sessions.busy.fetch import url_hint

    fields.setdefault("url_hint", url_hint(url))
    return _saved(BusyCalendar(mentor=mentor, url=url, **fields))


def make_busy_interval(*, calendar: BusyCalendar, start: datetime.datetime, end: datetime.datetime) -> BusyInterval:
    """A busy time as if read from the calendar."""
    return _saved(BusyInterval(calendar=calendar, mentor_id=calendar.mentor_id, start=start, end=end))


def build_venue(*, kind: str = VenueKind.NEUTRAL, name: str | None = None, **fields) -> Venue:
    """A neutral meeting room unless told (an online venue has no link: each session at it gets
    its own room)."""
    if kind != VenueKind.ONLINE:
        fields.setdefault("address", "Kajgatan 4")
        fields.setdefault("city", "Göteborg")
    default_name = {VenueKind.NEUTRAL: "Riverside Rooms", VenueKind.ONLINE: "Video call"}.get(kind, "Meeting place")
    return Venue(kind=kind, name=name or default_name, **fields)


def make_venue(**fields) -> Venue:
    return _saved(build_venue(**fields))


# Sessions and what follows them -------------------------------------------------------------------


def build_session(
    *,
    engagement: Engagement,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    minutes: int | None = None,
    status: str = SessionStatus.CONFIRMED,
    **fields,
) -> MentoringSession:
    """A session of the engagement (MentoringSession.for_engagement: its people, its length
    unless an `end` or `minutes` is given, booked by its mentor unless `booked_by` is given),
    confirmed and three days ahead unless told. Written as is: no booking rules, no emails."""
    start = start or (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    if minutes:
        end = start + datetime.timedelta(minutes=minutes)
    return MentoringSession.for_engagement(engagement, start=start, end=end, status=status, **fields)


def make_session(**fields) -> MentoringSession:
    return _saved(build_session(**fields))


def build_note(*, session: MentoringSession, visibility: str = SessionNote.Visibility.PRIVATE, **fields) -> SessionNote:
    """The mentor's note on the session (private unless told)."""
    if "author" not in fields and "author_id" not in fields:
        fields["author_id"] = session.mentor_id
    fields.setdefault("body", "Talked about delegating the weekly planning.")
    return SessionNote(session=session, visibility=visibility, **fields)


def make_note(**fields) -> SessionNote:
    return _saved(build_note(**fields))


def make_reflection(
    *, session: MentoringSession, visibility: str = Reflection.Visibility.PRIVATE, **fields
) -> Reflection:
    """A mentee's reflection after the session (private unless told); a team session's needs an
    `author`."""
    fields.setdefault("author", session.mentee)
    fields.setdefault("timing", Reflection.Timing.AFTER)
    fields.setdefault("body", "I want to be braver in the management meeting.")
    return _saved(Reflection(session=session, visibility=visibility, **fields))


def build_action_item(*, engagement: Engagement, **fields) -> ActionItem:
    """A next step the mentor agreed (open, owned by the mentee of an individual engagement, else
    by the mentor, unless told)."""
    fields.setdefault("owner", engagement.mentee or engagement.mentor)
    fields.setdefault("created_by", engagement.mentor)
    fields.setdefault("text", "Draft the hiring plan")
    return ActionItem(engagement=engagement, **fields)


def make_action_item(**fields) -> ActionItem:
    return _saved(build_action_item(**fields))


def build_feedback(*, session: MentoringSession, mentee: User | None = None, **fields) -> Feedback:
    """A mentee's ratings of a held session (the session's mentee unless given): useful 4, trust 5."""
    fields.setdefault("usefulness", 4)
    fields.setdefault("trust", 5)
    return Feedback(session=session, mentee=mentee or session.mentee, **fields)


def make_feedback(**fields) -> Feedback:
    return _saved(build_feedback(**fields))
