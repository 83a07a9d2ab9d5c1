import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("YES", True), ("off", False), ("0", False), ("", False)]
)
def test_env_bool_parses_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_env_bool_uses_default_when_unset_and_refuses_nonsense(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", True) is True
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


def test_env_int_and_list_and_str(monkeypatch):
    monkeypatch.setenv("SOME_INT", "42")
    monkeypatch.setenv("SOME_LIST", " a.example, b.example ,,")
    monkeypatch.delenv("MISSING", raising=False)
    assert env_int("SOME_INT", 1) == 42
    assert env_int("MISSING", 7) == 7
    assert env_list("SOME_LIST") == ["a.example", "b.example"]
    assert env_list("MISSING", ["x"]) == ["x"]
    assert env_str("MISSING", "d") == "d"
    monkeypatch.setenv("SOME_INT", "forty")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_INT", 1)


def _run_manage(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!k2#pQ7z@L0v$R4w&T8y*U1s^N6m%B3c(D5e)F-g_H+j=K~aZ3qW8",
    "ALLOWED_HOSTS": "mentorship.example.net",
    "CSRF_TRUSTED_ORIGINS": "https://mentorship.example.net",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "smtp.example.net",
    "DEFAULT_FROM_EMAIL": "Mentorship <noreply@example.net>",
}


def test_deploy_check_passes_with_production_variables():
    result = _run_manage(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_with_development_defaults():
    result = _run_manage({"DEBUG": "true"}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _run_manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_a_notes_key():
    env = {**PRODUCTION_ENV, "NOTES_ENCRYPTION_KEYS": ""}
    result = _run_manage(env, "check")
    assert result.returncode != 0
    assert "NOTES_ENCRYPTION_KEYS must be set" in result.stderr


def test_settings_refuse_a_non_postgres_database():
    result = _run_manage({"DATABASE_URL": "sqlite:///db.sqlite3"}, "check")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_settings_are_read_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'], s.EMAIL_HOST,"
        " s.DEFAULT_FROM_EMAIL, s.SESSION_COOKIE_SECURE, s.USE_TZ, s.TIME_ZONE, sep='|')"
    )
    result = _run_manage(PRODUCTION_ENV, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split("|") == [
        "False",
        "['mentorship.example.net']",
        "redis://127.0.0.1:6379/0",
        "core.cache.FailOpenRedisCache",
        "smtp.example.net",
        "Mentorship <noreply@example.net>",
        "True",
        "True",
        "UTC",
    ]


def _settings_with(monkeypatch, **environment: str) -> dict:
    """What mentorship/settings.py makes of the test's environment plus these variables."""
    import runpy

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "mentorship" / "settings.py"))


def test_proxy_settings_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("ALLAUTH_TRUSTED_PROXY_COUNT", raising=False)
    monkeypatch.delenv("USE_X_FORWARDED_HOST", raising=False)
    monkeypatch.delenv("BEHIND_HTTPS_PROXY", raising=False)
    default = _settings_with(monkeypatch)
    assert default["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0  # X-Forwarded-For ignored: anyone can send it
    assert default["USE_X_FORWARDED_HOST"] is False
    assert default["SECURE_PROXY_SSL_HEADER"] is None

    proxied = _settings_with(
        monkeypatch, ALLAUTH_TRUSTED_PROXY_COUNT="1", USE_X_FORWARDED_HOST="true", BEHIND_HTTPS_PROXY="true"
    )
    assert proxied["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert proxied["USE_X_FORWARDED_HOST"] is True
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize("max_age", ["60", "0"])
def test_persistent_database_connections_are_checked_before_use(monkeypatch, max_age):
    # After a PostgreSQL restart a persistent connection is dead: checked first, it is replaced
    # instead of failing the worker's next request.
    database = _settings_with(monkeypatch, DB_CONN_MAX_AGE=max_age)["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == int(max_age)
    assert database["CONN_HEALTH_CHECKS"] is True


def test_with_redis_every_client_times_out_and_sessions_stay_in_the_database(monkeypatch):
    configured = _settings_with(
        monkeypatch,
        REDIS_URL="redis://cache.internal:6379/1",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
        REDIS_TIMEOUT_SECONDS="0.5",
    )
    cache = configured["CACHES"]["default"]
    assert cache["BACKEND"] == "core.cache.FailOpenRedisCache"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    broker = configured["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert (broker["socket_connect_timeout"], broker["socket_timeout"], broker["max_retries"]) == (0.5, 0.5, 0)
    assert configured["CELERY_RESULT_BACKEND"] is None
    assert configured["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_redis_timeout_defaults_to_a_second_and_must_be_a_number(monkeypatch):
    monkeypatch.delenv("REDIS_TIMEOUT_SECONDS", raising=False)
    assert _settings_with(monkeypatch)["REDIS_TIMEOUT_SECONDS"] == 1.0
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT_SECONDS must be a number"):
        _settings_with(monkeypatch, REDIS_TIMEOUT_SECONDS="soon")
