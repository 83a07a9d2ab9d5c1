"""A person's data, removed: deletion requests and what a completed deletion removes and keeps.
Every deletion is written to the audit log.
What a completed deletion removes, and what it keeps (see `complete_deletion`):
- removed: the person's reflections, feedback, intake answers and the action items they own;
  their individual engagements and their one-to-ones in a team's engagement, with everything in
  them (sessions, ALL notes on those sessions —
  private ones included, as they are written about this person — note history, action items,
  mentor requests and options, history events); their organisation and team memberships, the
  invitations and inquiries that carry their name or email, their email addresses, calendar feed,
  mentor profile, availability and time off, and the private notes they wrote themselves;
- kept: leadership-team engagements and their sessions and notes (they belong to the other
  members too), shared notes they wrote as a mentor on other people's sessions, and the account
  row itself, deactivated and anonymised (engagements they mentor point at it with PROTECT);
- the development plan (progress): the goals that are theirs, their check-ins and their
  progress statement go (through the `accounts.signals.person_erasing` signal);
- the audit log keeps who/what/when, with the person's name and email replaced by their user id.
"""

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import DeletionRequest, User
from accounts.signals import person_erasing
from mentorship import audit
from mentorship.models import (
    AssignmentStatus,
    AuditEntry,
    Engagement,
    EngagementOutcome,
    Inquiry,
    IntakeResponse,
    Invitation,
    MentorAssignment,
    MentorOption,
    MentorProfile,
    OrganisationMember,
    TeamMembership,
)
from sessions.models import (
    ActionItem,
    AvailabilityWindow,
    BookingSettings,
    BusyCalendar,
    CalendarFeed,
    Feedback,
    MentoringSession,
    NoteVisibility,
    Reflection,
    ReminderLog,
    SessionKind,
    SessionNote,
    TimeOff,
)

# Deletion requests -----------------------------------------------------------------------------


def open_request_of(user: User) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(user=user, completed_at__isnull=True).first()


@transaction.atomic
def request_deletion(*, user: User, reason: str = "") -> tuple[DeletionRequest, bool]:
    """Ask for deletion. Returns (request, created): a repeated or concurrent ask returns the one
    open request (the database allows one per person)."""
    existing = open_request_of(user)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            created = DeletionRequest.objects.create(
                user=user, email=user.email, full_name=user.full_name, reason=reason.strip()
            )
    except IntegrityError:
        return DeletionRequest.objects.get(user=user, completed_at__isnull=True), False
    audit.record(
        actor=user,
        action=AuditEntry.Action.DELETION_REQUESTED,
        target=user,
        detail="deletion_request",
        params={"user": user.pk},
    )
    return created, True


def deletion_requests_for_admin(user: User) -> QuerySet[DeletionRequest]:
    """Deletion requests: consultancy admins see all; nobody else sees any."""
    if not (user.is_authenticated and user.is_active and user.is_consultancy_admin):
        return DeletionRequest.objects.none()
    return DeletionRequest.objects.select_related("user", "completed_by")


def individual_engagements_of(person: User) -> QuerySet[Engagement]:
    """Engagements where this person is the one mentee: deleted whole with the person's data."""
    return Engagement.objects.filter(mentee=person)


def _own_one_to_ones(person: User) -> Q:
    """The person's one-to-ones with the mentor of a team they sit in."""
    return Q(kind=SessionKind.ONE_TO_ONE, mentee=person)


def deletion_summary(person: User | None) -> dict[str, int]:
    """How much a deletion would remove, for the admin's confirmation page (counts only: the admin
    learns nothing of what the notes say)."""
    if person is None:
        return {}
    engagements = individual_engagements_of(person)
    sessions = MentoringSession.objects.filter(Q(engagement__in=engagements) | _own_one_to_ones(person))
    return {
        "engagements": engagements.count(),
        "open_engagements": engagements.exclude(status__in=["completed", "cancelled"]).count(),
        "sessions": sessions.count(),
        "upcoming_sessions": sessions.filter(status__in=["requested", "confirmed"], start__gt=timezone.now()).count(),
        "team_memberships": TeamMembership.objects.filter(user=person).count(),
        "reflections": Reflection.objects.filter(author=person).count(),
        "feedback": Feedback.objects.filter(mentee=person).count(),
    }


def anonymous_email(user_id: int) -> str:
    return f"deleted-{user_id}@invalid"


def _anonymise_audit(person: User, engagement_ids: list[int]) -> None:
    """Keep who/what/when in the audit log, but with the person's id in place of their name."""
    marker = f"user #{person.pk} (deleted)"
    AuditEntry.objects.filter(actor=person).update(actor_label=marker)
    # What an entry was about is shown from its code and parameters: they are replaced too.
    AuditEntry.objects.filter(target_type=User._meta.label, target_id=str(person.pk)).update(
        target_label=marker, detail_code="erased_person", detail_params={"user": person.pk}
    )
    AuditEntry.objects.filter(
        target_type=Engagement._meta.label, target_id__in=[str(pk) for pk in engagement_ids]
    ).update(target_label="engagement of " + marker, detail_code="erased_engagement", detail_params={"user": person.pk})


def _erase_person(person: User) -> None:
    person_erasing.send(sender=User, person=person)  # what the apps beside this one hold (progress)
    engagements = individual_engagements_of(person)
    engagement_ids = list(engagements.values_list("pk", flat=True))
    # Everything written about or by the mentee in their own engagements: ALL notes (private ones
    # too), their history, the sessions. Deleted explicitly rather than trusting cascades alone.
    # Their one-to-ones inside a team's engagement are theirs alone, and go the same way.
    sessions = MentoringSession.objects.filter(Q(engagement_id__in=engagement_ids) | _own_one_to_ones(person))
    SessionNote.objects.filter(session__in=sessions).delete()  # revisions cascade
    Reflection.objects.filter(Q(author=person) | Q(session__in=sessions)).delete()
    Feedback.objects.filter(Q(mentee=person) | Q(session__in=sessions)).delete()
    ActionItem.objects.filter(Q(owner=person) | Q(engagement_id__in=engagement_ids)).delete()
    IntakeResponse.objects.filter(Q(mentee=person) | Q(engagement_id__in=engagement_ids)).delete()
    EngagementOutcome.objects.filter(engagement_id__in=engagement_ids).delete()
    sessions.delete()
    engagements.delete()  # assignments, options and events cascade
    # A private note is readable by its author only: with the author gone, nobody may read it.
    SessionNote.objects.filter(author=person, visibility=NoteVisibility.PRIVATE).delete()
    # As a mentor: requests and offers still waiting go; accepted engagements stay (see above).
    MentorAssignment.objects.filter(mentor=person, status=AssignmentStatus.PENDING).delete()
    MentorOption.objects.filter(mentor=person, chosen_at__isnull=True).delete()
    TeamMembership.objects.filter(user=person).delete()
    OrganisationMember.objects.filter(user=person).delete()
    Invitation.objects.filter(Q(accepted_by=person) | Q(email__iexact=person.email)).delete()
    Inquiry.objects.filter(email__iexact=person.email).delete()
    # BusyCalendar: the mentor's own calendar links, with their busy times and conflicts.
    for model in (MentorProfile, AvailabilityWindow, TimeOff, BookingSettings, CalendarFeed, BusyCalendar):
        field = "user" if model in (MentorProfile, CalendarFeed) else "mentor"
        model.objects.filter(**{field: person}).delete()
    ReminderLog.objects.filter(recipient=person).delete()
    EmailAddress.objects.filter(user=person).delete()
    _anonymise_audit(person, engagement_ids)
    # Engagements this person mentors point at the account with PROTECT: keep the row, empty it.
    person.email = anonymous_email(person.pk)
    person.full_name = ""
    person.set_unusable_password()  # also ends every signed-in browser session
    person.is_active = person.is_staff = person.is_superuser = False
    person.is_mentee = person.is_mentor = person.is_consultancy_admin = False
    person.last_login = None
    person.save()
    person.groups.clear()
    person.user_permissions.clear()


@transaction.atomic
def complete_deletion(*, deletion_request: DeletionRequest, by: User) -> bool:
    """Delete the person's data (see the module docstring) and close the request, in one
    transaction. Returns False, changing nothing, when the request was already completed."""
    current = DeletionRequest.objects.select_for_update().get(pk=deletion_request.pk)
    if current.completed_at is not None:
        return False
    if current.user_id is not None and current.user_id == by.pk:
        raise ValidationError(_("Another consultancy admin must complete your own request."), code="own_request")
    person = User.objects.select_for_update().filter(pk=current.user_id).first()
    if person is not None:
        _erase_person(person)
    # The request itself keeps only when it was asked and completed, and by which user id.
    current.email = anonymous_email(current.user_id or 0)
    current.full_name = ""
    current.reason = ""
    current.completed_at = timezone.now()
    current.completed_by = by
    current.save()
    if current.user_id is not None:  # earlier requests of the same person, if any
        DeletionRequest.objects.filter(user_id=current.user_id).exclude(pk=current.pk).update(
            email=current.email, full_name="", reason=""
        )
    audit.record(
        actor=by,
        action=AuditEntry.Action.DELETED,
        target=person,
        detail="deleted_user_data" if current.user_id else "deleted_request",
        params={"user": current.user_id} if current.user_id else {"request": current.pk},
    )
    deletion_request.completed_at, deletion_request.completed_by = current.completed_at, by
    return True


def home_admin_context(user: User) -> dict[str, Any]:
    """For the admin home page partial `privacy/includes/home_data.html`."""
    return {"open_deletion_requests": deletion_requests_for_admin(user).filter(completed_at__isnull=True).count()}
