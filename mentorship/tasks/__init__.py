"""Celery tasks, one module per topic. Celery autodiscovers this package, so every module with
tasks is imported here."""

from . import (
    heartbeat,  # noqa: F401
    inquiries,  # noqa: F401
    matching,  # noqa: F401
    organisations,  # noqa: F401
)
