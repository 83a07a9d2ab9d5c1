"""Reads about leads from the contact form."""

from django.db.models import QuerySet

from accounts.models import User
from mentorship import access
from mentorship.models import Inquiry


def open_inquiry_count(user: User) -> int:
    """Leads not yet handled, for an admin's home page
    (`templates/mentorship/includes/home_inquiries.html`); 0 for everybody else. One query."""
    return access.inquiries_visible_to(user).filter(handled_at__isnull=True).count()


def open_inquiries(user: User) -> QuerySet[Inquiry]:
    """Leads not yet handled, the longest waiting first (the admins' queue); none but for admins."""
    return access.inquiries_visible_to(user).filter(handled_at__isnull=True).order_by("created_at", "pk")
