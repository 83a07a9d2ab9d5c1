"""Emails about sessions, one task per recipient so that a retry resends to nobody else."""

import logging
import smtplib

from celery import shared_task
from django.urls import reverse

from accounts.models import User
from core.emails import absolute_url, send_templated_email
from sessions.booking import selectors
from sessions.calendars.ics import invite_ics
from sessions.models import MentoringSession, ReminderStatus, SessionStatus

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
            send_session_email.delay(session.pk, kind, person.pk, session.sequence)
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


# Reminders --------------------------------------------------------------------------------------

TEMPORARY_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


def _is_temporary(error: Exception) -> bool:
    if isinstance(error, TEMPORARY_ERRORS):
        return True
    # 4xx replies are "try again later"; 5xx are final.
    return isinstance(error, smtplib.SMTPResponseException) and 400 <= error.smtp_code < 500


@shared_task(name="sessions.reminder_sweep")
def reminder_sweep() -> int:
    from sessions.reminders import sweep as reminders

    return reminders.sweep()


@shared_task(bind=True, name="sessions.send_reminder", max_retries=5)
def send_reminder(
    self, *, key: str, kind: str, recipient_id: int, session_id=None, engagement_id=None, about=""
) -> str:
    """Claim, re-check, send, record. Returns what happened (for logs and tests)."""
    from sessions.reminders import sweep as reminders
    from sessions.reminders.emails import deliver

    reminder = reminders.Reminder(key, kind, recipient_id, session_id, engagement_id, about)
    log = reminders.claim(reminder, task_id=self.request.id or key)
    if log is None:
        return "already handled"
    if not reminders.still_due(reminder):
        reminders.finish(log, ReminderStatus.SKIPPED)
        return "not due any more"
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or not getattr(recipient, reminders.PREFERENCE[kind]):
        reminders.finish(log, ReminderStatus.SKIPPED)
        return "recipient opted out"
    try:
        deliver(reminder, recipient)
    except Exception as error:
        if _is_temporary(error) and self.request.retries < self.max_retries:
            reminders.note_error(log, error)
            raise self.retry(exc=error, countdown=min(60 * 2**self.request.retries, 1800)) from error
        reminders.finish(log, ReminderStatus.FAILED, error=error)
        logger.warning("Reminder %s failed for good: %s", key, type(error).__name__)
        return "failed"
    reminders.finish(log, ReminderStatus.SENT)
    logger.info("Reminder %s sent", kind)
    return "sent"
