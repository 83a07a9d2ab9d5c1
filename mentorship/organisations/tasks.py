"""The task name the previous release queued invitation emails under: a message still in the
broker after an upgrade goes through the outbox (`mentorship.organisations.emails`) too."""

from celery import shared_task

from core import outbox
from mentorship.models import Invitation
from mentorship.organisations import emails


@shared_task(name="mentorship.tasks.send_invitation_email")
def send_invitation_email(invitation_id: int) -> bool:
    """Send the invitation's current email now, unless it has gone out already or the invitation
    is no longer open. True when this call sent it."""
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return False
    key = emails.invitation_key(invitation)
    return outbox.send_now(emails.INVITATION_EMAIL, key=key, invitation_id=invitation.pk) == "sent"
