"""Reads about matching: a mentor's open requests."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from mentorship import access
from mentorship.matching.scoring import LOAD_STATUSES
from mentorship.models import Engagement

# The home page shows this many requests at a time, the oldest first; the rest follow as they are answered.
HOME_REQUEST_LIMIT = 10


def pending_requests_for(mentor: User, *, limit: int = HOME_REQUEST_LIMIT) -> dict:
    """The mentor's unanswered requests to take an engagement, for their home page
    (`templates/mentorship/includes/home_mentor_requests.html`). Keys: `requests`, the oldest
    `limit`, each with the engagement, its organisation, team or mentee and focus areas, and
    `mentor_load`: how many engagements the mentor runs now; `total`, how many wait. Two queries
    (three when more than `limit` wait)."""
    load = (
        Engagement.objects.filter(mentor=OuterRef("mentor"), status__in=LOAD_STATUSES)
        .order_by()
        .values("mentor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    pending = access.pending_assignments_for_mentor(mentor)
    requests = list(
        pending.select_related(
            "engagement__organisation", "engagement__team", "engagement__mentee", "mentor__mentor_profile"
        )
        .prefetch_related("engagement__focus_areas")
        .annotate(mentor_load=Coalesce(Subquery(load), 0))
        .order_by("created_at", "pk")[: limit + 1]
    )
    total = len(requests) if len(requests) <= limit else pending.count()
    return {"requests": requests[:limit], "total": total}
