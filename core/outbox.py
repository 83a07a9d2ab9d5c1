"""The outbox: one-off emails recorded in PostgreSQL with the change they are about, sent once.

An app registers a *sender* by name, in its tasks module or a module that module imports (so
that every worker has it): a function that takes the recorded ids, re-reads the current state
and returns the email to send, or None when there is nothing to say any more::

    @outbox.sender("mentorship.invitation", label=_("Invitation"), after_sent=count_the_send)
    def invitation_email(*, invitation_id: int) -> EmailMessage | None: ...

A service calls `enqueue(name, key=..., **ids)` inside its transaction: the row commits or rolls
back with the change. After the commit a task is queued to deliver it (in this process instead
when the broker cannot be reached). Delivering claims the row (see core.claims), builds the
email, sends it and marks it sent. If the broker loses the message (a Redis crash without
persistence), or the worker dies mid-send, the row stays pending and `sweep` (run by beat every
OUTBOX_SWEEP_SECONDS) queues it again once it has waited OUTBOX_CLAIM_TIMEOUT_SECONDS.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from core import claims
from core.emails import NotRecorded, is_temporary, message_id, send_then_record
from core.models import OutboxEmail, OutboxStatus
from core.queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

Builder = Callable[..., EmailMessage | None]


@dataclass(frozen=True)
class Sender:
    name: str
    build: Builder
    label: str  # what the email is, for the admins' report
    after_sent: Callable[..., object] | None = None


_senders: dict[str, Sender] = {}


def sender(name: str, *, label: str, after_sent: Callable[..., object] | None = None) -> Callable[[Builder], Builder]:
    """Register `build` as the sender called `name`. `after_sent(**payload)` runs in the
    transaction that marks the email sent."""

    def register(build: Builder) -> Builder:
        known = _senders.get(name)
        if known is not None and known.build is not build:
            raise ImproperlyConfigured(f"Two outbox senders are called {name!r}")
        _senders[name] = Sender(name, build, label, after_sent)
        return build

    return register


def label_of(name: str) -> str:
    try:
        return get_sender(name).label
    except LookupError:
        return name


def get_sender(name: str) -> Sender:
    if name not in _senders:
        autodiscover_modules("tasks")  # each app's tasks module registers its senders
    try:
        return _senders[name]
    except KeyError:
        raise LookupError(f"No outbox sender is called {name!r}") from None


class TemporaryFailure(Exception):
    """The email did not go out this time (the SMTP server said "later", or could not be reached);
    the row is free for the next attempt."""


def _timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)


def enqueue(sender_name: str, *, key: str, **payload) -> OutboxEmail:
    """Record an email to send, in the caller's transaction; it is queued once that commits.
    `key` names the email: recording the same key again returns the row already there."""
    email, created = _record(sender_name, key, payload)
    if created:
        _queue_delivery(email.pk)
    return email


def _record(sender_name: str, key: str, payload: dict) -> tuple[OutboxEmail, bool]:
    get_sender(sender_name)  # a misspelt name fails here, in the request, not later in a worker
    return OutboxEmail.objects.get_or_create(key=key, defaults={"sender": sender_name, "payload": payload})


def _queue_delivery(email_id: int) -> None:
    # After commit; in this process instead when the broker cannot be reached (core.queueing).
    from core.tasks import deliver_email

    enqueue_on_commit(deliver_email, email_id)


def deliver(email_id: int, *, task_id: str = "") -> str:
    """Claim, build, send, mark sent. Returns what happened (for logs and tests). Raises
    TemporaryFailure when the task should retry later; raises an unexpected error after releasing
    the row, so the sweep retries it (up to claims.MAX_ATTEMPTS attempts)."""
    rows = OutboxEmail.objects.filter(pk=email_id)
    token = claims.claim(rows, open_status=OutboxStatus.PENDING, timeout=_timeout(), task_id=task_id)
    if token is None:
        return _why_not_ours(email_id)
    email = rows.get()
    spec = get_sender(email.sender)
    try:
        message = spec.build(**email.payload)
    except Exception as error:
        claims.release(rows, token, error=error)
        raise
    if message is None:
        claims.finish(rows, token, OutboxStatus.SKIPPED)
        logger.info("Email %s (%s) not needed any more", email.pk, email.sender)
        return "not needed any more"
    message.extra_headers["Message-ID"] = message_id("email", email.key)

    def record() -> None:
        if claims.finish(rows, token, OutboxStatus.SENT) and spec.after_sent is not None:
            spec.after_sent(**email.payload)

    try:
        send_then_record(message, record)
    except NotRecorded:
        raise  # held until the claim times out: see core.claims for this window
    except Exception as error:
        if is_temporary(error):
            claims.release(rows, token, error=error)
            raise TemporaryFailure(claims.describe(error)) from error
        if isinstance(error, smtplib.SMTPException):  # refused for good (5xx)
            claims.finish(rows, token, OutboxStatus.FAILED, error=error)
            logger.warning("Email %s (%s) failed for good: %s", email.pk, email.sender, type(error).__name__)
            return "failed"
        claims.release(rows, token, error=error)
        raise
    return "sent"


def _why_not_ours(email_id: int) -> str:
    email = OutboxEmail.objects.filter(pk=email_id).first()
    if email is None:
        return "gone"
    if email.status == OutboxStatus.SENT:
        return "already sent"
    if email.status != OutboxStatus.PENDING:
        return "already handled"
    if email.attempts >= claims.MAX_ATTEMPTS:
        return "out of attempts"
    return "held by another attempt"


def send_now(sender_name: str, *, key: str, **payload) -> str:
    """Record the email (if new) and deliver it in this process, now: for the task names of the
    previous release (still queued in the broker after an upgrade) and their tests."""
    email, _created = _record(sender_name, key, payload)
    try:
        return deliver(email.pk)
    except TemporaryFailure:
        return "will be retried"


def sweep() -> int:
    """Queue again every pending email that has waited or been held longer than
    OUTBOX_CLAIM_TIMEOUT_SECONDS (a lost broker message, a killed worker). Returns the count."""
    with transaction.atomic():
        freed = claims.take_back_stale(
            OutboxEmail, open_status=OutboxStatus.PENDING, failed_status=OutboxStatus.FAILED, timeout=_timeout()
        )
        for email in freed:
            _queue_delivery(email.pk)
    if freed:
        logger.warning("Outbox sweep: %d email(s) queued again", len(freed))
    return len(freed)
