"""The own-data world (registered in the root conftest): a mentee's full record — held sessions
with a private and a shared note, reflections, feedback, action items, intake answers — and an
outsider's. The texts are constants, so that tests can look for them in exports."""

from types import SimpleNamespace

import pytest

from demo import factories
from sessions.models import SessionStatus

PRIVATE_SECRET = "PRIVATE-NOTE-SECRET-42"
SHARED_TEXT = "Shared note: practise the difficult conversation with the board."
OWN_PRIVATE_REFLECTION = "My private reflection: I avoid conflict."
OWN_SHARED_REFLECTION = "Shared reflection: the board meeting went well."
OUTSIDER_TEXT = "OUTSIDER-ONLY-TEXT-77"


@pytest.fixture
def second_admin(db):
    return factories.make_user(email="greta.admin@example.org", roles=("consultancy_admin",), full_name="Greta Admin")


@pytest.fixture
def records(engagement, mentee, mentor, held_session):
    """The mentee's record in their individual engagement with `mentor`."""
    session = held_session(engagement, days_ago=7)
    upcoming = held_session(engagement, days_ago=-5, status=SessionStatus.CONFIRMED)
    return SimpleNamespace(
        session=session,
        upcoming=upcoming,
        private=factories.make_note(session=session, visibility="private", body=PRIVATE_SECRET),
        shared=factories.make_note(session=session, visibility="shared", body=SHARED_TEXT),
        private_reflection=factories.make_reflection(
            session=session, timing="before", visibility="private", body=OWN_PRIVATE_REFLECTION
        ),
        shared_reflection=factories.make_reflection(
            session=session, timing="after", visibility="shared", body=OWN_SHARED_REFLECTION
        ),
        feedback=factories.make_feedback(session=session, usefulness=5, trust=4, comment="Very useful"),
        own_item=factories.make_action_item(
            engagement=engagement, session=session, text="Book the board meeting", owner=mentee
        ),
        mentor_item=factories.make_action_item(engagement=engagement, text="Send the reading list", owner=mentor),
        intake=factories.make_intake(
            engagement=engagement,
            own_goals="Lead the sales team through the merger",
            commitment=5,
            wants_from_mentor="Honest questions",
        ),
    )


@pytest.fixture
def outsider_records(outsider_engagement, outsider_mentee, held_session):
    """Another organisation's mentee with their own notes, reflection and feedback."""
    session = held_session(outsider_engagement, days_ago=7)
    factories.make_note(session=session, visibility="private", body=OUTSIDER_TEXT + " private")
    factories.make_note(session=session, visibility="shared", body=OUTSIDER_TEXT + " shared")
    factories.make_reflection(session=session, timing="after", visibility="private", body=OUTSIDER_TEXT)
    factories.make_feedback(session=session, usefulness=2, trust=2, comment=OUTSIDER_TEXT)
    return SimpleNamespace(session=session)
