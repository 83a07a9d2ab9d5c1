"""The engagement timeline: goals, sessions, notes, reflections and action items, oldest first,
holding only what the viewer may read, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.tests.helpers import engagement_url
from demo.factories import make_action_item, make_assignment, make_intake, make_note, make_reflection
from mentorship.models import IntakeResponse
from reporting.health import store
from sessions.models import ActionItem, NoteRevision, Reflection, SessionNote
from sessions.records.selectors import engagement_timeline

pytestmark = pytest.mark.django_db


def _at(model, pk, days_ago):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    field = "submitted_at" if model is IntakeResponse else "created_at"
    model.objects.filter(pk=pk).update(**{field: when})


@pytest.fixture
def story(engagement, mentor, mentee, past_session):
    """An engagement that ran for a while: one of everything, at known times."""
    engagement.start_date = (timezone.now() - datetime.timedelta(days=60)).date()
    engagement.save()
    intake = make_intake(
        engagement=engagement,
        mentee=mentee,
        own_goals="Lead without micromanaging",
        commitment=5,
        wants_from_mentor="w",
    )
    _at(IntakeResponse, intake.pk, 55)
    first = past_session(engagement, days_ago=40)
    second = past_session(engagement, days_ago=10)
    shared = make_note(session=first, author=mentor, visibility="shared", body="Shared after first")
    _at(SessionNote, shared.pk, 39)
    NoteRevision.objects.create(note=shared, body="Older text", edited_by=mentor)
    private = make_note(session=second, author=mentor, visibility="private", body="Mentor only")
    _at(SessionNote, private.pk, 9)
    before = make_reflection(
        session=second, author=mentee, timing="before", visibility="shared", body="Shared reflection"
    )
    _at(Reflection, before.pk, 11)
    after = make_reflection(
        session=second, author=mentee, timing="after", visibility="private", body="Private reflection"
    )
    _at(Reflection, after.pk, 8)
    item = make_action_item(engagement=engagement, session=first, text="Call the CFO", owner=mentee)
    _at(ActionItem, item.pk, 38)
    return engagement


def _kinds(entries):
    return [
        (entry.kind, getattr(entry.item, "body", None) or getattr(entry.item, "text", None) or "") for entry in entries
    ]


def test_the_mentor_sees_everything_they_may_read_oldest_first(story, mentor):
    assert _kinds(engagement_timeline(mentor, story)) == [
        ("goals", ""),
        ("intake_goals", ""),
        ("session", ""),
        ("note", "Shared after first"),
        ("action_item", "Call the CFO"),
        ("reflection", "Shared reflection"),  # written the day before the second session
        ("session", ""),
        ("note", "Mentor only"),
    ]


def test_the_mentee_sees_shared_notes_and_their_own_reflections(story, mentee):
    assert _kinds(engagement_timeline(mentee, story)) == [
        ("goals", ""),
        ("intake_goals", ""),
        ("session", ""),
        ("note", "Shared after first"),
        ("action_item", "Call the CFO"),
        ("reflection", "Shared reflection"),
        ("session", ""),
        ("reflection", "Private reflection"),
    ]


def test_an_admin_sees_the_engagement_but_no_note_or_reflection(story, consultancy_admin):
    kinds = [kind for kind, _text in _kinds(engagement_timeline(consultancy_admin, story))]
    assert kinds == ["goals", "intake_goals", "session", "action_item", "session"]


def test_a_mentor_only_asked_to_take_it_sees_neither_notes_nor_action_items(story, other_mentor):
    make_assignment(engagement=story, mentor=other_mentor, status="pending")
    kinds = [kind for kind, _text in _kinds(engagement_timeline(other_mentor, story))]
    assert "note" not in kinds
    assert "reflection" not in kinds
    assert "action_item" not in kinds


def test_the_engagement_page_shows_the_timeline(client, story, mentee):
    client.force_login(mentee)
    html = client.get(engagement_url(story)).content.decode()
    timeline = html[html.index('id="timeline-heading"') :]
    assert "Lead without micromanaging" in timeline
    assert "Shared after first" in timeline
    assert ">edited</span>" in timeline
    assert "Call the CFO" in timeline
    assert "Private reflection" in timeline
    assert "Mentor only" not in html
    assert "Older text" not in html  # history lives on the session page


def _grow(past_session, engagement, mentor, mentee, members, count, start=0):
    for index in range(start, start + count):
        session = past_session(engagement, days_ago=100 + index * 3)
        for visibility in ("shared", "private"):
            note = make_note(session=session, author=mentor, visibility=visibility, body="n")
            NoteRevision.objects.create(note=note, body="old", edited_by=mentor)
        for person in members or [mentee]:
            for timing, visibility in (("before", "shared"), ("after", "private")):
                make_reflection(session=session, author=person, timing=timing, visibility=visibility, body="r")
        make_action_item(engagement=engagement, session=session, text=f"Step {index}", owner=mentor)


@pytest.mark.parametrize(
    ("kind", "viewer"),
    [
        (kind, viewer)
        for kind, mentee in (("individual", "mentee"), ("team", "member"))
        for viewer in ("mentor", mentee, "consultancy_admin")
    ],
)
def test_the_timeline_and_the_page_take_a_fixed_number_of_queries(
    client, request, django_assert_num_queries, mentor, mentee, members, viewer, kind, past_session
):
    engagement = request.getfixturevalue("engagement" if kind == "individual" else "team_engagement")
    team_members = members if kind == "team" else []
    person = members[0] if viewer == "member" else request.getfixturevalue(viewer)
    client.force_login(person)
    page = engagement_url(engagement)
    _grow(past_session, engagement, mentor, mentee, team_members, 1)
    client.get(page)  # warm up the session (and the stored health an admin sees)
    with CaptureQueriesContext(connection) as small:
        engagement_timeline(person, engagement)
    with CaptureQueriesContext(connection) as small_page:
        response = client.get(page)
    assert response.status_code == 200
    _grow(past_session, engagement, mentor, mentee, team_members, 15, start=1)
    store.refresh_due()  # as beat does: the stored health is recomputed once after a change, not per view
    with django_assert_num_queries(len(small)):
        entries = engagement_timeline(person, engagement)
    with django_assert_num_queries(len(small_page)):
        client.get(page)
    assert sum(entry.kind == "session" for entry in entries) == 16
