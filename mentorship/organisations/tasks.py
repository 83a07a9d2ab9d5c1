"""Background work for organisations: the invitation email."""

import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from core.emails import absolute_url, send_templated_email
from mentorship.models import Invitation
from mentorship.organisations import services

logger = logging.getLogger(__name__)


@shared_task(name="mentorship.tasks.send_invitation_email")
def send_invitation_email(invitation_id: int) -> bool:
    """Email the invitation link. A person with an account already gets it in their own language
    and time zone; anybody else in the site's default language. Skips invitations that are no
    longer open (revoked or accepted between queueing and sending)."""
    invitation = (
        Invitation.objects.select_related("organisation", "team", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.state != "pending":
        logger.info("Invitation %s is no longer open; not sending", invitation_id)
        return False
    account = User.objects.filter(email__iexact=invitation.email).first()
    send_templated_email(
        to=[invitation.email],
        template="invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "team": invitation.team,
            "inviter_name": invitation.invited_by.display_name if invitation.invited_by else "",
            "accept_url": absolute_url(reverse("mentorship:invitation-accept", args=[invitation.token])),
        },
        language=account.language if account else settings.LANGUAGE_CODE,
        time_zone=account.time_zone if account else None,
    )
    services.mark_invitation_sent(invitation_id=invitation.pk)
    return True
