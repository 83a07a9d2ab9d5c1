"""A mentor's own calendars on their availability page: connecting, reading again, removing, the
errors in plain words — and the link, a secret, never shown in full, never logged, never stored
in clear, never readable by anyone else."""

import logging

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from core.tests.helpers import messages_of
from demo.factories import make_busy_calendar, make_busy_interval
from sessions import access
from sessions.busy.services import MAX_CALENDARS
from sessions.models import BusyCalendar, BusyInterval

pytestmark = pytest.mark.django_db

SECRET_PATH = "/owa/calendar/7f3a9c0e5b2d4e61/secret-token-90210/reachcalendar.ics"
CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nEND:VCALENDAR\r\n"
AVAILABILITY = reverse("mentoring_sessions:availability")
CREATE = reverse("mentoring_sessions:busy-calendar-create")


def raw_url(calendar: BusyCalendar) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM mentoring_sessions_busycalendar WHERE id = %s", [calendar.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def secret_url(calendar_server) -> str:
    return calendar_server.serve_ics(SECRET_PATH, CALENDAR)


def connect(client, url: str, django_capture_on_commit_callbacks):
    """Post the link (the read runs after commit), then open the page."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CREATE, {"calendar-url": url})
    return client.get(AVAILABILITY)


def test_a_mentor_connects_a_calendar_and_it_is_read_at_once(
    client, mentor, secret_url, django_capture_on_commit_callbacks
):
    client.force_login(mentor)
    response = connect(client, secret_url, django_capture_on_commit_callbacks)
    calendar = BusyCalendar.objects.get(mentor=mentor)
    assert calendar.url == secret_url
    assert calendar.read_at is not None
    assert calendar.error == ""
    assert any("was added" in message for message in messages_of(response))
    page = response.content.decode()
    assert "127.0.0.1 …0210" in page
    assert "Last read" in page


def test_the_link_is_never_shown_logged_or_stored_in_clear(
    client, mentor, secret_url, caplog, django_capture_on_commit_callbacks, calendar_server
):
    caplog.set_level(logging.DEBUG)
    client.force_login(mentor)
    pages = [connect(client, secret_url, django_capture_on_commit_callbacks).content.decode()]
    calendar = BusyCalendar.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        BusyCalendar.objects.filter(pk=calendar.pk).update(attempted_at=None)
        pages.append(
            client.post(
                reverse("mentoring_sessions:busy-calendar-refresh", args=[calendar.pk]), follow=True
            ).content.decode()
        )
    calendar_server.routes.pop(SECRET_PATH)  # now failing: the error path logs too
    with django_capture_on_commit_callbacks(execute=True):
        BusyCalendar.objects.filter(pk=calendar.pk).update(attempted_at=None)
        pages.append(
            client.post(
                reverse("mentoring_sessions:busy-calendar-refresh", args=[calendar.pk]), follow=True
            ).content.decode()
        )
    pages.append(client.get(reverse("mentoring_sessions:agenda")).content.decode())
    pages.append(
        client.post(
            reverse("mentoring_sessions:busy-calendar-delete", args=[calendar.pk]), follow=True
        ).content.decode()
    )
    secret = "secret-token-90210"
    assert "Busy calendar" in caplog.text  # the reads were logged, by id
    assert secret not in caplog.text
    assert all(secret not in page for page in pages)
    assert all(secret not in message.body for message in mail.outbox)


def test_the_link_is_encrypted_at_rest(mentor):
    calendar = make_busy_calendar(mentor=mentor, url="https://calendar.example.net" + SECRET_PATH)
    stored = raw_url(calendar)
    assert stored.startswith("fernet:")
    assert "secret-token" not in stored
    assert BusyCalendar.objects.get(pk=calendar.pk).url.endswith(SECRET_PATH)


def test_a_read_error_is_shown_in_plain_words(client, mentor, settings, django_capture_on_commit_callbacks):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    client.force_login(mentor)
    page = connect(client, "http://192.168.1.20/calendar.ics", django_capture_on_commit_callbacks).content.decode()
    assert "Could not be read" in page
    assert "private or local network address" in page


def test_a_malformed_calendar_is_explained_and_the_old_busy_times_still_count(
    client, mentor, calendar_server, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    calendar = make_busy_calendar(mentor=mentor, url=calendar_server.serve_ics("/cal.ics", "<html>Sign in</html>"))
    soon = timezone.now() + datetime.timedelta(days=1)
    make_busy_interval(calendar=calendar, start=soon, end=soon + datetime.timedelta(hours=1))
    BusyCalendar.objects.filter(pk=calendar.pk).update(read_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentoring_sessions:busy-calendar-refresh", args=[calendar.pk]))
    page = client.get(AVAILABILITY).content.decode()
    assert "is not a calendar we can read" in page
    assert "The busy times read last time still count." in page
    assert BusyInterval.objects.filter(calendar=calendar).count() == 1


@pytest.mark.parametrize(
    "url", ["", "not a link", "ftp://calendar.example.net/cal.ics", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_a_bad_link_is_refused_with_a_message_and_nothing_is_saved(client, mentor, url):
    client.force_login(mentor)
    response = client.post(CREATE, {"calendar-url": url})
    assert response.status_code == 200
    assert response.context["busy_calendar_form"].errors["url"]
    assert not BusyCalendar.objects.exists()


def test_a_webcal_link_is_saved_as_https(client, mentor):
    client.force_login(mentor)
    client.post(CREATE, {"calendar-url": "webcal://calendar.example.net/a.ics"})
    assert BusyCalendar.objects.get().url == "https://calendar.example.net/a.ics"


def test_a_double_submit_connects_the_calendar_once(client, mentor, secret_url):
    client.force_login(mentor)
    client.post(CREATE, {"calendar-url": secret_url})
    response = client.post(CREATE, {"calendar-url": secret_url}, follow=True)
    assert BusyCalendar.objects.count() == 1
    assert "This calendar is already connected." in messages_of(response)


def test_the_number_of_calendars_is_limited(client, mentor):
    for number in range(MAX_CALENDARS):
        make_busy_calendar(mentor=mentor, url=f"https://calendar.example.net/{number}.ics")
    client.force_login(mentor)
    response = client.post(CREATE, {"calendar-url": "https://calendar.example.net/one-more.ics"})
    assert "at most 10 calendars" in str(response.context["busy_calendar_form"].errors["url"])
    assert BusyCalendar.objects.count() == MAX_CALENDARS


def test_removing_a_calendar_removes_its_busy_times(client, mentor):
    import datetime

    from django.utils import timezone

    calendar = make_busy_calendar(mentor=mentor)
    make_busy_interval(calendar=calendar, start=timezone.now(), end=timezone.now() + datetime.timedelta(hours=1))
    client.force_login(mentor)
    response = client.post(reverse("mentoring_sessions:busy-calendar-delete", args=[calendar.pk]))
    assert response.status_code == 302
    assert not BusyCalendar.objects.exists()
    assert not BusyInterval.objects.exists()


def test_reading_again_at_once_is_not_repeated(client, mentor, secret_url, django_capture_on_commit_callbacks):
    calendar = make_busy_calendar(mentor=mentor, url=secret_url)
    client.force_login(mentor)
    url = reverse("mentoring_sessions:busy-calendar-refresh", args=[calendar.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
    second = client.post(url, follow=True)
    assert any("is being read again" in message for message in messages_of(first))
    assert any("was read a moment ago" in message for message in messages_of(second))


# Who may see and manage calendars ---------------------------------------------------------------


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
def test_only_the_mentor_themself_reaches_their_calendars(request, mentor, who, sees):
    from django.http import Http404

    calendar = make_busy_calendar(mentor=mentor)
    user = request.getfixturevalue(who)
    assert access.busy_calendars_of(user).filter(pk=calendar.pk).exists() is sees
    if sees:
        assert access.get_busy_calendar_for_mentor(user, calendar.pk) == calendar
    else:
        with pytest.raises(Http404):
            access.get_busy_calendar_for_mentor(user, calendar.pk)


@pytest.mark.parametrize("action", ["busy-calendar-delete", "busy-calendar-refresh"])
def test_another_mentor_cannot_remove_or_read_a_mentors_calendar(client, mentor, other_mentor, action):
    calendar = make_busy_calendar(mentor=mentor)
    client.force_login(other_mentor)
    response = client.post(reverse(f"mentoring_sessions:{action}", args=[calendar.pk]))
    assert response.status_code == 404
    assert BusyCalendar.objects.get(pk=calendar.pk).attempted_at is None


def test_another_mentors_page_shows_nothing_of_the_calendar(client, mentor, other_mentor):
    make_busy_calendar(mentor=mentor, url="https://calendar.example.net" + SECRET_PATH)
    client.force_login(other_mentor)
    response = client.get(AVAILABILITY)
    assert response.context["busy_calendars"] == []
    page = response.content.decode()
    assert "calendar.example.net" not in page
    assert "No calendar connected." in page


def test_the_django_admin_does_not_show_calendar_links(admin_client, mentor):
    make_busy_calendar(mentor=mentor, url="https://calendar.example.net" + SECRET_PATH)
    response = admin_client.get("/admin/mentoring_sessions/busycalendar/")
    assert response.status_code in (302, 404)
    assert "secret-token" not in response.content.decode()
