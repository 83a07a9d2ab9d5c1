"""Reading mentors' calendars: the sweep beat runs every BUSY_CALENDAR_REFRESH_SECONDS (15 min)
queues one task per calendar, so a slow or broken calendar never holds up the others."""

import logging

from celery import shared_task

from core.queueing import enqueue_on_commit
from sessions.busy import emails  # noqa: F401  (registers the conflict email with the outbox)

logger = logging.getLogger(__name__)


@shared_task(name="sessions.refresh_busy_calendars")
def refresh_busy_calendars() -> int:
    from sessions.models import BusyCalendar

    ids = list(
        BusyCalendar.objects.filter(mentor__is_active=True, mentor__is_mentor=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for calendar_id in ids:
        enqueue_on_commit(refresh_busy_calendar, calendar_id)
    return len(ids)


@shared_task(name="sessions.refresh_busy_calendar")
def refresh_busy_calendar(calendar_id: int) -> str:
    from sessions.busy.services import refresh_calendar

    return refresh_calendar(calendar_id)
