"""A mentee's feedback on a held session: once per session, only after it was held, only by its
mentees; bad input; the home-page request list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import messages_of
from demo.factories import make_session
from sessions.followup import services as followup
from sessions.models import Feedback, SessionStatus

pytestmark = pytest.mark.clock


def feedback_url(session) -> str:
    return reverse("mentoring_sessions:session-feedback", args=[session.uuid])


GOOD = {"usefulness": "4", "trust": "5", "comment": "Clear next steps."}


def test_mentee_is_asked_with_radio_buttons(client, held, mentee):
    client.force_login(mentee)
    page = client.get(feedback_url(held)).content.decode()
    assert page.count('type="radio" name="usefulness"') == 5
    assert page.count('type="radio" name="trust"') == 5
    assert "<legend>" in page  # each scale is a fieldset with its question as the legend


def test_mentee_gives_feedback(client, held, mentee):
    client.force_login(mentee)
    response = client.post(feedback_url(held), GOOD, follow=True)
    assert "Thank you for your feedback." in messages_of(response)
    feedback = Feedback.objects.get()
    assert (feedback.session, feedback.mentee, feedback.usefulness, feedback.trust, feedback.comment) == (
        held,
        mentee,
        4,
        5,
        "Clear next steps.",
    )


def test_comment_is_optional(client, held, mentee):
    client.force_login(mentee)
    assert client.post(feedback_url(held), {"usefulness": "1", "trust": "1"}).status_code == 302
    assert Feedback.objects.get().comment == ""


def test_a_second_visit_says_thanks_and_shows_only_the_own_answers(client, held, mentee, rate, engagement):
    rate(session=held, mentee=mentee, usefulness=3, trust=2, comment="Mine")
    client.force_login(mentee)
    page = client.get(feedback_url(held)).content.decode()
    assert "you have already given feedback on this session" in page
    assert "Mine" in page
    assert 'name="usefulness"' not in page


def test_a_double_submit_keeps_one_row_and_the_first_answer(client, held, mentee):
    client.force_login(mentee)
    assert client.post(feedback_url(held), GOOD).status_code == 302
    second = client.post(feedback_url(held), {"usefulness": "1", "trust": "1", "comment": "changed"})
    assert second.status_code == 409
    feedback = Feedback.objects.get()
    assert (feedback.usefulness, feedback.trust, feedback.comment) == (4, 5, "Clear next steps.")


def test_the_service_returns_the_existing_feedback_on_a_second_call(held, mentee):
    first, created = followup.give_feedback(session=held, mentee=mentee, usefulness=5, trust=5)
    again, created_again = followup.give_feedback(session=held, mentee=mentee, usefulness=1, trust=1)
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Feedback.objects.get().usefulness == 5


@pytest.mark.parametrize(
    "status", [SessionStatus.CONFIRMED, SessionStatus.REQUESTED, SessionStatus.CANCELLED, SessionStatus.NO_SHOW]
)
def test_feedback_before_the_session_was_held_is_refused(client, engagement, held_session, mentee, status):
    session = held_session(engagement, status=status)
    client.force_login(mentee)
    page = client.get(feedback_url(session))
    assert page.status_code == 200
    assert "once the session has been held" in page.content.decode()
    assert 'name="usefulness"' not in page.content.decode()
    assert client.post(feedback_url(session), GOOD).status_code == 409
    assert not Feedback.objects.exists()
    with pytest.raises(ValidationError):
        followup.give_feedback(session=session, mentee=mentee, usefulness=4, trust=4)


def test_an_upcoming_session_is_refused_too(client, engagement, mentee):
    start = timezone.now() + datetime.timedelta(days=3)
    session = make_session(engagement=engagement, start=start, status=SessionStatus.CONFIRMED)
    client.force_login(mentee)
    assert client.post(feedback_url(session), GOOD).status_code == 409
    assert not Feedback.objects.exists()


def test_the_service_refuses_somebody_who_is_not_a_mentee_of_the_session(held, mentor, outsider_mentee):
    for person in (mentor, outsider_mentee):
        with pytest.raises(ValidationError):
            followup.give_feedback(session=held, mentee=person, usefulness=4, trust=4)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"usefulness": "0", "trust": "3"}, "usefulness"),
        ({"usefulness": "6", "trust": "3"}, "usefulness"),
        ({"usefulness": "x", "trust": "3"}, "usefulness"),
        ({"usefulness": "", "trust": "3"}, "usefulness"),
        ({"usefulness": "3", "trust": "0"}, "trust"),
        ({"usefulness": "3", "trust": "6"}, "trust"),
        ({"usefulness": "3", "trust": "x"}, "trust"),
        ({"usefulness": "3"}, "trust"),
        ({"usefulness": "3.5", "trust": "3"}, "usefulness"),
        ({"usefulness": "3", "trust": "3", "comment": "z" * 2001}, "comment"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, held, mentee, data, field):
    client.force_login(mentee)
    response = client.post(feedback_url(held), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Feedback.objects.exists()


def test_a_comment_of_2000_characters_is_fine(client, held, mentee):
    client.force_login(mentee)
    assert client.post(feedback_url(held), {**GOOD, "comment": "z" * 2000}).status_code == 302


def test_html_in_the_comment_is_stored_as_given_and_shown_escaped(client, held, mentee, consultancy_admin):
    comment = "<script>alert(1)</script>\n<b>second line</b>"
    client.force_login(mentee)
    client.post(feedback_url(held), {**GOOD, "comment": comment})
    assert Feedback.objects.get().comment == comment
    for viewer, url in (
        (mentee, feedback_url(held)),
        (consultancy_admin, reverse("mentoring_sessions:engagement-feedback", args=[held.engagement.uuid])),
    ):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;second line&lt;/b&gt;" in page


def test_each_team_member_gives_their_own_feedback(client, team_engagement, team, held_session):
    session = held_session(team_engagement)
    members = [membership.user for membership in team.memberships.all()]
    for member in members:
        client.force_login(member)
        assert client.post(feedback_url(session), GOOD).status_code == 302
    assert Feedback.objects.filter(session=session).count() == len(members)
    # A member sees only their own feedback.
    Feedback.objects.filter(mentee=members[0]).update(comment="first member's words")
    client.force_login(members[1])
    assert "first member" not in client.get(feedback_url(session)).content.decode()


# The home-page request list ---------------------------------------------------------------------


def _render(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = {"feedback_requests": followup.sessions_awaiting_feedback(user), "user": user}
    return render_to_string("sessions/includes/home_feedback_requests.html", context, request=request)


def test_awaiting_feedback_lists_recent_held_sessions_without_feedback(engagement, held_session, mentee, rate):
    recent = held_session(engagement, days_ago=2)
    older = held_session(engagement, days_ago=20)
    rated = held_session(engagement, days_ago=5)
    rate(session=rated, mentee=mentee)
    held_session(engagement, days_ago=40)  # too long ago
    held_session(engagement, days_ago=3, status=SessionStatus.NO_SHOW)
    held_session(engagement, days_ago=4, status=SessionStatus.CANCELLED)
    assert followup.sessions_awaiting_feedback(mentee) == [recent, older]
    html = _render(mentee)
    assert feedback_url(recent) in html
    assert feedback_url(rated) not in html


def test_awaiting_feedback_covers_team_sessions_per_member(team_engagement, team, held_session, rate):
    session = held_session(team_engagement)
    first, second = [membership.user for membership in team.memberships.order_by("pk")[:2]]
    rate(session=session, mentee=first)
    assert followup.sessions_awaiting_feedback(first) == []
    assert followup.sessions_awaiting_feedback(second) == [session]


@pytest.mark.parametrize("who", ["mentor", "consultancy_admin", "outsider_mentee"])
def test_nobody_but_the_mentee_is_asked(request, held, who):
    person = request.getfixturevalue(who)
    assert followup.sessions_awaiting_feedback(person) == []
    assert _render(person).strip() == ""


def test_awaiting_feedback_in_a_fixed_number_of_queries(engagement, held_session, mentee, django_assert_num_queries):
    # The mentee's seats, the engagements they may see, the sessions' ids, then those sessions
    # with their mentors: the same for one session or nineteen.
    held_session(engagement, days_ago=1)
    with django_assert_num_queries(4):
        _render(mentee)
    for days in range(2, 20):
        held_session(engagement, days_ago=days)
    with django_assert_num_queries(4):
        html = _render(mentee)
    assert html.count("Give feedback on the session") == 19
