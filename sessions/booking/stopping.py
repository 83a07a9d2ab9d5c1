"""Stopping an engagement (an admin pauses, completes or cancels it) and what happens to its
sessions still to come: cancelled through the one cancellation path, or kept (without reminders
while the engagement is not active)."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.access import is_consultancy_admin
from mentorship.engagements import services as engagement_services
from mentorship.models import Engagement, EngagementStatus
from sessions.booking import selectors
from sessions.booking.services import record_cancellation
from sessions.models import MentoringSession

logger = logging.getLogger(__name__)


# Each asked for on a page that says what will happen (sessions:engagement-stop), never one click.
STOPPING_STATUSES = (EngagementStatus.PAUSED, EngagementStatus.COMPLETED, EngagementStatus.CANCELLED)


@transaction.atomic
def stop_engagement(
    *, engagement: Engagement, to_status: str, actor: User, note: str = "", cancel_future_sessions: bool
) -> list[MentoringSession]:
    """An admin pauses, completes or cancels an engagement, and either cancels its future sessions
    (each participant gets a cancellation with a METHOD:CANCEL invite, as for any cancellation) or
    keeps them. Kept sessions of an engagement that is not active get no reminders (the sweep).

    The engagement's status changes first, under its row lock: a second submit of the same form
    waits, then finds the engagement already paused and is refused, so nobody is told twice.
    Returns the sessions cancelled."""
    if to_status not in STOPPING_STATUSES:
        raise ValidationError(_("Only pausing, completing or cancelling is done here."), code="not_a_stop")
    if not is_consultancy_admin(actor):
        raise ValidationError(
            _("Only a consultancy admin can pause, complete or cancel an engagement."), code="not_allowed"
        )
    engagement_services.change_status(engagement=engagement, to_status=to_status, actor=actor, note=note)
    if not cancel_future_sessions:
        return []
    cancelled = cancel_future_sessions_of(engagement=engagement, actor=actor, reason=note)
    logger.info(
        "Engagement %s %s by user %s: %s future sessions cancelled",
        engagement.pk,
        to_status,
        actor.pk,
        len(cancelled),
    )
    return cancelled


@transaction.atomic
def cancel_future_sessions_of(*, engagement: Engagement, actor: User, reason: str = "") -> list[MentoringSession]:
    """Cancel every session of the engagement still to come, through the one cancellation path
    (an email with a METHOD:CANCEL invite to each participant). Not late cancellations: the
    consultancy stops the engagement, nobody missed a session. For the caller that has just
    paused, completed or cancelled the engagement, in the same transaction."""
    return [
        record_cancellation(session, actor=actor, reason=reason.strip(), late=False)
        for session in selectors.future_sessions_of(engagement).select_for_update().select_related("mentor")
    ]
