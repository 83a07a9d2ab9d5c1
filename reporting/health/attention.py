"""The admins' queue (`overview/attention.py`) reads two lists from the stored health: engagements
overdue for their next session and kickoffs nobody has booked. Querysets the caller cuts, ordered
along their indexes; the caller brings the store up to date first (`store.refresh_due`)."""

from django.db.models import QuerySet

from accounts.models import User
from mentorship import access
from reporting.models import EngagementHealthRecord

_PEOPLE = ("engagement__organisation", "engagement__mentee", "engagement__team", "engagement__mentor")


def _active_records(user: User) -> QuerySet[EngagementHealthRecord]:
    """Active engagements' records; none but for admins (who see every engagement)."""
    if not access.is_consultancy_admin(user):
        return EngagementHealthRecord.objects.none()
    return EngagementHealthRecord.objects.filter(is_active=True).select_related(*_PEOPLE)


def overdue_records(user: User) -> QuerySet[EngagementHealthRecord]:
    """Active engagements past their due date with nothing booked, the longest overdue first."""
    return _active_records(user).filter(is_overdue=True).order_by("due_date", "pk")


def unbooked_kickoff_records(user: User) -> QuerySet[EngagementHealthRecord]:
    """Active engagements with no session held or booked yet and not overdue (those are in
    `overdue_records`): the kickoff due soonest first."""
    return (
        _active_records(user)
        .filter(last_held__isnull=True, next_booked__isnull=True, is_overdue=False)
        .order_by("due_date", "pk")
    )
