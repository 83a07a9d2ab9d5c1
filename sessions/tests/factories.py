"""The one way tests write a session straight into the database (no service, no emails)."""

import datetime
import zoneinfo

from sessions.models import AvailabilityWindow, MentoringSession, SessionStatus, Venue, VenueKind


def make_session(engagement, start, *, minutes=None, status=SessionStatus.CONFIRMED, **fields) -> MentoringSession:
    """A saved session of `engagement` at `start` (MentoringSession.for_engagement: its people,
    its length unless `minutes` is given, booked by its mentor unless `booked_by` is given)."""
    end = start + datetime.timedelta(minutes=minutes) if minutes else None
    session = MentoringSession.for_engagement(engagement, start=start, end=end, status=status, **fields)
    session.save()
    return session


def open_availability(mentor):
    """The mentor is free 08:00–18:00 every day, in their own time zone."""
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            mentor=mentor,
            weekday=weekday,
            start_time=datetime.time(8),
            end_time=datetime.time(18),
            time_zone=mentor.time_zone,
        )
        for weekday in range(7)
    )
    return mentor


def neutral_venue() -> Venue:
    return Venue.objects.create(name="Riverside Rooms", kind=VenueKind.NEUTRAL, address="Kajgatan 4", city="Göteborg")


def local_today(user) -> datetime.date:
    """Today in `user`'s time zone: the date a page they view counts from. Outside a request
    timezone.localdate() is the UTC date, which differs from Stockholm's just after midnight."""
    from django.utils import timezone

    return timezone.localdate(timezone=zoneinfo.ZoneInfo(user.time_zone))


def days_from_now(days: float) -> datetime.datetime:
    """Now, `days` ahead (negative: back), to the second."""
    return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)).replace(microsecond=0)
