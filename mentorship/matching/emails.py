"""Emails for matching, through the outbox (core.outbox): the request to a mentor and the choice
offered to a mentee, each recorded with the change that calls for it and sent once."""

from django.core.mail import EmailMessage
from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.emails import absolute_url, render_templated_email
from mentorship.models import AssignmentStatus, Engagement, EngagementStatus, MentorAssignment

ASSIGNMENT_REQUEST = "mentorship.assignment_request"
MENTOR_OPTIONS = "mentorship.mentor_options"


def assignment_request_key(assignment_id: int) -> str:
    return f"assignment-request:{assignment_id}"


def mentor_options_key(engagement: Engagement) -> str:
    # Each offer replaces the options with new rows: the first new id names the offer.
    first = engagement.mentor_options.aggregate(first=Min("pk"))["first"]
    return f"mentor-options:{engagement.pk}:{first}"


def queue_assignment_request(assignment: MentorAssignment) -> None:
    outbox.enqueue(ASSIGNMENT_REQUEST, key=assignment_request_key(assignment.pk), assignment_id=assignment.pk)


def queue_mentor_options(engagement: Engagement) -> None:
    outbox.enqueue(MENTOR_OPTIONS, key=mentor_options_key(engagement), engagement_id=engagement.pk)


@outbox.sender(ASSIGNMENT_REQUEST, label=_("Request to a mentor"))
def assignment_request(*, assignment_id: int) -> EmailMessage | None:
    """Ask the mentor, in their language and time zone, to take an engagement. None for a request
    answered or withdrawn between recording and sending."""
    assignment = (
        MentorAssignment.objects.select_related(
            "mentor", "assigned_by", "engagement__organisation", "engagement__team", "engagement__mentee"
        )
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or assignment.status != AssignmentStatus.PENDING:
        return None
    engagement, mentor = assignment.engagement, assignment.mentor
    return render_templated_email(
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


@outbox.sender(MENTOR_OPTIONS, label=_("Mentors to choose from"))
def mentor_options(*, engagement_id: int) -> EmailMessage | None:
    """Tell the mentee they can choose their mentor. None for an engagement that no longer waits."""
    engagement = Engagement.objects.select_related("mentee", "organisation").filter(pk=engagement_id).first()
    if (
        engagement is None
        or engagement.mentee is None
        or engagement.status != EngagementStatus.PROPOSED
        or not engagement.mentor_options.filter(chosen_at__isnull=True).exists()
    ):
        return None
    mentee = engagement.mentee
    return render_templated_email(
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
