"""`shared_progress`, the one door for the sponsor's side: exactly the items the mentee shared and
has not withdrawn, the mentee's ratings only, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import factories
from mentorship.models import Engagement
from progress.consent import services as consent
from progress.models import ConsentEvent, ConsentItem, ConsentState
from progress.sharing import SharedGoal, SharedProgress, SharedStatement, render_shared_progress, shared_progress

DAY_1, DAY_2 = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)


def _items(progress):
    return {
        "goal_title": [goal.title for goal in progress.goals],
        "goal_ratings": [goal.ratings for goal in progress.goals if goal.ratings],
        "statement": [statement.text for statement in progress.statements],
    }


STATES = {"not shared": {}, "shared": {"shared": True}, "withdrawn": {"withdrawn": True}}


def _goal_with_ratings(engagement, mentee, *, title_state, ratings_state):
    kwargs = {"shared": (), "withdrawn": ()}
    for item, state in (("title", title_state), ("ratings", ratings_state)):
        if state == "shared":
            kwargs["shared"] += (item,)
        elif state == "withdrawn":
            kwargs["withdrawn"] += (item,)
    goal = factories.make_goal(engagement=engagement, title="Delegate the weekly planning", **kwargs)
    factories.make_check_in(engagement=engagement, person=mentee, on=DAY_1, goals={goal: 3})
    factories.make_check_in(engagement=engagement, person=mentee, kind="review", on=DAY_2, goals={goal: 7})
    return goal


@pytest.mark.parametrize("title_state", list(STATES))
@pytest.mark.parametrize("ratings_state", list(STATES))
def test_a_goal_is_listed_only_while_its_title_is_shared_and_its_ratings_only_while_both_are(
    engagement, mentee, title_state, ratings_state
):
    _goal_with_ratings(engagement, mentee, title_state=title_state, ratings_state=ratings_state)

    progress = shared_progress([engagement])[engagement.pk]

    if title_state != "shared":
        assert progress.goals == []
        return
    (goal,) = progress.goals
    assert goal.title == "Delegate the weekly planning"
    assert goal.focus_area == "Leadership"
    assert goal.ratings == ([(DAY_1, 3), (DAY_2, 7)] if ratings_state == "shared" else [])


@pytest.mark.parametrize(("state", "listed"), [("private", False), ("shared", True), ("withdrawn", False)])
def test_a_statement_is_listed_only_while_shared(engagement, mentee, state, listed):
    factories.make_statement(engagement=engagement, text="I hand over the planning now.", state=state)

    statements = shared_progress([engagement])[engagement.pk].statements

    assert [s.text for s in statements] == (["I hand over the planning now."] if listed else [])
    if listed:
        assert statements[0].author_name == mentee.display_name
        assert statements[0].shared_on == datetime.date(2026, 11, 18)


def test_the_mentors_view_never_reaches_the_series(engagement, mentee, mentor):
    goal = factories.make_goal(engagement=engagement, shared=("title", "ratings"))
    factories.make_check_in(engagement=engagement, person=mentee, on=DAY_1, goals={goal: 4})
    factories.make_check_in(engagement=engagement, person=mentor, on=DAY_2, goals={goal: 9})

    (shared,) = shared_progress([engagement])[engagement.pk].goals

    assert shared.ratings == [(DAY_1, 4)]


def test_archived_goals_are_not_shown(engagement):
    factories.make_goal(
        engagement=engagement, shared=("title",), archived_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    )

    assert shared_progress([engagement])[engagement.pk].goals == []


def test_team_goals_average_the_members_ratings_of_a_day_and_member_goals_name_the_member(team_engagement, members):
    team_goal = factories.make_goal(
        engagement=team_engagement, team_goal=True, title="One voice", shared=("title", "ratings")
    )
    own = factories.make_goal(engagement=team_engagement, member=members[0], title="Mine", shared=("title", "ratings"))
    factories.make_check_in(engagement=team_engagement, person=members[0], on=DAY_1, goals={team_goal: 4, own: 2})
    factories.make_check_in(engagement=team_engagement, person=members[1], on=DAY_1, goals={team_goal: 7, own: 9})

    goals = {goal.title: goal for goal in shared_progress([team_engagement])[team_engagement.pk].goals}

    assert goals["One voice"].member_name is None
    assert goals["One voice"].ratings == [(DAY_1, 6)]  # (4 + 7) / 2, the half rounded up
    assert goals["Mine"].member_name == members[0].display_name
    assert goals["Mine"].ratings == [(DAY_1, 2)]  # another member's rating of it does not count


def test_withdrawing_hides_the_item_on_the_next_call(engagement, mentee):
    goal = factories.make_goal(engagement=engagement, title="Say no", shared=("title", "ratings"))
    statement = factories.make_statement(engagement=engagement, state="shared")
    assert shared_progress([engagement])[engagement.pk].goals

    consent.set_goal_consent(actor=mentee, goal=goal, item=ConsentItem.GOAL_TITLE, share=False)
    consent.set_statement_consent(actor=mentee, statement=statement, share=False)

    progress = shared_progress([engagement])[engagement.pk]
    assert progress.goals == []
    assert progress.statements == []
    goal.refresh_from_db()
    assert goal.title_consent == ConsentState.WITHDRAWN
    assert list(ConsentEvent.objects.values_list("item", "action").order_by("pk")) == [
        ("goal_title", "withdrawn"),
        ("statement", "withdrawn"),
    ]


def test_every_engagement_given_has_an_entry_and_others_are_not_read(engagement, outsider_engagement):
    factories.make_goal(engagement=outsider_engagement, shared=("title",))

    result = shared_progress([engagement])

    assert list(result) == [engagement.pk]
    assert result[engagement.pk].is_empty


def test_the_query_count_does_not_grow_with_the_engagements(mentor, organisation):
    def world(count):
        engagements = []
        for _ in range(count):
            engagement = factories.make_engagement(
                organisation=organisation, mentor=mentor, status=Engagement.Status.ACTIVE, focus=["leadership"]
            )
            goal = factories.make_goal(engagement=engagement, shared=("title", "ratings"))
            factories.make_check_in(engagement=engagement, person=engagement.mentee, on=DAY_1, goals={goal: 5})
            factories.make_statement(engagement=engagement, state="shared")
            engagements.append(engagement)
        return engagements

    one, ten = world(1), world(10)
    with CaptureQueriesContext(connection) as first:
        shared_progress(one)
    with CaptureQueriesContext(connection) as second:
        result = shared_progress(ten)
    assert len(first) == len(second) == 3
    assert all(len(progress.goals) == 1 and progress.goals[0].ratings for progress in result.values())


def test_the_include_renders_titles_statements_and_a_chart_with_its_table():
    progress_html = render_shared_progress(
        SharedProgress(
            goals=[SharedGoal("Say no <b>", "Leadership", None, [(DAY_1, 3), (DAY_2, 7)], goal_id=5)],
            statements=[SharedStatement("Dave Mentee", "Calmer now.", DAY_2)],
        )
    )

    assert "Say no &lt;b&gt;" in progress_html
    assert 'id="shared-goal-5-title"' in progress_html
    assert "<table" in progress_html
    assert "Calmer now." in progress_html
    assert "A goal of the whole team" in progress_html
