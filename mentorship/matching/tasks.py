"""Background work for matching: the request to a mentor and the choice offered to a mentee."""

import logging

from celery import shared_task
from django.urls import reverse

from core.emails import absolute_url, send_templated_email
from mentorship.models import AssignmentStatus, Engagement, EngagementStatus, MentorAssignment

logger = logging.getLogger(__name__)


@shared_task(name="mentorship.tasks.send_assignment_request")
def send_assignment_request(assignment_id: int) -> bool:
    """Ask the mentor, in their language and time zone, to take an engagement. Skips a request
    that was answered or withdrawn between queueing and sending."""
    assignment = (
        MentorAssignment.objects.select_related(
            "mentor", "assigned_by", "engagement__organisation", "engagement__team", "engagement__mentee"
        )
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or assignment.status != AssignmentStatus.PENDING:
        logger.info("Assignment %s is no longer pending; not sending", assignment_id)
        return False
    engagement, mentor = assignment.engagement, assignment.mentor
    send_templated_email(
        to=[mentor.email],
        template="assignment_request",
        context={
            "mentor": mentor,
            "engagement": engagement,
            "focus_areas": list(engagement.focus_areas.all()),  # names render in the mentor's language
            "chosen_by_mentee": engagement.mentee_id is not None and assignment.assigned_by_id == engagement.mentee_id,
            "engagement_url": absolute_url(engagement.get_absolute_url()),
            "answer_url": absolute_url(reverse("overview:home")),
        },
        language=mentor.language,
        time_zone=mentor.time_zone,
    )
    return True


@shared_task(name="mentorship.tasks.send_mentor_options")
def send_mentor_options(engagement_id: int) -> bool:
    """Tell the mentee they can choose their mentor. Skips an engagement that no longer waits."""
    engagement = Engagement.objects.select_related("mentee", "organisation").filter(pk=engagement_id).first()
    if (
        engagement is None
        or engagement.mentee is None
        or engagement.status != EngagementStatus.PROPOSED
        or not engagement.mentor_options.filter(chosen_at__isnull=True).exists()
    ):
        logger.info("Engagement %s has no open choice; not sending", engagement_id)
        return False
    mentee = engagement.mentee
    send_templated_email(
        to=[mentee.email],
        template="mentor_options",
        context={
            "mentee": mentee,
            "engagement": engagement,
            "option_count": engagement.mentor_options.count(),
            "choose_url": absolute_url(reverse("mentorship:engagement-choose-mentor", args=[engagement.uuid])),
        },
        language=mentee.language,
        time_zone=mentee.time_zone,
    )
    return True
