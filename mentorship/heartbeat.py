"""The worker heartbeat: beat schedules `record_heartbeat` every few minutes, a worker runs it,
and admins see on their home page when a worker last reported in (a stopped worker means no
reminders go out)."""

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from mentorship.models import WorkerHeartbeat


def beat(*, name: str) -> WorkerHeartbeat:
    """Note that a background process named `name` is alive now (atomic upsert)."""
    heartbeat, created = WorkerHeartbeat.objects.get_or_create(name=name, defaults={"beats": 1})
    if not created:
        WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(last_seen=timezone.now(), beats=F("beats") + 1)
        heartbeat.refresh_from_db()
    return heartbeat


def latest_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-last_seen").first()


@shared_task(name="mentorship.tasks.record_heartbeat")
def record_heartbeat(name: str = "celery") -> int:
    return beat(name=name).beats
