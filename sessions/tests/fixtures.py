"""Sessions and what surrounds them (registered in the root conftest): availability, venues,
booked, held and past sessions, action items and feedback. Thin wrappers around
demo/factories.py; sessions are written straight into the database (no booking rules, no
emails)."""

import itertools

import pytest

from core.tests.helpers import days_from_now
from demo import factories
from sessions.models import MentoringSession, SessionStatus, VenueKind


@pytest.fixture
def open_availability(db):
    """open_availability(mentor=...): free 08:00–18:00 every day, in the mentor's own time zone."""
    return factories.make_availability


@pytest.fixture
def neutral_venue(db):
    return factories.make_venue(name="Riverside Rooms", kind=VenueKind.NEUTRAL, address="Kajgatan 4", city="Göteborg")


@pytest.fixture
def online_venue(db):
    return factories.make_venue(name="Video call", kind=VenueKind.ONLINE, meeting_url="https://meet.example.org/room")


@pytest.fixture
def ready(engagement, open_availability, neutral_venue):
    """The individual engagement, its mentor free 08:00–18:00 every day, one neutral venue."""
    open_availability(mentor=engagement.mentor)
    return engagement


@pytest.fixture
def team_ready(team_engagement, open_availability, neutral_venue):
    open_availability(mentor=team_engagement.mentor)
    return team_engagement


@pytest.fixture
def session_factory(db):
    """session_factory(engagement, hours_from_now=72, ...): a session at any time, even within the
    notice or in the past (confirmed unless told)."""

    def make(engagement, *, start=None, hours_from_now=72, **fields) -> MentoringSession:
        start = start or days_from_now(hours_from_now / 24)
        return factories.make_session(engagement=engagement, start=start, **fields)

    return make


@pytest.fixture
def booked(ready, session_factory, neutral_venue):
    """An upcoming confirmed session of the individual engagement, three days ahead."""
    return session_factory(ready, venue=neutral_venue)


@pytest.fixture
def past_session(db):
    """past_session(engagement, days_ago=2, ...): a session exactly `days_ago` days back (held
    unless told; negative: ahead)."""

    def make(engagement, *, days_ago: float = 2, status=SessionStatus.COMPLETED, **fields) -> MentoringSession:
        return factories.make_session(engagement=engagement, start=days_from_now(-days_ago), status=status, **fields)

    return make


@pytest.fixture
def held_session(db):
    """held_session(engagement, days_ago=2): a held session in the past; each call lands three
    hours earlier than the last, so one mentor's sessions never overlap."""
    offsets = itertools.count(1)

    def make(engagement, *, days_ago: float = 2, status=SessionStatus.COMPLETED) -> MentoringSession:
        start = days_from_now(-days_ago - next(offsets) / 8)
        return factories.make_session(engagement=engagement, start=start, status=status)

    return make


@pytest.fixture
def held(engagement, past_session) -> MentoringSession:
    """A held session of the individual engagement (`mentor` with `mentee`), two days ago."""
    return past_session(engagement)


@pytest.fixture
def team_held(team_engagement, past_session) -> MentoringSession:
    return past_session(team_engagement)


@pytest.fixture
def item_factory(db):
    """factories.make_action_item: item_factory(engagement=..., owner=..., ...)."""
    return factories.make_action_item


@pytest.fixture
def mentor_item(engagement, mentee):
    """An open item the mentor added for the mentee."""
    return factories.make_action_item(engagement=engagement, owner=mentee)


@pytest.fixture
def rate(db):
    """factories.make_feedback: rate(session=..., mentee=..., usefulness=4, trust=5)."""
    return factories.make_feedback
