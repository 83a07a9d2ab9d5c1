"""Property-based tests of the URLs: any value in a path parameter or a query parameter gives a
page, a redirect or a 4xx, never a 500.

The companion of test_forms_fuzz.py (which fuzzes form fields). Every URL pattern of the site is
found by walking the resolver, Django's admin and allauth's included; each of its parameters
gets hostile values shaped for its converter (huge ints, nil UUIDs, NUL bytes, unicode, 10 000
characters, dates at the ends of the calendar) while the others name real objects, so the
views behind the converters are reached. GET and POST, signed out and as one person who is
mentor, mentee, consultancy admin and superuser at once (the most doors open). The query
parameters the views read (`?week=`, `?page=`, `?date_from=`...) get the same treatment.
"""

import inspect
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.utils.regex_helper import normalize
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Role
from core.tests.helpers import TEST_TOTP_SECRET, days_from_now
from demo.factories import make_session
from mentorship.tests.test_forms_fuzz import FUZZ, hostile_text
from sessions.models import SessionStatus

# Discovery -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str  # "sessions/%(session_uuid)s/notes/%(note_pk)s/edit/"
    params: tuple[str, ...]
    converters: dict  # parameter -> converter (none for a regex group)
    view: object

    def __str__(self) -> str:
        return self.template

    def url(self, values: dict[str, str]) -> str:
        return "/" + self.template % {name: quote(values[name], safe="") for name in self.params}


def _walk(patterns, prefix: str = "", converters: dict | None = None) -> Iterator[Route]:
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^")
        known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + regex, known)
            continue
        # As reverse() does: one format string per way of writing the URL; the first will do.
        template, params = normalize(prefix + regex)[0]
        yield Route(template, tuple(params), {name: known.get(name) for name in params}, pattern.callback)


PROJECT_PACKAGES = ("core", "accounts", "mentorship", "sessions", "privacy", "reporting", "overview", "demo")


def reads_query_string(route: Route) -> bool:
    """Whether the view is the project's own and its module reads request.GET (the view itself
    or a helper next to it). Django's admin and allauth have tests of their own for that."""
    view = inspect.unwrap(route.view)
    module = inspect.getmodule(getattr(view, "view_class", view))
    if module is None or not module.__name__.startswith(PROJECT_PACKAGES):
        return False
    return "request.GET" in inspect.getsource(module)


def _walk(patterns, prefix: str = "", converters: dict | None = None) -> Iterator[Route]:
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^")
        known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + regex, known)
            continue
        # As reverse() does: one format string per way of writing the URL; the first will do.
        template, params = normalize(prefix + regex)[0]
        yield Route(template, tuple(params), {name: known.get(name) for name in params}, pattern.callback)


ROUTES = sorted({str(route): route for route in _walk(get_resolver().url_patterns)}.values(), key=str)
WITH_PARAMS = [route for route in ROUTES if route.params]
READING_QUERY = [route for route in ROUTES if reads_query_string(route)]


def test_discovery_finds_every_app_and_the_admin():
    templates = {str(route) for route in ROUTES}
    assert "calendar/%(token)s.ics" in templates
    assert "engagements/%(engagement_uuid)s/book/" in templates
    assert "sessions/%(session_uuid)s/reflections/%(timing)s/" in templates
    assert "accounts/password/reset/key/%(uidb36)s-%(key)s/" in templates
    assert any(template.startswith("admin/") and "object_id" in template for template in templates)
    assert len(WITH_PARAMS) >= 100
    reading = {str(route) for route in READING_QUERY}
    assert {"agenda/", "audit-log/", "engagements/", "engagements/new/", "health/", "reports/", "sessions/"} <= reading


# Values -----------------------------------------------------------------------------------------

# The fixed list: what each converter lets through at its edges, and for text the hostile values
# of test_forms_fuzz.py that can be in a path segment (the random test draws from all of them).
TEXT = ["\x00", "a\x00b", "\u202eevil\u202c", "𝕳𝖊𝖑𝖑𝖔 🙂", "<script>alert(1)</script>", "' OR '1'='1'; --"]
TEXT += ["..", "%", "%00", " ", "-1", "9999-12-31T23:59:59+00:00", "a" * 10_000]
BY_CONVERTER = {
    IntConverter: ["0", "9223372036854775808", "99999999999999999999999"],
    UUIDConverter: [str(uuid.UUID(int=0)), str(uuid.UUID(int=2**128 - 1))],
    SlugConverter: ["-", "a" * 1000, "9999-12-31"],
}


def hostile_values(route: Route, name: str) -> list[str]:
    """The fixed list for one parameter: what its converter lets through, and more."""
    converter = route.converters[name]
    values = BY_CONVERTER.get(type(converter), TEXT)
    if isinstance(converter, PathConverter):
        values = [*values, "../../etc/passwd", "a/\x00/b"]
    return values


def value_strategy(route: Route, name: str) -> st.SearchStrategy[str]:
    converter = route.converters[name]
    if isinstance(converter, IntConverter):
        return st.integers(min_value=0).map(str)
    if isinstance(converter, UUIDConverter):
        return st.uuids().map(str)
    if isinstance(converter, SlugConverter):
        return st.from_regex(r"[-a-zA-Z0-9_]{1,300}", fullmatch=True)
    text = hostile_text if isinstance(converter, PathConverter) else hostile_text.filter(lambda v: "/" not in v)
    return text.filter(bool)


# The names the views read from the query string (and the forms they bind to it).
QUERY_NAMES = ["week", "page", "status", "action", "organisation", "team", "mentor", "mentee", "next"]
QUERY_NAMES += ["date_from", "date_to", "start"]
QUERY_VALUES = ["", "\x00", "a\x00b", "\u202eevil\u202c", "𝕳𝖊𝖑𝖑𝖔 🙂", "<script>alert(1)</script>", "' OR '1'='1'; --"]
QUERY_VALUES += ["-1", "1e309", "99999999999999999999", "9999-W52", "0000-W01", "2026-W99", "9999-12-31", "0001-01-01"]
QUERY_VALUES += ["2026-02-30", "9999-12-31T23:59:59+00:00", "²", "a" * 10_000]  # "²".isdigit(), int("²") fails


# The people and objects ---------------------------------------------------------------------


@pytest.fixture
def everyone(mentor, engagement):
    """The engagement's mentor, also a consultancy admin (with TOTP set up, as the admins'
    two-factor rule asks), a mentee and a superuser: every role's pages open to them."""
    mentor.add_role(Role.CONSULTANCY_ADMIN)
    mentor.add_role(Role.MENTEE)
    mentor.is_staff = mentor.is_superuser = True
    mentor.save()
    TOTP.activate(mentor, TEST_TOTP_SECRET)
    return mentor


@pytest.fixture
def real_values(engagement, everyone) -> dict[str, str]:
    """A real object for each parameter name that has one, so the other parameters of a URL
    get past their own lookups."""
    session = make_session(engagement=engagement, start=days_from_now(-2), status=SessionStatus.COMPLETED)
    return {
        "engagement_uuid": str(engagement.uuid),
        "session_uuid": str(session.uuid),
        "organisation_uuid": str(engagement.organisation.uuid),
        "mentor_pk": str(engagement.mentor_id),
        "timing": "before",
    }


def _real_or_plain(route: Route, name: str, real_values: dict[str, str]) -> str:
    if name in real_values:
        return real_values[name]
    return "1" if isinstance(route.converters[name], IntConverter) else "a"


@pytest.fixture
def clients(client, everyone) -> dict[str, Client]:
    signed_in = Client()
    signed_in.force_login(everyone)
    return {"anonymous": client, "everyone": signed_in}


def _request(clients: dict[str, Client], path: str, *, post: bool = True) -> None:
    """GET signed out; GET and POST signed in: never an exception, never a 5xx. (Signed out,
    nearly everything is a redirect to the sign-in page; a POST to the sign-out page would
    sign the rest of the test out.)"""
    for who, client in clients.items():
        post_too = post and who != "anonymous" and "logout" not in path
        for method in (client.get, client.post) if post_too else (client.get,):
            try:
                response = method(path)
            except Exception as error:
                raise AssertionError(f"{method.__name__.upper()} {path[:200]!r} as {who} raised") from error
            assert response.status_code < 500, (method.__name__, path[:200], who, response.status_code)


# The tests --------------------------------------------------------------------------------------


def test_every_url_without_parameters_answers_without_an_error(clients):
    """Each asked twice, an empty POST included: the admin's "add heartbeat" page saved the first
    one and answered the second with a 500. (One test for all: they need no objects.)"""
    for route in ROUTES:
        if not route.params:
            for _ in range(2):
                _request(clients, route.url({}))


@pytest.mark.parametrize("route", WITH_PARAMS, ids=str)
def test_every_path_parameter_survives_each_hostile_value(route, clients, real_values):
    """One parameter spoiled at a time, the others real."""
    base = {name: _real_or_plain(route, name, real_values) for name in route.params}
    _request(clients, route.url(base))
    for name in route.params:
        for value in hostile_values(route, name):
            _request(clients, route.url({**base, name: value}))


@FUZZ
@given(data=st.data())
def test_any_value_in_any_path_parameter(clients, real_values, data):
    route = data.draw(st.sampled_from(WITH_PARAMS), label="route")
    values = {name: _real_or_plain(route, name, real_values) for name in route.params}
    for name in data.draw(st.sets(st.sampled_from(route.params), min_size=1), label="spoiled"):
        values[name] = data.draw(value_strategy(route, name), label=name)
    _request(clients, route.url(values))


@pytest.mark.parametrize("route", READING_QUERY, ids=str)
def test_every_view_reading_the_query_string_survives_hostile_values(route, clients, real_values):
    """Every name gets every value, in as many requests as there are values (each request gives
    each name a different one)."""
    path = route.url({name: _real_or_plain(route, name, real_values) for name in route.params})
    count = len(QUERY_VALUES)
    for turn in range(count):
        query = {name: QUERY_VALUES[(turn + index) % count] for index, name in enumerate(QUERY_NAMES)}
        _request(clients, f"{path}?{urlencode(query)}", post=False)


@FUZZ
@given(data=st.data())
def test_any_values_in_the_query_string(clients, real_values, data):
    route = data.draw(st.sampled_from(READING_QUERY), label="route")
    path = route.url({name: _real_or_plain(route, name, real_values) for name in route.params})
    names = data.draw(st.lists(st.sampled_from(QUERY_NAMES), min_size=1, unique=True), label="names")
    query = {name: data.draw(hostile_text | st.sampled_from(QUERY_VALUES), label=name) for name in names}
    _request(clients, f"{path}?{urlencode(query)}", post=False)
