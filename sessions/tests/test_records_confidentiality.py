"""Confidentiality of notes and reflections in every page that can show one, as a table of
(viewer × visibility × individual or team session × place) → may the viewer read the text?

Notes: private → their author only; shared → the author and the engagement's mentee(s).
Reflections: private → their author only; shared → the author and the session's mentor.
Consultancy admins, superusers and staff never read either, and neither do other mentors,
other team members (reflections) or people of another organisation.
"""

import pytest

from core.tests.helpers import engagement_url, session_url
from sessions.models import Reflection, SessionNote
from sessions.records import services as records

pytestmark = pytest.mark.django_db

VIEWERS = [
    "author_mentor",
    "other_mentor",
    "mentee",
    "team_member",
    "other_team_member",
    "outsider_mentee",
    "consultancy_admin",
    "superuser",
    "superuser_admin",
]
KINDS = ["individual", "team"]
VISIBILITIES = ["private", "shared"]


def _marker(what: str, kind: str, visibility: str) -> str:
    return f"{what.upper()}-{kind.upper()}-{visibility.upper()}-7f3a"


@pytest.fixture
def world(engagement, team_engagement, mentor, mentee, members, past_session):
    """A held individual session and a held team session, each with a private and a shared note
    (the shared one edited once, so it has history) and a private and a shared reflection by the
    mentee (on the team session: by the first member)."""
    sessions = {"individual": past_session(engagement), "team": past_session(team_engagement, days_ago=3)}
    reflectors = {"individual": mentee, "team": members[0]}
    notes, reflections = {}, {}
    for kind, session in sessions.items():
        for visibility in VISIBILITIES:
            note, _created = records.create_note(
                session=session,
                author=mentor,
                visibility=visibility,
                body="draft " + _marker("history", kind, visibility),
            )
            records.edit_note(note=note, editor=mentor, visibility=visibility, body=_marker("note", kind, visibility))
            notes[kind, visibility] = note
        for timing, visibility in (("before", "private"), ("after", "shared")):
            reflection, _created = records.save_reflection(
                session=session,
                author=reflectors[kind],
                timing=timing,
                visibility=visibility,
                body=_marker("reflection", kind, visibility),
            )
            reflections[kind, visibility] = reflection
    return {"sessions": sessions, "notes": notes, "reflections": reflections}


def _user(request, viewer, members):
    if viewer == "author_mentor":
        return request.getfixturevalue("mentor")
    if viewer == "team_member":
        return members[0]
    if viewer == "other_team_member":
        return members[1]
    return request.getfixturevalue(viewer)


def _mentees(kind: str) -> set[str]:
    return {"mentee"} if kind == "individual" else {"team_member", "other_team_member"}


def may_read_note(viewer: str, kind: str, visibility: str) -> bool:
    if viewer == "author_mentor":
        return True
    return visibility == "shared" and viewer in _mentees(kind)


def may_read_reflection(viewer: str, kind: str, visibility: str) -> bool:
    author = "mentee" if kind == "individual" else "team_member"
    if viewer == author:
        return True
    return visibility == "shared" and viewer == "author_mentor"


def test_the_table_is_not_trivially_empty_or_full():
    readers = [(v, k, s) for v in VIEWERS for k in KINDS for s in VISIBILITIES if may_read_note(v, k, s)]
    assert len(readers) == 4 + 1 + 2  # the author everywhere; the mentee; both team members
    readers = [(v, k, s) for v in VIEWERS for k in KINDS for s in VISIBILITIES if may_read_reflection(v, k, s)]
    assert len(readers) == 4 + 2  # the two authors everywhere; the mentor for the shared ones


def _pages(client, world, kind: str) -> dict[tuple[str, str, str], object]:
    """Every page of the `kind` session that can show a note or reflection, by (place, what,
    visibility): the session and engagement pages (the same response for each), and the edit
    page of each note and reflection."""
    session = world["sessions"][kind]
    session_page, engagement_page = (
        client.get(session.get_absolute_url()),
        client.get(engagement_url(session.engagement)),
    )
    pages = {}
    for visibility in VISIBILITIES:
        for what in ("note", "reflection"):
            pages["session", what, visibility] = session_page
            pages["engagement", what, visibility] = engagement_page
        note = world["notes"][kind, visibility]
        pages["edit", "note", visibility] = client.get(session_url("note-edit", session, note.pk))
        timing = "before" if visibility == "private" else "after"
        pages["edit", "reflection", visibility] = client.get(session_url("reflection-edit", session, timing))
    return pages


def _wrong(viewer: str, kind: str, place: str, what: str, visibility: str, response) -> list[str]:
    """What the page shows or hides against the table, worded for the failure message."""
    html = response.content.decode()
    where = f"{viewer} on the {place} page of the {kind} session, {visibility} {what}"
    wrong = []
    if what == "note":
        allowed = may_read_note(viewer, kind, visibility)
        if place == "edit":
            allowed = viewer == "author_mentor"  # only the author ever opens the edit page
            if response.status_code != (200 if allowed else 404):
                wrong.append(f"{where}: HTTP {response.status_code}")
        history_shown = place == "session" and visibility == "shared" and allowed  # the history, with the note
        if (_marker("history", kind, visibility) in html) is not history_shown:
            wrong.append(f"{where}: its history {'hidden' if history_shown else 'shown'}")
    else:
        allowed = may_read_reflection(viewer, kind, visibility)
        if place == "edit":
            allowed = allowed and viewer != "author_mentor"  # the edit page is the author's own
    if (_marker(what, kind, visibility) in html) is not allowed:
        wrong.append(f"{where}: {'hidden' if allowed else 'shown'}")
    return wrong


@pytest.mark.parametrize("viewer", VIEWERS)
def test_who_reads_notes_and_reflections(client, request, world, members, viewer):
    """One viewer against the whole table: each kind of session × visibility × note or reflection
    × the session page, the engagement page and the edit page."""
    client.force_login(_user(request, viewer, members))
    wrong = [
        problem
        for kind in KINDS
        for (place, what, visibility), response in _pages(client, world, kind).items()
        for problem in _wrong(viewer, kind, place, what, visibility, response)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("viewer", ["consultancy_admin", "superuser_admin"])
def test_admins_see_the_sessions_but_are_told_notes_are_confidential(client, request, world, members, viewer):
    client.force_login(_user(request, viewer, members))
    for session in world["sessions"].values():
        response = client.get(session.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert "Session notes are confidential" in html
        assert "7f3a" not in html
        assert response.context["notes"] == []
        assert response.context["reflections"] == []


def test_a_deleted_session_note_leaves_nothing_behind_on_any_page(client, world, mentor, mentee):
    note = world["notes"]["individual", "shared"]
    client.force_login(mentor)
    client.post(session_url("note-delete", note.session, note.pk))
    client.force_login(mentee)
    session = world["sessions"]["individual"]
    for page in (session.get_absolute_url(), engagement_url(session.engagement)):
        html = client.get(page).content.decode()
        assert _marker("note", "individual", "shared") not in html
        assert _marker("history", "individual", "shared") not in html


def test_the_world_has_what_the_table_expects(world):
    assert SessionNote.objects.count() == 4
    assert Reflection.objects.count() == 4
    assert all(
        note.revisions.count() == (1 if note.visibility == "shared" else 0) for note in SessionNote.objects.all()
    )
