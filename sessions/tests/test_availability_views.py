"""The mentor's availability page: weekly windows, time off and booking rules."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import build_availability, make_availability, make_booking_settings, make_time_off
from sessions.models import AvailabilityWindow, BookingSettings, TimeOff

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

PAGE = reverse("mentoring_sessions:availability")
ADD_WINDOW = reverse("mentoring_sessions:availability-window-create")
ADD_TIME_OFF = reverse("mentoring_sessions:time-off-create")
SETTINGS = reverse("mentoring_sessions:booking-settings")


@pytest.fixture
def mentor_client(client, mentor):
    client.force_login(mentor)
    return client


def _window(**data):
    return {f"window-{key}": value for key, value in {"weekday": "1", "start_time": "09:00", **data}.items()} | (
        {} if "end_time" in data else {"window-end_time": "12:00"}
    )


def _today(user):
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(user.time_zone))


def _time_off(first, last, note=""):
    return {"time_off-start_date": first.isoformat(), "time_off-end_date": last.isoformat(), "time_off-note": note}


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Weekly windows ---------------------------------------------------------------------------------


def test_mentor_adds_a_window_in_their_own_time_zone(mentor_client, mentor):
    mentor.time_zone = "America/New_York"
    mentor.save()
    response = mentor_client.post(ADD_WINDOW, _window(weekday="1", start_time="09:00", end_time="12:30"))
    assert response.status_code == 302
    assert response.url == PAGE
    window = AvailabilityWindow.objects.get()
    assert (window.mentor, window.weekday) == (mentor, 1)
    assert (window.start_time, window.end_time) == (datetime.time(9), datetime.time(12, 30))
    assert window.time_zone == "America/New_York"
    page = mentor_client.get(PAGE).content.decode()
    assert "09:00–12:30" in page
    assert "America/New_York" in page


def test_a_posted_time_zone_is_ignored(mentor_client, mentor):
    mentor_client.post(ADD_WINDOW, {**_window(), "window-time_zone": "Asia/Tokyo", "time_zone": "Asia/Tokyo"})
    assert AvailabilityWindow.objects.get().time_zone == mentor.time_zone == "Europe/Stockholm"


def test_page_groups_windows_by_weekday_in_time_order(mentor_client, mentor):
    for weekday, start, end in [(3, 14, 16), (0, 13, 17), (0, 8, 10)]:
        make_availability(
            mentor=mentor, weekdays=[weekday], start_time=datetime.time(start), end_time=datetime.time(end)
        )
    days = mentor_client.get(PAGE).context["days"]
    assert [str(day["label"]) for day in days] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    assert [(w.start_time.hour, w.end_time.hour) for w in days[0]["windows"]] == [(8, 10), (13, 17)]
    assert [(w.start_time.hour, w.end_time.hour) for w in days[3]["windows"]] == [(14, 16)]
    assert all(not day["windows"] for index, day in enumerate(days) if index not in (0, 3))


def test_a_window_saved_in_another_zone_is_flagged(mentor_client, mentor):
    make_availability(
        mentor=mentor,
        weekdays=[2],
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        time_zone="Europe/London",
    )
    response = mentor_client.get(PAGE)
    window = response.context["days"][2]["windows"][0]
    assert window.other_zone is True
    page = response.content.decode()
    assert "in Europe/London, not your current zone" in page
    assert "Some hours were saved in another time zone than your current one (Europe/Stockholm)" in page


def test_a_window_in_the_mentors_zone_is_not_flagged(mentor_client, mentor):
    mentor_client.post(ADD_WINDOW, _window())
    response = mentor_client.get(PAGE)
    assert response.context["days"][1]["windows"][0].other_zone is False
    assert "not your current zone" not in response.content.decode()


def test_an_overlapping_window_is_saved_with_a_warning(mentor_client):
    mentor_client.post(ADD_WINDOW, _window(start_time="09:00", end_time="12:00"))
    response = mentor_client.post(ADD_WINDOW, _window(start_time="11:00", end_time="14:00"))
    assert response.status_code == 302
    assert AvailabilityWindow.objects.count() == 2
    assert any("overlaps another window" in message for message in _messages(response))
    windows = mentor_client.get(PAGE).context["days"][1]["windows"]
    assert [w.overlaps for w in windows] == [True, True]


def test_back_to_back_and_other_day_windows_are_not_overlaps(mentor_client):
    mentor_client.post(ADD_WINDOW, _window(start_time="09:00", end_time="12:00"))
    response = mentor_client.post(ADD_WINDOW, _window(start_time="12:00", end_time="14:00"))
    assert not any("overlaps" in message for message in _messages(response))
    response = mentor_client.post(ADD_WINDOW, _window(weekday="2", start_time="10:00", end_time="11:00"))
    assert not any("overlaps" in message for message in _messages(response))
    days = mentor_client.get(PAGE).context["days"]
    assert not any(w.overlaps for day in days for w in day["windows"])


def test_double_submitted_window_is_saved_once(mentor_client):
    first = mentor_client.post(ADD_WINDOW, _window())
    second = mentor_client.post(ADD_WINDOW, _window())
    assert first.status_code == second.status_code == 302
    assert AvailabilityWindow.objects.count() == 1
    assert "You already have this window." in _messages(second)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start_time": "12:00", "end_time": "09:00"}, "end_time"),
        ({"start_time": "09:00", "end_time": "09:00"}, "end_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"end_time": "24:00"}, "end_time"),
        ({"start_time": "9 o'clock"}, "start_time"),
        ({"start_time": ""}, "start_time"),
        ({"end_time": ""}, "end_time"),
        ({"weekday": "7"}, "weekday"),
        ({"weekday": "-1"}, "weekday"),
        ({"weekday": "Monday"}, "weekday"),
        ({"weekday": ""}, "weekday"),
        ({"start_time": "<script>alert(1)</script>"}, "start_time"),
    ],
)
def test_bad_window_input_is_a_form_error(mentor_client, data, field):
    response = mentor_client.post(ADD_WINDOW, _window(**data))
    assert response.status_code == 200
    assert field in response.context["window_form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not AvailabilityWindow.objects.exists()


def test_until_before_from_says_why(mentor_client):
    response = mentor_client.post(ADD_WINDOW, _window(start_time="15:00", end_time="10:00"))
    assert "The window must end after it starts (on the same day)." in response.content.decode()


def test_mentor_removes_a_window_and_a_second_click_is_a_404(mentor_client, mentor):
    (window,) = make_availability(mentor=mentor, weekdays=[4], start_time=datetime.time(9), end_time=datetime.time(10))
    url = reverse("mentoring_sessions:availability-window-delete", args=[window.pk])
    first = mentor_client.post(url)
    assert first.status_code == 302
    assert first.url == PAGE
    assert not AvailabilityWindow.objects.exists()
    assert mentor_client.post(url).status_code == 404


def test_deleting_an_unknown_window_is_a_404(mentor_client):
    url = reverse("mentoring_sessions:availability-window-delete", args=[999999])
    assert mentor_client.post(url).status_code == 404


def test_page_says_when_there_is_no_availability_yet(mentor_client):
    assert "mentees cannot book a session with you until you add some" in mentor_client.get(PAGE).content.decode()


# Time off ---------------------------------------------------------------------------------------


def test_mentor_adds_time_off_with_a_note(mentor_client, mentor):
    first = _today(mentor) + datetime.timedelta(days=20)
    last = first + datetime.timedelta(days=6)
    response = mentor_client.post(ADD_TIME_OFF, _time_off(first, last, "Sailing\nin Greece"))
    assert response.status_code == 302
    time_off = TimeOff.objects.get()
    assert (time_off.mentor, time_off.start_date, time_off.end_date) == (mentor, first, last)
    assert time_off.note == "Sailing\nin Greece"
    response = mentor_client.get(PAGE)
    assert response.context["time_off"] == [time_off]
    assert "Sailing\nin Greece" in response.content.decode()


def test_one_day_of_time_off_today_is_allowed(mentor_client, mentor):
    today = _today(mentor)
    assert mentor_client.post(ADD_TIME_OFF, _time_off(today, today)).status_code == 302
    assert TimeOff.objects.get().start_date == today


def test_time_off_already_running_is_allowed(mentor_client, mentor):
    today = _today(mentor)
    response = mentor_client.post(ADD_TIME_OFF, _time_off(today - datetime.timedelta(days=3), today))
    assert response.status_code == 302
    assert TimeOff.objects.count() == 1


def test_past_time_off_is_refused(mentor_client, mentor):
    yesterday = _today(mentor) - datetime.timedelta(days=1)
    response = mentor_client.post(ADD_TIME_OFF, _time_off(yesterday - datetime.timedelta(days=5), yesterday))
    assert response.status_code == 200
    assert "This time off is already over" in response.content.decode()
    assert not TimeOff.objects.exists()


def test_past_is_judged_in_the_mentors_time_zone(mentor_client, mentor):
    # Late evening in Honolulu is already the next day in UTC: "today" there is still today.
    mentor.time_zone = "Pacific/Honolulu"
    mentor.save()
    now = datetime.datetime(2026, 6, 2, 8, 0, tzinfo=datetime.UTC)  # 1 June, 22:00 in Honolulu
    with time_machine.travel(now):
        response = mentor_client.post(ADD_TIME_OFF, _time_off(datetime.date(2026, 6, 1), datetime.date(2026, 6, 1)))
    assert response.status_code == 302
    assert TimeOff.objects.count() == 1


@pytest.mark.parametrize(
    ("first_days", "last_days", "note", "field"),
    [
        (10, 5, "", "end_date"),
        (10, 10, "x" * 201, "note"),
        (10, 4000, "", "end_date"),
    ],
)
def test_bad_time_off_is_a_form_error(mentor_client, mentor, first_days, last_days, note, field):
    today = _today(mentor)
    data = _time_off(today + datetime.timedelta(days=first_days), today + datetime.timedelta(days=last_days), note)
    response = mentor_client.post(ADD_TIME_OFF, data)
    assert response.status_code == 200
    assert field in response.context["time_off_form"].errors
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize("value", ["", "2026-02-30", "tomorrow", "31/12/2026"])
def test_malformed_dates_are_form_errors(mentor_client, value):
    response = mentor_client.post(
        ADD_TIME_OFF, {"time_off-start_date": value, "time_off-end_date": value, "time_off-note": ""}
    )
    assert response.status_code == 200
    assert "start_date" in response.context["time_off_form"].errors
    assert not TimeOff.objects.exists()


def test_last_day_before_first_says_why(mentor_client, mentor):
    today = _today(mentor)
    data = _time_off(today + datetime.timedelta(days=9), today + datetime.timedelta(days=8))
    assert "The last day cannot come before the first day." in mentor_client.post(ADD_TIME_OFF, data).content.decode()


def test_note_with_html_is_stored_as_given_and_shown_escaped(mentor_client, mentor):
    script = "<script>alert('x')</script>"
    day = _today(mentor) + datetime.timedelta(days=3)
    mentor_client.post(ADD_TIME_OFF, _time_off(day, day, script))
    assert TimeOff.objects.get().note == script
    page = mentor_client.get(PAGE).content.decode()
    assert script not in page
    assert "&lt;script&gt;" in page


def test_double_submitted_time_off_is_saved_once(mentor_client, mentor):
    day = _today(mentor) + datetime.timedelta(days=3)
    mentor_client.post(ADD_TIME_OFF, _time_off(day, day))
    second = mentor_client.post(ADD_TIME_OFF, _time_off(day, day))
    assert second.status_code == 302
    assert TimeOff.objects.count() == 1
    assert "You already have time off for exactly these days." in _messages(second)


def test_only_upcoming_time_off_is_listed(mentor_client, mentor):
    today = _today(mentor)
    over = make_time_off(
        mentor=mentor, start_date=today - datetime.timedelta(days=9), end_date=today - datetime.timedelta(days=2)
    )
    running = make_time_off(mentor=mentor, start_date=today - datetime.timedelta(days=1), end_date=today)
    in_forty_days = today + datetime.timedelta(days=40)
    later = make_time_off(mentor=mentor, start_date=in_forty_days, end_date=in_forty_days)
    listed = mentor_client.get(PAGE).context["time_off"]
    assert listed == [running, later]
    assert over not in listed


def test_mentor_removes_time_off_and_a_second_click_is_a_404(mentor_client, mentor):
    day = _today(mentor) + datetime.timedelta(days=3)
    time_off = make_time_off(mentor=mentor, start_date=day, end_date=day)
    url = reverse("mentoring_sessions:time-off-delete", args=[time_off.pk])
    assert mentor_client.post(url).status_code == 302
    assert not TimeOff.objects.exists()
    assert mentor_client.post(url).status_code == 404


# Booking rules ----------------------------------------------------------------------------------

VALID_SETTINGS = {
    "buffer_minutes": "30",
    "horizon_weeks": "12",
    "min_notice_hours": "48",
    "change_cutoff_hours": "12",
    "confirm_manually": "on",
}


def test_booking_settings_show_the_defaults_before_the_first_save(mentor_client, mentor):
    response = mentor_client.get(SETTINGS)
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert (initial["horizon_weeks"], initial["min_notice_hours"], initial["change_cutoff_hours"]) == (8, 24, 24)
    assert initial["confirm_manually"] is False
    assert not BookingSettings.objects.exists()


def test_mentor_saves_booking_settings_and_saves_again(mentor_client, mentor):
    response = mentor_client.post(SETTINGS, VALID_SETTINGS)
    assert response.status_code == 302
    assert response.url == PAGE
    saved = BookingSettings.objects.get(mentor=mentor)
    assert (saved.buffer_minutes, saved.horizon_weeks, saved.min_notice_hours, saved.change_cutoff_hours) == (
        30,
        12,
        48,
        12,
    )
    assert saved.confirm_manually is True
    mentor_client.post(SETTINGS, {**VALID_SETTINGS, "buffer_minutes": "0", "confirm_manually": ""})
    saved = BookingSettings.objects.get(mentor=mentor)
    assert (saved.buffer_minutes, saved.confirm_manually) == (0, False)
    assert BookingSettings.objects.count() == 1
    page = mentor_client.get(PAGE).content.decode()
    assert "up to 12 weeks ahead" in page
    assert "Confirmed at once." in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("buffer_minutes", "-1"),
        ("buffer_minutes", "241"),
        ("horizon_weeks", "0"),
        ("horizon_weeks", "53"),
        ("min_notice_hours", "337"),
        ("min_notice_hours", "-5"),
        ("change_cutoff_hours", "1000"),
        ("change_cutoff_hours", ""),
        ("horizon_weeks", "eight"),
        ("buffer_minutes", "99999999999999999999"),
    ],
)
def test_out_of_range_booking_settings_are_form_errors(mentor_client, field, value):
    response = mentor_client.post(SETTINGS, {**VALID_SETTINGS, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not BookingSettings.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("buffer_minutes", "240"), ("horizon_weeks", "1"), ("horizon_weeks", "52"), ("min_notice_hours", "336")],
)
def test_booking_settings_at_the_limits_are_accepted(mentor_client, mentor, field, value):
    assert mentor_client.post(SETTINGS, {**VALID_SETTINGS, field: value}).status_code == 302
    assert getattr(BookingSettings.objects.get(mentor=mentor), field) == int(value)


# Query counts -----------------------------------------------------------------------------------


def _fill(mentor, count):
    today = _today(mentor)
    AvailabilityWindow.objects.bulk_create(
        window
        for index in range(count)
        for window in build_availability(
            mentor=mentor,
            weekdays=[index % 7],
            start_time=datetime.time(6 + index % 12),
            end_time=datetime.time(7 + index % 12, 30),
            time_zone="Europe/London" if index % 3 else mentor.time_zone,
        )
    )
    TimeOff.objects.bulk_create(
        TimeOff(
            mentor=mentor,
            start_date=today + datetime.timedelta(days=10 * index),
            end_date=today + datetime.timedelta(days=10 * index + 2),
            note=f"Trip {index}",
        )
        for index in range(count)
    )


@pytest.mark.parametrize("settings_saved", [True, False])
def test_availability_page_queries_do_not_grow_with_rows(
    django_assert_num_queries, mentor_client, mentor, settings_saved
):
    if settings_saved:
        make_booking_settings(mentor=mentor)
    _fill(mentor, 2)
    with CaptureQueriesContext(connection) as small:
        assert mentor_client.get(PAGE).status_code == 200
    AvailabilityWindow.objects.all().delete()
    TimeOff.objects.all().delete()
    _fill(mentor, 20)
    with django_assert_num_queries(len(small)):
        response = mentor_client.get(PAGE)
    assert sum(len(day["windows"]) for day in response.context["days"]) == 20
    assert len(response.context["time_off"]) == 20
