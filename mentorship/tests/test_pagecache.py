"""The page cache (mentorship/pagecache.py): a copy is served only to the same viewer, in the same
browser, for the same data and within one time bucket; any write makes every copy stale."""

import datetime
import gzip
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib import auth
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from mentorship import pagecache
from mentorship.models import Engagement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _hour_long_buckets(settings):
    # Tests that expect a kept copy must not straddle the edge of a time bucket: with one-hour
    # buckets that is as good as never.
    settings.PAGE_CACHE_SECONDS = 3600


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries_of(client: Client, path: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content


def warm(client: Client, path: str = "/") -> bytes:
    """The first visit sets the CSRF cookie (not cached: no cookie yet); the second fills the cache."""
    client.get(path)
    return client.get(path).content


def test_a_second_visit_is_served_from_the_cache_with_the_same_page(mentee, engagement):
    client = signed_in(mentee)
    client.get("/")
    cold_queries, cold = queries_of(client, "/")
    warm_queries, again = queries_of(client, "/")

    assert again == cold
    assert b"Bob Mentor" in again
    assert warm_queries < cold_queries


def test_a_save_through_the_orm_shows_on_the_next_visit(mentee, mentor, engagement):
    client = signed_in(mentee)
    warm(client)

    mentor.full_name = "Roberta Renamed"
    mentor.save()

    assert b"Roberta Renamed" in client.get("/").content


def test_a_queryset_update_shows_on_the_next_visit(mentee, mentor, engagement):
    client = signed_in(mentee)
    warm(client)

    User.objects.filter(pk=mentor.pk).update(full_name="Ursula Updated")

    assert b"Ursula Updated" in client.get("/").content


def test_raw_sql_shows_on_the_next_visit(mentee, mentor, engagement):
    client = signed_in(mentee)
    warm(client)

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {User._meta.db_table} SET full_name = %s WHERE id = %s", ["Rita Raw", mentor.pk])

    assert b"Rita Raw" in client.get("/").content


def test_a_deleted_engagement_disappears_on_the_next_visit(mentee, engagement):
    client = signed_in(mentee)
    assert b"Bob Mentor" in warm(client)

    Engagement.objects.filter(pk=engagement.pk).delete()

    page = client.get("/").content
    assert b"Bob Mentor" not in page
    assert b"You have no mentorship yet." in page


def test_another_viewer_never_gets_someone_elses_copy_even_with_the_same_csrf_cookie(
    mentee, outsider_mentee, engagement
):
    client = signed_in(mentee)
    assert b"Bob Mentor" in warm(client)

    other = signed_in(outsider_mentee)
    other.cookies[settings.CSRF_COOKIE_NAME] = client.cookies[settings.CSRF_COOKIE_NAME].value
    page = other.get("/").content

    assert b"Bob Mentor" not in page
    assert b"Erin Outsider" in page


def test_another_browser_of_the_same_person_gets_forms_with_its_own_csrf_token(mentee, engagement):
    first = signed_in(mentee)
    warm(first)
    second = signed_in(mentee)
    warm(second)

    # Sign out through the form on the (cached) page: the token in it must match this browser.
    second_page = second.get("/").content.decode()
    token = second_page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    checking = Client(enforce_csrf_checks=True)
    checking.cookies = second.cookies
    response = checking.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302


def test_language_and_time_zone_are_part_of_the_key(mentee):
    request = RequestFactory().get("/engagements/?page=2")
    request.user = mentee
    request.COOKIES[settings.CSRF_COOKIE_NAME] = "a" * 32

    def key(language: str, zone: str) -> str:
        with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
            return pagecache.page_key(request, "view")

    keys = {key("en", "Europe/Stockholm"), key("sv", "Europe/Stockholm"), key("en", "America/New_York")}
    assert len(keys) == 3
    assert key("en", "Europe/Stockholm") == key("en", "Europe/Stockholm")


def test_a_changed_language_shows_on_the_next_visit(mentee, engagement):
    client = signed_in(mentee)
    assert b"Your mentorship" in warm(client)

    User.objects.filter(pk=mentee.pk).update(language="sv")

    assert b"Ditt mentorskap" in client.get("/").content


def test_no_copy_outlives_its_time_bucket(mentee, mentor, engagement):
    client = signed_in(mentee)
    warm(client)
    generation = pagecache.current_generation()
    # Change the data without telling the cache (as a process without the watcher would).
    with mock.patch.object(pagecache, "bump_generation"):
        User.objects.filter(pk=mentor.pk).update(full_name="Tess Timely")
    assert pagecache.current_generation() == generation
    assert b"Tess Timely" not in client.get("/").content

    later = timezone.now() + datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1)
    with time_machine.travel(later):
        assert b"Tess Timely" in client.get("/").content


def test_a_flash_message_is_shown_and_the_page_with_it_is_not_cached(mentee, engagement):
    client = signed_in(mentee)
    warm(client)
    # A message from the previous request (say "Session booked") arrives in the messages cookie.
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[CookieStorage.cookie_name] = storage._encode([Message(constants.SUCCESS, "Booked for Tuesday")])

    assert b"Booked for Tuesday" in client.get("/").content
    assert b"Booked for Tuesday" not in client.get("/").content


def test_a_first_visit_without_a_csrf_cookie_is_not_cached(mentee, engagement):
    client = signed_in(mentee)
    with mock.patch.object(pagecache, "_store") as store:
        client.get("/")
    store.assert_not_called()


def test_visitors_who_are_not_signed_in_are_not_cached():
    client = Client()
    with mock.patch.object(pagecache, "_store") as store:
        client.get("/")
        client.get("/")
    store.assert_not_called()


def test_the_cache_can_be_switched_off(mentee, engagement, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = signed_in(mentee)
    client.get("/")
    cold_queries, _ = queries_of(client, "/")
    warm_queries, _ = queries_of(client, "/")
    assert warm_queries == cold_queries


def test_pages_are_rendered_when_the_cache_is_down(mentee, engagement, caplog):
    client = signed_in(mentee)
    warm(client)
    with (
        mock.patch.object(pagecache.cache, "get", side_effect=ConnectionError("cache down")),
        mock.patch.object(pagecache.cache, "set", side_effect=ConnectionError("cache down")),
        mock.patch.object(pagecache.cache, "incr", side_effect=ConnectionError("cache down")),
    ):
        response = client.get("/")
        Engagement.objects.filter(pk=engagement.pk).update(goals="Still saved")
    assert response.status_code == 200
    assert b"Bob Mentor" in response.content
    assert "page cache" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_bumps_at_once_and_once_more_after_the_commit(mentor):
    before = pagecache.current_generation()
    with transaction.atomic():
        User.objects.filter(pk=mentor.pk).update(full_name="One")
        User.objects.filter(pk=mentor.pk).update(full_name="Two")
        during = pagecache.current_generation()
        pending = [callback for _, callback, _ in connection.run_on_commit if callback is pagecache.bump_generation]

    assert during == before + 2
    assert pending == [pagecache.bump_generation]
    assert pagecache.current_generation() == during + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_bump_behind(mentor):
    def change_then_fail():
        with transaction.atomic():
            User.objects.filter(pk=mentor.pk).update(full_name="Gone")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    # The next transaction registers its own after-commit bump.
    before = pagecache.current_generation()
    with transaction.atomic():
        User.objects.filter(pk=mentor.pk).update(full_name="Kept")
    assert pagecache.current_generation() == before + 2


def test_reads_and_session_writes_do_not_bump(mentee):
    client = signed_in(mentee)  # signing in writes last_login
    before = pagecache.current_generation()
    list(User.objects.all())
    session = client.session
    session["seen"] = True
    session.save()
    assert pagecache.current_generation() == before


def test_a_lost_counter_restarts_above_any_number_in_use(mentor):
    cache.set(pagecache.GENERATION_KEY, 5, timeout=None)
    cache.delete(pagecache.GENERATION_KEY)
    pagecache.bump_generation()
    assert pagecache.current_generation() > 5


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("mentee", "/"),
        ("mentor", "/agenda/"),
        ("consultancy_admin", "/health/"),
        ("mentee", "book"),
    ],
)
def test_looking_at_a_cached_page_writes_nothing(role, path, request, engagement, mentee, mentor, consultancy_admin):
    """A page that wrote on every visit would empty everybody's cache on every visit."""
    if path == "book":
        path = reverse("mentoring_sessions:book", args=[engagement.uuid])
    client = signed_in(request.getfixturevalue(role))
    client.get(path)
    before = pagecache.current_generation()
    cold_queries, cold = queries_of(client, path)
    warm_queries, again = queries_of(client, path)

    assert pagecache.current_generation() == before
    assert again == cold
    assert warm_queries < cold_queries


# The signed-in person from the cache (accounts.middleware.CachedAuthenticationMiddleware) ------


def test_the_signed_in_person_comes_from_the_cache_on_the_second_request(mentee):
    client = signed_in(mentee)
    client.get("/")
    with mock.patch("accounts.middleware.auth.get_user", wraps=auth.get_user) as from_the_database:
        response = client.get("/")
    assert response.context is None or response.context["user"] == mentee
    assert b"Dave Mentee" in response.content
    from_the_database.assert_not_called()


def test_a_deactivated_account_is_signed_out_on_the_next_request(mentee):
    client = signed_in(mentee)
    warm(client)

    User.objects.filter(pk=mentee.pk).update(is_active=False)

    response = client.get(reverse("mentoring_sessions:session-list"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_changed_password_signs_out_other_sessions_on_their_next_request(mentee):
    client = signed_in(mentee)
    warm(client)

    mentee.set_password("a brand new passphrase")
    mentee.save()

    response = client.get(reverse("mentoring_sessions:session-list"))
    assert response.status_code == 302


def test_a_new_role_shows_on_the_next_request(mentee):
    client = signed_in(mentee)
    warm(client)
    assert client.get(reverse("mentoring_sessions:agenda")).status_code == 403

    mentee.add_role("mentor")
    mentee.save()

    assert client.get(reverse("mentoring_sessions:agenda")).status_code == 200


def test_a_browser_that_accepts_gzip_gets_the_stored_copy_gzipped(mentee, engagement):
    client = signed_in(mentee)
    plain = warm(client)

    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain
    assert "Content-Encoding" not in client.get("/")  # and a client that does not, plain text


def test_opening_an_engagement_page_as_an_admin_keeps_the_copies(consultancy_admin, engagement):
    """The page writes to the audit log, which no cached page shows."""
    from mentorship.models import AuditEntry

    client = signed_in(consultancy_admin)
    before = pagecache.current_generation()
    response = client.get(reverse("mentorship:engagement-detail", args=[engagement.uuid]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="viewed_engagement").exists()
    assert pagecache.current_generation() == before
