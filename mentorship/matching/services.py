"""Writes for matching: asking a mentor, the mentor's answer, and the mentee's choice of three.

Every function locks the engagement row first (then its assignments or options), so a double
submit or two people at once are decided one after the other on the committed state; the
partial unique constraint on pending assignments is the last line behind that.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.engagements import services as engagement_services
from mentorship.matching import emails
from mentorship.matching.scoring import ReasonKind, rank_engagement
from mentorship.models import (
    AssignmentStatus,
    Engagement,
    EngagementEvent,
    EngagementStatus,
    MentorAssignment,
    MentorOption,
    MentorProfile,
)

OPTIONS_OFFERED = 3
OPTIONS_NEEDED = 2  # one mentor is no choice


def _locked(engagement_pk: int) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("organisation", "mentee")
        .get(pk=engagement_pk)
    )


def _require_proposed(engagement: Engagement) -> None:
    if engagement.status != EngagementStatus.PROPOSED:
        raise ValidationError(
            _("Only a proposed engagement can get a new mentor; this one is %(status)s.")
            % {"status": EngagementStatus(engagement.status).label.lower()},
            code="not_proposed",
        )


def _require_candidate(mentor: User) -> None:
    if not (mentor.is_active and mentor.is_mentor and MentorProfile.objects.filter(user=mentor).exists()):
        raise ValidationError(
            _("%(name)s cannot be asked: only mentors with a profile take engagements.")
            % {"name": mentor.display_name},
            code="not_a_candidate",
        )


def _withdraw_pending(engagement: Engagement) -> int:
    return MentorAssignment.objects.filter(engagement=engagement, status=AssignmentStatus.PENDING).update(
        status=AssignmentStatus.WITHDRAWN
    )


def _create_pending(*, engagement: Engagement, mentor: User, assigned_by: User) -> MentorAssignment:
    try:
        with transaction.atomic():
            return MentorAssignment.objects.create(engagement=engagement, mentor=mentor, assigned_by=assigned_by)
    except IntegrityError:
        # Only reachable if a pending request appeared despite the lock: say so, don't crash.
        raise ValidationError(
            _("This engagement already waits for a mentor's answer. Reload the page to see who was asked."),
            code="already_pending",
        ) from None


@transaction.atomic
def assign_mentor(*, engagement: Engagement, mentor: User, assigned_by: User) -> MentorAssignment:
    """Ask `mentor` to take the engagement: withdraws an unanswered request to somebody else,
    records the event and emails the mentor. Asking the mentor who was just asked again is an
    error, so a double submit sends one request and one email."""
    locked = _locked(engagement.pk)
    _require_proposed(locked)
    _require_candidate(mentor)
    if MentorAssignment.objects.filter(engagement=locked, mentor=mentor, status=AssignmentStatus.PENDING).exists():
        raise ValidationError(
            _("%(name)s has already been asked and has not answered yet.") % {"name": mentor.display_name},
            code="already_asked",
        )
    _withdraw_pending(locked)
    assignment = _create_pending(engagement=locked, mentor=mentor, assigned_by=assigned_by)
    EngagementEvent.objects.create(
        engagement=locked, kind=EngagementEvent.Kind.MENTOR_ASSIGNED, actor=assigned_by, detail=mentor.display_name
    )
    emails.queue_assignment_request(assignment)
    return assignment


def _locked_pending(assignment: MentorAssignment, mentor: User) -> tuple[Engagement, MentorAssignment]:
    # Engagement first, then the assignment: the same order as assign_mentor, so no deadlock.
    engagement = _locked(assignment.engagement_id)
    locked = MentorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.mentor_id != mentor.pk or locked.status != AssignmentStatus.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."), code="not_pending")
    return engagement, locked


@transaction.atomic
def accept_assignment(*, assignment: MentorAssignment, mentor: User) -> Engagement:
    """The mentor takes the engagement: it becomes active with them as its mentor.

    A mentor at capacity may still accept: an admin chose to ask them, and the mentor knows their
    own calendar best. Capacity steers matching; it does not forbid a yes.
    """
    engagement, locked = _locked_pending(assignment, mentor)
    if engagement.status != EngagementStatus.PROPOSED:
        raise ValidationError(_("This engagement is no longer waiting for a mentor."), code="not_proposed")
    now = timezone.now()
    locked.status, locked.responded_at = AssignmentStatus.ACCEPTED, now
    locked.save(update_fields=["status", "responded_at"])
    engagement.mentor = mentor
    engagement.save(update_fields=["mentor", "updated_at"])
    EngagementEvent.objects.create(
        engagement=engagement, kind=EngagementEvent.Kind.MENTOR_ACCEPTED, actor=mentor, detail=mentor.display_name
    )
    # The lifecycle's own rules (and its status-change event) decide proposed → active.
    engagement = engagement_services.change_status(
        engagement=engagement, to_status=EngagementStatus.ACTIVE, actor=mentor
    )
    emails.queue_mentorship_started(engagement)  # the mentee, or every team member: book the kickoff
    return engagement


@transaction.atomic
def decline_assignment(*, assignment: MentorAssignment, mentor: User, reason: str) -> MentorAssignment:
    """The mentor says no, with a reason the admins see on the matching page. The engagement
    stays proposed, waiting for another mentor."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Please say why, so the consultancy can find the right mentor."), code="required"
                )
            }
        )
    engagement, locked = _locked_pending(assignment, mentor)
    now = timezone.now()
    locked.status, locked.decline_reason, locked.responded_at = AssignmentStatus.DECLINED, reason, now
    locked.full_clean(exclude=["engagement", "mentor", "assigned_by"])
    locked.save(update_fields=["status", "decline_reason", "responded_at"])
    # The mentee's own choice said no: the choice is theirs again, among the others offered.
    returned = MentorOption.objects.filter(
        engagement=engagement, mentor=mentor, chosen_at__isnull=False, declined_at__isnull=True
    ).first()
    if returned is not None:
        returned.declined_at = now
        returned.save(update_fields=["declined_at"])
        emails.queue_choice_returned(returned)  # the mentee: choose again
    EngagementEvent.objects.create(
        engagement=engagement, kind=EngagementEvent.Kind.MENTOR_DECLINED, actor=mentor, detail=reason
    )
    emails.queue_mentor_declined(locked)  # every admin, with the reason
    return locked


def mentee_reasons(match) -> list[str]:
    """What the mentee reads about an offered mentor: the reasons that speak for them, except
    the mentor's load (the consultancy's business, not the mentee's)."""
    return [reason.text for reason in match.reasons_for if reason.kind != ReasonKind.CAPACITY]


@transaction.atomic
def offer_mentor_options(*, engagement: Engagement, offered_by: User) -> list[MentorOption]:
    """Let the mentee choose: the top three of the current ranking become their options (replacing
    any offered before), an unanswered request is withdrawn, and the mentee gets an email.
    Individual engagements only: a whole team cannot make one person's choice."""
    locked = _locked(engagement.pk)
    if locked.is_team:
        raise ValidationError(
            _("A leadership team's mentor is assigned by the consultancy: the choice is offered to one mentee only."),
            code="team",
        )
    _require_proposed(locked)
    # Reasons are stored as text, so write them in the language the mentee reads.
    with translation.override(locked.mentee.language):
        top = rank_engagement(locked).top(OPTIONS_OFFERED)
        rows = [(match.candidate, mentee_reasons(match)) for match in top]
    if len(rows) < OPTIONS_NEEDED:
        raise ValidationError(
            _("Too few mentors are available to offer a choice. Assign a mentor instead."), code="too_few"
        )
    _withdraw_pending(locked)
    MentorOption.objects.filter(engagement=locked).delete()
    options = MentorOption.objects.bulk_create(
        MentorOption(engagement=locked, mentor_id=candidate.mentor_id, rank=position, reasons=reasons)
        for position, (candidate, reasons) in enumerate(rows, start=1)
    )
    if not locked.mentee_chooses:
        locked.mentee_chooses = True
        locked.save(update_fields=["mentee_chooses", "updated_at"])
    EngagementEvent.objects.create(
        engagement=locked,
        kind=EngagementEvent.Kind.OPTIONS_OFFERED,
        actor=offered_by,
        detail=", ".join(candidate.name for candidate, _reasons in rows),
    )
    emails.queue_mentor_options(locked)
    return options


def open_options(options: list[MentorOption]) -> list[MentorOption]:
    """The options still open to the mentee: all but those whose mentor declined after being chosen."""
    return [option for option in options if option.declined_at is None]


def declined_choice(options: list[MentorOption]) -> MentorOption | None:
    """The latest chosen mentor who declined, if any (the mentee's page says so)."""
    declined = [option for option in options if option.declined_at is not None]
    return max(declined, key=lambda option: option.declined_at, default=None)


def can_choose(engagement: Engagement, options: list[MentorOption], has_pending: bool) -> bool:
    """Whether the mentee may still pick: options open, none picked (a chosen mentor who declined
    does not count), nobody asked meanwhile."""
    still_open = open_options(options)
    return (
        engagement.status == EngagementStatus.PROPOSED
        and bool(still_open)
        and not any(option.chosen_at for option in still_open)
        and not has_pending
    )


@transaction.atomic
def choose_mentor(*, engagement: Engagement, option_pk: int, mentee: User) -> MentorAssignment:
    """The mentee picks one of the offered mentors: that mentor is asked (as if by an admin, with
    the mentee as the one who asked). Once only; a second submit is refused."""
    locked = _locked(engagement.pk)
    options = list(MentorOption.objects.select_for_update().filter(engagement=locked).select_related("mentor"))
    if any(option.chosen_at for option in open_options(options)):
        raise ValidationError(_("You have already chosen your mentor."), code="already_chosen")
    has_pending = MentorAssignment.objects.filter(engagement=locked, status=AssignmentStatus.PENDING).exists()
    if not can_choose(locked, options, has_pending):
        raise ValidationError(_("This choice is no longer open. The consultancy will be in touch."), code="closed")
    option = next((option for option in open_options(options) if option.pk == option_pk), None)
    if option is None:
        raise ValidationError(_("Choose one of the mentors offered to you."), code="unknown_option")
    _require_candidate(option.mentor)
    option.chosen_at = timezone.now()
    option.save(update_fields=["chosen_at"])
    assignment = _create_pending(engagement=locked, mentor=option.mentor, assigned_by=mentee)
    EngagementEvent.objects.create(
        engagement=locked, kind=EngagementEvent.Kind.MENTEE_CHOSE, actor=mentee, detail=option.mentor.display_name
    )
    emails.queue_assignment_request(assignment)
    return assignment
