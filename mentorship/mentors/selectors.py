"""Reads about mentors."""

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from mentorship.matching.scoring import LOAD_STATUSES


def mentors_overview() -> QuerySet[User]:
    """Every mentor for the admins' list, with profile, focus areas and current load (active and
    paused engagements) in three queries whatever the number of mentors. Mentors without a
    profile are included: the list shows who still has to write one."""
    return (
        User.objects.filter(is_mentor=True)
        .select_related("mentor_profile")
        .prefetch_related("mentor_profile__focus_areas")
        .annotate(
            active_engagements=Count(
                "engagements_as_mentor", filter=Q(engagements_as_mentor__status__in=LOAD_STATUSES), distinct=True
            )
        )
        .order_by("full_name", "email", "pk")
    )
