import pytest

from mentorship import heartbeat as services
from mentorship.heartbeat import record_heartbeat


@pytest.mark.django_db
def test_heartbeat_counts_beats_and_moves_last_seen():
    first = services.beat(name="celery")
    second = services.beat(name="celery")
    assert second.pk == first.pk
    assert second.beats == 2
    assert second.last_seen >= first.last_seen


@pytest.mark.django_db
def test_heartbeat_task_runs_the_service():
    assert record_heartbeat.delay("beat").get() == 1
