"""The invitation email, through the outbox (core.outbox): recorded with the invitation (or its
resend) and sent once."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import outbox
from core.emails import absolute_url, render_templated_email
from mentorship.models import Invitation
from mentorship.organisations import services

INVITATION_EMAIL = "mentorship.invitation"


def invitation_key(invitation: Invitation) -> str:
    # Each send (the invitation, each resend) sets a new expiry, so the expiry names the send.
    return f"invitation:{invitation.pk}:{invitation.expires_at.isoformat()}"


def queue_invitation_email(invitation: Invitation) -> None:
    outbox.enqueue(INVITATION_EMAIL, key=invitation_key(invitation), invitation_id=invitation.pk)


def _count_the_send(*, invitation_id: int) -> None:
    services.mark_invitation_sent(invitation_id=invitation_id)


@outbox.sender(INVITATION_EMAIL, label=_("Invitation"), after_sent=_count_the_send)
def invitation_email(*, invitation_id: int) -> EmailMessage | None:
    """The invitation link. A person with an account already gets it in their own language and
    time zone; anybody else in the site's default language. None for invitations no longer open
    (revoked or accepted between recording and sending)."""
    invitation = (
        Invitation.objects.select_related("organisation", "team", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.state != "pending":
        return None
    account = User.objects.filter(email__iexact=invitation.email).first()
    return render_templated_email(
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
