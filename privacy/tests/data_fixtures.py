"""Fixtures for the own-data tests (test_data_*.py): a mentee's full record — held sessions with a
private and a shared note, reflections, feedback, action items, intake answers — and an outsider's."""

import itertools
from types import SimpleNamespace

import pytest

from conftest import make_user
from mentorship.models import IntakeResponse
from mentorship.tests.conftest import *  # noqa: F403
from sessions.models import ActionItem, Feedback, MentoringSession, Reflection, SessionNote, SessionStatus
from sessions.tests.factories import days_from_now, make_session

PRIVATE_SECRET = "PRIVATE-NOTE-SECRET-42"
SHARED_TEXT = "Shared note: practise the difficult conversation with the board."
OWN_PRIVATE_REFLECTION = "My private reflection: I avoid conflict."
OWN_SHARED_REFLECTION = "Shared reflection: the board meeting went well."
OUTSIDER_TEXT = "OUTSIDER-ONLY-TEXT-77"

_offsets = itertools.count(1)


def held_session(engagement, *, days_ago: int = 7, status: str = SessionStatus.COMPLETED) -> MentoringSession:
    """A session straight in the database, in the past; each one three hours apart so that the
    same mentor's sessions never overlap."""
    return make_session(engagement, days_from_now(-days_ago - next(_offsets) / 8), status=status)


def private_note(session, text: str = PRIVATE_SECRET) -> SessionNote:
    return SessionNote.objects.create(session=session, author=session.mentor, visibility="private", body=text)


def shared_note(session, text: str = SHARED_TEXT) -> SessionNote:
    return SessionNote.objects.create(session=session, author=session.mentor, visibility="shared", body=text)


@pytest.fixture
def superuser(db):
    return make_user("root.ops@example.org", full_name="Root Operator", is_staff=True, is_superuser=True)


@pytest.fixture
def second_admin(db):
    return make_user("greta.admin@example.org", roles=("consultancy_admin",), full_name="Greta Admin")


@pytest.fixture
def records(engagement, mentee, mentor):
    """The mentee's record in their individual engagement with `mentor`."""
    session = held_session(engagement)
    upcoming = held_session(engagement, days_ago=-5, status=SessionStatus.CONFIRMED)
    return SimpleNamespace(
        session=session,
        upcoming=upcoming,
        private=private_note(session),
        shared=shared_note(session),
        private_reflection=Reflection.objects.create(
            session=session, author=mentee, timing="before", visibility="private", body=OWN_PRIVATE_REFLECTION
        ),
        shared_reflection=Reflection.objects.create(
            session=session, author=mentee, timing="after", visibility="shared", body=OWN_SHARED_REFLECTION
        ),
        feedback=Feedback.objects.create(session=session, mentee=mentee, usefulness=5, trust=4, comment="Very useful"),
        own_item=ActionItem.objects.create(
            engagement=engagement, session=session, text="Book the board meeting", owner=mentee, created_by=mentor
        ),
        mentor_item=ActionItem.objects.create(
            engagement=engagement, text="Send the reading list", owner=mentor, created_by=mentor
        ),
        intake=IntakeResponse.objects.create(
            engagement=engagement,
            mentee=mentee,
            own_goals="Lead the sales team through the merger",
            commitment=5,
            wants_from_mentor="Honest questions",
        ),
    )


@pytest.fixture
def outsider_records(outsider_engagement, outsider_mentee):
    """Another organisation's mentee with their own notes, reflection and feedback."""
    session = held_session(outsider_engagement)
    private_note(session, OUTSIDER_TEXT + " private")
    shared_note(session, OUTSIDER_TEXT + " shared")
    Reflection.objects.create(
        session=session, author=outsider_mentee, timing="after", visibility="private", body=OUTSIDER_TEXT
    )
    Feedback.objects.create(session=session, mentee=outsider_mentee, usefulness=2, trust=2, comment=OUTSIDER_TEXT)
    return SimpleNamespace(session=session)
