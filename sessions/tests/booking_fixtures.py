"""Fixtures and helpers shared by the booking page tests (test_booking_*.py)."""

import pytest
from django.urls import reverse

from sessions.booking import selectors
from sessions.models import SessionStatus
from sessions.tests.factories import days_from_now, make_session


@pytest.fixture
def ready(engagement, open_availability, neutral_venue):
    """The individual engagement, its mentor free 08:00–18:00 every day, one neutral venue."""
    open_availability(engagement.mentor)
    return engagement


@pytest.fixture
def team_ready(team_engagement, open_availability, neutral_venue):
    open_availability(team_engagement.mentor)
    return team_engagement


@pytest.fixture
def session_factory(db):
    """A session written directly (no service): any time, even within the notice or in the past."""

    def make(engagement, *, start=None, hours_from_now=72, status=SessionStatus.CONFIRMED, venue=None, **fields):
        start = start or days_from_now(hours_from_now / 24)
        return make_session(engagement, start, status=status, venue=venue, **fields)

    return make


@pytest.fixture
def booked(ready, session_factory, neutral_venue):
    """An upcoming confirmed session of the individual engagement, three days ahead."""
    return session_factory(ready, venue=neutral_venue)


def book_url(engagement) -> str:
    return reverse("mentoring_sessions:book", args=[engagement.uuid])


def session_url(name: str, session) -> str:
    return reverse(f"mentoring_sessions:{name}", args=[session.uuid])


def free(engagement, **kwargs):
    return selectors.free_slots_for_engagement(engagement, **kwargs)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
