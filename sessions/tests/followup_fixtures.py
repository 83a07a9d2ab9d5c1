"""Fixtures shared by the follow-up tests (test_followup_*.py): held sessions, action items, feedback."""

import itertools

import pytest

from sessions.models import ActionItem, Feedback, MentoringSession, SessionStatus
from sessions.tests.factories import days_from_now, make_session


@pytest.fixture
def past_session(db):
    """A session written directly in the past (held by default). Each call lands three hours
    earlier than the last on the same day offset, so sessions of one mentor never overlap."""
    offsets = itertools.count(1)

    def make(engagement, *, days_ago: int = 2, status: str = SessionStatus.COMPLETED) -> MentoringSession:
        return make_session(engagement, days_from_now(-days_ago - next(offsets) / 8), status=status)

    return make


@pytest.fixture
def held(engagement, past_session) -> MentoringSession:
    """A held session of the individual engagement, two days ago."""
    return past_session(engagement)


@pytest.fixture
def item_factory(db):
    def make(engagement, *, owner, created_by=None, text="Draft the hiring plan", **fields) -> ActionItem:
        return ActionItem.objects.create(
            engagement=engagement, owner=owner, created_by=created_by or engagement.mentor, text=text, **fields
        )

    return make


@pytest.fixture
def mentor_item(engagement, item_factory, mentee) -> ActionItem:
    """An open item the mentor added for the mentee."""
    return item_factory(engagement, owner=mentee)


@pytest.fixture
def rate(db):
    def make(session, mentee, *, usefulness=4, trust=5, comment="") -> Feedback:
        return Feedback.objects.create(
            session=session, mentee=mentee, usefulness=usefulness, trust=trust, comment=comment
        )

    return make


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
