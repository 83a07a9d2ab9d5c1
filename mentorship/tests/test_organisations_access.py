"""Who may open the organisation, team and invitation pages: consultancy admins (and, for the team
page, the mentor of one of the team's engagements)."""

import datetime
from contextlib import nullcontext

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_invitation, make_team
from mentorship import access
from mentorship.models import Invitation, Organisation, TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(organisation, consultancy_admin):
    return make_invitation(
        organisation=organisation,
        email="fresh.person@example.org",
        full_name="Fresh Person",
        invited_by=consultancy_admin,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )


@pytest.fixture
def targets(organisation, team, invitation):
    return {
        "organisation": organisation.uuid,
        "team": team.uuid,
        "membership": team.memberships.first().pk,
        "invitation": invitation.pk,
    }


ADMIN_PAGES = [
    ("mentorship:organisation-list", ()),
    ("mentorship:organisation-create", ()),
    ("mentorship:organisation-detail", ("organisation",)),
    ("mentorship:organisation-edit", ("organisation",)),
    ("mentorship:team-create", ("organisation",)),
    ("mentorship:invitation-create", ("organisation",)),
    ("mentorship:invitation-resend", ("invitation",)),
    ("mentorship:invitation-revoke", ("invitation",)),
    ("mentorship:team-edit", ("team",)),
    ("mentorship:team-member-add", ("team",)),
    ("mentorship:team-member-edit", ("team", "membership")),
    ("mentorship:team-member-remove", ("team", "membership")),
]
PAGE_IDS = [name.split(":")[1] for name, _args in ADMIN_PAGES]
POST_DATA = {"name": "Hijacked", "email": "x@example.org", "full_name": "X", "title": "Boss"}


def _url(targets, name, args):
    return reverse(name, args=[targets[key] for key in args])


def _snapshot(organisation, team, invitation):
    invitation.refresh_from_db()
    return (
        Organisation.objects.count(),
        Invitation.objects.count(),
        invitation.revoked_at,
        invitation.expires_at,
        TeamMembership.objects.filter(team=team).count(),
        sorted(TeamMembership.objects.values_list("title", flat=True)),
        organisation.teams.count(),
        Organisation.objects.filter(name="Hijacked").exists(),
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=PAGE_IDS)
@pytest.mark.parametrize("who", ["outsider_mentee", "other_mentor", "mentee", "mentor"])
def test_people_who_are_not_consultancy_admins_get_403_and_change_nothing(
    client, request, targets, organisation, team, invitation, name, args, method, who
):
    client.force_login(request.getfixturevalue(who))
    before = _snapshot(organisation, team, invitation)
    response = getattr(client, method)(_url(targets, name, args), POST_DATA)
    assert response.status_code == 403
    assert _snapshot(organisation, team, invitation) == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=PAGE_IDS)
def test_anonymous_visitor_is_sent_to_sign_in(client, targets, organisation, team, invitation, name, args, method):
    before = _snapshot(organisation, team, invitation)
    url = _url(targets, name, args)
    response = getattr(client, method)(url, POST_DATA)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _snapshot(organisation, team, invitation) == before


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=PAGE_IDS)
def test_consultancy_admin_may_open_every_page(client, consultancy_admin, targets, name, args):
    client.force_login(consultancy_admin)
    response = client.get(_url(targets, name, args))
    # Action views accept POST only; revoking asks first on a page of its own.
    expected = 405 if name.endswith(("-resend", "-remove", "-member-add")) else 200
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("mentorship:organisation-detail", ("organisation",)),
        ("mentorship:team-detail", ("team",)),
        ("mentorship:team-member-edit", ("team", "membership")),
    ],
)
def test_unknown_ids_give_404_to_admins(client, consultancy_admin, targets, name, args):
    client.force_login(consultancy_admin)
    missing = {**targets, "organisation": "00000000-0000-0000-0000-000000000000"}
    missing["team"] = "00000000-0000-0000-0000-000000000000"
    assert client.get(_url(missing, name, args)).status_code == 404


def test_membership_of_another_team_is_not_reachable_through_this_team(
    client, consultancy_admin, organisation, team, user_factory
):

    other_team = make_team(organisation=organisation, name="Board")
    membership = team.memberships.first()
    client.force_login(consultancy_admin)
    url = reverse("mentorship:team-member-remove", args=[other_team.uuid, membership.pk])
    assert client.post(url).status_code == 404
    assert TeamMembership.objects.filter(pk=membership.pk).exists()


# The team page: admins, and the mentor of one of the team's engagements -------------------------

TEAM_PAGE_TABLE = [
    ("consultancy_admin", 200),
    ("mentor", 200),  # mentors the team (`team_engagement`)
    ("other_mentor", 404),
    ("mentee", 404),
    ("outsider_mentee", 404),
    ("team_member", 404),
]


@pytest.mark.parametrize(("who", "status"), TEAM_PAGE_TABLE)
def test_who_opens_the_team_page(client, request, team, team_engagement, who, status):
    person = team.memberships.first().user if who == "team_member" else request.getfixturevalue(who)
    client.force_login(person)
    url = reverse("mentorship:team-detail", args=[team.uuid])
    assert client.get(url).status_code == status
    with pytest.raises(Http404) if status == 404 else nullcontext():
        access.get_team_for(person, team.uuid)
    # The page changes nothing: it takes GET only.
    assert client.post(url, POST_DATA).status_code == (405 if status == 200 else 404)


def test_a_mentor_without_an_engagement_of_the_team_does_not_open_its_page(client, mentor, team):
    client.force_login(mentor)
    assert client.get(reverse("mentorship:team-detail", args=[team.uuid])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_from_the_team_page(client, team):
    response = client.get(reverse("mentorship:team-detail", args=[team.uuid]))
    assert response.status_code == 302
    assert "login" in response.url


# The access functions, directly ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider_mentee", "other_mentor", "mentee", "mentor"])
def test_admin_fetchers_refuse_everybody_but_admins(request, team, invitation, who):
    user = request.getfixturevalue(who)
    membership = team.memberships.first()
    with pytest.raises(Http404):
        access.get_team_membership_for_admin(user, team.uuid, membership.pk)
    with pytest.raises(Http404):
        access.get_invitation_for_admin(user, invitation.pk)
    with pytest.raises(Http404):
        access.get_organisation_for_admin(user, team.organisation.uuid)


def test_admin_fetchers_return_the_object_to_admins(consultancy_admin, team, invitation):
    membership = team.memberships.first()
    assert access.get_team_membership_for_admin(consultancy_admin, team.uuid, membership.pk) == membership
    assert access.get_invitation_for_admin(consultancy_admin, invitation.pk) == invitation


def test_invitation_by_token_needs_the_exact_token(invitation):
    assert access.get_invitation_by_token(invitation.token) == invitation
    with pytest.raises(Http404):
        access.get_invitation_by_token(invitation.token[:-1])
