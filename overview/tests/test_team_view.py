"""The team view of a team engagement: the mentor and admins see every member — title, dates,
attendance, last and next one-to-one; a member sees only their own part and the team's sessions;
everybody else gets a 404."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tests.helpers import days_from_now
from demo.factories import make_goal, make_session, make_team_member, make_user
from mentorship.models import TeamMembership, roster_date
from sessions.models import MemberAttendance, SessionStatus

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def team_story(one_to_one_team, members):
    """A held team session members[1] missed, a held one-to-one of members[0] and a booked one of
    members[2]; members[2] leaves in two weeks."""
    team_session = make_session(engagement=one_to_one_team, start=days_from_now(-10), status=SessionStatus.COMPLETED)
    for member in members:
        status = MemberAttendance.Status.ABSENT if member == members[1] else MemberAttendance.Status.PRESENT
        MemberAttendance.objects.create(session=team_session, member=member, status=status)
    make_session(engagement=one_to_one_team, member=members[0], start=days_from_now(-6), status=SessionStatus.COMPLETED)
    make_session(engagement=one_to_one_team, member=members[2], start=days_from_now(8))
    TeamMembership.objects.filter(user=members[2]).update(left_on=roster_date() + datetime.timedelta(days=14))
    return one_to_one_team


def url(engagement) -> str:
    return reverse("overview:engagement-team", args=[engagement.uuid])


@pytest.mark.parametrize("who", ["mentor", "consultancy_admin"])
def test_the_mentor_and_admins_see_every_member(client, request, team_story, members, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(team_story))
    assert response.status_code == 200
    rows = {row.member: row for row in response.context["rows"]}
    assert set(rows) == set(members)
    assert (rows[members[1]].seat.attended, rows[members[1]].seat.recorded) == (0, 1)
    assert rows[members[0]].seat.attendance_rate == 100
    assert rows[members[0]].one_to_ones.last_held is not None
    assert rows[members[2]].one_to_ones.next_booked is not None
    assert rows[members[2]].seat.left_on is not None
    assert all(row.book_url for row in rows.values())
    html = response.content.decode()
    assert "0 of 1 (0 %)" in html
    assert 'class="stacked-table"' in html  # one card per member on a phone


def test_a_member_sees_only_their_own_part(client, team_story, members):
    client.force_login(members[1])
    response = client.get(url(team_story))
    assert response.status_code == 200
    assert [row.member for row in response.context["rows"]] == [members[1]]
    html = response.content.decode()
    assert members[0].display_name not in html
    assert members[2].display_name not in html
    assert f"Book a one-to-one with {team_story.mentor.display_name}" in html
    assert len(response.context["past_team_sessions"]) == 1  # the team's shared items


def test_a_member_never_sees_another_members_one_to_ones_there(client, team_story, members):
    client.force_login(members[1])
    response = client.get(url(team_story))
    (row,) = response.context["rows"]
    assert row.one_to_ones.last_held is None
    assert row.one_to_ones.next_booked is None


@pytest.mark.parametrize("who", ["other_mentor", "outsider_mentee", "mentee"])
def test_everybody_else_gets_a_404(client, request, team_story, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(team_story)).status_code == 404


def test_an_individual_engagement_has_no_team_view(client, engagement, mentor):
    client.force_login(mentor)
    assert client.get(url(engagement)).status_code == 404


def test_the_engagement_and_home_pages_lead_a_member_to_book_a_one_to_one(client, team_story, members):
    client.force_login(members[0])
    book = reverse("mentoring_sessions:book-one-to-one", args=[team_story.uuid])
    assert book in client.get(team_story.get_absolute_url()).content.decode()
    assert book in client.get(reverse("overview:home")).content.decode()
    client.force_login(team_story.mentor)
    assert book + '"' not in client.get(team_story.get_absolute_url()).content.decode()


def test_the_engagement_page_and_timeline_name_a_one_to_ones_member_for_its_two_people(client, team_story, members):
    for user in (team_story.mentor, members[0]):
        client.force_login(user)
        html = client.get(team_story.get_absolute_url()).content.decode()
        assert f"One-to-one with {members[0].display_name}" in html
    client.force_login(members[1])
    assert "One-to-one with" not in client.get(team_story.get_absolute_url()).content.decode()


def test_each_members_own_goal_shows_to_the_mentor_and_only_their_own_to_a_member(client, team_story, members, mentor):
    make_goal(engagement=team_story, member=members[0], title="Delegate the weekly planning")
    make_goal(engagement=team_story, member=members[1], title="Speak up in board meetings")
    make_goal(engagement=team_story, team_goal=True, title="One shared picture of the strategy")
    archived = make_goal(engagement=team_story, member=members[1], title="An archived aim")
    archived.archived_at = archived.created_at
    archived.save()
    client.force_login(mentor)
    rows = {row.member: row for row in client.get(url(team_story)).context["rows"]}
    assert rows[members[0]].goals == ["Delegate the weekly planning"]
    assert rows[members[1]].goals == ["Speak up in board meetings"]
    assert rows[members[2]].goals == []
    client.force_login(members[1])
    html = client.get(url(team_story)).content.decode()
    assert "Speak up in board meetings" in html
    assert "Delegate the weekly planning" not in html
    assert "One shared picture of the strategy" not in html


def test_the_team_view_costs_the_same_queries_for_three_members_or_nine(client, mentor, members, team_story):
    """Rows are built from a few queries for the whole team (roster, one-to-ones, goals, whom the
    viewer may book for), never one per member."""
    client.force_login(mentor)
    client.get(url(team_story))  # the session's first request
    with CaptureQueriesContext(connection) as few:
        client.get(url(team_story))
    for _ in range(6):
        newcomer = make_user(roles=("mentee",), organisation=team_story.organisation)
        make_team_member(team=team_story.team, user=newcomer, joined_on=roster_date() - datetime.timedelta(days=30))
        make_goal(engagement=team_story, member=newcomer, title="Run the Monday meeting")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(team_story))
    assert len(response.context["rows"]) == len(members) + 6
    assert all(row.book_url for row in response.context["rows"])  # the mentor may book for each
    assert len(many.captured_queries) == len(few.captured_queries)
