"""The instant every test starts at (the root conftest's `_pinned_clock`), so no test depends on
the hour, day or season it runs in. A Wednesday morning in Stockholm, in the weeks the suite was
written against. `TEST_CLOCK` moves it (`make test` also runs the `clock` tests just before
midnight and across the autumn clock change); it needs an offset: TEST_CLOCK=2026-11-18T23:50:00+01:00."""

import datetime
import os

import pytest

DEFAULT_TEST_CLOCK = "2026-11-25T10:00:00+01:00"


def parse_instant(value: str, name: str = "TEST_CLOCK") -> datetime.datetime:
    """An ISO 8601 instant with its offset, in UTC (time-machine sets the process's TZ when given
    a ZoneInfo; Django keeps TZ=UTC)."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"{name}={value!r} is not an ISO 8601 date and time") from error
    if moment.tzinfo is None:
        raise pytest.UsageError(f"{name}={value!r} needs a UTC offset, e.g. +01:00")
    return moment.astimezone(datetime.UTC)


def pinned_instant() -> datetime.datetime:
    return parse_instant(os.environ.get("TEST_CLOCK") or DEFAULT_TEST_CLOCK)


def extra_instants() -> list[tuple[str, datetime.datetime]]:
    """CLOCK_TEST_TIMES (ISO instants, space-separated): the `clock` tests run once more at each,
    in the same session (the root conftest parametrizes them), as (the value given, the instant)."""
    values = os.environ.get("CLOCK_TEST_TIMES", "").split()
    return [(value, parse_instant(value, "CLOCK_TEST_TIMES")) for value in values]


TEST_CLOCK = pinned_instant()


def clock_parametrization(node) -> tuple[list[datetime.datetime], list[str]] | None:
    """With CLOCK_TEST_TIMES, the instants a `clock` test (`node`) starts at and their ids: the
    pinned one, then each of those. None for other tests, and for browser journeys and tests
    marked `once`, whose subject is not the date."""
    extras = extra_instants()
    if not extras or not node.get_closest_marker("clock"):
        return None
    if node.get_closest_marker("once") or node.get_closest_marker("browser"):
        return None
    return [TEST_CLOCK, *(instant for _, instant in extras)], ["clock=pinned", *(f"clock={v}" for v, _ in extras)]


_started_at = [TEST_CLOCK]


def started_at() -> datetime.datetime:
    """Where the running test's clock started: TEST_CLOCK, or one of CLOCK_TEST_TIMES."""
    return _started_at[0]


def start_at(instant: datetime.datetime) -> None:
    _started_at[0] = instant
