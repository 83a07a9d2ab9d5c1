"""Who may open and change the plan, as a table: the mentee, the mentor, another mentee, another
organisation's mentee, another mentor, an admin; and in a team, a member's own goal against
another member's. Objects of others are 404, the engagement's people without the right are 403."""

import pytest
from django.urls import reverse

from demo import factories
from progress.models import CheckIn, Goal


def _url(engagement, name, **kwargs):
    return reverse(name, kwargs={"engagement_uuid": engagement.uuid, **kwargs})


@pytest.fixture
def other_mentee_here(organisation):
    """A mentee of the same organisation, in an engagement of their own."""
    return factories.make_user(email="fay.other@example.org", roles=("mentee",), organisation=organisation)


@pytest.mark.parametrize(
    ("person", "plan", "add_goal", "check_in"),
    [
        ("mentee", 200, 200, 200),
        ("mentor", 200, 200, 200),
        ("consultancy_admin", 200, 403, 403),
        ("other_mentee_here", 404, 404, 404),
        ("outsider_mentee", 404, 404, 404),
        ("other_mentor", 404, 404, 404),
    ],
)
def test_who_opens_the_plan_pages(client, request, engagement, person, plan, add_goal, check_in):
    client.force_login(request.getfixturevalue(person))

    assert client.get(_url(engagement, "progress:plan")).status_code == plan
    assert client.get(_url(engagement, "progress:goal-add")).status_code == add_goal
    assert client.get(_url(engagement, "progress:check-in", kind="start")).status_code == check_in


@pytest.mark.parametrize("person", ["other_mentee_here", "outsider_mentee", "other_mentor"])
def test_outsiders_change_nothing_whatever_the_method(client, request, engagement, person):
    goal = factories.make_goal(engagement=engagement, title="Kept")
    client.force_login(request.getfixturevalue(person))

    for name in ("progress:goal-edit", "progress:goal-archive", "progress:goal-consent"):
        assert (
            client.post(_url(engagement, name, goal_pk=goal.pk), {"title": "Taken", "archive": "1"}).status_code == 404
        )
    goal.refresh_from_db()
    assert (goal.title, goal.archived_at, goal.title_shared_at) == ("Kept", None, None)


def test_a_mentor_only_asked_to_take_the_engagement_does_not_see_its_plan(client, other_mentor, engagement):
    factories.make_assignment(engagement=engagement, mentor=other_mentor)
    client.force_login(other_mentor)

    assert client.get(_url(engagement, "progress:plan")).status_code == 404


def test_an_unknown_check_in_kind_is_404(client, mentee, engagement):
    client.force_login(mentee)

    assert client.get(_url(engagement, "progress:check-in", kind="session")).status_code == 404


def test_a_goal_of_another_engagement_is_404_through_this_one(client, mentee, engagement, outsider_engagement):
    foreign = factories.make_goal(engagement=outsider_engagement, title="Foreign")
    client.force_login(mentee)

    assert client.get(_url(engagement, "progress:goal-edit", goal_pk=foreign.pk)).status_code == 404


def test_the_anonymous_visitor_is_sent_to_sign_in(client, engagement):
    response = client.get(_url(engagement, "progress:plan"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


class TestTeamGoals:
    @pytest.fixture
    def goals(self, team_engagement, members):
        return {
            "team": factories.make_goal(engagement=team_engagement, team_goal=True, title="Team: one voice"),
            "own": factories.make_goal(engagement=team_engagement, member=members[0], title="Member 0: listen"),
            "other": factories.make_goal(engagement=team_engagement, member=members[1], title="Member 1: decide"),
        }

    def test_a_member_sees_team_goals_and_their_own_only(self, client, team_engagement, members, goals):
        client.force_login(members[0])

        html = client.get(_url(team_engagement, "progress:plan")).content.decode()

        assert "Team: one voice" in html
        assert "Member 0: listen" in html
        assert "Member 1: decide" not in html
        other = _url(team_engagement, "progress:goal-edit", goal_pk=goals["other"].pk)
        assert client.get(other).status_code == 404
        assert client.get(_url(team_engagement, "progress:goal-edit", goal_pk=goals["own"].pk)).status_code == 200

    @pytest.mark.parametrize("person", ["mentor", "consultancy_admin"])
    def test_the_mentor_and_admins_see_every_goal(self, client, request, team_engagement, goals, person):
        client.force_login(request.getfixturevalue(person))

        html = client.get(_url(team_engagement, "progress:plan")).content.decode()

        assert all(goal.title in html for goal in goals.values())

    def test_a_member_rates_team_goals_and_their_own_not_anothers(self, client, team_engagement, members, goals):
        client.force_login(members[0])

        form = client.get(_url(team_engagement, "progress:check-in", kind="start")).context["form"]

        assert {goal.title for goal in form.goals} == {"Team: one voice", "Member 0: listen"}
        assert not CheckIn.objects.exists()
        assert Goal.objects.count() == 3


def test_a_member_who_left_reads_the_plan_and_withdraws_but_no_longer_changes_it(client, team_engagement, members):
    seat = members[0].team_memberships.get()
    seat.left_on = seat.joined_on + (team_engagement.start_date - seat.joined_on) // 2
    seat.save()
    goal = factories.make_goal(engagement=team_engagement, member=members[0], title="Mine", shared=("title",))
    client.force_login(members[0])

    assert client.get(_url(team_engagement, "progress:plan")).status_code == 200
    assert client.get(_url(team_engagement, "progress:goal-add")).status_code == 403
    assert client.get(_url(team_engagement, "progress:check-in", kind="review")).status_code == 403
    client.post(_url(team_engagement, "progress:goal-consent", goal_pk=goal.pk), {"item": "goal_title", "share": "0"})
    goal.refresh_from_db()
    assert goal.title_consent == "withdrawn"
