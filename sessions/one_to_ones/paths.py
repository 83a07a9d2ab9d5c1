"""Where a one-to-one is booked: the member's own page, or the mentor's and admins' for one member."""

from django.urls import reverse

from mentorship.models import Engagement


def one_to_one_booking_path(engagement: Engagement, member_pk: int, *, for_mentor: bool) -> str:
    path = reverse("mentoring_sessions:book-one-to-one", args=[engagement.uuid])
    return f"{path}?member={member_pk}" if for_mentor else path
