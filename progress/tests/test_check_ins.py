"""Check-ins: ratings 1–10 of each goal and each focus area, at the start, after a held session
(linked from the session page) and at the review; once per person, kind and session — a double
submit records one; the mentor's view is kept apart."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from demo import factories
from progress.check_ins import services
from progress.models import AuthorRole, CheckIn, GoalRating


def _url(engagement, kind="start"):
    return reverse("progress:check-in", kwargs={"engagement_uuid": engagement.uuid, "kind": kind})


def _session_url(engagement, session):
    return reverse(
        "progress:check-in-session", kwargs={"engagement_uuid": engagement.uuid, "session_uuid": session.uuid}
    )


@pytest.fixture
def goal(engagement):
    return factories.make_goal(engagement=engagement, title="Delegate")


@pytest.fixture
def area(engagement):
    return engagement.focus_areas.get()


def _data(goal, area, goal_score="6", area_score="4"):
    return {f"goal_{goal.pk}": goal_score, f"area_{area.pk}": area_score}


def test_the_mentee_checks_in_at_the_start(client, mentee, engagement, goal, area):
    client.force_login(mentee)

    response = client.post(_url(engagement), _data(goal, area))

    assert response.status_code == 302
    check_in = CheckIn.objects.get()
    assert (check_in.person, check_in.author_role, check_in.kind) == (mentee, AuthorRole.MENTEE, "start")
    assert check_in.goal_ratings.get().score == 6
    assert check_in.clarity_ratings.get().score == 4


@pytest.mark.parametrize("bad", ["0", "11", "-3", "seven", ""])
def test_a_rating_outside_1_to_10_is_refused_next_to_its_field(client, mentee, engagement, goal, area, bad):
    client.force_login(mentee)

    response = client.post(_url(engagement), _data(goal, area, goal_score=bad))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_goal_{goal.pk}_error"' in html
    assert "Give a number from 1 to 10." in html
    assert not CheckIn.objects.exists()


def test_a_double_submit_records_one_check_in_with_a_friendly_message(client, mentee, engagement, goal, area):
    client.force_login(mentee)

    client.post(_url(engagement), _data(goal, area))
    second = client.post(_url(engagement), _data(goal, area, goal_score="9"), follow=True)

    assert CheckIn.objects.count() == 1
    assert GoalRating.objects.get().score == 6
    assert "You already made this check-in" in second.content.decode()


def test_the_service_refuses_a_second_one_and_the_constraint_holds_against_races(mentee, engagement, goal, area):
    services.record_check_in(actor=mentee, engagement=engagement, kind="start", goal_scores={goal: 5}, area_scores={})

    with pytest.raises(ValidationError) as refused:
        services.record_check_in(
            actor=mentee, engagement=engagement, kind="start", goal_scores={goal: 5}, area_scores={}
        )
    assert refused.value.code == services.ALREADY
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(engagement=engagement, person=mentee, author_role="mentee", kind="start")


def test_the_rating_constraint_refuses_out_of_range_scores(mentee, engagement, goal):
    check_in = factories.make_check_in(engagement=engagement, person=mentee)

    with pytest.raises(IntegrityError), transaction.atomic():
        GoalRating.objects.create(check_in=check_in, goal=goal, score=11)


def test_the_after_session_check_in_is_linked_from_a_held_sessions_page(client, mentee, engagement, held, goal, area):
    client.force_login(mentee)

    page = client.get(held.get_absolute_url()).content.decode()
    assert _session_url(engagement, held) in page

    client.post(_session_url(engagement, held), _data(goal, area))
    check_in = CheckIn.objects.get()
    assert (check_in.kind, check_in.session, check_in.on) == ("session", held, held.start.date())


def test_an_upcoming_session_cannot_be_checked_in_on(client, mentee, engagement, past_session, goal, area):
    upcoming = past_session(engagement, days_ago=-3, status="confirmed")
    client.force_login(mentee)

    assert _session_url(engagement, upcoming) not in client.get(upcoming.get_absolute_url()).content.decode()
    response = client.post(_session_url(engagement, upcoming), _data(goal, area), follow=True)

    assert "once the session has been held" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_session_of_another_engagement_is_404(client, mentee, engagement, outsider_engagement, past_session):
    foreign = past_session(outsider_engagement)
    client.force_login(mentee)

    assert client.get(_session_url(engagement, foreign)).status_code == 404


def test_the_mentors_view_is_stored_apart(client, mentee, mentor, engagement, goal, area):
    client.force_login(mentee)
    client.post(_url(engagement), _data(goal, area, goal_score="3"))
    client.force_login(mentor)
    client.post(_url(engagement), _data(goal, area, goal_score="8"))

    roles = dict(CheckIn.objects.values_list("author_role", "goal_ratings__score"))
    assert roles == {"mentee": 3, "mentor": 8}


def test_the_mentor_records_their_view_after_a_session_from_its_page(client, mentor, engagement, held, goal, area):
    client.force_login(mentor)

    assert _session_url(engagement, held) in client.get(held.get_absolute_url()).content.decode()
    client.post(_session_url(engagement, held), _data(goal, area, goal_score="7"))

    check_in = CheckIn.objects.get()
    assert (check_in.author_role, check_in.kind, check_in.session) == (AuthorRole.MENTOR, "session", held)
