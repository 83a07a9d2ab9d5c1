"""The mentor's session notes: writing, editing with history, deleting, bad input, double submit."""

import datetime
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.signals import got_request_exception
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.views.debug import ExceptionReporter

from core.tests.helpers import messages_of, session_url
from demo.factories import make_note, make_reflection
from sessions.models import NoteRevision, SessionNote
from sessions.records import services as records

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("boo")</script><b onmouseover="x()">bold</b>'


def _write(client, session, body, visibility="shared", **kwargs):
    return client.post(session_url("note-create", session), {"body": body, "visibility": visibility}, **kwargs)


def _edit(client, note, body, visibility=None, **kwargs):
    data = {"body": body, "visibility": visibility or note.visibility}
    return client.post(session_url("note-edit", note.session, note.pk), data, **kwargs)


@pytest.fixture
def shared(held, mentor):
    note = make_note(session=held, author=mentor, visibility="shared", body="First version")
    SessionNote.objects.filter(pk=note.pk).update(created_at=note.created_at - datetime.timedelta(hours=1))
    return note


@pytest.fixture
def private(held, mentor):
    note = make_note(session=held, author=mentor, visibility="private", body="My own thoughts")
    past = note.created_at - datetime.timedelta(hours=1)
    SessionNote.objects.filter(pk=note.pk).update(created_at=past, updated_at=past)
    return SessionNote.objects.get(pk=note.pk)


# Writing ----------------------------------------------------------------------------------------


def test_mentor_writes_a_note_and_lands_on_it(client, mentor, held):
    client.force_login(mentor)
    response = _write(client, held, "We agreed:\n- talk to the CFO\n- draft the plan", "private")
    note = SessionNote.objects.get()
    assert (note.author, note.visibility, note.session) == (mentor, "private", held)
    assert note.body == "We agreed:\n- talk to the CFO\n- draft the plan"
    assert response.url == held.get_absolute_url() + f"#note-{note.pk}"
    page = client.get(response.url)
    assert messages_of(page) == ["The note was saved."]
    html = page.content.decode()
    assert "<p>We agreed:</p>\n<ul><li>talk to the CFO</li><li>draft the plan</li></ul>" in html
    assert "Private: only you can read it" in html


def test_the_write_page_defaults_to_private(client, mentor, held):
    client.force_login(mentor)
    html = client.get(session_url("note-create", held)).content.decode()
    assert 'value="private" required id="id_visibility_0" checked' in html
    assert 'maxlength="20000"' in html


def test_a_double_submit_saves_one_note(client, mentor, held):
    client.force_login(mentor)
    first = _write(client, held, "Same text")
    second = _write(client, held, "Same text", follow=True)
    assert SessionNote.objects.count() == 1
    assert second.redirect_chain[0][0] == first.url
    assert messages_of(second)[-1] == "This note was already saved."


def test_the_same_text_with_another_visibility_is_another_note(client, mentor, held):
    client.force_login(mentor)
    _write(client, held, "Same text", "shared")
    _write(client, held, "Same text", "private")
    assert SessionNote.objects.count() == 2


def test_html_and_script_are_stored_as_given_and_shown_escaped(client, mentor, mentee, held):
    client.force_login(mentor)
    _write(client, held, SCRIPT)
    assert SessionNote.objects.get().body == SCRIPT
    for person in (mentor, mentee):
        client.force_login(person)
        html = client.get(held.get_absolute_url()).content.decode()
        assert "<script>alert" not in html
        assert "<b onmouseover" not in html
        assert "&lt;script&gt;alert(&quot;boo&quot;)&lt;/script&gt;&lt;b onmouseover=" in html


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write something first."),
        ("   \n\t  ", "Write something first."),
        ("x" * 20_001, "Keep it under 20000 characters (it has 20001)."),
        ("null\x00byte", "Null characters are not allowed."),
    ],
)
def test_bad_text_is_refused_with_a_form_error(client, mentor, held, body, error):
    client.force_login(mentor)
    response = _write(client, held, body)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not SessionNote.objects.exists()


def test_exactly_twenty_thousand_characters_is_fine(client, mentor, held):
    client.force_login(mentor)
    _write(client, held, "y" * 20_000)
    assert len(SessionNote.objects.get().body) == 20_000


@pytest.mark.parametrize("visibility", ["", "public", "everyone"])
def test_a_bad_visibility_is_refused(client, mentor, held, visibility):
    client.force_login(mentor)
    response = _write(client, held, "Text", visibility)
    assert response.status_code == 200
    assert response.context["form"].errors["visibility"]
    assert not SessionNote.objects.exists()


def test_the_error_page_gives_the_author_back_their_own_text_and_nothing_else(client, mentor, held, shared):
    client.force_login(mentor)
    long_text = "Secret-ish draft " + "z" * 20_000
    response = _write(client, held, long_text)
    html = response.content.decode()
    assert long_text in html  # the author does not lose what they typed
    assert "First version" not in html  # other notes stay off the form page
    assert messages_of(response) == []


def test_the_service_refuses_anybody_but_the_sessions_mentor(held, mentee, other_mentor, consultancy_admin):
    for person in (mentee, other_mentor, consultancy_admin):
        with pytest.raises(ValidationError) as caught:
            records.create_note(session=held, author=person, visibility="shared", body="Sneaky text")
        assert caught.value.code == "not_allowed"
        assert "Sneaky text" not in str(caught.value)  # the refused body is not repeated back
    assert not SessionNote.objects.exists()


# Editing and history ----------------------------------------------------------------------------


def test_editing_a_shared_note_keeps_the_earlier_text_as_history(client, mentor, mentee, shared):
    client.force_login(mentor)
    response = _edit(client, shared, "Second version")
    assert response.url == shared.session.get_absolute_url() + f"#note-{shared.pk}"
    shared.refresh_from_db()
    assert shared.body == "Second version"
    revision = NoteRevision.objects.get()
    assert (revision.note, revision.body, revision.edited_by) == (shared, "First version", mentor)
    _edit(client, shared, "Third version")
    assert list(shared.revisions.values_list("body", flat=True)) == ["Second version", "First version"]
    for person in (mentor, mentee):
        client.force_login(person)
        html = client.get(shared.session.get_absolute_url()).content.decode()
        assert "Third version" in html
        assert ">edited</span>" in html
        assert "History: 2 earlier versions" in html
        assert html.index("Second version") < html.index("First version")  # latest change first


def test_saving_a_note_unchanged_adds_no_history(client, mentor, shared):
    client.force_login(mentor)
    response = _edit(client, shared, "First version", follow=True)
    assert messages_of(response) == ["Nothing changed."]
    assert not NoteRevision.objects.exists()


def test_a_private_note_keeps_no_history_but_shows_the_author_it_was_edited(client, mentor, private):
    client.force_login(mentor)
    _edit(client, private, "Rethought")
    private.refresh_from_db()
    assert private.body == "Rethought"
    assert not NoteRevision.objects.exists()
    html = client.get(private.session.get_absolute_url()).content.decode()
    assert ">edited</span>" in html
    assert "My own thoughts" not in html


def test_sharing_a_private_note_never_reveals_its_private_earlier_text(client, mentor, mentee, private):
    client.force_login(mentor)
    _edit(client, private, "Fit to share", "shared")
    assert not NoteRevision.objects.exists()
    client.force_login(mentee)
    html = client.get(private.session.get_absolute_url()).content.decode()
    assert "Fit to share" in html
    assert "My own thoughts" not in html


def test_unsharing_a_note_hides_it_and_its_history_from_the_mentee(client, mentor, mentee, shared):
    client.force_login(mentor)
    _edit(client, shared, "Second version")
    _edit(client, SessionNote.objects.get(pk=shared.pk), "Now private", "private")
    client.force_login(mentee)
    html = client.get(shared.session.get_absolute_url()).content.decode()
    for text in ("First version", "Second version", "Now private"):
        assert text not in html


def test_the_edit_page_shows_the_author_the_current_text_and_warns_about_history(client, mentor, shared):
    client.force_login(mentor)
    html = client.get(session_url("note-edit", shared.session, shared.pk)).content.decode()
    assert "First version</textarea>" in html
    assert "can still see the earlier version" in html
    assert session_url("note-delete", shared.session, shared.pk) in html


def test_an_overlong_edit_changes_nothing(client, mentor, shared):
    client.force_login(mentor)
    response = _edit(client, shared, "w" * 20_001)
    assert response.status_code == 200
    assert "Keep it under 20000 characters" in response.content.decode()
    shared.refresh_from_db()
    assert shared.body == "First version"
    assert not NoteRevision.objects.exists()


def test_an_edit_with_script_is_stored_as_given_and_the_history_is_escaped(client, mentor, mentee, held):
    note = make_note(session=held, author=mentor, visibility="shared", body=SCRIPT)
    client.force_login(mentor)
    _edit(client, note, "Clean now")
    client.force_login(mentee)
    html = client.get(held.get_absolute_url()).content.decode()
    assert NoteRevision.objects.get().body == SCRIPT
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;boo&quot;)&lt;/script&gt;" in html


def test_revisions_are_encrypted_at_rest(client, mentor, shared):
    client.force_login(mentor)
    _edit(client, shared, "Second version")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM mentoring_sessions_noterevision")
        (raw,) = cursor.fetchone()
    assert raw.startswith("fernet:")
    assert "First version" not in raw


# Deleting ---------------------------------------------------------------------------------------


def test_the_author_deletes_a_note_with_its_history(client, mentor, shared):
    client.force_login(mentor)
    _edit(client, shared, "Second version")
    response = client.post(session_url("note-delete", shared.session, shared.pk), follow=True)
    assert not SessionNote.objects.exists()
    assert not NoteRevision.objects.exists()
    assert messages_of(response)[-1] == "The note was deleted."
    assert response.redirect_chain[0][0].endswith("#notes")


def test_deleting_twice_is_a_404_the_second_time(client, mentor, shared):
    client.force_login(mentor)
    client.post(session_url("note-delete", shared.session, shared.pk))
    assert client.post(session_url("note-delete", shared.session, shared.pk)).status_code == 404


# The session page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["mentor", "mentee", "consultancy_admin"])
def test_the_session_page_takes_the_same_queries_with_more_notes_and_history(
    client, request, django_assert_num_queries, held, mentor, mentee, viewer
):
    def grow(count, start):
        for index in range(start, start + count):
            for visibility in ("shared", "private"):
                note = make_note(session=held, author=mentor, visibility=visibility, body=f"n{index}")
                NoteRevision.objects.create(note=note, body="old", edited_by=mentor)
                NoteRevision.objects.create(note=note, body="older", edited_by=mentor)

    client.force_login(request.getfixturevalue(viewer))
    make_reflection(session=held, author=mentee, timing="after", visibility="shared", body="r")
    grow(1, 0)
    client.get(held.get_absolute_url())  # warm up the session
    with CaptureQueriesContext(connection) as small:
        client.get(held.get_absolute_url())
    grow(10, 1)
    make_reflection(session=held, author=mentee, timing="before", visibility="shared", body="r")
    with django_assert_num_queries(len(small)):
        response = client.get(held.get_absolute_url())
    expected = {"mentor": 22, "mentee": 11, "consultancy_admin": 0}[viewer]
    assert len(response.context["notes"]) == expected


# Error reports --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "who"),
    [("note-create", (), "mentor"), ("note-edit", ("note",), "mentor"), ("reflection-edit", ("after",), "mentee")],
)
def test_an_error_report_never_carries_the_text(client, request, monkeypatch, held, shared, name, args, who):
    """If saving fails unexpectedly, the 500 page is generic and the error report (the debug page,
    error emails) shows stars for the text: in the POST data and in the service's variables."""

    def broken(body):
        raise RuntimeError("storage failed")

    monkeypatch.setattr(records, "_clean_text", broken)
    reports = []

    def capture(sender, request, **kwargs):
        reports.append(ExceptionReporter(request, *sys.exc_info()))

    got_request_exception.connect(capture)
    client.raise_request_exception = False
    client.force_login(request.getfixturevalue(who))
    secret = "Confidential text 4b1d"
    try:
        args = [shared.pk if arg == "note" else arg for arg in args]
        response = client.post(session_url(name, held, *args), {"body": secret, "visibility": "private"})
    finally:
        got_request_exception.disconnect(capture)
    assert response.status_code == 500
    assert secret not in response.content.decode()
    (report,) = reports
    assert "storage failed" in report.get_traceback_text()
    for text in (report.get_traceback_html(), report.get_traceback_text()):
        assert secret not in text
        assert "First version" not in text
