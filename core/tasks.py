"""The outbox's tasks: deliver one recorded email, and the sweep beat runs (see core.outbox)."""

from celery import shared_task

from core import outbox


@shared_task(bind=True, name="core.deliver_email", max_retries=6)
def deliver_email(self, email_id: int) -> str:
    try:
        return outbox.deliver(email_id, task_id=self.request.id or "")
    except outbox.TemporaryFailure as failure:
        # The row is free again: this retry, or the sweep if it is lost, sends it later. Run in
        # a web process (the broker was down), leave it to the sweep rather than retry at once.
        if self.request.is_eager:
            return "left to the sweep"
        raise self.retry(exc=failure, countdown=min(60 * 2**self.request.retries, 1800)) from failure


@shared_task(name="core.outbox_sweep")
def outbox_sweep() -> int:
    return outbox.sweep()
