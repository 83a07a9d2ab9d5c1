"""Celery tasks of the reporting app. Task names are fixed (`name=`) so queued messages survive
code moves."""

from celery import shared_task

from reporting.health import store


@shared_task(name="reporting.refresh_health")
def refresh_health() -> int:
    """Recompute the stored health that is due: changed inputs, or time moved on (beat runs this
    every few minutes, so the health pages rarely find work left)."""
    return store.refresh_due()
