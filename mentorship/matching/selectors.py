"""Reads about matching: a mentor's open requests, and the proposed engagements that wait on
the consultancy (declined, without a mentor, a choice not made)."""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from mentorship import access
from mentorship.matching.scoring import LOAD_STATUSES
from mentorship.models import AssignmentStatus, Engagement, EngagementStatus, MentorAssignment, MentorOption

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


# The admins' "needs attention" queue (`overview/attention.py`): proposed engagements that wait on
# the consultancy. Each list is a queryset the caller cuts, so the home page reads a few rows and
# the "see all" page one page of them; the three never overlap.


def _waiting_on_the_consultancy(user: User) -> QuerySet[Engagement]:
    """Proposed engagements nobody is answering for now (no mentor's answer pending); none but
    for admins."""
    if not access.is_consultancy_admin(user):
        return Engagement.objects.none()
    pending = MentorAssignment.objects.filter(engagement=OuterRef("pk"), status=AssignmentStatus.PENDING)
    return (
        access.engagements_visible_to(user)
        .filter(status=EngagementStatus.PROPOSED)
        .exclude(Exists(pending))
        .select_related("organisation", "mentee", "team")
    )


def _declines() -> QuerySet[MentorAssignment]:
    return MentorAssignment.objects.filter(engagement=OuterRef("pk"), status=AssignmentStatus.DECLINED)


def declined_engagements(user: User) -> QuerySet[Engagement]:
    """A mentor said no and nobody has been asked since (nor chosen by the mentee): the latest
    decline first, with who declined, why and whether the choice went back to the mentee."""
    latest = _declines().order_by("-responded_at", "-pk")
    return (
        _waiting_on_the_consultancy(user)
        .filter(Exists(_declines()))
        .annotate(
            declined_at=Subquery(latest.values("responded_at")[:1]),
            declined_by_name=Subquery(latest.values("mentor__full_name")[:1]),
            declined_by_email=Subquery(latest.values("mentor__email")[:1]),
            decline_reason=Subquery(latest.values("decline_reason")[:1]),
            choice_returned=Exists(MentorOption.objects.filter(engagement=OuterRef("pk"), declined_at__isnull=False)),
        )
        .order_by("-declined_at", "pk")
    )


def engagements_without_mentor(user: User) -> QuerySet[Engagement]:
    """Nobody asked yet and no choice offered to the mentee: the earliest start first."""
    return (
        _waiting_on_the_consultancy(user)
        .exclude(Exists(_declines()))
        .exclude(Exists(MentorOption.objects.filter(engagement=OuterRef("pk"))))
        .order_by("start_date", "created_at", "pk")
    )


def choice_stuck_after_days() -> int:
    return settings.MENTOR_CHOICE_STUCK_DAYS


def stuck_choices(user: User, *, now: datetime.datetime | None = None) -> QuerySet[Engagement]:
    """Mentors offered to the mentee more than `MENTOR_CHOICE_STUCK_DAYS` ago and no choice made
    (nor a decline since): the longest waiting first."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=choice_stuck_after_days())
    offered = MentorOption.objects.filter(engagement=OuterRef("pk"))
    return (
        _waiting_on_the_consultancy(user)
        .exclude(Exists(_declines()))
        .filter(Exists(offered.filter(created_at__lte=cutoff)))
        .annotate(offered_at=Subquery(offered.order_by("created_at").values("created_at")[:1]))
        .order_by("offered_at", "pk")
    )
