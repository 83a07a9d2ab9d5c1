"""The email that warns a mentor that their own calendar is busy during a booked session: one per
conflict (core.outbox, keyed by the conflict), in the mentor's language and time zone."""

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.emails import absolute_url, render_templated_email
from sessions.models import UPCOMING_STATUSES, BusyConflict

BUSY_CONFLICT_EMAIL = "sessions.busy_conflict"


def conflict_key(conflict: BusyConflict) -> str:
    return f"busy-conflict:{conflict.session_id}:{conflict.session_start:%Y%m%dT%H%M%SZ}"


@outbox.sender(BUSY_CONFLICT_EMAIL, label=_("Own calendar busy during a session"))
def busy_conflict_email(*, conflict_id: int) -> EmailMessage | None:
    """Unless the session has been moved, cancelled or held since, or the mentor left."""
    conflict = (
        BusyConflict.objects.select_related(
            "session__engagement__mentee", "session__engagement__team", "session__mentor"
        )
        .filter(pk=conflict_id)
        .first()
    )
    if conflict is None:
        return None
    session = conflict.session
    mentor = session.mentor
    if session.start != conflict.session_start or session.status not in UPCOMING_STATUSES or not mentor.is_active:
        return None
    return render_templated_email(
        to=[mentor.email],
        template="busy_conflict",
        context={
            "recipient": mentor,
            "session": session,
            "engagement": session.engagement,
            "session_url": absolute_url(session.get_absolute_url()),
            "agenda_url": absolute_url(reverse("mentoring_sessions:agenda")),
        },
        language=mentor.language,
        time_zone=mentor.time_zone,
    )
