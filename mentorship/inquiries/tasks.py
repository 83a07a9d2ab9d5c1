"""The task names the previous release queued inquiry emails under: a message still in the broker
after an upgrade goes through the outbox (`mentorship.inquiries.emails`) too, under the same keys,
so a lead is confirmed and announced once."""

from celery import shared_task

from core import outbox
from mentorship.inquiries import emails
from mentorship.models import Inquiry


@shared_task(name="mentorship.tasks.send_inquiry_confirmation")
def send_inquiry_confirmation(inquiry_id: int) -> int:
    """Send the confirmation now unless it has gone out already. Returns how many were sent."""
    if not Inquiry.objects.filter(pk=inquiry_id).exists():
        return 0
    outcome = outbox.send_now(emails.CONFIRMATION, key=emails.confirmation_key(inquiry_id), inquiry_id=inquiry_id)
    return int(outcome == "sent")


@shared_task(name="mentorship.tasks.send_inquiry_notification")
def send_inquiry_notification(inquiry_id: int) -> int:
    """Send each active admin the notification now unless it has gone out already."""
    if not Inquiry.objects.filter(pk=inquiry_id).exists():
        return 0
    sent = 0
    for admin in emails.admins():
        key = emails.notification_key(inquiry_id, admin.pk)
        sent += outbox.send_now(emails.NOTIFICATION, key=key, inquiry_id=inquiry_id, admin_id=admin.pk) == "sent"
    return sent
