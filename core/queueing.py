"""Queue Celery tasks after the surrounding transaction commits, and never lose them."""

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

from core.breaker import CircuitBreaker

logger = logging.getLogger(__name__)

# After the broker failed, tasks run in-process for this long without asking it again: a frozen
# broker costs one socket timeout (REDIS_TIMEOUT_SECONDS), not one for every task of a request.
broker_breaker = CircuitBreaker(retry_after=10.0)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Send `task` to the broker once the current transaction commits (at once outside one).

    If the broker cannot be reached the task runs in this process instead: slower for this one
    request, but the email (or other work) is not dropped.
    """

    def send() -> None:
        if broker_breaker.is_open:
            task.apply(args=args, kwargs=kwargs)
            return
        try:
            # One attempt: kombu's default retries would wait out the socket timeout four times.
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except (OperationalError, OSError):  # OSError: the development folder broker's folder is gone
            broker_breaker.trip()
            logger.exception("Broker unreachable: running %s in-process instead", task.name)
            task.apply(args=args, kwargs=kwargs)

    transaction.on_commit(send)
