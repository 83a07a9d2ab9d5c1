"""Sponsors come in through the existing invitation flow: an admin invites a person as sponsor,
the person signs up from the link (or accepts signed in) and becomes the organisation's sponsor,
never a mentee or a member; the admin's organisation page lists sponsors and revokes them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from core.tests.helpers import TEST_PASSWORD
from demo.factories import make_invitation, make_sponsorship
from mentorship.models import Invitation, InvitationKind, OrganisationMember, Sponsorship, TeamMembership
from mentorship.organisations import services

pytestmark = pytest.mark.django_db

SPONSOR_PERSON = {"kind": "sponsor", "email": "Siri.Sponsor@Example.org", "full_name": "Siri Sponsor", "title": "CEO"}


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


def _invite_url(organisation) -> str:
    return reverse("mentorship:invitation-create", args=[organisation.uuid])


def _accept_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/[-\w]+/)", message.body).group(1)


def test_admin_invites_a_sponsor_who_signs_up_from_the_link_and_lands_in_the_portal(
    admin_client, client, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_invite_url(organisation), {**SPONSOR_PERSON, "team": ""})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.kind == InvitationKind.SPONSOR
    assert "as its sponsor" in mail.outbox[0].body
    admin_client.logout()

    signup_url = client.post(_accept_path(mail.outbox[0])).url
    data = {"email": "siri.sponsor@example.org", "full_name": "Siri Sponsor"}
    response = client.post(signup_url, {**data, "password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="siri.sponsor@example.org")
    assert not user.roles  # not a mentee
    assert not OrganisationMember.objects.filter(user=user).exists()
    sponsorship = Sponsorship.objects.get(user=user)
    assert (sponsorship.organisation, sponsorship.title, sponsorship.invitation) == (organisation, "CEO", invitation)
    assert Invitation.objects.get().state == "accepted"
    home = client.get(reverse("overview:home"))
    assert home.status_code == 302
    assert home.url == reverse("sponsors:portal")
    portal = client.get(home.url)
    assert portal.status_code == 200
    assert "Alder Freight AB" in portal.content.decode()


def test_a_signed_in_person_accepts_a_sponsor_invitation_once(client, organisation, user_factory):
    user = user_factory(email="siri.sponsor@example.org")
    invitation = make_invitation(organisation=organisation, email=user.email, kind=InvitationKind.SPONSOR)
    client.force_login(user)
    url = reverse("mentorship:invitation-accept", args=[invitation.token])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 410  # the second submit finds it used
    assert Sponsorship.objects.filter(user=user).count() == 1
    user.refresh_from_db()
    assert not user.is_mentee


def test_a_member_of_the_organisation_may_also_become_its_sponsor(organisation, mentee, consultancy_admin):
    invitation = services.invite_person(
        organisation=organisation, email=mentee.email, full_name="Dave", kind="sponsor", invited_by=consultancy_admin
    )
    services.accept_invitation(invitation=invitation, user=mentee)
    assert Sponsorship.objects.active().filter(user=mentee, organisation=organisation).exists()
    assert mentee.is_mentee  # still a mentee too


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"team": "TEAM"}, "A sponsor does not join a leadership team."),
        ({"email": "erin.outsider@example.org"}, "already belongs to another client organisation"),
        ({"email": "sam.sponsor@example.org"}, "already a sponsor of this organisation"),
        ({"kind": "boss"}, "Select a valid choice"),
    ],
)
def test_bad_sponsor_invitations_are_form_errors(
    admin_client, organisation, team, outsider_mentee, sponsor, data, says
):
    data = {**SPONSOR_PERSON, "team": "", **data}
    if data["team"] == "TEAM":
        data["team"] = team.pk
    response = admin_client.post(_invite_url(organisation), data)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_mentee_invitation_without_a_kind_stays_a_mentee_invitation(admin_client, organisation):
    data = {"email": "nora@example.org", "full_name": "Nora", "title": "", "team": ""}
    assert admin_client.post(_invite_url(organisation), data).status_code == 302
    assert Invitation.objects.get().kind == InvitationKind.MENTEE


def test_the_organisation_page_lists_sponsors_and_revokes_one(admin_client, client, organisation, sponsor):
    page = admin_client.get(reverse("mentorship:organisation-detail", args=[organisation.uuid])).content.decode()
    assert "Sam Sponsor" in page
    seat = Sponsorship.objects.get(user=sponsor)
    url = reverse("mentorship:sponsorship-revoke", args=[seat.pk])
    assert admin_client.post(url).status_code == 302
    assert admin_client.post(url).status_code == 302  # a double submit changes nothing more
    seat.refresh_from_db()
    assert seat.revoked_at is not None
    page = admin_client.get(reverse("mentorship:organisation-detail", args=[organisation.uuid]))
    assert list(page.context["sponsorships"]) == []
    client.force_login(sponsor)
    assert client.get(reverse("sponsors:portal")).status_code == 403  # a revoked sponsor loses access


@pytest.mark.parametrize("person", ["mentee", "mentor", "sponsor", "other_sponsor"])
def test_only_admins_revoke_a_sponsor(client, request, organisation, sponsor, person):
    seat = Sponsorship.objects.get(user=sponsor)
    client.force_login(request.getfixturevalue(person))
    response = client.post(reverse("mentorship:sponsorship-revoke", args=[seat.pk]))
    assert response.status_code in (403, 404)
    seat.refresh_from_db()
    assert seat.revoked_at is None


def test_a_revoked_sponsor_can_be_invited_again(organisation, sponsor, consultancy_admin):
    Sponsorship.objects.filter(user=sponsor).update(revoked_at="2026-11-01T00:00Z")
    services.check_can_invite(organisation=organisation, email=sponsor.email, kind="sponsor")
    make_sponsorship(organisation=organisation, user=sponsor)
    assert Sponsorship.objects.active().filter(user=sponsor).count() == 1
    assert not TeamMembership.objects.filter(user=sponsor).exists()
