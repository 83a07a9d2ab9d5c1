"""Emails about sessions (booked, moved, cancelled, confirmed), one task per recipient so that a
retry resends to nobody else."""

import logging
import smtplib

from celery import shared_task
from django.urls import reverse

from accounts.models import User
from core.emails import absolute_url, send_templated_email
from core.queueing import enqueue_on_commit
from sessions.booking import selectors
from sessions.calendars.ics import invite_ics
from sessions.models import MentoringSession, SessionStatus

logger = logging.getLogger(__name__)

KINDS = {"booked", "moved", "cancelled", "confirmed"}


@shared_task(
    name="sessions.send_session_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
)
def send_session_email(session_id: int, kind: str, recipient_id: int | None = None, sequence: int | None = None) -> int:
    """Without a recipient: fan out, one task per participant. With one: send that person the
    email, unless the session has changed since (a newer email is on its way)."""
    if kind not in KINDS:
        raise ValueError(f"unknown session email kind {kind!r}")
    session = (
        MentoringSession.objects.select_related("engagement__team", "engagement__mentee", "mentor", "mentee", "venue")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return 0
    if recipient_id is None:
        people = selectors.participants(session)
        for person in people:
            # Like the first task: in-process when the broker is down (this task may be running
            # in-process for that very reason).
            enqueue_on_commit(send_session_email, session.pk, kind, person.pk, session.sequence)
        return len(people)
    if sequence is not None and sequence != session.sequence:
        logger.info("Session %s changed since %s email was queued; skipping", session.pk, kind)
        return 0
    if (kind == "cancelled") != (session.status == SessionStatus.CANCELLED):
        return 0
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return 0
    people = selectors.participants(session)
    send_templated_email(
        to=[recipient.email],
        template=f"session_{kind}",
        context={
            "session": session,
            "recipient": recipient,
            "participants": people,
            "session_url": absolute_url(session.get_absolute_url()),
            "sessions_url": absolute_url(reverse("mentoring_sessions:session-list")),
        },
        language=recipient.language,
        time_zone=recipient.time_zone,
        attachments=[
            (
                "invite.ics",
                invite_ics(session, participants=people, zone_name=recipient.time_zone),
                "text/calendar; charset=utf-8; method=" + ("CANCEL" if kind == "cancelled" else "REQUEST"),
            )
        ],
    )
    return 1
