"""The pinned test clock (root conftest): every test starts at TEST_CLOCK and time moves on."""

import datetime
import time

import pytest
import time_machine
from django.utils import timezone

from core.tests.clock import TEST_CLOCK, clock_parametrization, started_at

pytestmark = pytest.mark.clock


def test_a_test_starts_at_the_test_clock():
    start = started_at()
    assert start <= timezone.now() < start + datetime.timedelta(minutes=1)
    assert datetime.date.today() == timezone.now().date()  # moved too (the process's zone is UTC)


def test_the_clock_ticks():
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > before


def test_a_test_can_travel_further_and_comes_back():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert timezone.now() == datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
    start = started_at()
    assert start <= timezone.now() < start + datetime.timedelta(minutes=1)


class Node:
    """What `clock_parametrization` reads of a test: its markers."""

    def __init__(self, *markers: str):
        self.markers = markers

    def get_closest_marker(self, name: str):
        return name if name in self.markers else None


def test_with_clock_test_times_only_clock_tests_run_again_at_each(monkeypatch):
    monkeypatch.setenv("CLOCK_TEST_TIMES", "2026-11-30T23:50:00+01:00 2026-10-25T01:30:00+02:00")
    instants, ids = clock_parametrization(Node("clock"))
    assert instants == [
        TEST_CLOCK,
        datetime.datetime(2026, 11, 30, 22, 50, tzinfo=datetime.UTC),
        datetime.datetime(2026, 10, 24, 23, 30, tzinfo=datetime.UTC),
    ]
    assert ids == ["clock=pinned", "clock=2026-11-30T23:50:00+01:00", "clock=2026-10-25T01:30:00+02:00"]
    for node in (Node(), Node("clock", "once"), Node("clock", "browser")):
        assert clock_parametrization(node) is None


def test_without_clock_test_times_nothing_runs_again(monkeypatch):
    monkeypatch.setenv("CLOCK_TEST_TIMES", "")
    assert clock_parametrization(Node("clock")) is None


def test_a_clock_test_time_without_an_offset_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("CLOCK_TEST_TIMES", "2026-11-30T23:50:00")
    with pytest.raises(pytest.UsageError):
        clock_parametrization(Node("clock"))
