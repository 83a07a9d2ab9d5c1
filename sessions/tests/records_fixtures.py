"""Fixtures and helpers shared by the session-records tests (test_records_*.py)."""

import pytest
from django.urls import reverse

from conftest import make_user
from sessions.models import MentoringSession, SessionStatus
from sessions.tests.factories import days_from_now, make_session


def past_session(engagement, *, days_ago=2, status=SessionStatus.COMPLETED, **fields) -> MentoringSession:
    """A session written directly (no service), `days_ago` days in the past."""
    return make_session(engagement, days_from_now(-days_ago), status=status, **fields)


def future_session(engagement, *, days_ahead=3, status=SessionStatus.CONFIRMED) -> MentoringSession:
    return past_session(engagement, days_ago=-days_ahead, status=status)


@pytest.fixture
def held(engagement):
    """A held session of the individual engagement (`mentor` with `mentee`), two days ago."""
    return past_session(engagement)


@pytest.fixture
def team_held(team_engagement):
    return past_session(team_engagement)


@pytest.fixture
def members(team):
    """The team's members, in a fixed order."""
    return [membership.user for membership in team.memberships.select_related("user").order_by("user__email")]


@pytest.fixture
def superuser(db):
    """Operations staff: Django superuser, no role in the product."""
    return make_user("root@example.org", full_name="Root Operator", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_admin(db):
    """A superuser who is also a consultancy admin: still reads no note body."""
    return make_user(
        "ops.admin@example.org",
        roles=("consultancy_admin",),
        full_name="Ops Admin",
        is_staff=True,
        is_superuser=True,
    )


def url(name: str, session: MentoringSession, *args) -> str:
    return reverse(f"mentoring_sessions:{name}", args=[session.uuid, *args])


def engagement_url(engagement) -> str:
    return reverse("overview:engagement-detail", args=[engagement.uuid])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
