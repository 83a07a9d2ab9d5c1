"""Emails about leads from the public inquiry form: a confirmation to the sender, a notification
to every active consultancy admin."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from core.emails import absolute_url, send_templated_email
from mentorship.models import Inquiry

logger = logging.getLogger(__name__)

# Inquiry has no "sent" columns to claim, so a send claims a cache key first; a redelivered task
# (acks_late) then finds the claim and sends nothing twice. A failed send releases its claim so
# that a retry can try again.
CLAIM_SECONDS = 7 * 24 * 3600


def _send_once(claim: str, **email) -> bool:
    if not cache.add(claim, True, CLAIM_SECONDS):
        logger.info("Skipping %s: already sent", claim)
        return False
    try:
        send_templated_email(**email)
    except Exception:
        cache.delete(claim)
        raise
    return True


@shared_task(name="mentorship.tasks.send_inquiry_confirmation")
def send_inquiry_confirmation(inquiry_id: int) -> int:
    """Tell the sender we have their message, in the language of the page they wrote it on."""
    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    if inquiry is None:
        return 0
    sent = _send_once(
        f"inquiry:{inquiry.pk}:confirmation",
        to=[inquiry.email],
        template="inquiry_confirmation",
        context={"inquiry": inquiry, "LANGUAGE_CODE": inquiry.language},
        language=inquiry.language,
    )
    return int(sent)


@shared_task(name="mentorship.tasks.send_inquiry_notification")
def send_inquiry_notification(inquiry_id: int) -> int:
    """Tell each active consultancy admin about a new lead, in their own language and time zone."""
    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    if inquiry is None:
        return 0
    leads_url = absolute_url(reverse("mentorship:inquiry-list"))
    sent = 0
    for admin in User.objects.filter(is_consultancy_admin=True, is_active=True).order_by("pk"):
        sent += _send_once(
            f"inquiry:{inquiry.pk}:notification:{admin.pk}",
            to=[admin.email],
            template="inquiry_notification",
            context={"inquiry": inquiry, "recipient": admin, "leads_url": leads_url, "LANGUAGE_CODE": admin.language},
            language=admin.language,
            time_zone=admin.time_zone,
            reply_to=[inquiry.email],
        )
    return sent
