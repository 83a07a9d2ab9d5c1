"""Claims: how a recorded email (an outbox row, a reminder) is sent once, even when workers die.

A row still to be sent has an *open* status. An attempt to send it first claims it: one
conditional UPDATE gives the row a new random token — the attempt's own, not the Celery task id,
because a redelivered or retried task is a new attempt — and commits at once. The claim succeeds
only when no attempt holds the row (no token: just recorded, or released after a temporary
failure) or when the holder's claim is older than the timeout.

Why a redelivered task must leave a fresh claim alone: it cannot know whether the attempt before
it died before the SMTP server accepted the email, died after, or is still running (the broker
redelivers after its visibility timeout whatever the worker is doing). Only time tells: the
timeout is longer than any attempt can live (settings refuse a timeout shorter than the task's
hard time limit), so a claim older than that belongs to an attempt that is certainly over. The
sweeps hand such rows to a new attempt (`take_back_stale`); an attempt that finds one stale may
take it over itself.

The attempt then sends and records the outcome with an UPDATE that matches its own token only
(`finish`; `core.emails.send_then_record` keeps the send and the mark back to back). The one
window left: a crash (or a lost database connection) after the SMTP server accepted the email and
before the "sent" mark commits. The row then still looks unsent, and the email goes out a second
time after the timeout, with the same Message-ID.
"""

import datetime
import logging
import uuid

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# An email that this many attempts have claimed and not finished is given up (marked failed by
# the sweep) instead of being tried for ever: something in it crashes every worker that tries.
MAX_ATTEMPTS = 10


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def claim(
    rows: models.QuerySet, *, open_status: str, timeout: datetime.timedelta, task_id: str = ""
) -> uuid.UUID | None:
    """Claim the row in `rows` (a queryset of one row) for a new attempt. Returns the attempt's
    token, or None when the row is not this attempt's to send: finished, held by another attempt
    whose claim is fresh, out of attempts, or gone."""
    now = timezone.now()
    token = uuid.uuid4()
    claimed = (
        rows.filter(status=open_status, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claim_token__isnull=True) | Q(claimed_at__lt=now - timeout))
        .update(claim_token=token, claimed_at=now, attempts=F("attempts") + 1, task_id=task_id[:64])
    )
    return token if claimed else None


def release(rows: models.QuerySet, token: uuid.UUID, *, error: BaseException) -> bool:
    """A failure that says the email did not go out (a temporary SMTP error): free the row for
    the next attempt at once (the task's retry, or the sweep after the timeout)."""
    return bool(
        rows.filter(claim_token=token).update(claim_token=None, claimed_at=timezone.now(), error=describe(error))
    )


def finish(rows: models.QuerySet, token: uuid.UUID, status: str, *, error: BaseException | None = None) -> bool:
    """Record the outcome, if this attempt still holds the row. False means the claim was taken
    over: this attempt outlived the timeout, which the settings are meant to rule out."""
    fields: dict = {"status": status, "sent_at": timezone.now() if status == "sent" else None}
    if error is not None:
        fields["error"] = describe(error)
    finished = rows.filter(claim_token=token).update(**fields)
    if not finished:
        logger.error("Lost the claim on %s before recording %s: the claim timeout is too short", rows.model, status)
    return bool(finished)


def take_back_stale(
    model: type[models.Model],
    *,
    open_status: str,
    failed_status: str,
    timeout: datetime.timedelta,
    now: datetime.datetime | None = None,
    limit: int = 500,
) -> list:
    """Rows whose message may be lost or whose sender died: still open, and unchanged (recorded,
    released or claimed) for longer than `timeout`. Frees them for a new attempt and returns them
    for the caller to queue after commit; each is freed again only after another `timeout`. Rows
    out of attempts are marked failed instead. Two sweeps at once skip each other's rows."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(status=open_status, claimed_at__lt=now - timeout)
            .order_by("claimed_at")[:limit]
        )
        spent = [row.pk for row in rows if row.attempts >= MAX_ATTEMPTS]
        if spent:
            model.objects.filter(pk__in=spent).update(
                status=failed_status, error=f"Gave up after {MAX_ATTEMPTS} attempts"
            )
            logger.error("Gave up on %d %s row(s) after %d attempts", len(spent), model.__name__, MAX_ATTEMPTS)
        freed = [row for row in rows if row.pk not in spent]
        model.objects.filter(pk__in=[row.pk for row in freed]).update(claim_token=None, claimed_at=now)
    return freed
