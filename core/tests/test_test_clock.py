"""The pinned test clock (root conftest): every test starts at TEST_CLOCK and time moves on."""

import datetime
import time

import pytest
import time_machine
from django.utils import timezone

from core.tests.clock import TEST_CLOCK

pytestmark = pytest.mark.clock


def test_a_test_starts_at_the_test_clock():
    assert TEST_CLOCK <= timezone.now() < TEST_CLOCK + datetime.timedelta(minutes=1)
    assert datetime.date.today() == timezone.now().date()  # moved too (the process's zone is UTC)


def test_the_clock_ticks():
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > before


def test_a_test_can_travel_further_and_comes_back():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert timezone.now() == datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
    assert TEST_CLOCK <= timezone.now() < TEST_CLOCK + datetime.timedelta(minutes=1)
