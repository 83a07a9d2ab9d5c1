"""Writes for client organisations, leadership teams, their members and email invitations."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from mentorship.models import Invitation, LeadershipTeam, Organisation, OrganisationMember, TeamMembership


def _duplicate_organisation_message() -> str:
    return _("An organisation with this name already exists.")


def _duplicate_team_message() -> str:
    return _("This organisation already has a leadership team with this name.")


def invitation_expiry_days() -> int:
    return getattr(settings, "INVITATION_EXPIRY_DAYS", 14)


def invitation_expiry(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=invitation_expiry_days())


# Organisations and teams ----------------------------------------------------------------------


def save_organisation(*, organisation: Organisation) -> Organisation:
    """Create or update an organisation. The form checks for a duplicate name first; the
    database constraint on Lower(name) catches the race between two admins."""
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise ValidationError({"name": ValidationError(_duplicate_organisation_message(), code="duplicate")}) from None
    return organisation


def save_team(*, team: LeadershipTeam) -> LeadershipTeam:
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise ValidationError({"name": ValidationError(_duplicate_team_message(), code="duplicate")}) from None
    return team


@transaction.atomic
def add_team_member(*, team: LeadershipTeam, user: User, title: str = "") -> TeamMembership:
    """Put a member of the team's organisation in the team. A person of another organisation
    never joins; without a title the person's title at the organisation is used."""
    membership = OrganisationMember.objects.filter(user=user).first()
    if membership is None or membership.organisation_id != team.organisation_id:
        raise ValidationError(
            {
                "user": ValidationError(
                    _("Only members of this organisation can join its leadership team."), code="not_a_member"
                )
            }
        )
    if TeamMembership.objects.filter(team=team, user=user).exists():
        raise ValidationError(
            {"user": ValidationError(_("This person is already in the team."), code="already_in_team")}
        )
    try:
        with transaction.atomic():
            return TeamMembership.objects.create(team=team, user=user, title=title or membership.title)
    except IntegrityError:
        raise ValidationError(
            {"user": ValidationError(_("This person is already in the team."), code="already_in_team")}
        ) from None


def remove_team_member(*, membership: TeamMembership) -> None:
    membership.delete()


# Invitations ----------------------------------------------------------------------------------


def check_can_invite(*, organisation: Organisation, email: str) -> None:
    """Raise ValidationError (on `email`) when this address cannot be invited to the organisation."""
    if Invitation.objects.unanswered().filter(organisation=organisation, email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _("This person already has an open invitation. Resend or revoke it on the organisation page."),
                    code="already_invited",
                )
            }
        )
    membership = OrganisationMember.objects.filter(user__email__iexact=email).first()
    if membership is not None and membership.organisation_id == organisation.pk:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("This person is already a member of this organisation. Add them to a team on the team page."),
                    code="already_a_member",
                )
            }
        )
    if membership is not None:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("This person already belongs to another client organisation."), code="other_organisation"
                )
            }
        )


@transaction.atomic
def invite_person(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    title: str = "",
    team: LeadershipTeam | None = None,
    invited_by: User,
) -> Invitation:
    """Invite a person by email to join the organisation (and maybe one of its teams) as a
    mentee. The email is recorded with the invitation and sent once it commits (core.outbox)."""
    from mentorship.organisations.emails import queue_invitation_email

    email = email.strip().lower()
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError(
            {"team": ValidationError(_("Choose a team of this organisation."), code="other_organisation")}
        )
    check_can_invite(organisation=organisation, email=email)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation,
                team=team,
                email=email,
                full_name=full_name,
                title=title,
                invited_by=invited_by,
                expires_at=invitation_expiry(),
            )
            queue_invitation_email(invitation)
    except IntegrityError:
        # Two admins (or one double click) inviting the same address at the same moment.
        raise ValidationError(
            {"email": ValidationError(_("This person already has an open invitation."), code="already_invited")}
        ) from None
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation) -> Invitation:
    """Send the invitation again with a fresh expiry. Works for pending and expired ones."""
    from mentorship.organisations.emails import queue_invitation_email

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state == "accepted":
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    if invitation.state == "revoked":
        raise ValidationError(_("This invitation was revoked. Invite the person again instead."), code="revoked")
    invitation.expires_at = invitation_expiry()
    invitation.save(update_fields=["expires_at"])
    queue_invitation_email(invitation)
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state == "accepted":
        raise ValidationError(_("This invitation has already been accepted and cannot be revoked."), code="accepted")
    if invitation.state == "revoked":
        raise ValidationError(_("This invitation was already revoked."), code="revoked")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def mark_invitation_sent(*, invitation_id: int) -> None:
    """Count one more send (called by the task after the email went out)."""
    Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now(), send_count=F("send_count") + 1)


def invitation_state_message(state: str) -> str:
    """Why an invitation can no longer be accepted, in words for the person holding the link."""
    messages = {
        "accepted": _("This invitation has already been used."),
        "revoked": _("This invitation was withdrawn by the consultancy."),
        "expired": _("This invitation has expired."),
    }
    return messages.get(state, "")


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> OrganisationMember:
    """Make `user` a mentee of the invitation's organisation (and team). The row is locked and
    its state checked again, so a double submit accepts once; the second call raises."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("organisation", "team").get(pk=invitation.pk)
    )
    if invitation.state != "pending":
        raise ValidationError(invitation_state_message(invitation.state), code=invitation.state)
    if user.email.strip().lower() != invitation.email.strip().lower():
        raise ValidationError(
            _("This invitation was sent to another email address than the one you signed in with."), code="other_email"
        )
    membership = OrganisationMember.objects.select_for_update().filter(user=user).first()
    if membership is not None and membership.organisation_id != invitation.organisation_id:
        raise ValidationError(
            _("Your account already belongs to another client organisation."), code="other_organisation"
        )
    if membership is None:
        membership = OrganisationMember.objects.create(
            organisation=invitation.organisation, user=user, title=invitation.title
        )
    if invitation.team_id is not None:
        TeamMembership.objects.get_or_create(
            team=invitation.team, user=user, defaults={"title": invitation.title or membership.title}
        )
    user.add_role(Role.MENTEE)
    update_fields = ["is_mentee"]
    if not user.full_name and invitation.full_name:
        user.full_name = invitation.full_name
        update_fields.append("full_name")
    user.save(update_fields=update_fields)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
