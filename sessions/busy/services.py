"""A mentor's own calendars: adding, removing, reading them into busy intervals, and warning the
mentor when a read finds a booked session inside a busy time.

Logs name calendars by id only: the link is a secret, and even its host says whose calendar
service the mentor uses.
"""

import bisect
import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import outbox
from core.queueing import enqueue_on_commit
from sessions.booking.selectors import booking_settings_for
from sessions.busy import emails
from sessions.busy.fetch import FetchError, fetch, normalise_url, url_hint
from sessions.busy.parse import ParseError, busy_intervals
from sessions.models import UPCOMING_STATUSES, BusyCalendar, BusyConflict, BusyInterval, MentoringSession

logger = logging.getLogger(__name__)

MAX_CALENDARS = 10
# A refresh asked for again within this long is not fetched again (a double click, a reload).
REFRESH_PAUSE = datetime.timedelta(minutes=1)


def _queue_refresh(calendar: BusyCalendar) -> None:
    from sessions.busy.tasks import refresh_busy_calendar

    enqueue_on_commit(refresh_busy_calendar, calendar.pk)


@transaction.atomic
def add_calendar(*, mentor: User, url: str) -> tuple[BusyCalendar, bool]:
    """Save a calendar link for the mentor and read it after commit. Returns (calendar, created):
    the same link saved again (a double submit) returns the calendar already there."""
    try:
        url = normalise_url(url)
    except FetchError:
        raise ValidationError(
            _("Enter a calendar link starting with https://, http:// or webcal://."), code="invalid_url"
        ) from None
    # Serialise a mentor's adds, so a double submit cannot save the link twice.
    User.objects.select_for_update().filter(pk=mentor.pk).first()
    calendars = list(BusyCalendar.objects.filter(mentor=mentor))
    for calendar in calendars:  # the links are encrypted: compared here, not in SQL
        if calendar.url == url:
            return calendar, False
    if len(calendars) >= MAX_CALENDARS:
        raise ValidationError(
            _("You can connect at most %(count)s calendars.") % {"count": MAX_CALENDARS}, code="too_many"
        )
    calendar = BusyCalendar.objects.create(mentor=mentor, url=url, url_hint=url_hint(url))
    logger.info("Busy calendar %s added by mentor %s", calendar.pk, mentor.pk)
    _queue_refresh(calendar)
    return calendar, True


@transaction.atomic
def remove_calendar(*, calendar: BusyCalendar) -> None:
    """Forget the link and every busy time read from it."""
    logger.info("Busy calendar %s removed by mentor %s", calendar.pk, calendar.mentor_id)
    calendar.delete()


def request_refresh(*, calendar: BusyCalendar, now: datetime.datetime | None = None) -> bool:
    """Read the calendar again soon (after commit). False when it was read moments ago."""
    now = now or timezone.now()
    if calendar.attempted_at and now - calendar.attempted_at < REFRESH_PAUSE:
        return False
    _queue_refresh(calendar)
    return True


def reading_period(mentor: User, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """What is read of a calendar: from now to the end of the mentor's booking horizon (and a day)."""
    weeks = booking_settings_for(mentor).horizon_weeks
    return now, now + datetime.timedelta(weeks=weeks, days=1)


def refresh_calendar(calendar_id: int, *, now: datetime.datetime | None = None) -> str:
    """Fetch and read one calendar; on success replace its busy intervals at once and record
    conflicts with booked sessions, on failure keep the old intervals and record why. Returns the
    error code, "read", or "gone". Never raises for what the calendar holds."""
    now = now or timezone.now()
    calendar = BusyCalendar.objects.select_related("mentor").filter(pk=calendar_id).first()
    if calendar is None:
        return "gone"
    start, end = reading_period(calendar.mentor, now)
    try:
        intervals = busy_intervals(fetch(calendar.url), zone_name=calendar.mentor.time_zone, start=start, end=end)
    except (FetchError, ParseError) as error:
        BusyCalendar.objects.filter(pk=calendar.pk).update(attempted_at=now, error=error.code)
        logger.info("Busy calendar %s not read: %s", calendar.pk, error.code)
        return error.code
    with transaction.atomic():
        # One read at a time per calendar; a calendar removed meanwhile stays removed.
        calendar = BusyCalendar.objects.select_for_update().select_related("mentor").filter(pk=calendar.pk).first()
        if calendar is None:
            return "gone"
        BusyInterval.objects.filter(calendar=calendar).delete()
        BusyInterval.objects.bulk_create(
            BusyInterval(calendar=calendar, mentor_id=calendar.mentor_id, start=first, end=last)
            for first, last in intervals
        )
        BusyCalendar.objects.filter(pk=calendar.pk).update(attempted_at=now, read_at=now, error="")
        conflicts = _record_conflicts(calendar, intervals, now=now)
    logger.info(
        "Busy calendar %s read: %d busy interval(s), %d new conflict(s)", calendar.pk, len(intervals), conflicts
    )
    return "read"


def _record_conflicts(calendar: BusyCalendar, intervals: list, *, now: datetime.datetime) -> int:
    """Each upcoming session of the mentor that overlaps a busy interval, not yet warned about at
    its current start, gets a conflict row and an email to the mentor (recorded in this
    transaction; the outbox key keeps it to one email even if two reads race)."""
    if not intervals:
        return 0
    starts = [first for first, _last in intervals]
    sessions = MentoringSession.objects.filter(
        mentor_id=calendar.mentor_id,
        status__in=UPCOMING_STATUSES,
        start__gt=now,
        start__lt=intervals[-1][1],
        end__gt=intervals[0][0],
    ).exclude(busy_conflicts__session_start=F("start"))  # warned already
    created = 0
    for session in sessions:
        index = bisect.bisect_left(starts, session.end) - 1  # merged and sorted: the last one before decides
        if index < 0 or intervals[index][1] <= session.start:
            continue
        conflict, new = BusyConflict.objects.get_or_create(
            session=session, session_start=session.start, defaults={"calendar": calendar}
        )
        if new:
            created += 1
            outbox.enqueue(emails.BUSY_CONFLICT_EMAIL, key=emails.conflict_key(conflict), conflict_id=conflict.pk)
    return created
