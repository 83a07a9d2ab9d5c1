"""The progress charts on the engagement page (mentee, mentor, admin), before/after at the review
and in the outcome; a team member sees their own goal and the team's, never another member's."""

import datetime

import pytest
from django.urls import reverse

from demo import factories
from mentorship.models import EngagementOutcome

DAY_1, DAY_2 = datetime.date(2026, 9, 1), datetime.date(2026, 11, 1)


@pytest.fixture
def rated(engagement, mentee, mentor):
    goal = factories.make_goal(engagement=engagement, title="Delegate the planning")
    area = engagement.focus_areas.get()
    factories.make_check_in(engagement=engagement, person=mentee, on=DAY_1, goals={goal: 3}, clarity={area: 2})
    factories.make_check_in(
        engagement=engagement, person=mentee, kind="review", on=DAY_2, goals={goal: 8}, clarity={area: 7}
    )
    factories.make_check_in(engagement=engagement, person=mentor, on=DAY_1, goals={goal: 5})
    return goal


def _before_after_rows(html):
    return html.split('class="before-after"')[1].split("</table>")[0]


@pytest.mark.parametrize("person", ["mentee", "mentor", "consultancy_admin"])
def test_the_engagement_page_shows_the_charts_and_before_after(client, request, engagement, rated, person):
    client.force_login(request.getfixturevalue(person))

    html = client.get(engagement.get_absolute_url()).content.decode()

    assert f'id="goal-{rated.pk}-title"' in html
    assert 'id="clarity-map-title"' in html
    assert "The mentor&#x27;s view" in html  # the mentor's own line, apart from the mentee's
    rows = _before_after_rows(html)
    assert "<td>3</td><td>8</td><td>+5</td>" in rows
    assert "<td>2</td><td>7</td><td>+5</td>" in rows
    assert reverse("progress:plan", args=[engagement.uuid]) in html


def test_a_mentor_only_asked_to_take_it_sees_no_progress(client, engagement, other_mentor, rated):
    factories.make_assignment(engagement=engagement, mentor=other_mentor)
    client.force_login(other_mentor)

    html = client.get(engagement.get_absolute_url()).content.decode()

    assert 'id="progress-heading"' not in html


def test_the_review_page_shows_before_and_after(client, consultancy_admin, engagement, rated):
    client.force_login(consultancy_admin)

    html = client.get(reverse("reporting:engagement-review", args=[engagement.uuid])).content.decode()

    assert "Progress: before and after" in html
    assert "<td>3</td><td>8</td><td>+5</td>" in _before_after_rows(html)


def test_the_outcome_carries_before_and_after(client, mentee, engagement, rated):
    engagement.status = "completed"
    engagement.save()
    EngagementOutcome.objects.create(engagement=engagement, mentee_words="I delegate now.")
    client.force_login(mentee)

    html = client.get(engagement.get_absolute_url()).content.decode()

    outcome = html.split('id="outcome-heading"')[1].split("</section>")[0]
    assert "<td>3</td><td>8</td><td>+5</td>" in outcome


def test_a_team_member_sees_the_teams_and_their_own_goals_charts_only(client, team_engagement, members):
    team_goal = factories.make_goal(engagement=team_engagement, team_goal=True, title="One voice")
    own = factories.make_goal(engagement=team_engagement, member=members[0], title="Listen")
    other = factories.make_goal(engagement=team_engagement, member=members[1], title="Decide")
    factories.make_check_in(engagement=team_engagement, person=members[1], on=DAY_1, goals={team_goal: 9, other: 9})
    client.force_login(members[0])

    html = client.get(team_engagement.get_absolute_url()).content.decode()

    assert f'id="goal-{team_goal.pk}-heading"' in html
    assert f'id="goal-{own.pk}-heading"' in html
    assert f'id="goal-{other.pk}-heading"' not in html
    assert "<td>9</td>" not in html  # another member's ratings stay theirs
