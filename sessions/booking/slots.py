"""Free slots = weekly availability − time off − existing sessions (with buffers).

Pure functions over plain data: the selector in `selectors.py` loads the rows in a fixed number of
queries and calls `free_slots`. Windows are local wall-clock times in their own zone, so a window
"Tuesday 09:00–12:00, Europe/Stockholm" starts at 09:00 local on both sides of a daylight-saving
change: 07:00 UTC in summer, 08:00 UTC in winter.
"""

import bisect
import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

UTC = datetime.UTC
DEFAULT_STEP = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class Window:
    weekday: int  # Monday = 0
    start: datetime.time
    end: datetime.time
    zone: str


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime.datetime  # aware, UTC
    end: datetime.datetime


def _merge(intervals: Iterable[tuple[datetime.datetime, datetime.datetime]]) -> tuple[list, list]:
    """Sorted, merged busy intervals as two parallel lists (starts, ends) for bisecting."""
    starts: list[datetime.datetime] = []
    ends: list[datetime.datetime] = []
    for start, end in sorted(intervals):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def merge_intervals(
    intervals: Iterable[tuple[datetime.datetime, datetime.datetime]],
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Intervals sorted, overlapping and touching ones joined."""
    return list(zip(*_merge(intervals), strict=True))


def _overlaps(starts: list, ends: list, start: datetime.datetime, end: datetime.datetime) -> bool:
    # The last busy interval that begins before `end` has the latest end of all such intervals
    # (they are disjoint and sorted), so it alone decides.
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and ends[index] > start


def _local(day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A wall-clock time on a day in a zone, as UTC. A time skipped by a spring-forward change
    maps to the instant after the gap; an ambiguous autumn time to its first occurrence."""
    return datetime.datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def free_slots(
    *,
    windows: Sequence[Window],
    time_off: Sequence[tuple[datetime.date, datetime.date]],
    busy: Iterable[tuple[datetime.datetime, datetime.datetime]],
    earliest: datetime.datetime,
    latest: datetime.datetime,
    duration: datetime.timedelta,
    buffer: datetime.timedelta = datetime.timedelta(0),
    step: datetime.timedelta = DEFAULT_STEP,
    time_off_zone: str = "Europe/Stockholm",
) -> list[Slot]:
    """Every start between `earliest` and `latest` where a session of `duration` fits inside an
    availability window, on no day of time off (whole days in `time_off_zone`, the mentor's), and
    at least `buffer` away from every busy interval. Sorted by start."""
    starts, ends = _merge((start - buffer, end + buffer) for start, end in busy)
    off_zone = zoneinfo.ZoneInfo(time_off_zone)
    off_days = sorted(time_off)

    def is_off(instant_start: datetime.datetime, instant_end: datetime.datetime) -> bool:
        first = instant_start.astimezone(off_zone).date()
        last = (instant_end - datetime.timedelta(microseconds=1)).astimezone(off_zone).date()
        return any(off_start <= last and first <= off_end for off_start, off_end in off_days)

    slots: list[Slot] = []
    for open_start, open_end in zip(*_merge(_open_intervals(windows, earliest, latest)), strict=True):
        start = open_start
        while start + duration <= open_end:
            end = start + duration
            if (
                earliest <= start
                and end <= latest
                and not _overlaps(starts, ends, start, end)
                and not is_off(start, end)
            ):
                slots.append(Slot(start, end))
            start += step
    return slots


def _open_intervals(
    windows: Sequence[Window], earliest: datetime.datetime, latest: datetime.datetime
) -> Iterable[tuple[datetime.datetime, datetime.datetime]]:
    """Each window's occurrences between `earliest` and `latest`, in UTC. Overlapping or adjacent
    occurrences are merged by the caller, so 09–11 and 11–13 allow a session at 10:00."""
    for window in windows:
        zone = zoneinfo.ZoneInfo(window.zone)
        day = earliest.astimezone(zone).date() - datetime.timedelta(days=1)
        last_day = latest.astimezone(zone).date()
        day += datetime.timedelta(days=(window.weekday - day.weekday()) % 7)  # first matching weekday
        while day <= last_day:
            yield _local(day, window.start, zone), _local(day, window.end, zone)
            day += datetime.timedelta(days=7)
