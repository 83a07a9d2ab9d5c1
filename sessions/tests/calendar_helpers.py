"""Helpers for the calendar tests (feed, settings, agenda)."""

import datetime


def day_at(days: int, hour: int, zone) -> datetime.datetime:
    """`days` from today at `hour`:00 wall-clock time in `zone` (a ZoneInfo)."""
    from django.utils import timezone

    today = timezone.now().astimezone(zone).date()
    return datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=zone)
