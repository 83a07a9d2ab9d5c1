"""Leadership teams: create, rename, add members with titles, change a title, remove."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_invitation, make_member, make_team_member
from mentorship.models import LeadershipTeam, OrganisationMember, TeamMembership
from mentorship.organisations import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


def test_admin_creates_a_team_for_an_organisation(admin_client, organisation):
    response = admin_client.post(reverse("mentorship:team-create", args=[organisation.uuid]), {"name": "Ledningsgrupp"})
    team = LeadershipTeam.objects.get(name="Ledningsgrupp")
    assert team.organisation == organisation
    assert response.url == reverse("mentorship:team-detail", args=[team.uuid])


def test_same_team_name_in_another_case_is_a_form_error(admin_client, team):
    url = reverse("mentorship:team-create", args=[team.organisation.uuid])
    response = admin_client.post(url, {"name": "ALDER LEADERSHIP TEAM"})
    assert response.status_code == 200
    assert "already has a leadership team with this name" in response.content.decode()
    assert LeadershipTeam.objects.count() == 1


def test_same_team_name_at_another_organisation_is_fine(admin_client, team, other_organisation):
    url = reverse("mentorship:team-create", args=[other_organisation.uuid])
    assert admin_client.post(url, {"name": "Alder leadership team"}).status_code == 302
    assert LeadershipTeam.objects.count() == 2


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_missing_or_overlong_team_name_is_a_form_error(admin_client, organisation, name):
    response = admin_client.post(reverse("mentorship:team-create", args=[organisation.uuid]), {"name": name})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not LeadershipTeam.objects.exists()


def test_admin_renames_a_team(admin_client, team):
    response = admin_client.post(reverse("mentorship:team-edit", args=[team.uuid]), {"name": "Koncernledning"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Koncernledning"


def test_team_page_lists_members_with_titles_escaped(admin_client, team):
    membership = team.memberships.first()
    membership.title = "<b>Chief</b>"
    membership.save()
    page = admin_client.get(reverse("mentorship:team-detail", args=[team.uuid])).content.decode()
    assert "Team Member 0" in page
    assert "team.member0@example.org" in page
    assert "&lt;b&gt;Chief&lt;/b&gt;" in page
    assert "<b>Chief</b>" not in page


def test_add_member_of_the_same_organisation_with_a_title(admin_client, team, mentee):
    response = admin_client.post(
        reverse("mentorship:team-member-add", args=[team.uuid]), {"user": mentee.pk, "title": "Sales director"}
    )
    assert response.status_code == 302
    assert TeamMembership.objects.get(team=team, user=mentee).title == "Sales director"


def test_add_member_without_title_uses_their_organisation_title(admin_client, team, mentee):
    admin_client.post(reverse("mentorship:team-member-add", args=[team.uuid]), {"user": mentee.pk, "title": ""})
    assert TeamMembership.objects.get(team=team, user=mentee).title == "Head of Sales"


@pytest.mark.parametrize("who", ["outsider_mentee", "other_mentor"])
def test_person_outside_the_organisation_can_never_be_added(admin_client, request, team, who):
    person = request.getfixturevalue(who)
    response = admin_client.post(reverse("mentorship:team-member-add", args=[team.uuid]), {"user": person.pk})
    assert response.status_code == 200
    assert "Choose a member of this organisation" in response.content.decode()
    assert not TeamMembership.objects.filter(user=person).exists()


def test_service_refuses_a_person_of_another_organisation(team, outsider_mentee):
    with pytest.raises(ValidationError) as refused:
        services.add_team_member(team=team, user=outsider_mentee, title="CFO")
    assert [item.code for item in refused.value.error_dict["user"]] == ["not_a_member"]


@pytest.mark.parametrize("data", [{"user": ""}, {"user": "abc"}, {"user": "999999"}])
def test_missing_or_malformed_person_is_a_form_error(admin_client, team, data):
    response = admin_client.post(reverse("mentorship:team-member-add", args=[team.uuid]), data)
    assert response.status_code == 200
    assert response.context["add_form"].errors["user"]


def test_adding_someone_already_in_the_team_twice_is_a_form_error(admin_client, team, mentee):
    url = reverse("mentorship:team-member-add", args=[team.uuid])
    assert admin_client.post(url, {"user": mentee.pk}).status_code == 302
    response = admin_client.post(url, {"user": mentee.pk})
    assert response.status_code == 200
    assert TeamMembership.objects.filter(team=team, user=mentee).count() == 1


def test_overlong_title_is_a_form_error(admin_client, team, mentee):
    response = admin_client.post(
        reverse("mentorship:team-member-add", args=[team.uuid]), {"user": mentee.pk, "title": "x" * 151}
    )
    assert response.status_code == 200
    assert response.context["add_form"].errors["title"]


def test_admin_changes_a_members_title(admin_client, team):
    membership = team.memberships.first()
    url = reverse("mentorship:team-member-edit", args=[team.uuid, membership.pk])
    response = admin_client.post(url, {"title": "Chair"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.title == "Chair"
    assert admin_client.post(url, {"title": "x" * 151}).status_code == 200


def test_admin_removes_a_member_from_the_team_but_not_the_organisation(admin_client, team):
    membership = team.memberships.first()
    url = reverse("mentorship:team-member-remove", args=[team.uuid, membership.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()
    assert OrganisationMember.objects.filter(user=membership.user).exists()
    # A second click on the same button finds nothing to remove.
    assert admin_client.post(url).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_team_page_query_count_does_not_grow_with_members(
    admin_client, team, mentee, user_factory, django_assert_num_queries
):
    url = reverse("mentorship:team-detail", args=[team.uuid])
    baseline = _queries(admin_client, url)
    for index in range(17):
        person = user_factory(email=f"extra{index}@example.org", roles=("mentee",))
        make_member(organisation=team.organisation, user=person, title="Manager")
        if index % 2:
            make_team_member(team=team, user=person, title="Manager")
        make_invitation(
            organisation=team.organisation,
            team=team,
            email=f"invited{index}@example.org",
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
    with django_assert_num_queries(baseline):
        admin_client.get(url)
