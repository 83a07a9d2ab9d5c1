"""A mentee's reflections before and after a session: one of each, private or shared with the mentor."""

import pytest
from django.core.exceptions import ValidationError

from core.tests.helpers import messages_of, session_url
from demo.factories import make_reflection
from sessions.models import Reflection, SessionStatus
from sessions.records import services as records

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('r')</script>"


def _reflect(client, session, timing, body, visibility="private", **kwargs):
    return client.post(
        session_url("reflection-edit", session, timing), {"body": body, "visibility": visibility}, **kwargs
    )


def test_mentee_writes_a_reflection_before_an_upcoming_session(client, mentee, engagement, session_factory):
    session = session_factory(engagement)
    client.force_login(mentee)
    html = client.get(session.get_absolute_url()).content.decode()
    assert session_url("reflection-edit", session, "before") in html
    assert session_url("reflection-edit", session, "after") not in html
    assert "You can write this once the session has started." in html
    response = _reflect(client, session, "before", "I want to talk about the board.")
    assert response.url == session.get_absolute_url() + "#reflections"
    reflection = Reflection.objects.get()
    assert (reflection.author, reflection.timing, reflection.visibility) == (mentee, "before", "private")
    assert reflection.body == "I want to talk about the board."


def test_the_after_reflection_waits_until_the_session_has_started(client, mentee, engagement, session_factory):
    session = session_factory(engagement)
    client.force_login(mentee)
    response = client.get(session_url("reflection-edit", session, "after"), follow=True)
    assert messages_of(response) == [
        "You can write this reflection once the session has started, unless it was cancelled."
    ]
    _reflect(client, session, "after", "Too early")
    assert not Reflection.objects.exists()


def test_one_reflection_per_timing_is_rewritten_not_duplicated(client, mentee, held):
    client.force_login(mentee)
    _reflect(client, held, "after", "First take")
    _reflect(client, held, "after", "First take")  # a double submit
    _reflect(client, held, "after", "Second take", "shared")
    _reflect(client, held, "before", "Before it")
    after = Reflection.objects.get(timing="after")
    assert (after.body, after.visibility) == ("Second take", "shared")
    assert Reflection.objects.count() == 2


def test_the_edit_page_starts_from_the_mentees_own_text(client, mentee, held):
    make_reflection(session=held, author=mentee, timing="after", visibility="shared", body="Mine")
    client.force_login(mentee)
    response = client.get(session_url("reflection-edit", held, "after"))
    html = response.content.decode()
    assert "Mine</textarea>" in html
    assert 'value="shared" required id="id_visibility_1" checked' in html
    assert "Your reflection after the session" in html


def test_a_cancelled_session_takes_no_new_reflections(client, mentee, engagement, past_session):
    session = past_session(engagement, status=SessionStatus.CANCELLED)
    client.force_login(mentee)
    for timing in ("before", "after"):
        _reflect(client, session, timing, "Anything")
    assert not Reflection.objects.exists()
    assert "This session was cancelled." in client.get(session.get_absolute_url()).content.decode()


def test_each_team_member_reflects_on_their_own_and_does_not_see_the_others(client, team_held, members):
    for index, member in enumerate(members[:2]):
        client.force_login(member)
        _reflect(client, team_held, "after", f"Member {index} thinks", "shared")
    assert Reflection.objects.filter(session=team_held).count() == 2
    client.force_login(members[0])
    html = client.get(team_held.get_absolute_url()).content.decode()
    assert "Member 0 thinks" in html
    assert "Member 1 thinks" not in html


def test_the_mentor_reads_shared_reflections_only(client, mentor, mentee, held):
    make_reflection(session=held, author=mentee, timing="before", visibility="private", body="Just mine")
    make_reflection(session=held, author=mentee, timing="after", visibility="shared", body="For you")
    client.force_login(mentor)
    html = client.get(held.get_absolute_url()).content.decode()
    assert "Reflections shared with you" in html
    assert "For you" in html
    assert "Just mine" not in html
    assert session_url("reflection-edit", held, "after") not in html


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write something first."),
        ("  \n ", "Write something first."),
        ("r" * 20_001, "Keep it under 20000 characters (it has 20001)."),
    ],
)
def test_bad_text_is_refused_with_a_form_error(client, mentee, held, body, error):
    client.force_login(mentee)
    response = _reflect(client, held, "after", body)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_bad_visibility_is_refused(client, mentee, held):
    client.force_login(mentee)
    response = _reflect(client, held, "after", "Text", "consultancy")
    assert response.context["form"].errors["visibility"]
    assert not Reflection.objects.exists()


def test_script_is_stored_as_given_and_shown_escaped_to_author_and_mentor(client, mentee, mentor, held):
    client.force_login(mentee)
    _reflect(client, held, "after", SCRIPT, "shared")
    assert Reflection.objects.get().body == SCRIPT
    for person in (mentee, mentor):
        client.force_login(person)
        html = client.get(held.get_absolute_url()).content.decode()
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(&#x27;r&#x27;)&lt;/script&gt;" in html


def test_the_service_refuses_people_who_are_not_mentees_of_the_session(held, mentor, consultancy_admin, members):
    for person in (mentor, consultancy_admin, members[0]):
        with pytest.raises(ValidationError):
            records.save_reflection(session=held, author=person, timing="after", visibility="shared", body="x")
    assert not Reflection.objects.exists()
