"""Writes for leads from the public inquiry form: save (once), notify, mark handled."""

import datetime
import hashlib

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from mentorship.inquiries import emails
from mentorship.models import Inquiry

# A second post of the same message from the same address within this window is a double click
# or a reload of the form, not a new lead.
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


def _lock_key(email: str, message: str) -> int:
    digest = hashlib.sha256(f"inquiry\0{email.lower()}\0{message}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@transaction.atomic
def submit_inquiry(
    *, name: str, email: str, company: str, kind: str, message: str, language: str
) -> tuple[Inquiry, bool]:
    """Save a lead and record the confirmation to the sender and the notification to each admin.

    Returns (inquiry, created). A repeat of a lead saved within DUPLICATE_WINDOW (same email,
    same message) returns that lead with created=False and sends nothing. Two identical posts
    arriving at the same moment are serialised by a transaction-level advisory lock, so the
    second one finds the first.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(email, message)])
    recent = (
        Inquiry.objects.filter(email__iexact=email, message=message, created_at__gte=timezone.now() - DUPLICATE_WINDOW)
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent, False
    inquiry = Inquiry.objects.create(
        name=name, email=email, company=company, kind=kind, message=message, language=language
    )
    emails.queue_inquiry_emails(inquiry)
    return inquiry, True


def mark_inquiry_handled(*, inquiry: Inquiry, by: User) -> bool:
    """Mark a lead handled. Returns False (and changes nothing) when it already was, so a second
    click keeps the first handler and time."""
    updated = Inquiry.objects.filter(pk=inquiry.pk, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=by
    )
    return bool(updated)


def reopen_inquiry(*, inquiry: Inquiry) -> bool:
    """Put a handled lead back among the open ones. Returns False when it was open already."""
    updated = Inquiry.objects.filter(pk=inquiry.pk, handled_at__isnull=False).update(handled_at=None, handled_by=None)
    return bool(updated)
