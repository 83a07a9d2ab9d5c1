"""The email outbox: one row per one-off email, written in the same transaction as the change it
is about, and sent once by a task that claims the row (see `core.outbox` and `core.claims`)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not needed any more")


class OutboxEmail(models.Model):
    """An email to send: which registered sender builds it (`sender`) from what (`payload`, ids
    only: the sender re-reads the current state). `key` names the email (the same change never
    records it twice). While `status` is pending, an attempt holds the row by `claim_token`
    from `claimed_at`; a row with no token, or one held longer than OUTBOX_CLAIM_TIMEOUT_SECONDS,
    is free for the next attempt."""

    Status = OutboxStatus

    key = models.CharField(max_length=200, unique=True)
    sender = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    # Null: waiting for an attempt (just recorded, or released after a temporary failure).
    claim_token = models.UUIDField(null=True, blank=True)
    # When the row last changed hands: claimed by an attempt, released, or recorded.
    claimed_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at"]
        indexes = [
            # The sweep looks for pending rows that have waited too long.
            models.Index(fields=["claimed_at"], condition=Q(status="pending"), name="outbox_pending_claimed_idx"),
            models.Index(fields=["status", "created_at"], name="outbox_status_created_idx"),
        ]

    def __str__(self) -> str:
        return self.key
