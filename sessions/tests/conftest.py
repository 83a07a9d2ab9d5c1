"""The mentorship fixtures (organisations, teams, engagements) for the sessions tests, plus
availability helpers (sessions/tests/factories.py)."""

import pytest

from mentorship.tests.conftest import *  # noqa: F403
from sessions.models import Venue, VenueKind
from sessions.tests import factories


@pytest.fixture
def open_availability(db):
    """Give a mentor availability 08:00–18:00 every day, in their own time zone."""
    return factories.open_availability


@pytest.fixture
def neutral_venue(db):
    return factories.neutral_venue()


@pytest.fixture
def online_venue(db):
    return Venue.objects.create(name="Video call", kind=VenueKind.ONLINE, meeting_url="https://meet.example.org/room")
