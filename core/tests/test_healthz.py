"""/healthz: the database, the broker and the cache, for load balancers and container health checks."""

import logging
import socket
import threading
import time
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse

from core import healthz
from mentorship.celery import app

URL = "/healthz"
LEAKY_ERROR = "connection to server at db.internal.example (10.1.2.3), port 5432 failed: password=hunter2"


@pytest.fixture
def use_broker(monkeypatch):
    """Point the Celery app at another broker for one test (the environment wins over the app's
    configuration in Celery, so clear it too)."""

    def use(url: str, **transport_options) -> None:
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
        monkeypatch.setitem(app.conf, "broker_url", url)
        monkeypatch.setitem(app.conf, "broker_write_url", None)
        monkeypatch.setitem(app.conf, "broker_transport_options", transport_options)

    return use


@pytest.fixture
def folder_broker(use_broker, tmp_path):
    """The development broker (kombu's filesystem transport) in a fresh folder."""
    queue = tmp_path / "queue"
    queue.mkdir()
    use_broker("filesystem://", data_folder_in=str(queue), data_folder_out=str(queue))
    return queue


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_url_name_resolves_to_healthz():
    assert reverse("healthz") == URL


@pytest.mark.redis
def test_everything_up_gives_200_ok_with_the_real_redis(client, db, redis_url, use_broker):
    use_broker(redis_url)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


def test_the_development_folder_broker_counts_as_up_when_its_folder_is_writable(client, db, folder_broker):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


def test_a_missing_broker_folder_is_degraded(client, db, folder_broker):
    folder_broker.rmdir()
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "error", "cache": "ok"}
    assert str(folder_broker) not in response.content.decode()


def test_database_down_gives_503_without_the_error_text(client, db, folder_broker, caplog):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(LEAKY_ERROR)):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "error", "broker": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    # Operators find the reason in the log.
    assert any("database unavailable (OperationalError" in record.getMessage() for record in caplog.records)


def test_broker_down_is_degraded_not_down_and_answers_quickly_without_the_url(client, db, use_broker):
    # Pages still work without the broker (tasks run in-process): a load balancer must keep
    # sending traffic, a monitor reads "degraded".
    port = _unused_port()
    use_broker(f"redis://:s3cret-broker-password@127.0.0.1:{port}/0")
    started = time.monotonic()
    response = client.get(URL)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "error", "cache": "ok"}
    body = response.content.decode()
    assert str(port) not in body
    assert "s3cret" not in body
    assert elapsed < 2  # one try, not kombu's default of retrying for ever


def test_both_down_names_both(client, db, use_broker):
    use_broker(f"redis://127.0.0.1:{_unused_port()}/0")
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(LEAKY_ERROR)):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "error", "broker": "error", "cache": "ok"}


def test_no_login_needed_and_a_signed_in_person_gets_the_same(client, mentee, folder_broker):
    assert client.get(URL).status_code == 200
    client.force_login(mentee)
    assert client.get(URL).json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


def test_head_works_and_other_methods_are_refused(client, db, folder_broker):
    head = client.head(URL)
    assert head.status_code == 200
    assert head.content == b""
    for method in (client.post, client.put, client.delete):
        assert method(URL).status_code == 405


def test_it_is_not_redirected_to_https(client, db, folder_broker, settings):
    # Probes speak plain HTTP to the app server, behind the TLS proxy.
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(URL)
    assert response.status_code == 200
    assert client.get("/").status_code == 301  # everything else still is


def test_a_failure_is_logged_as_a_warning(client, db, use_broker, caplog):
    use_broker(f"redis://127.0.0.1:{_unused_port()}/0")
    with caplog.at_level(logging.WARNING, logger="core.healthz"):
        client.get(URL)
    assert [record.levelname for record in caplog.records if record.name == "core.healthz"] == ["WARNING"]


def test_a_failing_probe_does_not_mail_admins_once_per_probe(client, db, folder_broker, settings):
    settings.ADMINS = [("Ops", "ops@example.net")]
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(LEAKY_ERROR)):
        for _ in range(3):
            assert client.get(URL).status_code == 503
    assert mail.outbox == []


def _redis_cache_at(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": f"redis://:s3cret-cache-password@127.0.0.1:{port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_cache_down_is_degraded_without_the_url(client, db, folder_broker, settings, caplog):
    port = _unused_port()
    settings.CACHES = _redis_cache_at(port)
    with caplog.at_level(logging.WARNING, logger="core.healthz"):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "ok", "cache": "error"}
    assert str(port) not in response.content.decode()
    assert "s3cret" not in response.content.decode()
    assert any("cache unavailable (ConnectionError" in record.getMessage() for record in caplog.records)


@pytest.mark.redis
def test_the_real_redis_as_cache_is_ok(client, db, folder_broker, settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": redis_url}}
    assert client.get(URL).json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


def test_a_probe_that_hangs_is_cut_off_at_the_deadline(client, db, folder_broker, caplog):
    # Whatever a library does with its timeouts, the answer comes in time.
    release = threading.Event()
    with (
        mock.patch("core.healthz._check_cache", side_effect=lambda: release.wait(10)),
        caplog.at_level(logging.WARNING, logger="core.healthz"),
    ):
        started = time.monotonic()
        response = client.get(URL)
        elapsed = time.monotonic() - started
        release.set()
    assert response.status_code == 200
    assert response.json()["cache"] == "error"
    assert healthz.DEADLINE <= elapsed < healthz.DEADLINE + 0.5
    assert any("no answer within the health check's deadline" in record.getMessage() for record in caplog.records)
