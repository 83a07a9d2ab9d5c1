"""Client organisations, leadership teams, their members and invitations (consultancy admins),
plus the public page where an invited person accepts."""

import uuid
from urllib.parse import quote

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role, User
from accounts.signup import SIGNUP_NAME_SESSION_KEY
from mentorship import access
from mentorship.models import Invitation, LeadershipTeam, OrganisationMember, TeamMembership, open_invitation_condition
from mentorship.organisations import selectors, services
from mentorship.organisations import team_paste as team_paste_service
from mentorship.organisations.forms import (
    InvitationForm,
    LeadershipTeamForm,
    OrganisationForm,
    TeamMemberAddForm,
    TeamMembershipForm,
    TeamPasteForm,
)
from mentorship.signals import INVITATION_SESSION_KEY

admin_required = role_required(Role.CONSULTANCY_ADMIN)


def _form_errors_from(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Organisations --------------------------------------------------------------------------------


@admin_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_visible_to(request.user).annotate(
        member_count=Count("members", distinct=True),
        team_count=Count("teams", distinct=True),
        pending_invitation_count=Count(
            "invitations", filter=open_invitation_condition(timezone.now(), "invitations__"), distinct=True
        ),
    )
    return render(request, "mentorship/organisations/organisation_list.html", {"organisations": organisations})


@admin_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.save_organisation(organisation=form.instance)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect("mentorship:organisation-detail", organisation.uuid)
    return render(request, "mentorship/organisations/organisation_form.html", {"form": form})


@admin_required
def organisation_edit(request: HttpRequest, organisation_uuid) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_organisation(organisation=form.instance)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("mentorship:organisation-detail", organisation.uuid)
    context = {"form": form, "organisation": organisation}
    return render(request, "mentorship/organisations/organisation_form.html", context)


@admin_required
def organisation_detail(request: HttpRequest, organisation_uuid) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
    members = (
        OrganisationMember.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    teams = LeadershipTeam.objects.filter(organisation=organisation).annotate(
        member_count=Count("memberships", filter=Q(memberships__in=TeamMembership.objects.current()))
    )
    invitations = Invitation.objects.filter(organisation=organisation).select_related("team").order_by("-created_at")
    sponsorships = access.sponsorships_of_organisation(request.user, organisation).select_related("user")
    context = {
        "organisation": organisation,
        "members": members,
        "teams": teams,
        "invitations": invitations,
        "sponsorships": sponsorships,
    }
    return render(request, "mentorship/organisations/organisation_detail.html", context)


# Leadership teams -----------------------------------------------------------------------------


@admin_required
def team_create(request: HttpRequest, organisation_uuid) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
    form = LeadershipTeamForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.save_team(team=form.instance)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The leadership team was added."))
            return redirect("mentorship:team-detail", team.uuid)
    context = {"form": form, "organisation": organisation}
    return render(request, "mentorship/organisations/team_form.html", context)


@admin_required
def team_paste(request: HttpRequest, organisation_uuid) -> HttpResponse:
    """A team with all its members in one step: paste, preview each row, confirm (all or nothing)."""
    organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
    form = TeamPasteForm(request.POST or None, organisation=organisation)
    rows = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["rows"]
        try:
            rows = team_paste_service.preview(organisation=organisation, text=text)
            if request.POST.get("action") == "confirm":
                team, invitations = team_paste_service.create_team_with_invitations(
                    organisation=organisation, name=form.cleaned_data["name"], text=text, invited_by=request.user
                )
                messages.success(
                    request,
                    _("The team %(name)s was added and %(count)d invitations were sent.")
                    % {"name": team.name, "count": len(invitations)},
                )
                return redirect("mentorship:team-detail", team.uuid)
        except ValidationError as error:
            _form_errors_from(form, error)
    context = {
        "form": form,
        "organisation": organisation,
        "rows": rows,
        "can_confirm": bool(rows) and all(row.ok for row in rows) and not form.errors,
    }
    return render(request, "mentorship/organisations/team_paste.html", context)


@admin_required
def team_edit(request: HttpRequest, team_uuid) -> HttpResponse:
    team = access.get_team_for_admin(request.user, team_uuid)
    form = LeadershipTeamForm(request.POST or None, instance=team, organisation=team.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(team=form.instance)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The leadership team was saved."))
            return redirect("mentorship:team-detail", team.uuid)
    context = {"form": form, "organisation": team.organisation, "team": team}
    return render(request, "mentorship/organisations/team_form.html", context)


def _render_team_detail(request: HttpRequest, team: LeadershipTeam, add_form: TeamMemberAddForm) -> HttpResponse:
    is_admin = access.is_consultancy_admin(request.user)
    invitations = (
        Invitation.objects.open(timezone.now()).filter(team=team).select_related("team").order_by("-created_at")
        if is_admin
        else []
    )
    context = {
        "team": team,
        "organisation": team.organisation,
        "memberships": selectors.team_roster(team),
        "invitations": invitations,
        "add_form": add_form,
        "is_admin": is_admin,
    }
    return render(request, "mentorship/organisations/team_detail.html", context)


@login_required
def team_detail(request: HttpRequest, team_uuid) -> HttpResponse:
    """Admins manage the team here; the mentor of one of its engagements sees the roster and
    each member's attendance."""
    team = access.get_team_for(request.user, team_uuid)
    if request.method not in ("GET", "HEAD"):  # after the fetch: outsiders get 404 whatever the method
        return HttpResponseNotAllowed(["GET", "HEAD"])
    add_form = TeamMemberAddForm(team=team) if access.is_consultancy_admin(request.user) else None
    return _render_team_detail(request, team, add_form)


@admin_required
@require_POST
def team_member_add(request: HttpRequest, team_uuid) -> HttpResponse:
    team = access.get_team_for_admin(request.user, team_uuid)
    form = TeamMemberAddForm(request.POST, team=team)
    if form.is_valid():
        try:
            membership = services.add_team_member(
                team=team,
                user=form.cleaned_data["user"],
                title=form.cleaned_data["title"],
                joined_on=form.cleaned_data["joined_on"],
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("%(name)s joined the team.") % {"name": membership.user.display_name})
            return redirect("mentorship:team-detail", team.uuid)
    return _render_team_detail(request, team, form)


@admin_required
def team_member_edit(request: HttpRequest, team_uuid, membership_pk: int) -> HttpResponse:
    membership = access.get_team_membership_for_admin(request.user, team_uuid, membership_pk)
    form = TeamMembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_team_membership(
                membership=membership,
                title=form.cleaned_data["title"],
                joined_on=form.cleaned_data["joined_on"],
                left_on=form.cleaned_data["left_on"],
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("mentorship:team-detail", membership.team.uuid)
    context = {"form": form, "membership": membership, "team": membership.team}
    return render(request, "mentorship/organisations/team_member_form.html", context)


@admin_required
@require_POST
def team_member_remove(request: HttpRequest, team_uuid, membership_pk: int) -> HttpResponse:
    membership = access.get_team_membership_for_admin(request.user, team_uuid, membership_pk)
    services.remove_team_member(membership=membership, actor=request.user)
    messages.success(request, _("%(name)s left the team.") % {"name": membership.user.display_name})
    return redirect("mentorship:team-detail", membership.team.uuid)


# Invitations ----------------------------------------------------------------------------------


@admin_required
def invitation_create(request: HttpRequest, organisation_uuid) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
    initial = {"team": _team_from_query(organisation, request.GET.get("team"))}
    form = InvitationForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_person(organisation=organisation, invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("mentorship:organisation-detail", organisation.uuid)
    context = {"form": form, "organisation": organisation, "expiry_days": services.invitation_expiry_days()}
    return render(request, "mentorship/organisations/invitation_form.html", context)


def _team_from_query(organisation, value: str | None) -> LeadershipTeam | None:
    """The team preselected by `?team=<uuid>` (the team page links here), if it is the organisation's."""
    try:
        team_uuid = uuid.UUID(value or "")
    except ValueError:
        return None
    return LeadershipTeam.objects.filter(organisation=organisation, uuid=team_uuid).first()


@admin_required
@require_POST
def invitation_resend(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    invitation = access.get_invitation_for_admin(request.user, invitation_pk)
    try:
        services.resend_invitation(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was sent again.") % {"email": invitation.email})
    return redirect("mentorship:organisation-detail", invitation.organisation.uuid)


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_revoke(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    """GET asks, on a page that says what will happen; POST revokes."""
    invitation = access.get_invitation_for_admin(request.user, invitation_pk)
    if request.method != "POST":
        if invitation.state in ("pending", "expired"):
            return render(request, "mentorship/organisations/invitation_revoke.html", {"invitation": invitation})
        if invitation.state == "accepted":
            messages.info(request, _("This invitation has already been accepted and cannot be revoked."))
        else:
            messages.info(request, _("This invitation was already revoked."))
        return redirect("mentorship:organisation-detail", invitation.organisation.uuid)
    try:
        services.revoke_invitation(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    return redirect("mentorship:organisation-detail", invitation.organisation.uuid)


@admin_required
@require_POST
def sponsorship_revoke(request: HttpRequest, sponsorship_pk: int) -> HttpResponse:
    sponsorship = access.get_sponsorship_for_admin(request.user, sponsorship_pk)
    if services.revoke_sponsorship(sponsorship=sponsorship, by=request.user):
        messages.success(request, _("%(name)s is no longer a sponsor.") % {"name": sponsorship.user.display_name})
    else:
        messages.info(request, _("This sponsor seat had already been revoked."))
    return redirect("mentorship:organisation-detail", sponsorship.organisation.uuid)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link from the invitation email. Anonymous visitors sign up (the email counts as
    verified) or sign in; a signed-in person with the invited address accepts directly."""
    invitation = access.get_invitation_by_token(token)
    context = {
        "invitation": invitation,
        "state_message": services.invitation_state_message(invitation.state),
        "login_url": f"{reverse('account_login')}?{REDIRECT_FIELD_NAME}={quote(request.path)}",
    }
    if invitation.state != "pending":
        return render(request, "mentorship/organisations/invitation_accept.html", context, status=410)
    user = request.user
    email_matches = user.is_authenticated and user.email.lower() == invitation.email.lower()
    context["email_matches"] = email_matches
    context["has_account"] = not user.is_authenticated and User.objects.filter(email__iexact=invitation.email).exists()
    if request.method != "POST":
        return render(request, "mentorship/organisations/invitation_accept.html", context)
    if not user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = invitation.token
        request.session[SIGNUP_NAME_SESSION_KEY] = invitation.full_name
        get_adapter().stash_verified_email(request, invitation.email)
        return redirect(reverse("account_signup") + "?email=" + quote(invitation.email))
    if not email_matches:
        return render(request, "mentorship/organisations/invitation_accept.html", context, status=403)
    try:
        services.accept_invitation(invitation=invitation, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentorship:invitation-accept", invitation.token)
    messages.success(request, _("Welcome! You are now part of %(name)s.") % {"name": invitation.organisation.name})
    return redirect("overview:home")
