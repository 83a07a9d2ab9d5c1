"""Inviting people by email, resending, revoking, and accepting (with or without an account)."""

import datetime
import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.signup import SIGNUP_NAME_SESSION_KEY
from core.tests.helpers import TEST_PASSWORD
from demo.factories import make_invitation, make_member, make_team
from mentorship.models import Invitation, OrganisationMember, TeamMembership
from mentorship.organisations import services
from mentorship.signals import INVITATION_SESSION_KEY

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

NEW_PERSON = {"email": "Nora.New@Example.org", "full_name": "Nora New", "title": "CTO", "team": ""}


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


@pytest.fixture
def invite(organisation, consultancy_admin, django_capture_on_commit_callbacks):
    """Invite through the service, running the email task as after a real commit."""

    def make(email="nora.new@example.org", *, team=None, title="CTO", full_name="Nora New"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invite_person(
                organisation=organisation,
                email=email,
                full_name=full_name,
                title=title,
                team=team,
                invited_by=consultancy_admin,
            )

    return make


def _accept_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/[-\w]+/)", message.body).group(1)


def _invite_url(organisation) -> str:
    return reverse("mentorship:invitation-create", args=[organisation.uuid])


# Inviting -------------------------------------------------------------------------------------


def test_admin_invites_a_person_and_an_email_with_the_link_goes_out(
    admin_client, organisation, team, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_invite_url(organisation), {**NEW_PERSON, "team": team.pk})
    assert response.status_code == 302
    assert response.url == reverse("mentorship:organisation-detail", args=[organisation.uuid])
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.full_name, invitation.title, invitation.team) == (
        "nora.new@example.org",
        "Nora New",
        "CTO",
        team,
    )
    assert invitation.state == "pending"
    expected_expiry = timezone.now() + datetime.timedelta(days=14)
    assert abs((invitation.expires_at - expected_expiry).total_seconds()) < 60
    assert invitation.send_count == 1
    assert invitation.sent_at is not None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora.new@example.org"]
    assert "Alder Freight AB" in message.subject
    assert "Alice Admin" in message.body
    assert "Alder leadership team" in message.body
    assert f"http://127.0.0.1:8000/invitations/{invitation.token}/" in message.body
    assert reverse("mentorship:invitation-accept", args=[invitation.token]) in message.alternatives[0][0]


def test_invitation_email_waits_for_the_commit(admin_client, organisation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(_invite_url(organisation), NEW_PERSON)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_expiry_follows_the_setting(invite, settings):
    settings.INVITATION_EXPIRY_DAYS = 3
    invitation = invite()
    assert invitation.expires_at - timezone.now() < datetime.timedelta(days=3, minutes=1)


def test_team_is_preselected_from_the_team_page_link(admin_client, organisation, team):
    response = admin_client.get(_invite_url(organisation) + f"?team={team.uuid}")
    assert response.context["form"]["team"].value() == team.pk
    assert admin_client.get(_invite_url(organisation) + "?team=garbage").status_code == 200


def _expiry_as_written_in(language: str, invitation, zone: str = "Europe/Stockholm") -> str:
    import zoneinfo

    from django.utils import formats, translation

    with translation.override(language):
        local = timezone.localtime(invitation.expires_at, zoneinfo.ZoneInfo(zone))
        return formats.date_format(local, "DATETIME_FORMAT")


def test_new_person_gets_the_email_in_the_site_language(invite, settings):
    settings.LANGUAGE_CODE = "sv"
    invitation = invite()
    assert _expiry_as_written_in("sv", invitation) in mail.outbox[0].body
    assert _expiry_as_written_in("en", invitation) not in mail.outbox[0].body


def test_person_with_an_account_gets_the_email_in_their_language_and_zone(invite, user_factory, settings):
    settings.LANGUAGE_CODE = "sv"
    user_factory(email="nora.new@example.org", language="en", time_zone="America/New_York")
    invitation = invite()
    assert "Hello Nora New" in mail.outbox[0].body
    assert _expiry_as_written_in("en", invitation, "America/New_York") in mail.outbox[0].body


def test_inviting_an_address_with_an_open_invitation_is_a_form_error(admin_client, organisation, invite):
    invite()
    response = admin_client.post(_invite_url(organisation), {**NEW_PERSON, "email": "NORA.new@example.org"})
    assert response.status_code == 200
    assert "already has an open invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_double_submit_of_the_invite_form_makes_one_invitation(
    admin_client, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(_invite_url(organisation), NEW_PERSON)
        second = admin_client.post(_invite_url(organisation), NEW_PERSON)
    assert first.status_code == 302
    assert second.status_code == 200
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_expired_invitation_still_blocks_a_new_one_until_resent_or_revoked(admin_client, organisation, invite):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert admin_client.post(_invite_url(organisation), NEW_PERSON).status_code == 200
    services.revoke_invitation(invitation=invitation)
    assert admin_client.post(_invite_url(organisation), NEW_PERSON).status_code == 302
    assert Invitation.objects.count() == 2


def test_race_between_two_invites_is_a_validation_error_not_a_500(organisation, invite, consultancy_admin, monkeypatch):
    invite()
    monkeypatch.setattr(services, "check_can_invite", lambda **kwargs: None)
    with pytest.raises(ValidationError) as refused:
        services.invite_person(
            organisation=organisation, email="nora.new@example.org", full_name="N", invited_by=consultancy_admin
        )
    assert [item.code for item in refused.value.error_dict["email"]] == ["already_invited"]


def test_person_of_another_organisation_cannot_be_invited(admin_client, organisation, outsider_mentee):
    response = admin_client.post(_invite_url(organisation), {**NEW_PERSON, "email": outsider_mentee.email.upper()})
    assert response.status_code == 200
    assert "already belongs to another client organisation" in response.content.decode()
    assert not Invitation.objects.exists()


def test_existing_member_is_pointed_to_the_team_page(admin_client, organisation, mentee):
    response = admin_client.post(_invite_url(organisation), {**NEW_PERSON, "email": mentee.email})
    assert response.status_code == 200
    assert "already a member of this organisation" in response.content.decode()


def test_team_of_another_organisation_is_refused(admin_client, organisation, other_organisation):
    foreign_team = make_team(organisation=other_organisation, name="Birch board")
    response = admin_client.post(_invite_url(organisation), {**NEW_PERSON, "team": foreign_team.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["team"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not an email"}, "email"),
        ({"email": "nora@"}, "email"),
        ({"email": "n" * 250 + "@example.org"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "x" * 151}, "full_name"),
        ({"title": "x" * 151}, "title"),
        ({"team": "not-a-number"}, "team"),
    ],
)
def test_bad_invitation_input_is_a_form_error(admin_client, organisation, data, field):
    response = admin_client.post(_invite_url(organisation), {**NEW_PERSON, **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Invitation.objects.exists()


def test_html_in_name_and_title_is_shown_escaped(admin_client, organisation, django_capture_on_commit_callbacks):
    script = "<script>alert(1)</script>"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_invite_url(organisation), {**NEW_PERSON, "full_name": script, "title": script})
    assert Invitation.objects.get().full_name == script
    page = admin_client.get(reverse("mentorship:organisation-detail", args=[organisation.uuid])).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert script not in mail.outbox[0].alternatives[0][0]
    client_page = admin_client.get(_accept_path(mail.outbox[0])).content.decode()
    assert script not in client_page


# Resend and revoke ----------------------------------------------------------------------------


def test_resend_renews_the_expiry_and_sends_again(admin_client, invite, django_capture_on_commit_callbacks):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("mentorship:invitation-resend", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)
    assert invitation.send_count == 2
    assert len(mail.outbox) == 2
    assert _accept_path(mail.outbox[1]) == _accept_path(mail.outbox[0])


@pytest.mark.parametrize("state", ["revoked", "accepted"])
def test_resend_of_a_closed_invitation_says_why_and_sends_nothing(
    admin_client, invite, state, django_capture_on_commit_callbacks
):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(**{f"{state}_at": timezone.now()})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("mentorship:invitation-resend", args=[invitation.pk]), follow=True)
    assert len(mail.outbox) == 1
    assert "message-error" in response.content.decode()


def test_revoke_then_the_link_says_so_and_accepting_fails(admin_client, client, invite, user_factory):
    invitation = invite()
    response = admin_client.post(reverse("mentorship:invitation-revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    # A second click says it was already revoked.
    follow = admin_client.post(reverse("mentorship:invitation-revoke", args=[invitation.pk]), follow=True)
    assert "already revoked" in follow.content.decode()

    person = user_factory(email="nora.new@example.org")
    client.force_login(person)
    url = reverse("mentorship:invitation-accept", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()
    assert client.post(url).status_code == 410
    assert not OrganisationMember.objects.filter(user=person).exists()
    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invitation=invitation, user=person)
    assert refused.value.code == "revoked"


def test_revoke_asks_first_on_a_page_that_says_what_will_happen(admin_client, invite, organisation):
    invitation = invite()
    listing = admin_client.get(reverse("mentorship:organisation-detail", args=[organisation.uuid])).content.decode()
    url = reverse("mentorship:invitation-revoke", args=[invitation.pk])
    assert f'href="{url}"' in listing  # a link to the question, not a one-click button
    assert f'action="{url}"' not in listing

    page = admin_client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Revoke the invitation to nora.new@example.org?" in html
    assert "The link in the invitation email stops working at once: Nora New can no longer use it" in html
    assert '<form method="post"' in html
    assert 'type="submit" class="button-danger">Revoke the invitation</button>' in html
    invitation.refresh_from_db()
    assert invitation.state == "pending"  # asking changes nothing


@pytest.mark.parametrize(
    ("state", "says"),
    [
        ("revoked", "This invitation was already revoked."),
        ("accepted", "This invitation has already been accepted and cannot be revoked."),
    ],
)
def test_asking_to_revoke_a_closed_invitation_says_why(admin_client, invite, state, says):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(**{f"{state}_at": timezone.now()})
    response = admin_client.get(reverse("mentorship:invitation-revoke", args=[invitation.pk]), follow=True)
    assert response.redirect_chain
    assert says in response.content.decode()


def test_the_revoke_page_reads_in_swedish(admin_client, invite, consultancy_admin):
    consultancy_admin.language = "sv"
    consultancy_admin.save(update_fields=["language"])
    invitation = invite()
    html = admin_client.get(reverse("mentorship:invitation-revoke", args=[invitation.pk])).content.decode()
    assert "Återkalla inbjudan till nora.new@example.org?" in html
    assert "Vad som händer" in html


def test_revoked_invitation_is_not_emailed_when_the_queued_send_runs_late(invite):
    from mentorship.organisations.tasks import send_invitation_email

    invitation = invite()
    services.revoke_invitation(invitation=invitation)
    assert send_invitation_email(invitation.pk) is False
    assert len(mail.outbox) == 1


def test_accepted_invitation_cannot_be_revoked(admin_client, invite):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    admin_client.post(reverse("mentorship:invitation-revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# The public invitation page -------------------------------------------------------------------


def test_unknown_token_is_404(client):
    assert client.get(reverse("mentorship:invitation-accept", args=["no-such-token"])).status_code == 404
    assert client.post(reverse("mentorship:invitation-accept", args=["no-such-token"])).status_code == 404


def test_anonymous_visitor_sees_what_the_invitation_is(client, invite, team):
    invitation = invite(team=team)
    response = client.get(reverse("mentorship:invitation-accept", args=[invitation.token]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Alder Freight AB" in page
    assert "Alder leadership team" in page
    assert "Alice Admin" in page
    assert "Accept and create your account" in page
    login = (
        reverse("account_login") + "?next=" + quote(reverse("mentorship:invitation-accept", args=[invitation.token]))
    )
    assert login in page


def test_expired_link_says_so_with_410(client, invite):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    url = reverse("mentorship:invitation-accept", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert client.post(url).status_code == 410
    assert INVITATION_SESSION_KEY not in client.session


def test_used_link_says_so_with_410(client, invite, user_factory):
    invitation = invite()
    services.accept_invitation(invitation=invitation, user=user_factory(email="nora.new@example.org"))
    response = client.get(reverse("mentorship:invitation-accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_anonymous_accept_stashes_the_invitation_and_goes_to_a_prefilled_signup(client, invite):
    invitation = invite()
    response = client.post(reverse("mentorship:invitation-accept", args=[invitation.token]))
    assert response.status_code == 302
    assert response.url == reverse("account_signup") + "?email=" + quote("nora.new@example.org")
    assert client.session[INVITATION_SESSION_KEY] == invitation.token
    assert client.session["account_verified_email"] == "nora.new@example.org"
    signup = client.get(response.url).content.decode()
    assert 'value="nora.new@example.org"' in signup
    assert f'value="{invitation.full_name}"' in signup  # the invited person's name, theirs to change


def test_the_name_at_signup_is_the_persons_own_choice_and_is_forgotten_after(client, invite):
    invitation = invite()
    signup_url = client.post(reverse("mentorship:invitation-accept", args=[invitation.token])).url
    client.post(
        signup_url,
        {
            "email": "nora.new@example.org",
            "full_name": "Nora N. Newman",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert User.objects.get(email="nora.new@example.org").full_name == "Nora N. Newman"
    assert SIGNUP_NAME_SESSION_KEY not in client.session


def test_a_plain_signup_has_no_name_filled_in(client):
    assert 'name="full_name"' in (html := client.get(reverse("account_signup")).content.decode())
    assert 'name="full_name" value=' not in html


def test_full_flow_invite_mail_link_signup_then_sign_in(
    admin_client, client, organisation, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_invite_url(organisation), {**NEW_PERSON, "team": team.pk})
    accept_path = _accept_path(mail.outbox[0])
    admin_client.logout()

    visitor = client
    assert visitor.get(accept_path).status_code == 200
    signup_url = visitor.post(accept_path).url
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            signup_url,
            {
                "email": "nora.new@example.org",
                "full_name": "Nora New",
                "password1": TEST_PASSWORD,
                "password2": TEST_PASSWORD,
            },
        )
    # The address counts as verified (it got the invitation), so no verification detour.
    assert response.status_code == 302
    assert response.url == reverse("overview:home")
    user = User.objects.get(email="nora.new@example.org")
    assert int(visitor.session["_auth_user_id"]) == user.pk
    assert user.is_mentee
    assert EmailAddress.objects.get(user=user).verified
    assert OrganisationMember.objects.get(user=user).organisation == organisation
    assert OrganisationMember.objects.get(user=user).title == "CTO"
    assert TeamMembership.objects.get(user=user).team == team
    invitation = Invitation.objects.get()
    assert invitation.state == "accepted"
    assert invitation.accepted_by == user
    assert INVITATION_SESSION_KEY not in visitor.session
    # Only the invitation was mailed: no verification email.
    assert len(mail.outbox) == 1
    home = visitor.get(reverse("overview:home")).content.decode()
    assert "You are now part of Alder Freight AB" in home

    visitor.logout()
    response = visitor.post(reverse("account_login"), {"login": "nora.new@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(visitor.session["_auth_user_id"]) == user.pk
    assert visitor.get(accept_path).status_code == 410


def test_invitation_revoked_before_signup_creates_the_account_without_membership(client, invite):
    invitation = invite()
    signup_url = client.post(reverse("mentorship:invitation-accept", args=[invitation.token])).url
    services.revoke_invitation(invitation=invitation)
    response = client.post(
        signup_url,
        {"email": invitation.email, "full_name": "Nora New", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
        follow=True,
    )
    user = User.objects.get(email=invitation.email)
    assert not user.is_mentee
    assert not OrganisationMember.objects.filter(user=user).exists()
    assert "withdrawn" in response.content.decode()


def test_signup_with_another_address_in_the_same_session_accepts_nothing(client, invite):
    invitation = invite()
    client.post(reverse("mentorship:invitation-accept", args=[invitation.token]))
    # The visitor drops the verified-address stash (say, a different browser tab signed up first).
    session = client.session
    session["account_verified_email"] = None
    session.save()
    client.post(
        reverse("account_signup"),
        {
            "email": "someone.else@example.org",
            "full_name": "S E",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    user = User.objects.get(email="someone.else@example.org")
    assert not OrganisationMember.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_signed_in_person_with_the_invited_address_accepts_directly(client, invite, team, user_factory):
    person = user_factory(email="nora.new@example.org")
    person.full_name = ""
    person.save()
    invitation = invite(team=team)
    client.force_login(person)
    url = reverse("mentorship:invitation-accept", args=[invitation.token])
    assert "Accept the invitation" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("overview:home")
    person.refresh_from_db()
    assert person.is_mentee
    assert person.full_name == "Nora New"
    assert OrganisationMember.objects.get(user=person).organisation == invitation.organisation
    assert TeamMembership.objects.filter(user=person, team=team, title="CTO").exists()


def test_double_submit_of_accept_accepts_once(client, invite, team, user_factory):
    person = user_factory(email="nora.new@example.org")
    invitation = invite(team=team)
    client.force_login(person)
    url = reverse("mentorship:invitation-accept", args=[invitation.token])
    assert client.post(url).status_code == 302
    second = client.post(url)
    assert second.status_code == 410
    assert OrganisationMember.objects.filter(user=person).count() == 1
    assert TeamMembership.objects.filter(user=person).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invitation=invitation, user=person)
    assert refused.value.code == "accepted"


@pytest.mark.parametrize("who", ["outsider_mentee", "other_mentor", "mentee", "consultancy_admin"])
def test_signed_in_person_with_another_address_gets_a_clear_message_and_nothing_happens(client, request, invite, who):
    person = request.getfixturevalue(who)
    invitation = invite()
    memberships_before = list(OrganisationMember.objects.filter(user=person).values_list("organisation", "title"))
    client.force_login(person)
    url = reverse("mentorship:invitation-accept", args=[invitation.token])
    assert "different email address" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 403
    assert "different email address" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    after = list(OrganisationMember.objects.filter(user=person).values_list("organisation", "title"))
    assert after == memberships_before
    assert INVITATION_SESSION_KEY not in client.session


def test_person_already_in_another_organisation_cannot_accept(client, invite, other_organisation, user_factory):
    invitation = invite()
    person = user_factory(email="nora.new@example.org")
    make_member(organisation=other_organisation, user=person)
    client.force_login(person)
    response = client.post(reverse("mentorship:invitation-accept", args=[invitation.token]), follow=True)
    assert "already belongs to another client organisation" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    assert OrganisationMember.objects.get(user=person).organisation == other_organisation


def test_anonymous_visitor_whose_address_has_an_account_is_asked_to_sign_in(client, invite, user_factory):
    user_factory(email="nora.new@example.org")
    invitation = invite()
    page = client.get(reverse("mentorship:invitation-accept", args=[invitation.token])).content.decode()
    assert "You already have an account with this email address" in page
    assert "Accept and create your account" not in page


def test_accept_makes_an_existing_member_of_the_same_organisation_join_the_team(invite, team, mentee):
    # Possible when the person became a member after being invited.
    invitation = make_invitation(
        organisation=team.organisation,
        team=team,
        email=mentee.email,
        title="CEO",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    services.accept_invitation(invitation=invitation, user=mentee)
    assert OrganisationMember.objects.filter(user=mentee).count() == 1
    assert TeamMembership.objects.get(user=mentee, team=team).title == "CEO"


def test_signup_from_the_link_with_a_changed_address_keeps_the_invited_one_as_login(client, invite):
    # allauth makes the stashed (verified) address primary; the typed one stays unverified.
    invitation = invite()
    signup_url = client.post(reverse("mentorship:invitation-accept", args=[invitation.token])).url
    client.post(
        signup_url,
        {"email": "private@example.org", "full_name": "Nora", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    user = User.objects.get(email="nora.new@example.org")
    assert user.is_mentee
    assert not EmailAddress.objects.get(email="private@example.org").verified
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


# Home page partial ----------------------------------------------------------------------------


def test_open_invitation_count_for_the_admin_home_page(invite, consultancy_admin, mentee):
    from django.template.loader import render_to_string

    from mentorship.organisations import selectors

    invite()
    expired = invite("late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    assert selectors.open_invitation_count(consultancy_admin) == 1
    assert selectors.open_invitation_count(mentee) == 0
    html = render_to_string("mentorship/includes/home_organisations.html", {"open_invitations": 1})
    assert "1 invitation waiting to be accepted" in html
    assert reverse("mentorship:organisation-list") in html
