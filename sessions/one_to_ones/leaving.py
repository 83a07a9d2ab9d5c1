"""A member who leaves the team keeps no one-to-ones after their last day: when a seat's dates
change or the seat goes, their booked one-to-ones in the team's engagements that no longer fall
within a seat of theirs are cancelled (the member and the mentor get the cancellation, with a
METHOD:CANCEL invite). Their past one-to-ones stay theirs. Connected in SessionsConfig.ready():
whatever changes a seat — the team page, the Django admin — the rule holds."""

import logging

from django.db import transaction
from django.utils import timezone

from mentorship.models import TeamMembership, roster_date
from sessions.booking import emails
from sessions.models import UPCOMING_STATUSES, MentoringSession, SessionKind, SessionStatus

logger = logging.getLogger(__name__)

LEFT_REASON = "The member is no longer in the team on this day."


def cancel_one_to_ones_off_the_roster(*, team_id: int, user_id: int) -> list[MentoringSession]:
    """Cancel this person's upcoming one-to-ones in the team's engagements on days they are not in
    the team; returns those cancelled."""
    now = timezone.now()
    upcoming = MentoringSession.objects.select_for_update(of=("self",)).filter(
        kind=SessionKind.ONE_TO_ONE,
        mentee_id=user_id,
        engagement__team_id=team_id,
        status__in=UPCOMING_STATUSES,
        start__gt=now,
    )
    seats = list(TeamMembership.objects.filter(team_id=team_id, user_id=user_id))
    cancelled = []
    for session in upcoming:
        if any(seat.is_on(roster_date(session.start)) for seat in seats):
            continue
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = now
        session.cancellation_reason = LEFT_REASON
        session.sequence += 1
        session.save()
        emails.queue_session_emails(session, "cancelled")
        logger.info("One-to-one %s at %s cancelled: its member left the team", session.pk, session.start.isoformat())
        cancelled.append(session)
    return cancelled


def seat_changed(sender, instance: TeamMembership, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    with transaction.atomic():
        cancel_one_to_ones_off_the_roster(team_id=instance.team_id, user_id=instance.user_id)
