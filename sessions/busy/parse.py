"""From an ICS file to busy intervals: recurring events expanded with their exceptions (EXDATE,
moved and cancelled instances), X-WR-TIMEZONE honoured, only times kept.

What blocks: opaque events that are not cancelled, and free/busy periods that are not FREE.
What does not: TRANSP:TRANSPARENT, STATUS:CANCELLED, Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE,
FBTYPE=FREE. An all-day event blocks its whole days in the mentor's zone; a time without a zone
(and no X-WR-TIMEZONE) is read in the mentor's zone too. Titles, attendees, descriptions and
locations are never read out of the calendar.
"""

import datetime
import zoneinfo

import icalendar
import recurring_ical_events
import x_wr_timezone

from sessions.booking.slots import merge_intervals
from sessions.models import BusyCalendarError

# A broken value in one of these makes the calendar unreadable: skipping the event would offer a
# time the mentor is not free.
TIME_PROPERTIES = {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "FREEBUSY"}
# Occurrences read per calendar: a hostile FREQ=SECONDLY rule must not make millions of them.
MAX_EVENTS = 5000

Interval = tuple[datetime.datetime, datetime.datetime]


class ParseError(Exception):
    def __init__(self, code: str = BusyCalendarError.MALFORMED):
        super().__init__(code)
        self.code = code


def _instant(value, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A DTSTART/DTEND value as an aware UTC instant: a date is its local midnight in `zone`, a
    floating time is read in `zone`."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(datetime.UTC)


def _blocks(event) -> bool:
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    return str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "BUSY")).upper() != "FREE"


def _event_intervals(calendar, zone, start, end) -> list[Interval]:
    intervals: list[Interval] = []
    for count, event in enumerate(recurring_ical_events.of(calendar).after(start)):
        if count >= MAX_EVENTS:
            raise ParseError(BusyCalendarError.TOO_MANY_EVENTS)
        begins = event.get("DTSTART")
        if begins is None:
            continue
        first = _instant(begins.dt, zone)
        if first >= end:
            break  # occurrences come in start order
        if not _blocks(event):
            continue
        ends = event.get("DTEND")
        if ends is not None:
            last = _instant(ends.dt, zone)
        elif not isinstance(begins.dt, datetime.datetime):
            last = _instant(begins.dt + datetime.timedelta(days=1), zone)  # an all-day event lasts its day
        else:
            continue  # an instant takes no time
        if last > first:
            intervals.append((max(first, start), min(last, end)))
    return intervals


def _free_busy_intervals(calendar, start, end) -> list[Interval]:
    intervals: list[Interval] = []
    for component in calendar.walk("VFREEBUSY"):
        values = component.get("FREEBUSY", [])
        for value in values if isinstance(values, list) else [values]:
            if str(value.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                continue
            for period in value.dts if hasattr(value, "dts") else [value]:
                first, second = period.dt
                first = first.astimezone(datetime.UTC)
                last = (first + second if isinstance(second, datetime.timedelta) else second).astimezone(datetime.UTC)
                if first < end and last > start and last > first:
                    intervals.append((max(first, start), min(last, end)))
    return intervals


def busy_intervals(data: bytes, *, zone_name: str, start: datetime.datetime, end: datetime.datetime) -> list[Interval]:
    """The merged busy intervals between `start` and `end` (aware), or ParseError."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise ParseError()
    zone = zoneinfo.ZoneInfo(zone_name)
    try:
        calendar = icalendar.Calendar.from_ical(data)
        if any(name in TIME_PROPERTIES for component in calendar.walk() for name, _error in component.errors):
            raise ParseError()
        calendar = x_wr_timezone.to_standard(calendar)
        intervals = _event_intervals(calendar, zone, start, end) + _free_busy_intervals(calendar, start, end)
    except ParseError:
        raise
    except Exception:  # the libraries raise many kinds on broken input; none is worth more words
        raise ParseError() from None
    return merge_intervals(intervals)
