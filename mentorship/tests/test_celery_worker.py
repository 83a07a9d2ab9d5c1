"""A real Celery worker process, real Redis, and the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from mentorship.celery import app
from mentorship.heartbeat import record_heartbeat
from mentorship.models import WorkerHeartbeat

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.redis


def _test_database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or s["OPTIONS"].get("host", "")
    auth = quote(s["USER"]) + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    if host.startswith("/"):
        return f"postgres://{auth}@/{s['NAME']}?host={host}"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, redis_url):
    queue = f"test-{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        {"DATABASE_URL": _test_database_url(), "CELERY_BROKER_URL": redis_url, "DEBUG": "false", "SECRET_KEY": "test"}
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentorship", "worker", "-l", "info", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    yield queue
    # Stop the worker before pytest-django drops the test database.
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_real_worker_runs_a_task_that_writes_a_row(celery_worker_process, redis_url):
    app.conf.task_always_eager = False
    with app.connection_for_write(redis_url) as broker:
        record_heartbeat.apply_async(args=["worker-test"], queue=celery_worker_process, connection=broker)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        heartbeat = WorkerHeartbeat.objects.filter(name="worker-test").first()
        if heartbeat is not None:
            break
        time.sleep(0.1)
    assert heartbeat is not None, "the worker never wrote its row"
    assert heartbeat.beats == 1


def test_celery_is_configured_for_safe_delivery():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.timezone == "UTC"
    assert conf.task_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert "mentorship.tasks.record_heartbeat" in app.tasks
