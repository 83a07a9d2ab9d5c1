"""A person's sessions: the list page and the home page box."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories import make_member
from mentorship.models import Engagement
from sessions.booking import selectors
from sessions.models import SessionStatus

pytestmark = pytest.mark.clock

LIST_URL = reverse("mentoring_sessions:session-list")


def test_upcoming_and_past_sessions_are_listed_apart(
    client, ready, mentee, neutral_venue, session_factory, outsider_engagement
):
    upcoming = session_factory(ready, hours_from_now=48, venue=neutral_venue)
    later = session_factory(ready, hours_from_now=96)
    past = session_factory(ready, hours_from_now=-96)
    cancelled = session_factory(ready, hours_from_now=120, status=SessionStatus.CANCELLED, late_cancellation=True)
    session_factory(outsider_engagement, hours_from_now=48)  # someone else's
    client.force_login(mentee)
    response = client.get(LIST_URL)
    assert [s.pk for s in response.context["upcoming"]] == [upcoming.pk, later.pk]
    assert [s.pk for s in response.context["past"]] == [cancelled.pk, past.pk]
    html = response.content.decode()
    assert ready.mentor.display_name in html  # the other party
    assert "Riverside Rooms, Göteborg" in html
    assert upcoming.get_absolute_url() in html
    assert f"/engagements/{ready.uuid}/" in html
    assert "late" in html
    assert 'class="table-scroll"' in html


def test_the_mentor_sees_the_mentee_as_the_other_party(client, ready, mentee, session_factory):
    session_factory(ready)
    client.force_login(ready.mentor)
    html = client.get(LIST_URL).content.decode()
    assert mentee.display_name in html


def test_an_empty_list_says_so(client, outsider_mentee):
    client.force_login(outsider_mentee)
    html = client.get(LIST_URL).content.decode()
    assert "No upcoming sessions." in html
    assert "No past sessions yet." in html


def test_past_sessions_are_paged(client, ready, mentee, session_factory):
    for day in range(1, 31):
        session_factory(ready, hours_from_now=-24 * day)
    client.force_login(mentee)
    first = client.get(LIST_URL)
    assert len(first.context["past"]) == 25
    second = client.get(LIST_URL, {"page": "2"})
    assert len(second.context["past"]) == 5
    assert client.get(LIST_URL, {"page": "nonsense"}).status_code == 200


def test_upcoming_sessions_are_paged_apart_from_the_past(client, ready, mentee, session_factory):
    upcoming = [session_factory(ready, hours_from_now=24 * day) for day in range(1, 31)]
    for day in range(1, 28):
        session_factory(ready, hours_from_now=-24 * day)
    client.force_login(mentee)
    first = client.get(LIST_URL, {"page": "2"})
    assert [s.pk for s in first.context["upcoming"]] == [s.pk for s in upcoming[:25]]
    assert len(first.context["past"]) == 2  # the past list keeps its own page
    html = first.content.decode()
    assert 'aria-label="Pages of upcoming sessions"' in html
    assert 'href="?page=2&amp;upcoming=2" rel="next"' in html  # the other list's page is kept
    second = client.get(LIST_URL, {"upcoming": "2", "page": "2"})
    assert [s.pk for s in second.context["upcoming"]] == [s.pk for s in upcoming[25:]]
    assert len(second.context["past"]) == 2
    assert client.get(LIST_URL, {"upcoming": "nonsense"}).status_code == 200


def test_an_outsider_sees_none_of_the_sessions(client, ready, session_factory, outsider_mentee):
    session_factory(ready, hours_from_now=48)
    session_factory(ready, hours_from_now=-48)
    client.force_login(outsider_mentee)
    response = client.get(LIST_URL)
    assert (list(response.context["upcoming"]), list(response.context["past"])) == ([], [])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_makes_the_same_number_of_queries_for_5_or_50_sessions(
    client, ready, team_ready, mentee, session_factory
):
    def add(count: int, offset: int) -> None:
        for index in range(offset, offset + count):
            # Alternate individual and team sessions, past and upcoming, apart in time.
            engagement = ready if index % 2 else team_ready
            hours = (index + 1) * 5 * (1 if index % 3 else -1)
            session_factory(engagement, hours_from_now=hours, status=SessionStatus.CONFIRMED)

    client.force_login(ready.mentor)
    add(5, 0)
    few = _queries(client, LIST_URL)
    add(45, 5)
    assert _queries(client, LIST_URL) == few


def test_home_box_shows_a_team_members_upcoming_sessions(team_ready, session_factory, django_assert_num_queries):
    member = team_ready.team.memberships.first().user
    sessions = [session_factory(team_ready, hours_from_now=24 * day) for day in range(2, 9)]
    session_factory(team_ready, hours_from_now=-48)
    # The member's seats, the engagements they may see, the sessions' ids, those sessions with
    # their people, the engagements to book.
    with django_assert_num_queries(5):
        box = selectors.upcoming_for_home(member)
    assert [s.pk for s in box["sessions"]] == [s.pk for s in sessions[:5]]
    assert box["has_more"] is True
    assert box["to_book"] == []  # the team's sessions are booked by the mentor


def test_home_box_invites_a_mentee_to_book_when_nothing_is_booked(ready, mentee, session_factory):
    box = selectors.upcoming_for_home(mentee)
    assert (box["sessions"], box["to_book"]) == ([], [ready])
    html = render_to_string("sessions/includes/home_upcoming.html", {"home_sessions": box, "user": mentee})
    assert reverse("mentoring_sessions:book", args=[ready.uuid]) in html
    assert "No upcoming sessions." in html

    session_factory(ready)
    box = selectors.upcoming_for_home(mentee)
    assert (len(box["sessions"]), box["to_book"]) == (1, [])
    html = render_to_string("sessions/includes/home_upcoming.html", {"home_sessions": box, "user": mentee})
    assert box["sessions"][0].get_absolute_url() in html
    assert f"with {ready.mentor.display_name}" in html


def test_home_box_lists_the_mentors_engagements_to_book(
    ready, team_ready, engagement_factory, user_factory, organisation
):
    paused_mentee = user_factory(email="paused@example.org", roles=("mentee",))
    make_member(organisation=organisation, user=paused_mentee)
    engagement_factory(mentee=paused_mentee, mentor=ready.mentor, status=Engagement.Status.PAUSED)
    box = selectors.upcoming_for_home(ready.mentor)
    assert {engagement.pk for engagement in box["to_book"]} == {ready.pk, team_ready.pk}


def test_home_box_keeps_other_peoples_sessions_out(ready, session_factory, outsider_mentee, other_mentor):
    session_factory(ready)
    for person in (outsider_mentee, other_mentor):
        assert selectors.upcoming_for_home(person)["sessions"] == []


def test_home_box_makes_the_same_number_of_queries_for_many_sessions(ready, mentee, session_factory):
    session_factory(ready, hours_from_now=30)
    with CaptureQueriesContext(connection) as few:
        selectors.upcoming_for_home(mentee)
    for day in range(2, 30):
        session_factory(ready, start=None, hours_from_now=24 * day + 30)
    with CaptureQueriesContext(connection) as many:
        box = selectors.upcoming_for_home(mentee)
    assert len(many) == len(few)
    assert len(box["sessions"]) == 5
    assert box["sessions"][0].start < box["sessions"][1].start
    assert all(isinstance(s.start, datetime.datetime) for s in box["sessions"])
