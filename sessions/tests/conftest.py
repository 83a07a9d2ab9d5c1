"""The mentorship fixtures (organisations, teams, engagements) for the sessions tests, plus
availability helpers."""

import datetime

import pytest

from mentorship.tests.conftest import *  # noqa: F403
from sessions.models import AvailabilityWindow, Venue, VenueKind


@pytest.fixture
def open_availability(db):
    """Give a mentor availability 08:00–18:00 every day, in their own time zone."""

    def give(mentor):
        for weekday in range(7):
            AvailabilityWindow.objects.create(
                mentor=mentor,
                weekday=weekday,
                start_time=datetime.time(8),
                end_time=datetime.time(18),
                time_zone=mentor.time_zone,
            )
        return mentor

    return give


@pytest.fixture
def neutral_venue(db):
    return Venue.objects.create(name="Riverside Rooms", kind=VenueKind.NEUTRAL, address="Kajgatan 4", city="Göteborg")


@pytest.fixture
def online_venue(db):
    return Venue.objects.create(name="Video call", kind=VenueKind.ONLINE, meeting_url="https://meet.example.org/room")
