"""Emails for matching, through the outbox (core.outbox): the request to a mentor, the choice
offered to a mentee, the news that the mentorship has started (to the mentee, or every member of
the team) and that a mentor declined (to every consultancy admin, with the reason; and to the
mentee whose own choice it was, who may choose again) — each
recorded with the change that calls for it and sent once, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import outbox
from core.emails import absolute_url, render_templated_email
from mentorship.models import (
    AssignmentStatus,
    Engagement,
    EngagementStatus,
    MentorAssignment,
    MentorOption,
    TeamMembership,
)

ASSIGNMENT_REQUEST = "mentorship.assignment_request"
MENTOR_OPTIONS = "mentorship.mentor_options"
MENTORSHIP_STARTED = "mentorship.mentorship_started"
MENTOR_DECLINED = "mentorship.mentor_declined"
CHOICE_RETURNED = "mentorship.choice_returned"


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


def _mentees_of(engagement: Engagement) -> list[User]:
    """Who the engagement mentors: its mentee, or every current member of its team (active accounts)."""
    if engagement.team_id:
        return [
            membership.user
            for membership in TeamMembership.objects.current()
            .filter(team_id=engagement.team_id, user__is_active=True)
            .select_related("user")
            .order_by("user_id")
        ]
    return [engagement.mentee] if engagement.mentee and engagement.mentee.is_active else []


def queue_mentorship_started(engagement: Engagement) -> int:
    """In the transaction where the mentor accepts: one email to each mentee of the engagement."""
    people = _mentees_of(engagement)
    for person in people:
        outbox.enqueue(
            MENTORSHIP_STARTED,
            key=f"mentorship-started:{engagement.pk}:{person.pk}",
            engagement_id=engagement.pk,
            recipient_id=person.pk,
        )
    return len(people)


@outbox.sender(MENTORSHIP_STARTED, label=_("The mentorship has started"))
def mentorship_started(*, engagement_id: int, recipient_id: int) -> EmailMessage | None:
    """Tell a mentee their mentorship has started, with a link to book the kickoff (for a team,
    the mentor books it). None when it is no longer active or the person no longer in it."""
    engagement = (
        Engagement.objects.select_related("mentor", "mentee", "team", "organisation").filter(pk=engagement_id).first()
    )
    if engagement is None or engagement.status != EngagementStatus.ACTIVE or engagement.mentor is None:
        return None
    recipient = next((person for person in _mentees_of(engagement) if person.pk == recipient_id), None)
    if recipient is None:
        return None
    return render_templated_email(
        to=[recipient.email],
        template="mentorship_started",
        context={
            "recipient": recipient,
            "engagement": engagement,
            "mentor": engagement.mentor,
            "kickoff_days": settings.FIRST_SESSION_DUE_DAYS,
            # Mentees of an individual engagement book themselves; a team's mentor books for it.
            "book_url": None
            if engagement.team_id
            else absolute_url(reverse("mentoring_sessions:book", args=[engagement.uuid])),
            "engagement_url": absolute_url(engagement.get_absolute_url()),
        },
        language=recipient.language,
        time_zone=recipient.time_zone,
    )


def queue_mentor_declined(assignment: MentorAssignment) -> int:
    """In the transaction where the mentor declines: one email to each consultancy admin."""
    admins = list(User.objects.filter(is_consultancy_admin=True, is_active=True).order_by("pk"))
    for admin in admins:
        outbox.enqueue(
            MENTOR_DECLINED,
            key=f"mentor-declined:{assignment.pk}:{admin.pk}",
            assignment_id=assignment.pk,
            recipient_id=admin.pk,
        )
    return len(admins)


@outbox.sender(MENTOR_DECLINED, label=_("A mentor declined"))
def mentor_declined(*, assignment_id: int, recipient_id: int) -> EmailMessage | None:
    """Tell an admin that a mentor said no, and why, so they can ask another."""
    assignment = (
        MentorAssignment.objects.select_related(
            "mentor", "engagement__organisation", "engagement__team", "engagement__mentee"
        )
        .filter(pk=assignment_id, status=AssignmentStatus.DECLINED)
        .first()
    )
    recipient = User.objects.filter(pk=recipient_id, is_active=True, is_consultancy_admin=True).first()
    if assignment is None or recipient is None:
        return None
    engagement = assignment.engagement
    return render_templated_email(
        to=[recipient.email],
        template="mentor_declined",
        context={
            "recipient": recipient,
            "engagement": engagement,
            "mentor": assignment.mentor,
            "reason": assignment.decline_reason,
            # The mentee's own choice: the page now offers them the other mentors again.
            "choice_returned": engagement.mentor_options.filter(
                mentor=assignment.mentor, declined_at__isnull=False
            ).exists(),
            "matching_url": absolute_url(reverse("mentorship:engagement-matching", args=[engagement.uuid])),
        },
        language=recipient.language,
        time_zone=recipient.time_zone,
    )


def queue_choice_returned(option: MentorOption) -> None:
    """In the transaction where the mentee's chosen mentor declines: tell the mentee to choose again."""
    outbox.enqueue(CHOICE_RETURNED, key=f"choice-returned:{option.pk}", option_id=option.pk)


@outbox.sender(CHOICE_RETURNED, label=_("The chosen mentor declined"))
def choice_returned(*, option_id: int) -> EmailMessage | None:
    """Tell the mentee their chosen mentor could not take it on and they can choose again. None
    once the choice is no longer theirs (chosen again, someone asked, the engagement moved on)."""
    from mentorship.matching.services import can_choose

    option = MentorOption.objects.select_related("mentor", "engagement__mentee").filter(pk=option_id).first()
    if option is None or option.declined_at is None or option.engagement.mentee is None:
        return None
    engagement, mentee = option.engagement, option.engagement.mentee
    options = list(engagement.mentor_options.all())
    if not can_choose(engagement, options, engagement.assignments.filter(status=AssignmentStatus.PENDING).exists()):
        return None
    return render_templated_email(
        to=[mentee.email],
        template="choice_returned",
        context={
            "mentee": mentee,
            "mentor": option.mentor,
            "choose_url": absolute_url(reverse("mentorship:engagement-choose-mentor", args=[engagement.uuid])),
        },
        language=mentee.language,
        time_zone=mentee.time_zone,
    )
