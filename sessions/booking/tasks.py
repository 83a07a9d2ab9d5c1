"""The task name the previous release queued session emails under. Session emails now go through
the outbox (`sessions.booking.emails`); this task takes the messages still in the broker after an
upgrade and puts them there too, under the keys the outbox uses, so nothing is sent twice."""

from celery import shared_task
from django.db import transaction

from core import outbox
from sessions.booking import emails
from sessions.models import MentoringSession


@shared_task(name="sessions.send_session_email")
def send_session_email(session_id: int, kind: str, recipient_id: int | None = None, sequence: int | None = None) -> int:
    """Without a recipient: record one email per participant (sent by the outbox). With one: send
    that person's email now, unless it has been sent already or the session has changed since.
    Returns how many emails were recorded (without a recipient) or sent (with one)."""
    if kind not in emails.KINDS:
        raise ValueError(f"unknown session email kind {kind!r}")
    session = MentoringSession.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    if recipient_id is None:
        with transaction.atomic():
            return emails.queue_session_emails(session, kind)
    sequence = session.sequence if sequence is None else sequence
    outcome = outbox.send_now(
        emails.SESSION_EMAIL,
        key=emails.session_email_key(session, kind, recipient_id, sequence),
        session_id=session.pk,
        kind=kind,
        recipient_id=recipient_id,
        sequence=sequence,
    )
    return int(outcome == "sent")
