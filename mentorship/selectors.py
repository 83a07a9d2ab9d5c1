from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User

from . import access
from .matching import LOAD_STATUSES
from .models import Engagement, EngagementStatus, IntakeResponse, Invitation, MentorAssignment, WorkerHeartbeat


def latest_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-last_seen").first()


# Mentors and their requests ---------------------------------------------------------------------


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


def pending_requests_for(mentor: User) -> list[MentorAssignment]:
    """The mentor's unanswered requests to take an engagement, for their home page
    (`templates/mentorship/includes/home_mentor_requests.html`), oldest first, each with the
    engagement, its organisation, team or mentee and focus areas, and `mentor_load`: how many
    engagements the mentor runs now. A fixed number of queries."""
    load = (
        Engagement.objects.filter(mentor=OuterRef("mentor"), status__in=LOAD_STATUSES)
        .order_by()
        .values("mentor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        access.pending_assignments_for_mentor(mentor)
        .select_related("engagement__organisation", "engagement__team", "engagement__mentee", "mentor__mentor_profile")
        .prefetch_related("engagement__focus_areas")
        .annotate(mentor_load=Coalesce(Subquery(load), 0))
        .order_by("created_at", "pk")
    )


# Inquiries ------------------------------------------------------------------------------------


def open_inquiry_count(user: User) -> int:
    """Leads not yet handled, for an admin's home page
    (`templates/mentorship/includes/home_inquiries.html`); 0 for everybody else. One query."""
    return access.inquiries_visible_to(user).filter(handled_at__isnull=True).count()


# Engagements on the home page -------------------------------------------------------------------


def home_engagements_for(user: User) -> dict[str, list[Engagement]]:
    """Context for `templates/mentorship/includes/home_engagements.html`, in two queries at most.

    `mentee_engagements`: the user's own and their leadership teams' engagements that have not
    ended, each with `has_answered` (whether the user gave their intake answers).
    `mentor_engagements`: the active engagements the user mentors.
    """
    visible = access.engagements_visible_to(user).select_related("organisation", "mentee", "team", "mentor")
    context: dict[str, list[Engagement]] = {"mentee_engagements": [], "mentor_engagements": []}
    if user.is_mentee:
        answered = IntakeResponse.objects.filter(engagement=OuterRef("pk"), mentee=user)
        context["mentee_engagements"] = list(
            visible.filter(Q(mentee=user) | Q(team__memberships__user=user))
            .filter(status__in=[EngagementStatus.PROPOSED, EngagementStatus.ACTIVE, EngagementStatus.PAUSED])
            .annotate(has_answered=Exists(answered))
        )
    if user.is_mentor:
        context["mentor_engagements"] = list(visible.filter(mentor=user, status=EngagementStatus.ACTIVE))
    return context


# Organisations and invitations ------------------------------------------------------------------


def open_invitation_count(user: User) -> int:
    """Invitations sent and neither accepted, revoked nor expired, for an admin's home page
    (`templates/mentorship/includes/home_organisations.html`); 0 for everybody else. One query."""
    if not access.is_consultancy_admin(user):
        return 0
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
