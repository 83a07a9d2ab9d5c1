"""Signal receivers of the mentorship app, connected in MentorshipConfig.ready()."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.models import Invitation
from mentorship.organisations import services

logger = logging.getLogger(__name__)

# The session key under which an anonymous visitor's invitation waits for their signup.
INVITATION_SESSION_KEY = "mentorship_invitation_token"


def accept_stashed_invitation(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """allauth's `user_signed_up`: a person who came from an invitation link and signed up with
    the invited address joins the organisation (and team) at once."""
    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(INVITATION_SESSION_KEY, None)
    if not token:
        return
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or invitation.email.lower() != user.email.lower():
        return
    try:
        services.accept_invitation(invitation=invitation, user=user)
    except ValidationError as error:
        logger.info("Invitation %s not accepted at signup: %s", invitation.pk, error.messages)
        messages.warning(request, " ".join(error.messages))
        return
    messages.success(request, _("Welcome! You are now part of %(name)s.") % {"name": invitation.organisation.name})
