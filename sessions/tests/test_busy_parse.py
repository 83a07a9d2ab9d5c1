"""From ICS text to busy intervals (no network): time zones, free/busy blocks, merging."""

import datetime

import pytest

from sessions.busy.parse import ParseError, busy_intervals

pytestmark = pytest.mark.clock

UTC = datetime.UTC
START = datetime.datetime(2027, 1, 4, tzinfo=UTC)
END = datetime.datetime(2027, 2, 1, tzinfo=UTC)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def calendar(*lines: str) -> bytes:
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"]) + "\r\n"
    ).encode()


def event(*lines: str, uid: str = "x@example.net") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"]


def read(data: bytes, zone: str = "Europe/Stockholm"):
    return busy_intervals(data, zone_name=zone, start=START, end=END)


def test_x_wr_timezone_places_floating_times():
    data = calendar("X-WR-TIMEZONE:America/New_York", *event("DTSTART:20270105T090000", "DTEND:20270105T100000"))
    assert read(data) == [(utc(2027, 1, 5, 14), utc(2027, 1, 5, 15))]


def test_floating_times_without_a_calendar_zone_are_in_the_mentors_zone():
    data = calendar(*event("DTSTART:20270105T090000", "DTEND:20270105T100000"))
    assert read(data, "Europe/Stockholm") == [(utc(2027, 1, 5, 8), utc(2027, 1, 5, 9))]
    assert read(data, "Europe/London") == [(utc(2027, 1, 5, 9), utc(2027, 1, 5, 10))]


def test_an_all_day_event_is_the_mentors_whole_local_day():
    data = calendar(*event("DTSTART;VALUE=DATE:20270108", "DTEND;VALUE=DATE:20270109"))
    assert read(data, "Europe/Stockholm") == [(utc(2027, 1, 7, 23), utc(2027, 1, 8, 23))]
    assert read(data, "Asia/Tokyo") == [(utc(2027, 1, 7, 15), utc(2027, 1, 8, 15))]


def test_an_all_day_event_without_an_end_lasts_one_day():
    data = calendar(*event("DTSTART;VALUE=DATE:20270108"))
    assert read(data) == [(utc(2027, 1, 7, 23), utc(2027, 1, 8, 23))]


def test_overlapping_and_touching_events_are_kept_as_one_interval():
    data = calendar(
        *event("DTSTART:20270105T080000Z", "DTEND:20270105T090000Z", uid="a"),
        *event("DTSTART:20270105T083000Z", "DTEND:20270105T100000Z", uid="b"),
        *event("DTSTART:20270105T100000Z", "DTEND:20270105T110000Z", uid="c"),
    )
    assert read(data) == [(utc(2027, 1, 5, 8), utc(2027, 1, 5, 11))]


def test_outlooks_windows_zone_names_are_understood():
    data = calendar(
        *event(
            "DTSTART;TZID=W. Europe Standard Time:20270105T080000", "DTEND;TZID=W. Europe Standard Time:20270105T090000"
        )
    )
    assert read(data) == [(utc(2027, 1, 5, 7), utc(2027, 1, 5, 8))]


def test_an_event_reaching_outside_the_period_is_clipped_to_it():
    data = calendar(*event("DTSTART:20261231T090000Z", "DTEND:20270110T090000Z"))
    assert read(data) == [(START, utc(2027, 1, 10, 9))]


def test_free_busy_blocks_count_unless_free():
    data = calendar(
        "BEGIN:VFREEBUSY",
        "FREEBUSY;FBTYPE=BUSY:20270105T080000Z/20270105T090000Z",
        "FREEBUSY;FBTYPE=FREE:20270106T080000Z/20270106T090000Z",
        "FREEBUSY:20270107T080000Z/PT2H",
        "END:VFREEBUSY",
    )
    assert read(data) == [(utc(2027, 1, 5, 8), utc(2027, 1, 5, 9)), (utc(2027, 1, 7, 8), utc(2027, 1, 7, 10))]


def test_cancelled_events_do_not_block():
    data = calendar(*event("STATUS:CANCELLED", "DTSTART:20270105T080000Z", "DTEND:20270105T090000Z"))
    assert read(data) == []


@pytest.mark.parametrize(
    "data",
    [
        b"not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nRRULE:FREQ=NEVER\r\nDTSTART:20270105T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20270105T080000Z\r\nDTEND:2027-01-05\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
    ids=["text", "bad-rule", "bad-end"],
)
def test_unreadable_calendars_raise_a_parse_error(data):
    with pytest.raises(ParseError):
        read(data)


def test_events_given_a_duration_instead_of_an_end():
    data = calendar(
        *event("DTSTART:20270105T080000Z", "DURATION:PT90M", "RRULE:FREQ=DAILY;COUNT=2", uid="a"),
        *event("DTSTART;VALUE=DATE:20270110", "DURATION:P2D", uid="b"),
    )
    assert read(data, "UTC") == [
        (utc(2027, 1, 5, 8), utc(2027, 1, 5, 9, 30)),
        (utc(2027, 1, 6, 8), utc(2027, 1, 6, 9, 30)),
        (utc(2027, 1, 10), utc(2027, 1, 12)),
    ]
