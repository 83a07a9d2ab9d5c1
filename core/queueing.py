"""Queue Celery tasks after the surrounding transaction commits, and never lose them."""

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Send `task` to the broker once the current transaction commits (at once outside one).

    If the broker cannot be reached the task runs in this process instead: slower for this one
    request, but the email (or other work) is not dropped.
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except OperationalError:
            logger.exception("Broker unreachable: running %s in-process instead", task.name)
            task.apply(args=args, kwargs=kwargs)

    transaction.on_commit(send)
