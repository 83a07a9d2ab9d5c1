"""Reminder tasks: the sweep beat runs, and one idempotent send per reminder (see `sweep`)."""

import logging
import smtplib

from celery import shared_task

from accounts.models import User
from sessions.models import ReminderStatus

logger = logging.getLogger(__name__)


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
