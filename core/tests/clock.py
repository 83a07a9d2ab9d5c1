"""The instant every test starts at (the root conftest's `_pinned_clock`), so no test depends on
the hour, day or season it runs in. A Wednesday morning in Stockholm, in the weeks the suite was
written against. `TEST_CLOCK` moves it (`make test` also runs the `clock` tests just before
midnight and across the autumn clock change); it needs an offset: TEST_CLOCK=2026-11-18T23:50:00+01:00."""

import datetime
import os

import pytest

DEFAULT_TEST_CLOCK = "2026-11-25T10:00:00+01:00"


def pinned_instant() -> datetime.datetime:
    value = os.environ.get("TEST_CLOCK") or DEFAULT_TEST_CLOCK
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"TEST_CLOCK={value!r} is not an ISO 8601 date and time") from error
    if moment.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK={value!r} needs a UTC offset, e.g. +01:00")
    # In UTC: time-machine sets the process's TZ when given a ZoneInfo; Django keeps TZ=UTC.
    return moment.astimezone(datetime.UTC)


TEST_CLOCK = pinned_instant()
