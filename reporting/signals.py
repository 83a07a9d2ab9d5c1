"""What keeps the stored engagement health current (`reporting.health.store`): a change to one of
its inputs, however it is made — a service, the Django admin, a test factory — marks the
engagement's record due in the same transaction. Connected in ReportingConfig.ready(). Bulk
inserts send no signals: run `manage.py rebuild_health` after one."""

from django.db.models.signals import post_delete, post_save, pre_delete

from accounts.models import User
from mentorship.models import Engagement, IntakeResponse, TeamMembership
from reporting.health import totals
from reporting.health.store import mark_due
from reporting.models import EngagementHealthRecord, EngagementMonth
from sessions.models import Feedback, MemberAttendance, MentoringSession

Records = EngagementHealthRecord.objects


def engagement_saved(sender, instance: Engagement, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if created:
        Records.create(engagement=instance)  # not computed yet: due
    else:
        mark_due(Records.filter(engagement=instance))


def engagement_deleted(sender, instance: Engagement, **kwargs) -> None:
    """Its record and months go with it (CASCADE): take them out of the totals. The engagement is
    locked first, so a refresh of it that is under way finishes before its figures are read."""
    Engagement.objects.select_for_update().filter(pk=instance.pk).exists()
    totals.add_change(
        old_records=Records.filter(pk=instance.pk).values("is_active", "phase", "is_overdue", "score"),
        new_records=[],
        old_months=EngagementMonth.objects.filter(engagement=instance).values("month", *totals.MONTH_FIELDS),
        new_months=[],
    )


def session_changed(sender, instance: MentoringSession, raw: bool = False, **kwargs) -> None:
    if not raw:
        mark_due(Records.filter(engagement_id=instance.engagement_id))


def intake_changed(sender, instance: IntakeResponse, raw: bool = False, **kwargs) -> None:
    if not raw:
        mark_due(Records.filter(engagement_id=instance.engagement_id))


def feedback_changed(sender, instance: Feedback, raw: bool = False, **kwargs) -> None:
    if not raw:
        mark_due(Records.filter(engagement__sessions=instance.session_id))


def member_attendance_changed(sender, instance: MemberAttendance, raw: bool = False, **kwargs) -> None:
    if not raw:
        mark_due(Records.filter(engagement__sessions=instance.session_id))


def team_membership_changed(sender, instance: TeamMembership, raw: bool = False, **kwargs) -> None:
    # Whether a member keeps missing counts only those still in the team.
    if not raw:
        mark_due(Records.filter(engagement__team=instance.team_id))


def user_saved(sender, instance: User, created: bool, update_fields=None, raw: bool = False, **kwargs) -> None:
    # A mentor's time zone decides the days and months of their engagements; a team member's name
    # is in the reason when they keep missing. Saves that name their fields and leave these out
    # (a login's last_login) cannot change either.
    if raw or created:
        return
    fields = set(update_fields) if update_fields is not None else None
    if fields is None or "time_zone" in fields:
        mark_due(Records.filter(engagement__mentor=instance))
    if instance.is_mentee and (fields is None or fields & {"full_name", "email"}):
        mark_due(Records.filter(engagement__team__memberships__user=instance))


def connect() -> None:
    post_save.connect(engagement_saved, sender=Engagement, dispatch_uid="reporting_health_engagement")
    pre_delete.connect(engagement_deleted, sender=Engagement, dispatch_uid="reporting_health_engagement_deleted")
    for model, receiver in (
        (MentoringSession, session_changed),
        (IntakeResponse, intake_changed),
        (Feedback, feedback_changed),
        (MemberAttendance, member_attendance_changed),
        (TeamMembership, team_membership_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"reporting_health_save_{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"reporting_health_delete_{model.__name__}")
    post_save.connect(user_saved, sender=User, dispatch_uid="reporting_health_user")
