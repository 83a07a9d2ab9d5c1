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


@pytest.mark.django_db
def test_unreachable_broker_runs_the_task_in_process(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(record_heartbeat, "apply_async", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(record_heartbeat, "fallback")
    assert WorkerHeartbeat.objects.get(name="fallback").beats == 1
