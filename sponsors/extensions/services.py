"""A sponsor's request to extend an engagement: a lead (`mentorship.Inquiry` of kind
"extension", linked to the engagement) in the admins' leads list, and an email to each admin."""

from django.db import IntegrityError, transaction

from accounts.models import User
from core import outbox
from mentorship.inquiries import emails as inquiry_emails
from mentorship.models import Engagement, Inquiry, InquiryKind


def open_request(*, engagement: Engagement, sponsor: User) -> Inquiry | None:
    """The sponsor's extension request for the engagement that no admin has handled yet."""
    return Inquiry.objects.filter(
        kind=InquiryKind.EXTENSION, engagement=engagement, requested_by=sponsor, handled_at__isnull=True
    ).first()


def _notify_admins(inquiry: Inquiry) -> None:
    for admin in inquiry_emails.admins():
        outbox.enqueue(
            inquiry_emails.NOTIFICATION,
            key=inquiry_emails.notification_key(inquiry.pk, admin.pk),
            inquiry_id=inquiry.pk,
            admin_id=admin.pk,
        )


@transaction.atomic
def request_extension(*, engagement: Engagement, sponsor: User, message: str) -> tuple[Inquiry, bool]:
    """Record the request and the email to each admin, in one transaction. Returns (request,
    created): while the sponsor's earlier request for this engagement is open, a second one (a
    double submit, Back and submit again, two tabs) returns that one and sends nothing. The
    partial unique constraint settles two submits racing."""
    existing = open_request(engagement=engagement, sponsor=sponsor)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            inquiry = Inquiry.objects.create(
                kind=InquiryKind.EXTENSION,
                engagement=engagement,
                requested_by=sponsor,
                name=sponsor.display_name,
                email=sponsor.email,
                company=engagement.organisation.name,
                message=message,
                language=sponsor.language,
            )
    except IntegrityError:
        return open_request(engagement=engagement, sponsor=sponsor), False
    _notify_admins(inquiry)
    return inquiry, True
