import datetime

import pytest

from sessions.booking.slots import Slot, Window, free_slots

pytestmark = pytest.mark.clock

UTC = datetime.UTC
H = datetime.timedelta(hours=1)
T = datetime.time


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def starts(slots):
    return [slot.start for slot in slots]


def test_stockholm_spring_forward_keeps_local_wall_clock():
    # Sundays 09:00–11:00 in Stockholm; the clocks go forward on Sunday 2026-03-29.
    slots = free_slots(
        windows=[Window(6, T(9), T(11), "Europe/Stockholm")],
        time_off=[],
        busy=[],
        earliest=utc(2026, 3, 21),
        latest=utc(2026, 3, 30),
        duration=2 * H,
    )
    assert starts(slots) == [utc(2026, 3, 22, 8), utc(2026, 3, 29, 7)]  # 09:00 CET, then 09:00 CEST


def test_stockholm_autumn_change_keeps_local_wall_clock():
    slots = free_slots(
        windows=[Window(6, T(9), T(11), "Europe/Stockholm")],
        time_off=[],
        busy=[],
        earliest=utc(2026, 10, 17),
        latest=utc(2026, 10, 26),
        duration=2 * H,
    )
    assert starts(slots) == [utc(2026, 10, 18, 7), utc(2026, 10, 25, 8)]  # 09:00 CEST, then 09:00 CET


def test_window_over_the_skipped_hour_offers_only_real_time():
    # 01:00–04:00 local on 2026-03-29 is two real hours: 02:00–03:00 does not exist.
    slots = free_slots(
        windows=[Window(6, T(1), T(4), "Europe/Stockholm")],
        time_off=[],
        busy=[],
        earliest=utc(2026, 3, 28),
        latest=utc(2026, 3, 30),
        duration=H,
    )
    assert slots[0].start == utc(2026, 3, 29, 0)
    assert slots[-1].end == utc(2026, 3, 29, 2)
    assert all(slot.end - slot.start == H for slot in slots)


def test_window_over_the_repeated_hour_offers_the_extra_hour():
    # 01:00–04:00 local on 2026-10-25 is four real hours: 02:00–03:00 happens twice.
    slots = free_slots(
        windows=[Window(6, T(1), T(4), "Europe/Stockholm")],
        time_off=[],
        busy=[],
        earliest=utc(2026, 10, 24),
        latest=utc(2026, 10, 26),
        duration=H,
    )
    assert slots[0].start == utc(2026, 10, 24, 23)
    assert slots[-1].end == utc(2026, 10, 25, 3)


def test_new_york_mentor_seen_from_stockholm_across_both_changes():
    # Mondays 10:00–12:00 in New York. Europe changes on 2026-10-25, the US on 2026-11-01: for one
    # week the gap is five hours instead of six.
    slots = free_slots(
        windows=[Window(0, T(10), T(12), "America/New_York")],
        time_off=[],
        busy=[],
        earliest=utc(2026, 10, 18),
        latest=utc(2026, 11, 4),
        duration=2 * H,
        time_off_zone="America/New_York",
    )
    stockholm = [slot.start.astimezone(datetime.timezone(datetime.timedelta(0))) for slot in slots]
    assert stockholm == [utc(2026, 10, 19, 14), utc(2026, 10, 26, 14), utc(2026, 11, 2, 15)]
    from zoneinfo import ZoneInfo

    local = [slot.start.astimezone(ZoneInfo("Europe/Stockholm")).time() for slot in slots]
    assert local == [T(16), T(15), T(16)]


def test_busy_time_and_buffer_block_slots_and_back_to_back_is_allowed_without_buffer():
    window = [Window(0, T(9), T(15), "UTC")]
    busy = [(utc(2026, 6, 1, 11), utc(2026, 6, 1, 13))]
    common = {
        "windows": window,
        "time_off": [],
        "earliest": utc(2026, 6, 1),
        "latest": utc(2026, 6, 2),
        "duration": 2 * H,
    }
    assert starts(free_slots(busy=busy, **common)) == [utc(2026, 6, 1, 9), utc(2026, 6, 1, 13)]
    with_buffer = free_slots(busy=busy, buffer=datetime.timedelta(minutes=15), **common)
    assert starts(with_buffer) == []  # 09:00–11:00 ends too close, so does 13:00–15:00


def test_time_off_removes_whole_days_in_the_mentors_zone():
    slots = free_slots(
        windows=[Window(day, T(9), T(11), "Europe/Stockholm") for day in range(5)],
        time_off=[(datetime.date(2026, 6, 2), datetime.date(2026, 6, 3))],
        busy=[],
        earliest=utc(2026, 6, 1),
        latest=utc(2026, 6, 6),
        duration=2 * H,
    )
    days = [slot.start.date() for slot in slots]
    assert days == [datetime.date(2026, 6, d) for d in (1, 4, 5)]


def test_slots_respect_notice_and_horizon_and_step():
    slots = free_slots(
        windows=[Window(0, T(9), T(12), "UTC")],
        time_off=[],
        busy=[],
        earliest=utc(2026, 6, 1, 9, 10),
        latest=utc(2026, 6, 1, 11, 40),
        duration=90 * datetime.timedelta(minutes=1),
    )
    assert slots == [
        Slot(utc(2026, 6, 1, 9, 30), utc(2026, 6, 1, 11)),
        Slot(utc(2026, 6, 1, 10), utc(2026, 6, 1, 11, 30)),
    ]


def test_overlapping_or_adjacent_windows_join_and_give_each_slot_once():
    slots = free_slots(
        windows=[Window(0, T(9), T(11), "UTC"), Window(0, T(11), T(12), "UTC"), Window(0, T(10), T(13), "UTC")],
        time_off=[],
        busy=[],
        earliest=utc(2026, 6, 1),
        latest=utc(2026, 6, 2),
        duration=2 * H,
    )
    # 09:00–13:00 in all: starts 09:00, 09:30, ..., 11:00, each once.
    assert starts(slots) == [utc(2026, 6, 1, 9) + k * datetime.timedelta(minutes=30) for k in range(5)]
