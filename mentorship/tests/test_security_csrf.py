"""Every URL that accepts a POST refuses one without a CSRF token.

The URL patterns are walked from the root resolver, so a view added later is covered without
touching this file. Each is posted to with dummy but well-formed arguments (a fresh UUID, 1, "x"),
by an anonymous visitor and by a signed-in consultancy admin, with CSRF checks enforced. The
middleware refuses before the view runs, so the dummy arguments never need to exist.
"""

import re
import uuid
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponseForbidden
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

# Views that take a POST without a CSRF token on purpose. Each needs a reason.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail clients POST with no session and no token; the signed
    # token in the URL is the credential, and all it can do is switch email off.
    "accounts:unsubscribe": "RFC 8058 one-click unsubscribe; the signed token is the credential",
}
# Not exempt, listed so nobody adds an exemption thinking it is needed: the calendar feed
# (mentoring_sessions:calendar-feed) is GET-only, its token in the URL; a POST gets the CSRF 403.

REJECTED_BY_CSRF = "X-Test-Csrf-Rejected"


def csrf_rejected(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """Stands in for CSRF_FAILURE_VIEW, so a 403 is known to come from the CSRF check."""
    response = HttpResponseForbidden(reason)
    response[REJECTED_BY_CSRF] = "1"
    return response


def _dummy(converter_name: str) -> str:
    return {"uuid": str(uuid.uuid4()), "int": "1"}.get(converter_name, "x")


def _route_to_path(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda match: _dummy(match.group(1) or "str"), route)


def _group_value(inner: str) -> str:
    """A value for one named regex group: the first of a plain alternation, else a dummy that fits."""
    if re.fullmatch(r"\w+(\|\w+)*", inner):
        return inner.split("|")[0]
    for candidate in ("1", "x", str(uuid.uuid4())):
        if re.fullmatch(inner, candidate):
            return candidate
    raise AssertionError(f"no dummy value fits the URL group {inner!r}; teach _group_value one")


def _regex_to_path(regex: str) -> str:
    out, index = [], 0
    while index < len(regex):
        if regex.startswith("(?P<", index):
            depth, end = 0, index
            while True:  # find the parenthesis closing this group
                if regex[end] == "\\":
                    end += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[end], 0)
                if depth == 0:
                    break
                end += 1
            inner = regex[regex.index(">", index) + 1 : end]
            out.append(_group_value(inner))
            index = end + 1
        elif regex[index] == "\\":
            out.append(regex[index + 1])
            index += 2
        elif regex[index] in "^$":
            index += 1
        else:
            out.append(regex[index])
            index += 1
    return "".join(out)


def _piece(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_to_path(str(pattern))
    assert isinstance(pattern, RegexPattern), pattern
    return _regex_to_path(pattern.regex.pattern)


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner_namespace = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _walk(entry.url_patterns, prefix + _piece(entry.pattern), inner_namespace)
        else:
            assert isinstance(entry, URLPattern)
            name = ":".join(filter(None, [namespace, entry.name])) or f"<unnamed {entry.lookup_str}>"
            yield name, "/" + prefix + _piece(entry.pattern)


ALL_URLS = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_views_of_every_app():
    names = {name for name, _path in ALL_URLS}
    for expected in ("account_login", "accounts:profile", "mentorship:engagement-create", "mentoring_sessions:book"):
        assert expected in names
    assert any(name.startswith("admin:") for name in names)
    assert len(ALL_URLS) > 100


@pytest.fixture
def _csrf_failure_marked(settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_rejected"


@pytest.fixture
def clients(consultancy_admin) -> dict[str, Client]:
    anonymous = Client(enforce_csrf_checks=True)
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(consultancy_admin)
    return {"anonymous": anonymous, "consultancy admin": admin}


@pytest.mark.usefixtures("_csrf_failure_marked")
def test_every_post_without_a_csrf_token_is_refused(clients):
    failures = []
    for name, path in ALL_URLS:
        view = resolve(path).func
        exempt = getattr(view, "csrf_exempt", False)
        for who, client in clients.items():
            response = client.post(path, {"anything": "x"})
            if exempt:
                if name not in CSRF_EXEMPT:
                    failures.append(f"{name} ({path}) is csrf_exempt but not listed in CSRF_EXEMPT")
                elif response.status_code < 400:
                    failures.append(f"{name} ({path}) as {who}: exempt view accepted a dummy token")
            elif response.status_code != 403 or not response.has_header(REJECTED_BY_CSRF):
                failures.append(f"{name} ({path}) as {who}: {response.status_code}, not refused by CSRF")
    assert not failures, "\n".join(failures)


def test_every_listed_exemption_still_exists():
    exempt_names = {name for name, path in ALL_URLS if getattr(resolve(path).func, "csrf_exempt", False)}
    assert exempt_names == set(CSRF_EXEMPT)


@pytest.mark.usefixtures("_csrf_failure_marked")
def test_a_post_with_a_csrf_token_gets_past_the_check(clients):
    """The refusals above are about the missing token: the same client with a token gets through."""
    client = clients["anonymous"]
    url = reverse("mentorship:inquiry-create")
    client.get(url)  # sets the CSRF cookie
    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "name": ""})
    assert response.status_code == 200
    assert not response.has_header(REJECTED_BY_CSRF)
    assert response.context["form"].errors


@pytest.mark.usefixtures("_csrf_failure_marked")
def test_the_one_click_unsubscribe_refuses_a_forged_token(clients):
    response = clients["anonymous"].post(reverse("accounts:unsubscribe", args=["forged-token"]))
    assert response.status_code >= 400
