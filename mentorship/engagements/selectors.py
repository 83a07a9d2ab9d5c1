"""Reads about engagements."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.models import User
from mentorship import access, cadence
from mentorship.engagements.services import CLOSED_STATUSES, allowed_transitions
from mentorship.matching.services import can_choose, declined_choice
from mentorship.models import Engagement, EngagementStatus, IntakeResponse, TeamMembership

# The home page lists this many of each kind; the engagement list has the rest.
HOME_ENGAGEMENT_LIMIT = 10

# The button an admin presses for each move, by (from, to); the status names alone read oddly.
TRANSITION_LABELS = {
    (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE): gettext_lazy("Start the engagement"),
    (EngagementStatus.PAUSED, EngagementStatus.ACTIVE): gettext_lazy("Resume"),
    (EngagementStatus.ACTIVE, EngagementStatus.PAUSED): gettext_lazy("Pause"),
    (EngagementStatus.ACTIVE, EngagementStatus.COMPLETED): gettext_lazy("Mark as completed"),
    (EngagementStatus.PAUSED, EngagementStatus.COMPLETED): gettext_lazy("Mark as completed"),
    (EngagementStatus.PROPOSED, EngagementStatus.CANCELLED): gettext_lazy("Cancel the engagement"),
    (EngagementStatus.ACTIVE, EngagementStatus.CANCELLED): gettext_lazy("Cancel the engagement"),
    (EngagementStatus.PAUSED, EngagementStatus.CANCELLED): gettext_lazy("Cancel the engagement"),
}
DANGER_STATUSES = (EngagementStatus.PAUSED, EngagementStatus.COMPLETED, EngagementStatus.CANCELLED)


def engagement_page(user: User, engagement: Engagement) -> dict[str, Any]:
    """What the engagement page shows of the engagement itself (people, focus areas, cadence,
    intake answers, history, outcome; for a mentee the mentor choice, for admins the lifecycle
    buttons), as this user may see it. The engagement must already be fetched for this user
    (`access.get_engagement_for`). A fixed number of queries."""
    is_admin = access.is_consultancy_admin(user)
    responses = list(
        access.intake_responses_visible_to(user, engagement).select_related("mentee").order_by("mentee__full_name")
    )
    mentor_profile_url = None
    if engagement.mentor_id and access.mentor_profiles_visible_to(user).filter(user_id=engagement.mentor_id).exists():
        mentor_profile_url = reverse("mentorship:mentor-profile", args=[engagement.mentor_id])
    context = {
        "engagement": engagement,
        "is_admin": is_admin,
        "is_mentee": access.is_engagement_mentee(user, engagement),
        "members": list(engagement.team.memberships.current().select_related("user")) if engagement.team_id else [],
        "focus_areas": list(engagement.focus_areas.all()),
        "cadence": cadence.describe(cadence.CadenceRules.of(engagement)),
        "responses": responses,
        "answered": {response.mentee_id for response in responses},
        "sees_all_answers": is_admin or access.is_engagement_mentor(user, engagement),
        "own_response": next((response for response in responses if response.mentee_id == user.pk), None),
        "events": list(access.engagement_events_visible_to(user, engagement).select_related("actor")),
        "outcome": access.engagement_outcome_for(user, engagement),
        "mentor_profile_url": mentor_profile_url,
        "is_closed": engagement.status in CLOSED_STATUSES,
    }
    if context["is_mentee"] and engagement.status == EngagementStatus.PROPOSED:
        options = list(access.mentor_options_visible_to(user, engagement))
        has_pending = engagement.assignments.filter(status="pending").exists()
        context["can_choose_mentor"] = can_choose(engagement, options, has_pending)
        context["declined_choice"] = declined_choice(options)
    if is_admin:
        transitions = allowed_transitions(engagement)
        context["matching_url"] = reverse("mentorship:engagement-matching", args=[engagement.uuid])
        labelled = [
            (target, TRANSITION_LABELS.get((engagement.status, target), EngagementStatus(target).label))
            for target in transitions
        ]
        # Starting or resuming is one click; pausing, completing and cancelling sit apart, in the
        # danger zone, each asking first on a page that says what will happen.
        context["transitions"] = [(target, label) for target, label in labelled if target == EngagementStatus.ACTIVE]
        context["danger_actions"] = [(target, label) for target, label in labelled if target in DANGER_STATUSES]
        context["can_cancel"] = EngagementStatus.CANCELLED in transitions
    return context


def _first(engagements: QuerySet[Engagement], limit: int) -> tuple[list[Engagement], int]:
    """The first `limit` engagements and how many more there are: one query, and a count only
    when there are more than `limit`."""
    rows = list(engagements[: limit + 1])
    if len(rows) <= limit:
        return rows, 0
    return rows[:limit], engagements.count() - limit


def home_engagements_for(user: User, *, limit: int = HOME_ENGAGEMENT_LIMIT) -> dict[str, Any]:
    """Context for `templates/mentorship/includes/home_engagements.html`: at most `limit` of each
    list, in one query per list the user has (and a count when a list has more).

    `mentee_engagements`: the user's own and their leadership teams' engagements that have not
    ended, each with `has_answered` (whether the user gave their intake answers).
    `mentor_engagements`: the active engagements the user mentors.
    `mentee_more`, `mentor_more`: how many of each were left off (the engagement list has them).
    """
    visible = access.engagements_visible_to(user).select_related("organisation", "mentee", "team", "mentor")
    context: dict[str, Any] = {"mentee_engagements": [], "mentor_engagements": [], "mentee_more": 0, "mentor_more": 0}
    if user.is_mentee:
        answered = IntakeResponse.objects.filter(engagement=OuterRef("pk"), mentee=user)
        teams = TeamMembership.objects.current().filter(user=user).values("team")
        own = (
            visible.filter(Q(mentee=user) | Q(team__in=teams))
            .filter(status__in=[EngagementStatus.PROPOSED, EngagementStatus.ACTIVE, EngagementStatus.PAUSED])
            .annotate(has_answered=Exists(answered))
        )
        context["mentee_engagements"], context["mentee_more"] = _first(own, limit)
    if user.is_mentor:
        mentored = visible.filter(mentor=user, status=EngagementStatus.ACTIVE)
        context["mentor_engagements"], context["mentor_more"] = _first(mentored, limit)
    return context
