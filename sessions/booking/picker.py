"""The context of the slot + venue picker (`templates/sessions/booking/_picker.html`) shared by
booking and moving a session: the week view (`sessions.booking.week`), the suggested time, venues."""

import datetime

from django.http import HttpRequest
from django.utils import timezone

from mentorship.models import Engagement
from sessions import access
from sessions.booking import selectors, week
from sessions.booking.forms import SlotVenueForm
from sessions.models import MentoringSession


def picker_context(
    request: HttpRequest,
    form: SlotVenueForm,
    engagement: Engagement,
    slots: list,
    due,
    *,
    session: MentoringSession | None = None,
) -> dict:
    """The picker's week view (`sessions.booking.week`): the week `?week=` asks for, else the
    week of a posted time (to show it again with its error), else the suggested time's week
    (the due date's) or, when moving, the session's own."""
    needs_confirmation = selectors.booking_settings_for(engagement.mentor).confirm_manually and not (
        access.is_mentor_or_admin(request.user, engagement.mentor_id)
    )
    booked = week.booked_starts(engagement, ignore=session)
    suggested = week.suggested_slots(engagement, slots, due.due_date if due else None, booked)
    facts = week.week_facts(engagement)
    suggestion_week = week.monday_of(timezone.localtime(suggested[0].start).date()) if suggested else None
    requested = week.parse_week(request.GET.get("week")) or _posted_week(form)
    default_day = timezone.localtime(session.start).date() if session is not None else suggestion_week
    monday = week.choose_week(requested, default_day or (due.due_date if due else None), facts)
    view = week.week_view(engagement, slots, monday, facts, booked)
    return {
        "form": form,
        "needs_confirmation": needs_confirmation,
        "engagement": engagement,
        "suggested": suggested,
        "suggestion": suggested[0] if suggested else None,
        "suggestion_week": suggestion_week,
        "suggestion_target": week.suggestion_target(engagement, due.due_date if due else None, booked),
        "today": timezone.localdate(),
        "week": view,
        "any_slots": bool(slots),
        "next_free_week": week.next_free_week(slots, view),
        "venue_groups": form.venue_groups,
        "current_zone": timezone.get_current_timezone_name(),
    }


def _posted_week(form: SlotVenueForm):
    if not form.is_bound:
        return None
    try:
        start = datetime.datetime.fromisoformat(str(form.data.get("suggested") or form.data.get("start") or ""))
        return week.monday_of(timezone.localtime(start).date()) if start.tzinfo else None
    except (ValueError, OverflowError):
        return None
