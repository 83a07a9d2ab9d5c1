"""Content-Security-Policy: every page sends it, and no page needs an exception from it.

The policy allows scripts and styles from the site's own static files only, so pages must have
no inline `<script>`, `<style>`, `style="..."`, `on...=` handlers or `javascript:` links. Two
checks: the template sources under templates/ (emails exempt: they are not served pages), and
the HTML of representative pages, Django's admin included, as it is actually rendered.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.middleware import PERMISSIONS_POLICY, SecurityHeadersMiddleware
from demo.factories import make_action_item, make_session, make_venue
from sessions.models import SessionStatus, VenueKind

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
NOT_SERVED = {"emails"}  # email bodies are read in mail clients, not under the site's policy
# JSON data blocks are not executed, so the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}

INLINE_IN_SOURCE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(ld\+)?json\")[^>]*>", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


class InlineCodeFinder(HTMLParser):
    """Collects what the policy would block in a rendered page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...> at line {self.getpos()[0]}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...> at line {self.getpos()[0]}")

    handle_startendtag = handle_starttag


def inline_code_in(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def page_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES_DIR.rglob("*")
        if path.is_file()
        and path.suffix in {".html", ".txt", ".svg", ".ics"}
        and path.relative_to(TEMPLATES_DIR).parts[0] not in NOT_SERVED
    )


# Templates ----------------------------------------------------------------------------------


def test_the_template_walk_finds_the_page_templates():
    names = {str(path.relative_to(TEMPLATES_DIR)) for path in page_templates()}
    assert {"base.html", "404.html", "includes/nav.html"} <= names
    assert not any(name.startswith("emails/") for name in names)


def test_no_page_template_has_inline_script_style_or_handlers():
    problems = []
    for path in page_templates():
        source = path.read_text(encoding="utf-8")
        for line_number, line in enumerate(source.splitlines(), start=1):
            for what, pattern in INLINE_IN_SOURCE:
                if pattern.search(line):
                    problems.append(f"{path.relative_to(TEMPLATES_DIR)}:{line_number}: {what}: {line.strip()}")
    assert not problems, "Move it to static/css/app.css or static/js/app.js:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<p style="color:red">x</p>',
        '<button onclick="go()">x</button>',
        '<a href="javascript:go()">x</a>',
        "<img src=x onerror=alert(1)>",
    ],
)
def test_the_finder_notices_inline_code(html):
    assert inline_code_in(html)


def test_the_finder_allows_external_scripts_and_json_data():
    html = '<script src="/static/js/app.js" defer></script><script type="application/json">{"a": 1}</script>'
    assert inline_code_in(html) == []


# The middleware -----------------------------------------------------------------------------


def _run_middleware(response: HttpResponse) -> HttpResponse:
    return SecurityHeadersMiddleware(lambda request: response)(RequestFactory().get("/"))


def test_html_responses_get_the_configured_policy():
    response = _run_middleware(HttpResponse("<p>hi</p>"))
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_default_policy_allows_no_inline_code_and_no_framing():
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in settings.CONTENT_SECURITY_POLICY.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in settings.CONTENT_SECURITY_POLICY


def test_non_html_responses_get_no_policy_but_the_other_headers():
    response = _run_middleware(HttpResponse("BEGIN:VCALENDAR", content_type="text/calendar"))
    assert not response.has_header("Content-Security-Policy")
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_policy_set_by_the_view_is_kept():
    own = HttpResponse("<p>hi</p>")
    own["Content-Security-Policy"] = "default-src 'none'"
    assert _run_middleware(own)["Content-Security-Policy"] == "default-src 'none'"


def test_the_policy_follows_the_setting(settings):
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'; report-uri /csp"
    assert (
        _run_middleware(HttpResponse("<p>hi</p>"))["Content-Security-Policy"] == "default-src 'self'; report-uri /csp"
    )


def test_the_middleware_runs_right_after_securitymiddleware():
    index = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    assert settings.MIDDLEWARE[index + 1] == "core.middleware.SecurityHeadersMiddleware"


# Rendered pages -----------------------------------------------------------------------------


@pytest.fixture
def world(consultancy_admin, mentor, mentee, organisation, engagement):
    """An active engagement with a held session, an upcoming one, a venue and an action item."""
    now = timezone.now().replace(microsecond=0)
    venue = make_venue(name="Riverside Rooms", kind=VenueKind.NEUTRAL, address="Kajgatan 4", city="Göteborg")

    def session(start, status):
        return make_session(engagement=engagement, start=start, status=status, venue=venue)

    held = session(now - datetime.timedelta(days=2), SessionStatus.COMPLETED)
    upcoming = session(now + datetime.timedelta(days=3), SessionStatus.CONFIRMED)
    make_action_item(engagement=engagement, owner=mentee, created_by=mentor, text="Draft the hiring plan")
    return {"engagement": engagement, "held": held, "upcoming": upcoming, "organisation": organisation}


def _pages(world) -> dict[str, list[str]]:
    engagement, held, upcoming = world["engagement"], world["held"], world["upcoming"]
    return {
        "anonymous": [
            reverse("overview:home"),
            reverse("account_login"),
            reverse("account_signup"),
            reverse("account_reset_password"),
            reverse("mentorship:inquiry-create"),
        ],
        "mentee": [
            reverse("overview:home"),
            reverse("accounts:profile"),
            reverse("account_email"),
            reverse("account_change_password"),
            reverse("overview:engagement-detail", args=[engagement.uuid]),
            reverse("mentoring_sessions:book", args=[engagement.uuid]),
            reverse("mentoring_sessions:session-detail", args=[upcoming.uuid]),
            reverse("mentoring_sessions:session-feedback", args=[held.uuid]),
            reverse("mentoring_sessions:action-items", args=[engagement.uuid]),
        ],
        "mentor": [
            reverse("overview:home"),
            reverse("mentoring_sessions:agenda"),
            reverse("mentoring_sessions:availability"),
            reverse("mentoring_sessions:note-create", args=[held.uuid]),
            reverse("mentorship:mentor-profile-edit"),
        ],
        "consultancy_admin": [
            reverse("overview:home"),
            reverse("mentorship:engagement-list"),
            reverse("mentorship:engagement-create"),
            reverse("mentorship:organisation-list"),
            reverse("mentorship:organisation-detail", args=[world["organisation"].uuid]),
            reverse("mentorship:inquiry-list"),
            reverse("mentorship:focus-area-list"),
        ],
    }


def test_representative_pages_send_the_policy_and_need_no_inline_code(client, world, request):
    rendered_templates = set()
    problems = []
    for who, urls in _pages(world).items():
        client.logout()
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY, url
            assert response["Permissions-Policy"] == PERMISSIONS_POLICY, url
            assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
            rendered_templates.update(template.name for template in response.templates if template.name)
            problems += [f"{who} {url}: {problem}" for problem in inline_code_in(response.content.decode())]
    assert not problems, "\n".join(problems)
    assert {"base.html", "includes/nav.html", "includes/form.html"} <= rendered_templates


def test_error_pages_send_the_policy(client, consultancy_admin, mentee, engagement):
    client.force_login(mentee)
    not_found = client.get("/no-such-page/")
    forbidden = client.get(reverse("mentorship:engagement-create"))
    for response in (not_found, forbidden):
        assert response.status_code in (403, 404)
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
        assert inline_code_in(response.content.decode()) == []


# Django's admin -------------------------------------------------------------------------------


def _admin_urls(user) -> list[str]:
    """Every admin page the user may open: index, app indexes, and per model its list, add form and
    (for its first row) change, history and delete pages."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    app_labels = set()
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        app_labels.add(model._meta.app_label)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
            if model_admin.has_delete_permission(request, first):
                urls.append(reverse("admin:{}_{}_delete".format(*info), args=[first.pk]))
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(app_labels)]
    return urls


def test_the_admin_needs_no_inline_code_so_no_relaxed_policy(client, superuser, world):
    """Django 5.2's admin loads its scripts from static files and passes data in data-attributes,
    so it runs under the same policy as the rest of the site: no exception for /admin/."""
    client.force_login(superuser)
    problems = []
    urls = _admin_urls(superuser)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY, url
        problems += [f"{url}: {problem}" for problem in inline_code_in(response.content.decode())]
    assert not problems, "\n".join(problems)
    assert len(urls) > 20
