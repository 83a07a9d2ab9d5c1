"""The audit log: one function to record an entry. Reading happens on the admin audit page."""

from django.db import models

from accounts.models import User
from mentorship.models import AuditEntry


def record(*, actor: User | None, action: str, target: models.Model | None = None, label: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=getattr(actor, "email", "") or "system",
        action=action,
        target_label=(label or (str(target) if target is not None else ""))[:300],
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
    )
