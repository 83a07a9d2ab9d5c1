"""Who may see what in the mentorship domain. The one door: views, selectors, tasks and exports
call these scopers (user → queryset) and fetchers (user, key → object or 404) and never filter
for access on their own.

The rules:
- consultancy admins see the whole consultancy: every organisation, team, engagement, profile;
- a mentor sees the engagements they mentor or are asked to take, and those engagements' mentees;
- a mentee sees their own engagements (their own, or their leadership team's) and organisation;
- nobody outside the consultancy sees another client organisation's people or engagements.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from mentorship.models import (
    AssignmentStatus,
    AuditEntry,
    Contract,
    ContractEvent,
    Engagement,
    EngagementEvent,
    EngagementOutcome,
    FocusArea,
    Inquiry,
    IntakeResponse,
    Invitation,
    LeadershipTeam,
    MentorAssignment,
    MentorOption,
    MentorProfile,
    Organisation,
    Sponsorship,
    TeamMembership,
)


def is_consultancy_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_consultancy_admin)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# Engagements ----------------------------------------------------------------------------------


def engagements_visible_to(user: User) -> QuerySet[Engagement]:
    """Engagements the user may open.

    Admins: all. Mentors: those they mentor, or have a pending request to take. Mentees: their
    individual engagements and those of leadership teams they belong to.
    """
    engagements = Engagement.objects.all()
    if not _active(user):
        return engagements.none()
    if user.is_consultancy_admin:
        return engagements
    return engagements.filter(pk__in=engagement_ids_visible_to(user))


def engagement_ids_visible_to(user: User) -> QuerySet:
    """The ids of `engagements_visible_to(user)` as a subquery, to filter rows of other tables by
    their engagement (`engagement__in=`) without reading the engagements table.

    One SELECT per way of seeing, joined with UNION ALL: each is an index scan (engagements by
    mentor, pending requests by mentor, engagements by mentee, the user's teams' engagements),
    where "mentor = X OR EXISTS (...)" made PostgreSQL read every engagement."""
    if not _active(user):
        return Engagement.objects.none().values("pk")
    if user.is_consultancy_admin:
        return Engagement.objects.values("pk")
    ways = []
    if user.is_mentor:
        ways += [
            Engagement.objects.filter(mentor=user).values("pk"),
            MentorAssignment.objects.filter(mentor=user, status=AssignmentStatus.PENDING).values("engagement"),
        ]
    if user.is_mentee:
        ways += [
            Engagement.objects.filter(mentee=user).values("pk"),
            Engagement.objects.filter(team__in=TeamMembership.objects.filter(user=user).values("team")).values("pk"),
        ]
    if not ways:
        return Engagement.objects.none().values("pk")
    first, *others = (way.order_by() for way in ways)
    return first.union(*others, all=True)


def get_engagement_for(user: User, engagement_uuid) -> Engagement:
    """The engagement with this UUID if the user may see it; 404 otherwise (also for outsiders)."""
    return get_object_or_404(
        engagements_visible_to(user).select_related("organisation", "mentee", "team", "mentor"), uuid=engagement_uuid
    )


def get_engagement_for_admin(user: User, engagement_uuid) -> Engagement:
    """For management actions: admins only; everybody else gets 404."""
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(
        Engagement.objects.select_related("organisation", "mentee", "team", "mentor"), uuid=engagement_uuid
    )


def is_engagement_mentee(user: User, engagement: Engagement) -> bool:
    """True for the engagement's mentee, or any member of its leadership team."""
    if not _active(user) or not user.is_mentee:
        return False
    if engagement.mentee_id is not None:
        return engagement.mentee_id == user.pk
    return TeamMembership.objects.filter(team_id=engagement.team_id, user=user).exists()


def is_team_coordinator(user: User, engagement: Engagement) -> bool:
    """The member an admin chose as the team's coordinator, while they are in the team."""
    return (
        _active(user)
        and engagement.team_id is not None
        and engagement.coordinator_id == user.pk
        and TeamMembership.objects.current().filter(team_id=engagement.team_id, user=user).exists()
    )


def is_engagement_mentor(user: User, engagement: Engagement) -> bool:
    return _active(user) and user.is_mentor and engagement.mentor_id == user.pk


def intake_responses_visible_to(user: User, engagement: Engagement) -> QuerySet[IntakeResponse]:
    """Intake answers: admins and the engagement's mentor see all; a mentee sees only their own."""
    responses = IntakeResponse.objects.filter(engagement=engagement)
    if is_consultancy_admin(user) or is_engagement_mentor(user, engagement):
        return responses
    if is_engagement_mentee(user, engagement):
        return responses.filter(mentee=user)
    return responses.none()


# Assignments and options ----------------------------------------------------------------------


def get_pending_assignment_for_mentor(user: User, assignment_pk: int) -> MentorAssignment:
    """A request to take an engagement, for the mentor it was sent to; 404 for anybody else."""
    if not _active(user) or not user.is_mentor:
        raise Http404
    return get_object_or_404(
        MentorAssignment.objects.select_related("engagement"),
        pk=assignment_pk,
        mentor=user,
        status=AssignmentStatus.PENDING,
    )


def pending_assignments_for_mentor(user: User) -> QuerySet[MentorAssignment]:
    """Requests waiting for this mentor's answer; none for anybody who is not an active mentor."""
    if not _active(user) or not user.is_mentor:
        return MentorAssignment.objects.none()
    return MentorAssignment.objects.filter(mentor=user, status=AssignmentStatus.PENDING)


def mentor_options_visible_to(user: User, engagement: Engagement) -> QuerySet[MentorOption]:
    """The mentors offered for the mentee to choose from: the engagement's mentee(s) and admins."""
    options = MentorOption.objects.filter(engagement=engagement)
    if is_consultancy_admin(user) or is_engagement_mentee(user, engagement):
        return options
    return options.none()


# Organisations and people ---------------------------------------------------------------------


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Admins: all. A mentee: their own organisation. Everybody else: none."""
    if is_consultancy_admin(user):
        return Organisation.objects.all()
    if _active(user) and user.is_mentee:
        return Organisation.objects.filter(members__user=user)
    return Organisation.objects.none()


def get_organisation_for_admin(user: User, organisation_uuid) -> Organisation:
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(Organisation, uuid=organisation_uuid)


def get_team_for_admin(user: User, team_uuid) -> LeadershipTeam:
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(LeadershipTeam.objects.select_related("organisation"), uuid=team_uuid)


def get_team_for(user: User, team_uuid) -> LeadershipTeam:
    """The team page: consultancy admins, and the mentor of one of the team's engagements (who
    sees its roster and attendance, not the admin's actions); 404 for everybody else."""
    if not _active(user):
        raise Http404
    teams = LeadershipTeam.objects.select_related("organisation")
    if not user.is_consultancy_admin:
        if not user.is_mentor:
            raise Http404
        teams = teams.filter(pk__in=Engagement.objects.filter(mentor=user, team__isnull=False).values("team"))
    return get_object_or_404(teams, uuid=team_uuid)


def get_invitation_for_admin(user: User, invitation_pk: int) -> Invitation:
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(Invitation.objects.select_related("organisation", "team"), pk=invitation_pk)


def get_team_membership_for_admin(user: User, team_uuid, membership_pk: int) -> TeamMembership:
    """A member's place in a leadership team, for admins managing that team; 404 for everybody
    else, and 404 when the membership belongs to another team than the one in the URL."""
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(
        TeamMembership.objects.select_related("team__organisation", "user"), pk=membership_pk, team__uuid=team_uuid
    )


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation a link in an email points at. The token is the secret, so anybody holding
    it may see what the invitation is (organisation, team, who invited); 404 for an unknown token.
    Whether the visitor may accept it is decided by `accept_invitation` (the email must match)."""
    return get_object_or_404(Invitation.objects.select_related("organisation", "team", "invited_by"), token=token)


def mentees_visible_to(user: User) -> QuerySet[User]:
    """People on the client side the user may see: admins all mentees; a mentor the mentees of
    engagements they mentor (team members included); a mentee only themselves."""
    mentees = User.objects.filter(is_mentee=True)
    if is_consultancy_admin(user):
        return mentees
    if not _active(user):
        return mentees.none()
    condition = Q(pk=user.pk) if user.is_mentee else Q(pk__in=[])
    if user.is_mentor:
        mentored = engagements_visible_to(user)
        condition |= Q(pk__in=mentored.values("mentee")) | Q(team_memberships__team__in=mentored.values("team"))
    return mentees.filter(pk__in=User.objects.filter(condition).values("pk"))


# Mentor profiles -----------------------------------------------------------------------------


def mentor_profiles_visible_to(user: User) -> QuerySet[MentorProfile]:
    """Admins: all. A mentor: their own. A mentee: the mentors of their engagements and the
    mentors offered to them to choose from."""
    profiles = MentorProfile.objects.all()
    if is_consultancy_admin(user):
        return profiles
    if not _active(user):
        return profiles.none()
    condition = Q(user=user) if user.is_mentor else Q(pk__in=[])
    if user.is_mentee:
        own = engagements_visible_to(user)
        offered = MentorOption.objects.filter(engagement__in=own).values("mentor")
        condition |= Q(user__in=own.exclude(mentor=None).values("mentor")) | Q(user__in=offered)
    return profiles.filter(condition)


def get_mentor_profile_for(user: User, mentor_pk: int) -> MentorProfile:
    """A mentor's profile by the mentor's user id, if the viewer may see it; 404 otherwise."""
    return get_object_or_404(mentor_profiles_visible_to(user).select_related("user"), user_id=mentor_pk)


# Inquiries (leads from the public contact form) ------------------------------------------------


def inquiries_visible_to(user: User) -> QuerySet[Inquiry]:
    """Leads: consultancy admins see all of them; nobody else sees any (they hold outsiders'
    names, addresses and messages)."""
    if is_consultancy_admin(user):
        return Inquiry.objects.all()
    return Inquiry.objects.none()


def get_inquiry_for_admin(user: User, inquiry_pk: int) -> Inquiry:
    """A lead by id, for consultancy admins; 404 for everybody else."""
    return get_object_or_404(inquiries_visible_to(user), pk=inquiry_pk)


# Focus areas ---------------------------------------------------------------------------------


def get_focus_area_for_admin(user: User, focus_area_pk: int) -> FocusArea:
    """A focus area to manage: admins only (the list is the consultancy's); 404 for anybody else."""
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(FocusArea, pk=focus_area_pk)


# Engagement history ----------------------------------------------------------------------------


def engagement_events_visible_to(user: User, engagement: Engagement) -> QuerySet[EngagementEvent]:
    """The history of an engagement the user may already see (fetch it with get_engagement_for).

    Admins see every event. Everybody else (its mentor, its mentees) sees all but the asking and
    declining of mentors: which mentors were asked and why they declined stays with the consultancy.
    """
    events = EngagementEvent.objects.filter(engagement=engagement)
    if is_consultancy_admin(user):
        return events
    if not _active(user):
        return events.none()
    return events.exclude(kind__in=[EngagementEvent.Kind.MENTOR_ASSIGNED, EngagementEvent.Kind.MENTOR_DECLINED])


def engagement_outcome_for(user: User, engagement: Engagement) -> EngagementOutcome | None:
    """The recorded outcome of an engagement the user may already see (fetch it with
    get_engagement_for): its mentor, its mentees and admins all read it."""
    if not (is_consultancy_admin(user) or _active(user)):
        return None
    return EngagementOutcome.objects.filter(engagement=engagement).select_related("recorded_by").first()


# Audit log -------------------------------------------------------------------------------------


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """The audit log (who opened or took out what): consultancy admins read all of it; nobody
    else reads any. Nobody edits it: there is no view for that, and the Django admin is read-only."""
    if is_consultancy_admin(user):
        return AuditEntry.objects.all()
    return AuditEntry.objects.none()


# Contracts -------------------------------------------------------------------------------------


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    """Contracts (what was sold, at what price, on what terms): consultancy admins see all of
    them; nobody else sees any. Mentors and mentees see only the usage of their own engagements
    (sessions.usage), never a contract, its reference or its money."""
    if is_consultancy_admin(user):
        return Contract.objects.all()
    return Contract.objects.none()


def get_contract_for_admin(user: User, contract_uuid) -> Contract:
    """A contract by UUID, for consultancy admins; 404 for everybody else."""
    return get_object_or_404(contracts_visible_to(user).select_related("organisation"), uuid=contract_uuid)


def contract_events_visible_to(user: User, contract: Contract) -> QuerySet[ContractEvent]:
    """A contract's history: admins only, like the contract itself."""
    if is_consultancy_admin(user):
        return ContractEvent.objects.filter(contract=contract)
    return ContractEvent.objects.none()


# Sponsors ---------------------------------------------------------------------------------------


def is_sponsor(user: User) -> bool:
    """Whether the user holds an active sponsor seat at any client organisation (one query)."""
    return _active(user) and Sponsorship.objects.active().filter(user=user).exists()


def sponsored_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations the user is an active sponsor of; none for everybody else. A revoked seat
    counts no more from the next request."""
    if not _active(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=Sponsorship.objects.active().filter(user=user).values("organisation"))


def sponsorships_of_organisation(user: User, organisation: Organisation) -> QuerySet[Sponsorship]:
    """The organisation's active sponsor seats, for admins; none for everybody else."""
    if not is_consultancy_admin(user):
        return Sponsorship.objects.none()
    return Sponsorship.objects.active().filter(organisation=organisation).order_by("user__full_name", "user__email")


def get_sponsorship_for_admin(user: User, sponsorship_pk: int) -> Sponsorship:
    """Admins only; everybody else gets 404."""
    if not is_consultancy_admin(user):
        raise Http404
    return get_object_or_404(Sponsorship.objects.select_related("user", "organisation"), pk=sponsorship_pk)
