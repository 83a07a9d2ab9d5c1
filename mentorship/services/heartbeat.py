from django.db.models import F
from django.utils import timezone

from mentorship.models import WorkerHeartbeat


def record_heartbeat(*, name: str) -> WorkerHeartbeat:
    """Note that a background process named `name` is alive now (atomic upsert)."""
    heartbeat, created = WorkerHeartbeat.objects.get_or_create(name=name, defaults={"beats": 1})
    if not created:
        WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(last_seen=timezone.now(), beats=F("beats") + 1)
        heartbeat.refresh_from_db()
    return heartbeat
