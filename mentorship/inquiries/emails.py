"""Emails about leads from the public inquiry form, through the outbox (core.outbox): a
confirmation to the sender and a notification to every active consultancy admin, recorded with
the lead and sent once each."""

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import outbox
from core.emails import absolute_url, render_templated_email
from mentorship.models import Inquiry

CONFIRMATION = "mentorship.inquiry_confirmation"
NOTIFICATION = "mentorship.inquiry_notification"


def confirmation_key(inquiry_id: int) -> str:
    return f"inquiry:{inquiry_id}:confirmation"


def notification_key(inquiry_id: int, admin_id: int) -> str:
    return f"inquiry:{inquiry_id}:notification:{admin_id}"


def admins() -> list[User]:
    return list(User.objects.filter(is_consultancy_admin=True, is_active=True).order_by("pk"))


def queue_inquiry_emails(inquiry: Inquiry) -> None:
    outbox.enqueue(CONFIRMATION, key=confirmation_key(inquiry.pk), inquiry_id=inquiry.pk)
    for admin in admins():
        outbox.enqueue(
            NOTIFICATION, key=notification_key(inquiry.pk, admin.pk), inquiry_id=inquiry.pk, admin_id=admin.pk
        )


@outbox.sender(CONFIRMATION, label=_("Inquiry confirmation"))
def inquiry_confirmation(*, inquiry_id: int) -> EmailMessage | None:
    """Tell the sender we have their message, in the language of the page they wrote it on."""
    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    if inquiry is None:
        return None
    return render_templated_email(
        to=[inquiry.email],
        template="inquiry_confirmation",
        context={"inquiry": inquiry, "LANGUAGE_CODE": inquiry.language},
        language=inquiry.language,
    )


@outbox.sender(NOTIFICATION, label=_("New inquiry, to an admin"))
def inquiry_notification(*, inquiry_id: int, admin_id: int) -> EmailMessage | None:
    """Tell one consultancy admin about a new lead, in their own language and time zone."""
    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    admin = User.objects.filter(pk=admin_id, is_consultancy_admin=True, is_active=True).first()
    if inquiry is None or admin is None:
        return None
    return render_templated_email(
        to=[admin.email],
        template="inquiry_notification",
        context={
            "inquiry": inquiry,
            "recipient": admin,
            "leads_url": absolute_url(reverse("mentorship:inquiry-list")),
            "LANGUAGE_CODE": admin.language,
        },
        language=admin.language,
        time_zone=admin.time_zone,
        reply_to=[inquiry.email],
    )
