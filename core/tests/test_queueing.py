import socket
import time
from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from core.queueing import enqueue_on_commit
from mentorship.heartbeat import record_heartbeat
from mentorship.models import WorkerHeartbeat


@pytest.mark.django_db
def test_task_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(record_heartbeat, "queued")
    assert not WorkerHeartbeat.objects.filter(name="queued").exists()
    callbacks[0]()
    assert WorkerHeartbeat.objects.get(name="queued").beats == 1


@pytest.fixture
def closed_breaker():
    from core.queueing import broker_breaker

    broker_breaker.reset()
    yield
    broker_breaker.reset()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "failure",
    [OperationalError("down"), FileNotFoundError(2, "No such file or directory")],
    ids=["redis unreachable", "folder broker's folder missing"],
)
def test_unreachable_broker_runs_the_task_in_process(failure, closed_breaker, django_capture_on_commit_callbacks):
    """A booking that committed must not answer 500 because its email could not be queued."""
    with (
        mock.patch.object(record_heartbeat, "apply_async", side_effect=failure),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(record_heartbeat, "fallback")
    assert WorkerHeartbeat.objects.get(name="fallback").beats == 1


@pytest.fixture
def broker_at(monkeypatch):
    """Point the Celery app at `url` with the production socket timeouts, for real (not eager)."""
    from core.queueing import broker_breaker
    from core.tests.redis_server import close_celery_pool, point_celery_at, settings_for
    from mentorship.celery import app

    def use(url: str) -> None:
        production = settings_for(CELERY_BROKER_URL=url, REDIS_TIMEOUT_SECONDS=str(TIMEOUT))
        point_celery_at(app, monkeypatch, url, production["CELERY_BROKER_TRANSPORT_OPTIONS"])
        app.conf.task_always_eager = False

    broker_breaker.reset()
    yield use
    broker_breaker.reset()
    close_celery_pool(app)


TIMEOUT = 0.5


@pytest.fixture
def frozen_port():
    """Accepts connections and never answers, like a Redis stopped with SIGSTOP."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.mark.django_db
def test_a_frozen_broker_costs_one_timeout_and_the_tasks_run_in_process(
    broker_at, frozen_port, django_capture_on_commit_callbacks
):
    broker_at(f"redis://127.0.0.1:{frozen_port}/0")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("first", "second", "third"):
            enqueue_on_commit(record_heartbeat, name)
    elapsed = time.monotonic() - started
    # One publish attempt, not kombu's four; the other two skip the broker (breaker open).
    assert TIMEOUT <= elapsed < 2 * TIMEOUT + 0.5
    assert set(WorkerHeartbeat.objects.values_list("name", flat=True)) == {"first", "second", "third"}


@pytest.mark.django_db
def test_the_broker_is_tried_again_after_the_pause(broker_at, frozen_port, django_capture_on_commit_callbacks):
    from core.queueing import broker_breaker

    broker_at(f"redis://127.0.0.1:{frozen_port}/0")
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(record_heartbeat, "first")
    assert broker_breaker.is_open
    with mock.patch.object(record_heartbeat, "apply_async") as sent:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(record_heartbeat, "skipped the broker")
        broker_breaker.reset()  # what the end of the pause does
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(record_heartbeat, "asked the broker")
    assert [call.kwargs["args"] for call in sent.call_args_list] == [("asked the broker",)]
    assert WorkerHeartbeat.objects.filter(name="skipped the broker").exists()  # ran in-process
