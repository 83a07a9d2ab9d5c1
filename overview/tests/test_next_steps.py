"""What happens next, at the top of a mentee's and a mentor's home page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_assignment, make_engagement, make_note, make_session

pytestmark = pytest.mark.django_db

HOME = reverse("overview:home")


def test_mentee_home_leads_with_the_mentorship_and_one_booking_button(client, mentee, engagement):
    client.force_login(mentee)
    html = client.get(HOME).content.decode()
    heading = html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert f"Your mentorship with {engagement.mentor.display_name}" in heading
    assert mentee.display_name not in heading
    assert "is not booked yet" in html
    assert html.count('class="button" href="' + reverse("mentoring_sessions:book", args=[engagement.uuid])) == 1


def test_a_booked_session_is_the_next_step(client, mentee, engagement):
    session = make_session(engagement=engagement)
    client.force_login(mentee)
    html = client.get(HOME).content.decode()
    assert "Your next session is booked" in html
    assert reverse("mentoring_sessions:session-detail", args=[session.uuid]) in html
    assert "Book your next session" not in html


def test_waiting_for_a_mentor_says_what_happens_next(client, mentee, other_mentor):
    proposed = make_engagement(mentee=mentee)
    client.force_login(mentee)
    html = client.get(HOME).content.decode()
    assert "The consultancy is finding your mentor." in html
    assert reverse("mentorship:engagement-intake", args=[proposed.uuid]) in html  # the one thing to do meanwhile
    make_assignment(engagement=proposed, mentor=other_mentor)
    assert f"{other_mentor.display_name} has been asked to be your mentor" in client.get(HOME).content.decode()


def test_a_team_member_who_does_not_book_is_told_who_does(client, team_engagement, members):
    client.force_login(members[0])
    html = client.get(HOME).content.decode()
    assert f"Your team&#x27;s mentorship with {team_engagement.mentor.display_name}" in html
    assert "Book your next session" not in html


def test_nobody_elses_mentorship_is_shown(client, outsider_mentee, engagement):
    client.force_login(outsider_mentee)
    html = client.get(HOME).content.decode()
    assert "Your mentorship with" not in html
    assert "Welcome" in html


def test_mentor_sees_todays_sessions_and_notes_to_write(client, mentor, engagement):
    now = timezone.now()
    today = make_session(engagement=engagement, start=now + datetime.timedelta(hours=2))
    held = make_session(engagement=engagement, start=now - datetime.timedelta(days=3), status="completed")
    noted = make_session(engagement=engagement, start=now - datetime.timedelta(days=10), status="completed")
    make_note(session=noted, author=mentor)
    client.force_login(mentor)
    html = client.get(HOME).content.decode()
    todo = html.split('id="mentor-todo-heading"', 1)[1].split("</section>", 1)[0]
    assert reverse("mentoring_sessions:session-detail", args=[today.uuid]) in todo
    assert reverse("mentoring_sessions:session-detail", args=[held.uuid]) in todo
    assert reverse("mentoring_sessions:session-detail", args=[noted.uuid]) not in todo


def test_mentor_with_nothing_to_do_is_told_so(client, mentor):
    client.force_login(mentor)
    assert "every recent session has your note" in client.get(HOME).content.decode()


def test_mentor_todo_names_a_team_session_by_its_team(client, mentor, team_engagement):
    held = make_session(
        engagement=team_engagement, start=timezone.now() - datetime.timedelta(days=2), status="completed"
    )
    client.force_login(mentor)
    html = client.get(HOME).content.decode()
    assert f"Write your note: {team_engagement.team.name}" in html
    assert reverse("mentoring_sessions:session-detail", args=[held.uuid]) in html
