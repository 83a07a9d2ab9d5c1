"""Writes for client organisations, leadership teams, their members and email invitations."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from mentorship.inquiries.convert import open_planned_engagement
from mentorship.models import (
    Invitation,
    InvitationKind,
    LeadershipTeam,
    Organisation,
    OrganisationMember,
    Sponsorship,
    TeamMembership,
    TeamMembershipEvent,
    roster_date,
)


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


def _already_in_team() -> ValidationError:
    return ValidationError({"user": ValidationError(_("This person is already in the team."), code="already_in_team")})


def _record_seat(membership: TeamMembership, kind: str, actor: User | None) -> None:
    TeamMembershipEvent.objects.create(
        membership=membership, kind=kind, actor=actor, joined_on=membership.joined_on, left_on=membership.left_on
    )


@transaction.atomic
def add_team_member(
    *,
    team: LeadershipTeam,
    user: User,
    title: str = "",
    joined_on: datetime.date | None = None,
    actor: User | None = None,
) -> TeamMembership:
    """Put a member of the team's organisation in the team from `joined_on` (today by default).
    A person of another organisation never joins; without a title the person's title at the
    organisation is used. Someone who left comes back with a new seat: the old one keeps their
    earlier sessions."""
    membership = OrganisationMember.objects.filter(user=user).first()
    if membership is None or membership.organisation_id != team.organisation_id:
        raise ValidationError(
            {
                "user": ValidationError(
                    _("Only members of this organisation can join its leadership team."), code="not_a_member"
                )
            }
        )
    joined_on = joined_on or roster_date()
    seats = TeamMembership.objects.filter(team=team, user=user)
    if seats.filter(left_on__isnull=True).exists():
        raise _already_in_team()
    if seats.filter(left_on__gt=joined_on).exists():
        raise ValidationError(
            {
                "joined_on": ValidationError(
                    _("This person was still in the team then. Pick a day after they left."), code="overlaps"
                )
            }
        )
    try:
        with transaction.atomic():
            seat = TeamMembership.objects.create(
                team=team, user=user, title=title or membership.title, joined_on=joined_on
            )
    except IntegrityError:
        raise _already_in_team() from None
    _record_seat(seat, TeamMembershipEvent.Kind.JOINED, actor)
    return seat


@transaction.atomic
def change_team_membership(
    *,
    membership: TeamMembership,
    title: str,
    joined_on: datetime.date,
    left_on: datetime.date | None,
    actor: User | None = None,
) -> TeamMembership:
    """Change a seat's title and dates; a change of dates goes into its history."""
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if left_on is not None and left_on <= joined_on:
        raise ValidationError(
            {"left_on": ValidationError(_("The last day must come after the first."), code="left_before_joined")}
        )
    other_seats = TeamMembership.objects.filter(team_id=membership.team_id, user_id=membership.user_id).exclude(
        pk=membership.pk
    )
    overlapping = other_seats.filter(Q(left_on__isnull=True) | Q(left_on__gt=joined_on))
    if left_on is not None:
        overlapping = overlapping.filter(joined_on__lt=left_on)
    if overlapping.exists():
        raise ValidationError(
            {"joined_on": ValidationError(_("These dates overlap another time in the team."), code="overlaps")}
        )
    dates_changed = (membership.joined_on, membership.left_on) != (joined_on, left_on)
    membership.title, membership.joined_on, membership.left_on = title, joined_on, left_on
    try:
        with transaction.atomic():
            membership.save(update_fields=["title", "joined_on", "left_on"])
    except IntegrityError:
        raise _already_in_team() from None
    if dates_changed:
        _record_seat(membership, TeamMembershipEvent.Kind.DATES_CHANGED, actor)
    return membership


@transaction.atomic
def remove_team_member(
    *, membership: TeamMembership, actor: User | None = None, left_on: datetime.date | None = None
) -> TeamMembership | None:
    """The person leaves the team on `left_on` (today by default): from that day they are not
    in its sessions, reminders or invites, and the row stays so their past sessions stay theirs.
    A seat that never reached a day of its own (left on or before the day it began) is deleted."""
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    left_on = left_on or roster_date()
    if membership.left_on is not None and membership.left_on <= left_on:
        return membership  # already gone (a double submit)
    if left_on <= membership.joined_on:
        membership.delete()
        return None
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    _record_seat(membership, TeamMembershipEvent.Kind.LEFT, actor)
    return membership


# Invitations ----------------------------------------------------------------------------------


def check_can_invite(*, organisation: Organisation, email: str, kind: str = InvitationKind.MENTEE) -> None:
    """Raise ValidationError (on `email`) when this address cannot be invited to the organisation.
    A member of the organisation (its CEO in the leadership team) may still become its sponsor."""
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
    if kind == InvitationKind.SPONSOR:
        _check_can_sponsor(organisation=organisation, email=email, membership=membership)
        return
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


def _check_can_sponsor(*, organisation: Organisation, email: str, membership: OrganisationMember | None) -> None:
    if membership is not None and membership.organisation_id != organisation.pk:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("This person already belongs to another client organisation."), code="other_organisation"
                )
            }
        )
    if Sponsorship.objects.active().filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _("This person is already a sponsor of this organisation."), code="already_sponsor"
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
    kind: str = InvitationKind.MENTEE,
    invited_by: User,
) -> Invitation:
    """Invite a person by email to join the organisation (and maybe one of its teams) as a
    mentee, or as its sponsor (`kind`; never in a team). The email is recorded with the
    invitation and sent once it commits (core.outbox)."""
    from mentorship.organisations.emails import queue_invitation_email

    email = email.strip().lower()
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError(
            {"team": ValidationError(_("Choose a team of this organisation."), code="other_organisation")}
        )
    if team is not None and kind == InvitationKind.SPONSOR:
        raise ValidationError(
            {"team": ValidationError(_("A sponsor does not join a leadership team."), code="sponsor_in_team")}
        )
    check_can_invite(organisation=organisation, email=email, kind=kind)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation,
                team=team,
                email=email,
                full_name=full_name,
                title=title,
                kind=kind,
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


def _mark_accepted(invitation: Invitation, user: User) -> None:
    if not user.full_name and invitation.full_name:
        user.full_name = invitation.full_name
        user.save(update_fields=["full_name"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


def _accept_as_sponsor(invitation: Invitation, user: User) -> Sponsorship:
    """A sponsor follows the organisation read-only: no membership, no mentee role, no team."""
    membership = OrganisationMember.objects.filter(user=user).first()
    if membership is not None and membership.organisation_id != invitation.organisation_id:
        raise ValidationError(
            _("Your account already belongs to another client organisation."), code="other_organisation"
        )
    sponsorship = Sponsorship.objects.active().filter(organisation=invitation.organisation, user=user).first()
    if sponsorship is None:
        sponsorship = Sponsorship.objects.create(
            organisation=invitation.organisation, user=user, title=invitation.title, invitation=invitation
        )
    _mark_accepted(invitation, user)
    return sponsorship


@transaction.atomic
def revoke_sponsorship(*, sponsorship: Sponsorship, by: User) -> bool:
    """End a sponsorship at once (the portal refuses the person from their next request).
    Returns False when it had already ended (a double submit)."""
    updated = Sponsorship.objects.filter(pk=sponsorship.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    return bool(updated)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> OrganisationMember | Sponsorship:
    """Make `user` a mentee of the invitation's organisation (and team), or its sponsor. The row
    is locked and its state checked again, so a double submit accepts once; the second call raises."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("organisation", "team").get(pk=invitation.pk)
    )
    if invitation.state != "pending":
        raise ValidationError(invitation_state_message(invitation.state), code=invitation.state)
    if user.email.strip().lower() != invitation.email.strip().lower():
        raise ValidationError(
            _("This invitation was sent to another email address than the one you signed in with."), code="other_email"
        )
    if invitation.kind == InvitationKind.SPONSOR:
        return _accept_as_sponsor(invitation, user)
    membership = OrganisationMember.objects.select_for_update().filter(user=user).first()
    if membership is not None and membership.organisation_id != invitation.organisation_id:
        raise ValidationError(
            _("Your account already belongs to another client organisation."), code="other_organisation"
        )
    if membership is None:
        membership = OrganisationMember.objects.create(
            organisation=invitation.organisation, user=user, title=invitation.title
        )
    seated = TeamMembership.objects.filter(team=invitation.team_id, user=user, left_on__isnull=True)
    if invitation.team_id is not None and not seated.exists():
        seat = TeamMembership.objects.create(
            team=invitation.team, user=user, title=invitation.title or membership.title
        )
        _record_seat(seat, TeamMembershipEvent.Kind.JOINED, user)
    user.add_role(Role.MENTEE)
    update_fields = ["is_mentee"]
    if not user.full_name and invitation.full_name:
        user.full_name = invitation.full_name
        update_fields.append("full_name")
    user.save(update_fields=update_fields)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    open_planned_engagement(invitation=invitation, mentee=user)  # a lead made a client: theirs opens now
    return membership
