"""Helpers for the calendar tests (feed, settings, agenda)."""

import datetime

from sessions.models import MentoringSession, SessionStatus


def make_session(engagement, start, *, minutes=120, status=SessionStatus.CONFIRMED, venue=None, **fields):
    """A session straight in the database (no emails), copying the people from the engagement."""
    return MentoringSession.objects.create(
        engagement=engagement,
        mentor=engagement.mentor,
        mentee=engagement.mentee,
        team=engagement.team,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        status=status,
        venue=venue,
        booked_by=engagement.mentor,
        **fields,
    )


def day_at(days: int, hour: int, zone) -> datetime.datetime:
    """`days` from today at `hour`:00 wall-clock time in `zone` (a ZoneInfo)."""
    from django.utils import timezone

    today = timezone.now().astimezone(zone).date()
    return datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=zone)
