"""The task names the previous release queued matching emails under: a message still in the
broker after an upgrade goes through the outbox (`mentorship.matching.emails`) too, under the
same keys, so nothing is sent twice."""

from celery import shared_task

from core import outbox
from mentorship.matching import emails
from mentorship.models import Engagement, MentorAssignment


@shared_task(name="mentorship.tasks.send_assignment_request")
def send_assignment_request(assignment_id: int) -> bool:
    """Send the request now unless it has gone out already or is no longer pending."""
    if not MentorAssignment.objects.filter(pk=assignment_id).exists():
        return False
    key = emails.assignment_request_key(assignment_id)
    return outbox.send_now(emails.ASSIGNMENT_REQUEST, key=key, assignment_id=assignment_id) == "sent"


@shared_task(name="mentorship.tasks.send_mentor_options")
def send_mentor_options(engagement_id: int) -> bool:
    """Send the offer now unless it has gone out already or the choice is no longer open."""
    engagement = Engagement.objects.filter(pk=engagement_id).first()
    if engagement is None:
        return False
    key = emails.mentor_options_key(engagement)
    return outbox.send_now(emails.MENTOR_OPTIONS, key=key, engagement_id=engagement_id) == "sent"
