"""Who may open each session-records view, for GET and POST, and the batched note/reflection
scopers agree with the single-session ones.

Outsiders get 404 whatever the method; people of the session who may not do something get 403
(notes: 404, so nobody learns a note exists); anonymous visitors sign in first."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from core.tests.helpers import session_url
from demo.factories import make_assignment, make_note, make_reflection
from sessions import access
from sessions.models import MentoringSession, NoteVisibility, Reflection, SessionNote, SessionStatus

pytestmark = pytest.mark.django_db

# Batched scopers --------------------------------------------------------------------------------


@pytest.fixture
def many(
    engagement,
    team_engagement,
    outsider_engagement,
    members,
    mentor,
    other_mentor,
    mentee,
    outsider_mentee,
    past_session,
):
    sessions = [
        past_session(engagement, days_ago=2),
        past_session(engagement, days_ago=20),
        past_session(team_engagement, days_ago=3),
        past_session(outsider_engagement, days_ago=4),
    ]
    authors = {engagement.pk: mentor, team_engagement.pk: mentor, outsider_engagement.pk: other_mentor}
    for session in sessions:
        for visibility in NoteVisibility.values:
            make_note(session=session, author=authors[session.engagement_id], visibility=visibility, body="x")
    # A note by a former mentor of the engagement: its author still reads it, nobody else gains.
    make_note(session=sessions[0], author=other_mentor, visibility="private", body="x")
    make_note(session=sessions[0], author=other_mentor, visibility="shared", body="x")
    reflectors = {engagement.pk: [mentee], team_engagement.pk: members[:2], outsider_engagement.pk: [outsider_mentee]}
    for session in sessions:
        for author in reflectors[session.engagement_id]:
            make_reflection(session=session, author=author, timing="before", visibility="private", body="x")
            make_reflection(session=session, author=author, timing="after", visibility="shared", body="x")
    return sessions


VIEWERS = [
    "mentor",
    "other_mentor",
    "mentee",
    "member",
    "outsider_mentee",
    "consultancy_admin",
    "superuser",
    "superuser_admin",
    "anonymous",
    "inactive_mentee",
    "mentee_without_role",
]


def _viewer(request, name, members):
    if name == "anonymous":
        return AnonymousUser()
    if name == "member":
        return members[0]
    if name in ("inactive_mentee", "mentee_without_role"):
        user = request.getfixturevalue("mentee")
        if name == "inactive_mentee":
            user.is_active = False
        else:
            user.is_mentee = False
        user.save()
        return user
    return request.getfixturevalue(name)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_batched_note_scoper_gives_what_the_single_session_one_gives(request, many, members, viewer):
    user = _viewer(request, viewer, members)
    expected = {note.pk for session in many for note in access.notes_visible_to(user, session)}
    batched = access.notes_visible_to_for_sessions(user, MentoringSession.objects.filter(pk__in=[s.pk for s in many]))
    assert {note.pk for note in batched} == expected
    assert {note.pk for note in access.notes_visible_to_for_sessions(user, many)} == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_batched_reflection_scoper_gives_what_the_single_session_one_gives(request, many, members, viewer):
    user = _viewer(request, viewer, members)
    expected = {item.pk for session in many for item in access.reflections_visible_to(user, session)}
    assert {item.pk for item in access.reflections_visible_to_for_sessions(user, many)} == expected


def test_batched_scopers_never_repeat_a_row_for_a_team(many, members):
    notes = list(access.notes_visible_to_for_sessions(members[0], many))
    assert len(notes) == len({note.pk for note in notes}) == 1  # the team session's shared note


def test_the_scopers_expected_results_are_not_empty(many, mentor, mentee, members):
    # Guard against a table that passes because everybody sees nothing.
    assert access.notes_visible_to_for_sessions(mentor, many).count() == 7  # six own, the former mentor's shared
    assert access.notes_visible_to_for_sessions(mentee, many).count() == 3  # two of the mentor's, one former mentor's
    assert access.reflections_visible_to_for_sessions(mentor, many).count() == 4
    assert access.reflections_visible_to_for_sessions(members[1], many).count() == 2


def test_a_note_fetcher_refuses_everybody_but_the_author(held, mentor, mentee, consultancy_admin):
    note = make_note(session=held, author=mentor, visibility="shared", body="x")
    assert access.get_note_for_author(mentor, held, note.pk) == note
    for user in (mentee, consultancy_admin, AnonymousUser()):
        with pytest.raises(Http404):
            access.get_note_for_author(user, held, note.pk)


# Views ------------------------------------------------------------------------------------------

VIEWS = ["session-attendance", "session-wrapup", "note-create", "note-edit", "note-delete", "reflection-edit"]
POST_DATA = {
    "outcome": "no_show",
    "body": "Changed by somebody",
    "visibility": "shared",
    "note_body": "Changed by somebody",
    "note_visibility": "shared",
}


@pytest.fixture
def note(held, mentor):
    return make_note(session=held, author=mentor, visibility="shared", body="The original")


def _url(name: str, session, note) -> str:
    if name in ("note-edit", "note-delete"):
        return session_url(name, session, note.pk)
    if name == "reflection-edit":
        return session_url(name, session, "after")
    return session_url(name, session)


def _unchanged(session, note) -> bool:
    fresh = MentoringSession.objects.get(pk=session.pk)
    notes = list(SessionNote.objects.filter(session=session))
    return (
        fresh.status == SessionStatus.COMPLETED
        and [(n.pk, n.body) for n in notes] == [(note.pk, "The original")]
        and not Reflection.objects.exists()
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_visitor_is_sent_to_sign_in(client, held, note, name, method):
    response = getattr(client, method)(_url(name, held, note), POST_DATA)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _unchanged(held, note)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("outsider", ["outsider_mentee", "other_mentor", "superuser", "member"])
def test_outsiders_get_404(client, request, members, held, note, name, method, outsider):
    user = members[0] if outsider == "member" else request.getfixturevalue(outsider)
    client.force_login(user)
    response = getattr(client, method)(_url(name, held, note), POST_DATA)
    assert response.status_code == 404
    assert "The original" not in response.content.decode()
    assert _unchanged(held, note)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("name", "viewer", "status"),
    [
        ("session-attendance", "mentee", 403),
        ("session-attendance", "consultancy_admin", 403),
        ("session-wrapup", "mentee", 403),
        ("session-wrapup", "consultancy_admin", 403),
        ("note-create", "mentee", 403),
        ("note-create", "consultancy_admin", 403),
        ("note-edit", "mentee", 404),
        ("note-edit", "consultancy_admin", 404),
        ("note-delete", "mentee", 404),
        ("note-delete", "consultancy_admin", 404),
        ("reflection-edit", "mentor", 403),
        ("reflection-edit", "consultancy_admin", 403),
    ],
)
def test_people_of_the_session_in_the_wrong_role_are_refused(client, request, held, note, name, viewer, status, method):
    if method == "get" and name == "session-attendance":
        status = 405  # the method is checked before the role: a GET is never right here
    client.force_login(request.getfixturevalue(viewer))
    response = getattr(client, method)(_url(name, held, note), POST_DATA)
    assert response.status_code == status
    assert "The original" not in response.content.decode()
    assert _unchanged(held, note)


@pytest.mark.parametrize(
    ("name", "viewer", "status"),
    [
        ("session-attendance", "mentor", 405),
        ("session-wrapup", "mentor", 200),
        ("note-create", "mentor", 200),
        ("note-edit", "mentor", 200),
        ("note-delete", "mentor", 405),
        ("reflection-edit", "mentee", 200),
    ],
)
def test_the_right_person_may_get_the_page_or_is_told_to_post(client, request, held, note, name, viewer, status):
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(_url(name, held, note)).status_code == status
    assert _unchanged(held, note)


@pytest.mark.parametrize(
    ("name", "viewer"),
    [
        ("session-attendance", "mentor"),
        ("session-wrapup", "mentor"),
        ("note-create", "mentor"),
        ("note-edit", "mentor"),
        ("note-delete", "mentor"),
        ("reflection-edit", "mentee"),
    ],
)
def test_the_right_person_may_post_and_is_sent_back_to_the_session(client, request, held, note, name, viewer):
    client.force_login(request.getfixturevalue(viewer))
    response = client.post(_url(name, held, note), POST_DATA)
    assert response.status_code == 302
    assert response.url.startswith(held.get_absolute_url())
    assert not _unchanged(held, note)


def test_a_note_of_another_session_cannot_be_reached_through_this_one(
    client, engagement, held, note, mentor, past_session
):
    other = past_session(engagement, days_ago=9)
    client.force_login(mentor)
    assert client.get(session_url("note-edit", other, note.pk)).status_code == 404
    assert client.post(session_url("note-delete", other, note.pk)).status_code == 404
    assert SessionNote.objects.filter(pk=note.pk).exists()


def test_an_unknown_reflection_timing_is_404(client, held, mentee):
    client.force_login(mentee)
    assert client.get(session_url("reflection-edit", held, "during")).status_code == 404
    assert client.post(session_url("reflection-edit", held, "during"), POST_DATA).status_code == 404


def test_a_team_member_may_reflect_but_not_write_notes(client, team_held, members):
    client.force_login(members[0])
    assert client.get(session_url("reflection-edit", team_held, "after")).status_code == 200
    assert client.get(session_url("note-create", team_held)).status_code == 403
    assert client.post(session_url("session-attendance", team_held), {"outcome": "held"}).status_code == 403


def test_a_mentor_only_asked_to_take_the_engagement_cannot_write_notes(client, engagement, other_mentor, held):

    make_assignment(engagement=engagement, mentor=other_mentor, status="pending")
    client.force_login(other_mentor)
    assert client.get(held.get_absolute_url()).status_code == 200  # may see the session
    assert client.get(session_url("note-create", held)).status_code == 403
    assert client.post(session_url("session-attendance", held), {"outcome": "held"}).status_code == 403


def test_future_session_pages_still_refuse_outsiders_first(client, engagement, outsider_mentee, session_factory):
    session = session_factory(engagement)
    client.force_login(outsider_mentee)
    assert client.get(session_url("reflection-edit", session, "before")).status_code == 404
