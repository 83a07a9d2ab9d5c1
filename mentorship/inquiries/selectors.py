"""Reads about leads from the contact form."""

from accounts.models import User
from mentorship import access


def open_inquiry_count(user: User) -> int:
    """Leads not yet handled, for an admin's home page
    (`templates/mentorship/includes/home_inquiries.html`); 0 for everybody else. One query."""
    return access.inquiries_visible_to(user).filter(handled_at__isnull=True).count()
