"""Organisations in the browser: list, create, edit, detail page (consultancy admins)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_invitation, make_member, make_organisation, make_team, make_team_member
from mentorship.models import LeadershipTeam, Organisation
from mentorship.organisations import services

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Cedar Logistics AB",
    "city": "Malmö",
    "contact_name": "Frida Contact",
    "contact_email": "frida@cedar.example",
    "notes": "Met at the fair.\nWants a team mentor.",
}


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


# Create and edit ------------------------------------------------------------------------------


def test_admin_creates_an_organisation_and_lands_on_its_page(admin_client):
    response = admin_client.post(reverse("mentorship:organisation-create"), VALID)
    organisation = Organisation.objects.get(name="Cedar Logistics AB")
    assert response.status_code == 302
    assert response.url == reverse("mentorship:organisation-detail", args=[organisation.uuid])
    assert organisation.city == "Malmö"
    assert organisation.contact_email == "frida@cedar.example"
    page = admin_client.get(response.url).content.decode()
    assert "Met at the fair.<br>Wants a team mentor." in page


@pytest.mark.parametrize("name", ["alder freight ab", "ALDER FREIGHT AB", "  Alder Freight AB  "])
def test_duplicate_name_in_any_case_is_a_form_error(admin_client, organisation, name):
    response = admin_client.post(reverse("mentorship:organisation-create"), {**VALID, "name": name})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["An organisation with this name already exists."]}
    assert Organisation.objects.count() == 1


def test_database_constraint_race_becomes_a_form_error_not_a_500(admin_client, organisation, monkeypatch):
    # Another admin saved the same name after this form's checks ran: only the database knows.
    from mentorship.organisations.forms import OrganisationForm

    monkeypatch.setattr(OrganisationForm, "clean_name", lambda self: self.cleaned_data["name"])
    monkeypatch.setattr(Organisation, "validate_constraints", lambda self, exclude=None: None)
    response = admin_client.post(reverse("mentorship:organisation-create"), {**VALID, "name": "ALDER freight ab"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["An organisation with this name already exists."]
    assert Organisation.objects.count() == 1


def test_save_service_turns_the_unique_constraint_into_a_validation_error(organisation):
    with pytest.raises(ValidationError) as error:
        services.save_organisation(organisation=Organisation(name="alder FREIGHT ab"))
    assert [item.code for item in error.value.error_dict["name"]] == ["duplicate"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"city": "x" * 101}, "city"),
        ({"contact_name": "x" * 151}, "contact_name"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"contact_email": "a@" + "b" * 260 + ".se"}, "contact_email"),
        ({"notes": "x" * 5001}, "notes"),
    ],
)
def test_bad_input_gives_a_form_error(admin_client, data, field):
    response = admin_client.post(reverse("mentorship:organisation-create"), {**VALID, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_html_is_stored_as_given_and_shown_escaped(admin_client):
    script = "<script>alert('x')</script>"
    admin_client.post(reverse("mentorship:organisation-create"), {**VALID, "name": script, "notes": script})
    organisation = Organisation.objects.get()
    assert organisation.name == script
    for url in (
        reverse("mentorship:organisation-list"),
        reverse("mentorship:organisation-detail", args=[organisation.uuid]),
    ):
        page = admin_client.get(url).content.decode()
        assert script not in page
        assert "&lt;script&gt;" in page


def test_admin_edits_an_organisation(admin_client, organisation):
    url = reverse("mentorship:organisation-edit", args=[organisation.uuid])
    assert admin_client.get(url).context["form"].initial["name"] == "Alder Freight AB"
    response = admin_client.post(url, {**VALID, "name": "Alder Freight Group"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Alder Freight Group"
    assert organisation.contact_name == "Frida Contact"


def test_keeping_the_own_name_with_other_case_is_allowed(admin_client, organisation):
    response = admin_client.post(
        reverse("mentorship:organisation-edit", args=[organisation.uuid]), {**VALID, "name": "ALDER FREIGHT AB"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "ALDER FREIGHT AB"


def test_renaming_to_another_organisations_name_is_a_form_error(admin_client, organisation, other_organisation):
    response = admin_client.post(
        reverse("mentorship:organisation-edit", args=[organisation.uuid]), {**VALID, "name": "birch power ab"}
    )
    assert response.status_code == 200
    assert "An organisation with this name already exists." in response.content.decode()


# List and detail ------------------------------------------------------------------------------


def test_list_shows_counts_per_organisation(
    admin_client, organisation, other_organisation, team, mentee, outsider_mentee
):
    make_invitation(
        organisation=organisation, email="new@example.org", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    make_invitation(
        organisation=organisation, email="old@example.org", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    response = admin_client.get(reverse("mentorship:organisation-list"))
    rows = {org.name: org for org in response.context["organisations"]}
    assert (rows["Alder Freight AB"].member_count, rows["Alder Freight AB"].team_count) == (4, 1)
    assert rows["Alder Freight AB"].pending_invitation_count == 1
    assert (rows["Birch Power AB"].member_count, rows["Birch Power AB"].team_count) == (1, 0)
    assert reverse("mentorship:organisation-detail", args=[organisation.uuid]) in response.content.decode()


def test_detail_shows_members_teams_and_invitations_with_state(
    admin_client, organisation, team, mentee, outsider_mentee, consultancy_admin
):
    now = timezone.now()
    later = now + datetime.timedelta(days=3)
    make_invitation(organisation=organisation, email="pending@example.org", expires_at=later)
    make_invitation(organisation=organisation, email="expired@example.org", expires_at=now)
    make_invitation(organisation=organisation, email="revoked@example.org", expires_at=later, revoked_at=now)
    make_invitation(organisation=organisation, email="accepted@example.org", expires_at=later, accepted_at=now)
    page = admin_client.get(reverse("mentorship:organisation-detail", args=[organisation.uuid])).content.decode()
    assert "Dave Mentee" in page
    assert "dave.mentee@example.org" in page
    assert "Head of Sales" in page
    assert "Erin Outsider" not in page
    assert "Alder leadership team" in page
    assert "3 members" in page
    for email in ("pending@", "expired@", "revoked@", "accepted@"):
        assert email in page
    for state in ("Pending", "Expired", "Revoked", "Accepted"):
        assert f'<span class="tag">{state}</span>' in page
    # Resend and revoke only where they make sense: pending and expired.
    assert page.count("/resend/") == 2
    assert page.count("/revoke/") == 2


def _make_organisations(count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        organisation = make_organisation(name=f"Org {index}")
        team = make_team(organisation=organisation, name=f"Team {index}")
        make_invitation(
            organisation=organisation, email=f"i{index}@example.org", expires_at=timezone.now() + datetime.timedelta(1)
        )
        from demo.factories import make_user

        user = make_user(email=f"person{index}@example.org", roles=("mentee",))
        make_member(organisation=organisation, user=user, title="CEO")
        make_team_member(team=team, user=user, title="CEO")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_list_query_count_does_not_grow_with_organisations(admin_client, django_assert_num_queries):
    _make_organisations(2)
    url = reverse("mentorship:organisation-list")
    baseline = _queries(admin_client, url)
    _make_organisations(18, start=2)
    with django_assert_num_queries(baseline):
        response = admin_client.get(url)
    assert len(response.context["organisations"]) == 20


def _fill_organisation(organisation, count: int, start: int = 0) -> None:
    from demo.factories import make_user

    team, _created = LeadershipTeam.objects.get_or_create(organisation=organisation, name="Board")
    for index in range(start, start + count):
        user = make_user(email=f"member{index}@example.org", roles=("mentee",))
        make_member(organisation=organisation, user=user, title=f"Title {index}")
        make_team_member(team=team, user=user)
        make_team(organisation=organisation, name=f"Team {index}")
        make_invitation(
            organisation=organisation,
            team=team,
            email=f"invitee{index}@example.org",
            invited_by=user,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )


def test_detail_query_count_does_not_grow_with_members(admin_client, organisation, django_assert_num_queries):
    _fill_organisation(organisation, 2)
    url = reverse("mentorship:organisation-detail", args=[organisation.uuid])
    baseline = _queries(admin_client, url)
    _fill_organisation(organisation, 18, start=2)
    with django_assert_num_queries(baseline):
        response = admin_client.get(url)
    assert len(response.context["members"]) == 20
