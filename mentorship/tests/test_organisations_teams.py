"""Leadership teams: create, rename, add members with titles, change a title, remove."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_invitation, make_member, make_team_member
from mentorship.models import LeadershipTeam, OrganisationMember, TeamMembership, roster_date
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
    joined = membership.joined_on.isoformat()
    response = admin_client.post(url, {"title": "Chair", "joined_on": joined})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.title == "Chair"
    assert admin_client.post(url, {"title": "x" * 151, "joined_on": joined}).status_code == 200
    # Only the title changed: no entry in the seat's history.
    assert not membership.events.exists()


def test_admin_removes_a_member_from_the_team_but_not_the_organisation(admin_client, team, consultancy_admin):
    membership = team.memberships.first()
    url = reverse("mentorship:team-member-remove", args=[team.uuid, membership.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    membership.refresh_from_db()
    # The row stays, dated: their past sessions stay theirs.
    assert membership.left_on == roster_date()
    assert OrganisationMember.objects.filter(user=membership.user).exists()
    assert list(membership.events.values_list("kind", "actor")) == [("left", consultancy_admin.pk)]
    # A second click on the same button changes nothing.
    assert admin_client.post(url).status_code == 302
    assert membership.events.count() == 1
    assert not TeamMembership.objects.current().filter(pk=membership.pk).exists()


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


def test_a_member_added_without_a_date_joins_today_and_the_addition_is_recorded(admin_client, team, mentee):
    response = admin_client.post(reverse("mentorship:team-member-add", args=[team.uuid]), {"user": mentee.pk})
    assert response.status_code == 302
    seat = TeamMembership.objects.get(team=team, user=mentee)
    assert (seat.joined_on, seat.left_on) == (roster_date(), None)
    assert list(seat.events.values_list("kind", flat=True)) == ["joined"]


def test_a_member_added_with_an_earlier_date_joins_then(admin_client, team, mentee):
    day = roster_date() - datetime.timedelta(days=10)
    admin_client.post(reverse("mentorship:team-member-add", args=[team.uuid]), {"user": mentee.pk, "joined_on": day})
    assert TeamMembership.objects.get(team=team, user=mentee).joined_on == day


def test_someone_who_left_comes_back_with_a_new_seat(team, mentee, consultancy_admin):
    today = roster_date()
    old = make_team_member(team=team, user=mentee, joined_on=today - datetime.timedelta(days=90))
    services.remove_team_member(membership=old, left_on=today - datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        services.add_team_member(team=team, user=mentee, joined_on=today - datetime.timedelta(days=40))
    assert error.value.error_dict["joined_on"][0].code == "overlaps"
    new = services.add_team_member(team=team, user=mentee, actor=consultancy_admin)
    assert new.pk != old.pk
    assert list(TeamMembership.objects.current().filter(team=team, user=mentee)) == [new]
    assert list(TeamMembership.objects.on(today - datetime.timedelta(days=60)).filter(user=mentee)) == [old]


def test_a_seat_removed_on_its_first_day_leaves_no_row(team, mentee):
    seat = services.add_team_member(team=team, user=mentee)
    assert services.remove_team_member(membership=seat) is None
    assert not TeamMembership.objects.filter(team=team, user=mentee).exists()


def test_admin_dates_a_seat_and_the_change_is_in_its_history(admin_client, team, consultancy_admin):
    seat = team.memberships.first()
    url = reverse("mentorship:team-member-edit", args=[team.uuid, seat.pk])
    joined, left = roster_date() - datetime.timedelta(days=20), roster_date() + datetime.timedelta(days=5)
    response = admin_client.post(url, {"title": seat.title, "joined_on": joined, "left_on": left})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.joined_on, seat.left_on) == (joined, left)
    assert list(seat.events.values_list("kind", "actor", "joined_on", "left_on")) == [
        ("dates_changed", consultancy_admin.pk, joined, left)
    ]
    page = admin_client.get(reverse("mentorship:team-detail", args=[team.uuid]))
    assert "Membership dates changed" in page.content.decode()


def test_a_last_day_before_the_first_is_a_form_error(admin_client, team):
    seat = team.memberships.first()
    url = reverse("mentorship:team-member-edit", args=[team.uuid, seat.pk])
    today = roster_date()
    response = admin_client.post(url, {"title": "", "joined_on": today, "left_on": today})
    assert response.status_code == 200
    assert response.context["form"].errors["left_on"]
    assert not seat.events.exists()


def test_only_current_members_are_counted_and_left_members_can_be_added_again(admin_client, team, organisation):
    seat = team.memberships.first()
    services.remove_team_member(membership=seat)
    page = admin_client.get(reverse("mentorship:team-detail", args=[team.uuid]))
    assert seat.user in page.context["add_form"].fields["user"].queryset
    listing = admin_client.get(reverse("mentorship:organisation-detail", args=[organisation.uuid]))
    assert [t.member_count for t in listing.context["teams"] if t.pk == team.pk] == [2]
