"""Reminder tasks: the sweep beat runs, and one send per reminder, exactly once (see `sending`)."""

import logging
import smtplib

from celery import shared_task

from accounts.models import User
from core.emails import NotRecorded, is_temporary, message_id, send_then_record
from sessions.models import ReminderStatus

logger = logging.getLogger(__name__)


@shared_task(name="sessions.reminder_sweep")
def reminder_sweep() -> int:
    from sessions.reminders import sweep as reminders

    return reminders.sweep()


@shared_task(bind=True, name="sessions.send_reminder", max_retries=5)
def send_reminder(
    self, *, key: str, kind: str, recipient_id: int, session_id=None, engagement_id=None, about="", contract_id=None
) -> str:
    """Claim, re-check, send, record. Returns what happened (for logs and tests)."""
    from sessions.reminders import sending
    from sessions.reminders.emails import build
    from sessions.reminders.sweep import PREFERENCE, Reminder

    reminder = Reminder(key, kind, recipient_id, session_id, engagement_id, about, contract_id)
    claimed = sending.claim(reminder, task_id=self.request.id or "")
    if claimed is None:
        return "already handled"
    log, token = claimed
    verdict, reminder = sending.verdict(reminder)
    if verdict == sending.Verdict.SKIP:
        sending.finish(log, token, ReminderStatus.SKIPPED)
        return "not due any more"
    if verdict == sending.Verdict.MISSED:
        sending.finish(log, token, ReminderStatus.MISSED)
        logger.warning("Reminder %s missed: the session started before it could be sent", key)
        return "missed"
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or not getattr(recipient, PREFERENCE[kind]):
        sending.finish(log, token, ReminderStatus.SKIPPED)
        return "recipient opted out"
    try:
        message = build(reminder, recipient)
    except Exception as error:
        sending.release(log, token, error)
        raise
    message.extra_headers["Message-ID"] = message_id("reminder", key)
    try:
        send_then_record(message, lambda: sending.finish(log, token, ReminderStatus.SENT))
    except NotRecorded:
        raise  # held until the claim times out: the window described in core.claims
    except Exception as error:
        if is_temporary(error) and self.request.retries < self.max_retries:
            sending.release(log, token, error)
            raise self.retry(exc=error, countdown=min(60 * 2**self.request.retries, 1800)) from error
        if is_temporary(error) or isinstance(error, smtplib.SMTPException):
            sending.finish(log, token, ReminderStatus.FAILED, error=error)
            logger.warning("Reminder %s failed for good: %s", key, type(error).__name__)
            return "failed"
        sending.release(log, token, error)  # unexpected: the sweep tries again after the timeout
        raise
    if verdict == sending.Verdict.SEND_LATE:
        logger.info("Reminder %s sent late", kind)
        return "sent late"
    logger.info("Reminder %s sent", kind)
    return "sent"
