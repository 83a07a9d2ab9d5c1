"""Who may open the availability pages: a mentor, for their own rows only."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_availability, make_booking_settings, make_busy_calendar, make_time_off
from sessions import access
from sessions.models import AvailabilityWindow, BookingSettings, BusyCalendar, TimeOff

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(mentor):
    (window,) = make_availability(mentor=mentor, weekdays=[1], start_time=datetime.time(9), end_time=datetime.time(12))
    return window


@pytest.fixture
def time_off(mentor):
    today = timezone.localdate()
    return make_time_off(
        mentor=mentor,
        start_date=today + datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=12),
        note="Sailing in Greece",
    )


@pytest.fixture
def calendar(mentor):
    return make_busy_calendar(mentor=mentor, url="https://calendar.example.net/secret-1234.ics")


def _post_data():
    soon = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "window-weekday": "2",
        "window-start_time": "09:00",
        "window-end_time": "11:00",
        "time_off-start_date": soon.isoformat(),
        "time_off-end_date": soon.isoformat(),
        "buffer_minutes": "30",
        "horizon_weeks": "4",
        "min_notice_hours": "48",
        "change_cutoff_hours": "24",
        "calendar-url": "https://calendar.example.net/other-5678.ics",
    }


MENTOR_PAGES = [
    ("mentoring_sessions:availability", None),
    ("mentoring_sessions:availability-window-create", None),
    ("mentoring_sessions:availability-window-delete", "window"),
    ("mentoring_sessions:time-off-create", None),
    ("mentoring_sessions:time-off-delete", "time_off"),
    ("mentoring_sessions:booking-settings", None),
    ("mentoring_sessions:busy-calendar-create", None),
    ("mentoring_sessions:busy-calendar-delete", "calendar"),
    ("mentoring_sessions:busy-calendar-refresh", "calendar"),
]
PAGE_IDS = [name.split(":")[1] for name, _target in MENTOR_PAGES]


def _url(name, target, window, time_off, calendar=None):
    pk = {"window": window, "time_off": time_off, "calendar": calendar}[target].pk if target else None
    return reverse(name, args=[pk] if pk else [])


def _rows(mentor):
    return (
        list(AvailabilityWindow.objects.values_list("pk", "weekday", "start_time", "end_time")),
        list(TimeOff.objects.values_list("pk", "start_date", "end_date")),
        BookingSettings.objects.filter(mentor=mentor).exists(),
        list(BusyCalendar.objects.values_list("pk", "attempted_at")),
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "target"), MENTOR_PAGES, ids=PAGE_IDS)
def test_anonymous_visitor_is_sent_to_sign_in(client, mentor, window, time_off, calendar, name, target, method):
    before = _rows(mentor)
    url = _url(name, target, window, time_off, calendar)
    response = getattr(client, method)(url, _post_data() if method == "post" else {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _rows(mentor) == before


@pytest.mark.parametrize("who", ["mentee", "outsider_mentee", "consultancy_admin"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "target"), MENTOR_PAGES, ids=PAGE_IDS)
def test_people_without_the_mentor_role_get_403(
    client, request, mentor, window, time_off, calendar, who, name, target, method
):
    client.force_login(request.getfixturevalue(who))
    before = _rows(mentor)
    url = _url(name, target, window, time_off, calendar)
    response = getattr(client, method)(url, _post_data() if method == "post" else {})
    assert response.status_code == 403
    assert _rows(mentor) == before


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("availability-window-delete", "window"),
        ("time-off-delete", "time_off"),
        ("busy-calendar-delete", "calendar"),
        ("busy-calendar-refresh", "calendar"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_mentor_cannot_delete_a_mentors_rows(
    client, other_mentor, mentor, window, time_off, calendar, name, target, method
):
    client.force_login(other_mentor)
    before = _rows(mentor)
    response = getattr(client, method)(_url(f"mentoring_sessions:{name}", target, window, time_off, calendar))
    assert response.status_code == (404 if method == "post" else 405)
    assert _rows(mentor) == before


def test_other_mentor_sees_only_their_own_availability(client, other_mentor, window, time_off):
    client.force_login(other_mentor)
    response = client.get(reverse("mentoring_sessions:availability"))
    assert response.status_code == 200
    assert all(not day["windows"] for day in response.context["days"])
    assert response.context["time_off"] == []
    assert "Sailing in Greece" not in response.content.decode()


def test_other_mentors_booking_settings_stay_untouched(client, other_mentor, mentor):
    make_booking_settings(mentor=mentor, buffer_minutes=45)
    client.force_login(other_mentor)
    response = client.post(reverse("mentoring_sessions:booking-settings"), _post_data())
    assert response.status_code == 302
    assert BookingSettings.objects.get(mentor=mentor).buffer_minutes == 45
    assert BookingSettings.objects.get(mentor=other_mentor).buffer_minutes == 30


@pytest.mark.parametrize(
    "name",
    [
        "availability-window-create",
        "availability-window-delete",
        "time-off-create",
        "time-off-delete",
        "busy-calendar-create",
        "busy-calendar-delete",
        "busy-calendar-refresh",
    ],
)
def test_actions_refuse_get(client, mentor, window, time_off, calendar, name):
    client.force_login(mentor)
    target = {
        "availability-window-delete": "window",
        "time-off-delete": "time_off",
        "busy-calendar-delete": "calendar",
        "busy-calendar-refresh": "calendar",
    }.get(name)
    before = _rows(mentor)
    response = client.get(_url(f"mentoring_sessions:{name}", target, window, time_off, calendar))
    assert response.status_code == 405
    assert _rows(mentor) == before


# The access module itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("mentor", True),
        ("other_mentor", False),
        ("mentee", False),
        ("outsider_mentee", False),
        ("consultancy_admin", False),
    ],
)
def test_only_the_mentor_sees_their_windows_and_time_off(request, window, time_off, who, sees):
    user = request.getfixturevalue(who)
    assert access.availability_windows_of(user).filter(pk=window.pk).exists() is sees
    assert access.time_off_of(user).filter(pk=time_off.pk).exists() is sees
    if sees:
        assert access.get_availability_window_for_mentor(user, window.pk) == window
        assert access.get_time_off_for_mentor(user, time_off.pk) == time_off
    else:
        with pytest.raises(Http404):
            access.get_availability_window_for_mentor(user, window.pk)
        with pytest.raises(Http404):
            access.get_time_off_for_mentor(user, time_off.pk)


def test_anonymous_and_inactive_mentors_see_nothing(window, time_off, mentor):
    from django.contrib.auth.models import AnonymousUser

    assert not access.availability_windows_of(AnonymousUser()).exists()
    assert not access.time_off_of(AnonymousUser()).exists()
    mentor.is_active = False
    assert not access.availability_windows_of(mentor).exists()
    assert not access.time_off_of(mentor).exists()
