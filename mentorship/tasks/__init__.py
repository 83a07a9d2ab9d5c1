"""Celery tasks, one module per topic. Celery autodiscovers this package, so every module with
tasks is imported here."""

from . import heartbeat  # noqa: F401
