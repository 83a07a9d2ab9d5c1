"""Reads about client organisations and invitations."""

from django.utils import timezone

from accounts.models import User
from mentorship import access
from mentorship.models import Invitation


def open_invitation_count(user: User) -> int:
    """Invitations sent and neither accepted, revoked nor expired, for an admin's home page
    (`templates/mentorship/includes/home_organisations.html`); 0 for everybody else. One query."""
    if not access.is_consultancy_admin(user):
        return 0
    return Invitation.objects.open(timezone.now()).count()
