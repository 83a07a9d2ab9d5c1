"""Sharing an item with the sponsor and withdrawing it: takes effect at once (the sponsor's next
read), is kept as a `ConsentEvent` and written to the audit log. Only the item's owner may do it
(`progress.access`); admins and mentors see the state and cannot change it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship import audit
from mentorship.models import AuditEntry
from progress import access
from progress.models import ConsentEvent, ConsentItem, ConsentState, Goal, ProgressStatement

GOAL_FIELDS = {ConsentItem.GOAL_TITLE: "title", ConsentItem.GOAL_RATINGS: "ratings"}


@transaction.atomic
def set_goal_consent(*, actor: User, goal: Goal, item: str, share: bool) -> Goal:
    if item not in GOAL_FIELDS:
        raise ValidationError(_("Choose what to share."), code="unknown_item")
    goal = Goal.objects.select_for_update(of=("self",)).select_related("engagement").get(pk=goal.pk)
    if not access.may_share_goal(actor, goal):
        raise PermissionDenied
    if goal.archived_at is not None and share:
        raise ValidationError(_("An archived goal cannot be shared."), code="archived")
    prefix = GOAL_FIELDS[item]
    state = getattr(goal, f"{prefix}_consent")
    if not _changes(state, share):
        return goal
    now = timezone.now()
    if share:
        setattr(goal, f"{prefix}_shared_at", now)
        setattr(goal, f"{prefix}_withdrawn_at", None)
    else:
        setattr(goal, f"{prefix}_withdrawn_at", now)
    goal.save(update_fields=[f"{prefix}_shared_at", f"{prefix}_withdrawn_at", "updated_at"])
    _record(actor=actor, engagement=goal.engagement, item=item, goal=goal, share=share, at=now)
    return goal


@transaction.atomic
def set_statement_consent(*, actor: User, statement: ProgressStatement, share: bool) -> ProgressStatement:
    statement = ProgressStatement.objects.select_for_update().select_related("engagement").get(pk=statement.pk)
    if not access.may_share_statement(actor, statement):
        raise PermissionDenied
    if not _changes(statement.consent, share):
        return statement
    now = timezone.now()
    if share:
        statement.shared_at, statement.withdrawn_at = now, None
    else:
        statement.withdrawn_at = now
    statement.save(update_fields=["shared_at", "withdrawn_at"])
    _record(
        actor=actor,
        engagement=statement.engagement,
        item=ConsentItem.STATEMENT,
        statement=statement,
        share=share,
        at=now,
    )
    return statement


def _changes(state: ConsentState, share: bool) -> bool:
    """Sharing what is shared, or withdrawing what is not, changes nothing (a double submit)."""
    return state != ConsentState.SHARED if share else state == ConsentState.SHARED


def _record(*, actor, engagement, item, share, at, goal=None, statement=None) -> None:
    action = ConsentEvent.Action.SHARED if share else ConsentEvent.Action.WITHDRAWN
    ConsentEvent.objects.create(
        engagement=engagement, item=item, goal=goal, statement=statement, action=action, actor=actor, at=at
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CONSENT_SHARED if share else AuditEntry.Action.CONSENT_WITHDRAWN,
        target=engagement,  # so erasing the mentee anonymises the entry with their engagement's
        detail="consent",
        params={"item": item, "engagement": str(engagement)},
    )


def end_sharing_on_change(*, actor: User, goal: Goal | None = None, statement: ProgressStatement | None = None) -> list:
    """New words were not consented to: a shared goal whose title or focus area changed, or a
    shared statement whose text changed, goes back to private (the owner shares it again). Returns
    the fields to save; the caller saves in its transaction."""
    now = timezone.now()
    fields = []
    if goal is not None:
        for item, prefix in GOAL_FIELDS.items():
            if getattr(goal, f"{prefix}_consent") == ConsentState.SHARED:
                setattr(goal, f"{prefix}_withdrawn_at", now)
                fields.append(f"{prefix}_withdrawn_at")
                ConsentEvent.objects.create(
                    engagement_id=goal.engagement_id,
                    item=item,
                    goal=goal,
                    action=ConsentEvent.Action.ENDED_BY_CHANGE,
                    actor=actor,
                    at=now,
                )
    if statement is not None and statement.consent == ConsentState.SHARED:
        statement.withdrawn_at = now
        fields.append("withdrawn_at")
        ConsentEvent.objects.create(
            engagement_id=statement.engagement_id,
            item=ConsentItem.STATEMENT,
            statement=statement,
            action=ConsentEvent.Action.ENDED_BY_CHANGE,
            actor=actor,
            at=now,
        )
    return fields
