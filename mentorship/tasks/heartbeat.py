from celery import shared_task

from mentorship.services import heartbeat as services


@shared_task(name="mentorship.tasks.record_heartbeat")
def record_heartbeat(name: str = "celery") -> int:
    return services.record_heartbeat(name=name).beats
