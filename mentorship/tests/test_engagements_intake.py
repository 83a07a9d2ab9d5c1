"""The mentee's intake questionnaire, and the engagements on the home page."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from demo.factories import build_engagement, make_intake
from mentorship.engagements import selectors
from mentorship.models import Engagement, EngagementEvent, IntakeResponse

ANSWERS = {"own_goals": "Delegate more.", "commitment": "4", "wants_from_mentor": "Straight talk."}


def _url(engagement):
    return reverse("mentorship:engagement-intake", kwargs={"engagement_uuid": engagement.uuid})


@pytest.mark.django_db
def test_mentee_answers_the_intake_and_can_change_it(client, engagement):
    client.force_login(engagement.mentee)
    response = client.post(_url(engagement), ANSWERS)
    assert response.status_code == 302
    answer = IntakeResponse.objects.get()
    assert (answer.mentee, answer.commitment, answer.own_goals) == (engagement.mentee, 4, "Delegate more.")
    form = client.get(_url(engagement)).context["form"]
    assert form["own_goals"].value() == "Delegate more."
    client.post(_url(engagement), ANSWERS | {"commitment": "5"})
    assert IntakeResponse.objects.get().commitment == 5
    assert EngagementEvent.objects.filter(kind="intake_submitted").count() == 1


@pytest.mark.django_db
def test_a_double_submit_keeps_one_answer(client, engagement):
    client.force_login(engagement.mentee)
    client.post(_url(engagement), ANSWERS)
    client.post(_url(engagement), ANSWERS)
    assert IntakeResponse.objects.count() == 1
    assert EngagementEvent.objects.filter(kind="intake_submitted").count() == 1


@pytest.mark.django_db
def test_each_team_member_answers_separately(client, team_engagement):
    members = [membership.user for membership in team_engagement.team.memberships.all()]
    for member in members:
        client.force_login(member)
        assert client.post(_url(team_engagement), ANSWERS).status_code == 302
    assert {answer.mentee for answer in IntakeResponse.objects.all()} == set(members)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ANSWERS | {"commitment": "0"}, "commitment"),
        (ANSWERS | {"commitment": "6"}, "commitment"),
        (ANSWERS | {"commitment": "lots"}, "commitment"),
        ({"own_goals": "x", "wants_from_mentor": "y"}, "commitment"),
        (ANSWERS | {"own_goals": ""}, "own_goals"),
        (ANSWERS | {"own_goals": "x" * 5001}, "own_goals"),
        (ANSWERS | {"wants_from_mentor": "x" * 5001}, "wants_from_mentor"),
    ],
)
def test_bad_intake_input_is_a_form_error(client, engagement, data, field):
    client.force_login(engagement.mentee)
    response = client.post(_url(engagement), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not IntakeResponse.objects.exists()


@pytest.mark.django_db
def test_script_in_answers_is_stored_as_given_and_shown_escaped(client, engagement, mentor):
    client.force_login(engagement.mentee)
    client.post(_url(engagement), ANSWERS | {"own_goals": "<script>alert(1)</script>"})
    assert IntakeResponse.objects.get().own_goals == "<script>alert(1)</script>"
    client.force_login(mentor)
    html = client.get(engagement.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Engagement.Status.COMPLETED, Engagement.Status.CANCELLED])
def test_an_ended_engagement_takes_no_answers(client, engagement_factory, mentee, mentor, status):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=status)
    client.force_login(mentee)
    assert "form" not in client.get(_url(engagement)).content.decode().split("<main", 1)[1].split("<footer")[0]
    response = client.post(_url(engagement), ANSWERS, follow=True)
    assert "can no longer change" in response.content.decode()
    assert not IntakeResponse.objects.exists()


@pytest.mark.django_db
def test_a_proposed_engagement_takes_answers_before_a_mentor_is_found(client, engagement_factory, mentee):
    engagement = engagement_factory(mentee=mentee)
    client.force_login(mentee)
    assert client.post(_url(engagement), ANSWERS).status_code == 302


# Home page partial ------------------------------------------------------------------------------


def _render_home_partial(user):
    request = RequestFactory().get("/")
    request.user = user
    context = {"user": user, "home_engagements": selectors.home_engagements_for(user)}
    return render_to_string("mentorship/includes/home_engagements.html", context, request=request)


@pytest.mark.django_db
def test_home_invites_the_mentee_to_answer_until_they_have(engagement, team_engagement, outsider_engagement):
    member = team_engagement.team.memberships.first().user
    html = _render_home_partial(member)
    assert "Alder leadership team" in html
    assert _url(team_engagement) in html
    assert "Dave Mentee" not in html
    assert "Erin Outsider" not in html
    make_intake(engagement=team_engagement, mentee=member, own_goals="g", commitment=3, wants_from_mentor="w")
    assert _url(team_engagement) not in _render_home_partial(member)


@pytest.mark.django_db
def test_home_lists_the_mentors_active_engagements(
    mentor, engagement, team_engagement, engagement_factory, mentee, django_assert_max_num_queries
):
    paused = engagement_factory(mentee=mentee, mentor=mentor, status=Engagement.Status.PAUSED, goals="Paused")
    with django_assert_max_num_queries(1):
        context = selectors.home_engagements_for(mentor)
    assert set(context["mentor_engagements"]) == {engagement, team_engagement}
    assert paused not in context["mentor_engagements"]
    assert context["mentee_engagements"] == []
    html = _render_home_partial(mentor)
    assert "Dave Mentee" in html
    assert "Alder leadership team" in html


@pytest.mark.django_db
def test_home_leaves_out_ended_engagements(engagement_factory, mentee, mentor):
    engagement_factory(mentee=mentee, mentor=mentor, status=Engagement.Status.COMPLETED)
    assert selectors.home_engagements_for(mentee)["mentee_engagements"] == []


def _add_engagements(count, **fields):
    return Engagement.objects.bulk_create(build_engagement(**fields) for _index in range(count))


@pytest.mark.django_db
def test_home_shows_ten_of_each_list_and_how_many_more(mentor, mentee, team, django_assert_max_num_queries):
    _add_engagements(12, mentee=mentee, mentor=mentor, status=Engagement.Status.ACTIVE)
    team.memberships.create(user=mentee, title="CTO")
    _add_engagements(1, team=team, status=Engagement.Status.PROPOSED)
    with django_assert_max_num_queries(2):  # ten and one more, then the count
        mentored = selectors.home_engagements_for(mentor)
    assert (len(mentored["mentor_engagements"]), mentored["mentor_more"]) == (10, 2)
    own = selectors.home_engagements_for(mentee)
    assert (len(own["mentee_engagements"]), own["mentee_more"]) == (10, 3)
    html = _render_home_partial(mentor)
    assert "And 2 more active engagements" in html
    assert reverse("mentorship:engagement-list") + "?status=active" in html
    assert "And 3 more engagements" in _render_home_partial(mentee)


@pytest.mark.django_db
def test_home_engagements_leave_out_other_peoples(outsider_mentee, engagement, team_engagement):
    context = selectors.home_engagements_for(outsider_mentee)
    assert (context["mentee_engagements"], context["mentee_more"]) == ([], 0)
