"""Cookie and header settings under production variables, read from a fresh process like the
other settings tests (mentorship/tests/test_settings.py runs `check --deploy` the same way)."""

import json

from mentorship.tests.test_settings import PRODUCTION_ENV, _run_manage

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "MIDDLEWARE",
]


def _settings_in_a_fresh_process(env: dict[str, str]) -> dict:
    code = f"from django.conf import settings as s; import json; print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    result = _run_manage(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_httponly_and_same_site():
    values = _settings_in_a_fresh_process(PRODUCTION_ENV)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SAMESITE"] == "Lax"


def test_production_forces_https_and_sends_the_security_headers():
    values = _settings_in_a_fresh_process(PRODUCTION_ENV)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["CONTENT_SECURITY_POLICY"] == DEFAULT_POLICY
    assert "core.middleware.SecurityHeadersMiddleware" in values["MIDDLEWARE"]


def test_the_policy_can_be_set_from_the_environment_and_an_empty_value_keeps_the_default():
    custom = "default-src 'self'; report-uri https://reports.example.net/csp"
    assert (
        _settings_in_a_fresh_process({**PRODUCTION_ENV, "CONTENT_SECURITY_POLICY": custom})["CONTENT_SECURITY_POLICY"]
        == custom
    )
    assert (
        _settings_in_a_fresh_process({**PRODUCTION_ENV, "CONTENT_SECURITY_POLICY": ""})["CONTENT_SECURITY_POLICY"]
        == DEFAULT_POLICY
    )


def test_a_production_page_sets_a_secure_csrf_cookie_and_the_headers():
    """A real request through the production middleware stack (static files unhashed and the cache
    in-process, so neither collectstatic nor Redis is needed)."""
    env = {
        **PRODUCTION_ENV,
        "REDIS_URL": "",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    code = (
        "from django.test import Client; import json;"
        "r = Client().get('/accounts/login/', secure=True, HTTP_HOST='mentorship.example.net');"
        "c = r.cookies['csrftoken'];"
        "print(json.dumps({'status': r.status_code, 'secure': c['secure'], 'samesite': c['samesite'],"
        " 'csp': r.get('Content-Security-Policy'), 'hsts': r.get('Strict-Transport-Security'),"
        " 'coop': r.get('Cross-Origin-Opener-Policy'), 'permissions': r.get('Permissions-Policy')}))"
    )
    result = _run_manage(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout.strip().splitlines()[-1])
    assert page["status"] == 200
    assert page["secure"] is True
    assert page["samesite"] == "Lax"
    assert page["csp"] == DEFAULT_POLICY
    assert page["hsts"].startswith("max-age=31536000")
    assert page["coop"] == "same-origin"
    assert "camera=()" in page["permissions"]


def test_a_plain_http_request_in_production_is_sent_to_https():
    code = (
        "from django.test import Client;"
        "r = Client().get('/accounts/login/', HTTP_HOST='mentorship.example.net');"
        "print(r.status_code, r['Location'])"
    )
    result = _run_manage(PRODUCTION_ENV, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "301 https://mentorship.example.net/accounts/login/"
