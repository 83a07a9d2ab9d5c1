"""Reads about a mentor's own calendars for their pages."""

import datetime

from django.db.models import Exists, F, OuterRef

from accounts.models import User
from sessions.models import UPCOMING_STATUSES, BusyConflict, BusyInterval

MAX_SHOWN_CONFLICTS = 20


def open_conflicts(mentor: User, *, now: datetime.datetime) -> list[BusyConflict]:
    """Upcoming sessions of the mentor that their own calendar is still busy during, soonest
    first (one query). A session moved or cancelled since, or a busy time gone from the calendar,
    no longer counts."""
    still_busy = BusyInterval.objects.filter(
        mentor=mentor, start__lt=OuterRef("session__end"), end__gt=OuterRef("session__start")
    )
    return list(
        BusyConflict.objects.filter(
            session__mentor=mentor,
            session__status__in=UPCOMING_STATUSES,
            session__start__gt=now,
            session_start=F("session__start"),
        )
        .filter(Exists(still_busy))
        .select_related("session__engagement__mentee", "session__engagement__team")
        .order_by("session__start")[:MAX_SHOWN_CONFLICTS]
    )
