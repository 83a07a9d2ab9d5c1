"""Writing the development plan: goals added, changed, archived and restored by the mentee(s)
and the mentor together, each change kept as a `GoalEvent` with the words before and after; and
the mentee's progress statement. New words are not shared until their owner shares them again
(`consent.services.end_sharing_on_change`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.models import Engagement, FocusArea, TeamMembership
from progress import access
from progress.consent.services import end_sharing_on_change
from progress.models import Goal, GoalEvent, ProgressStatement

TRACKED = ("title", "focus_area", "success", "member")


def snapshot(goal: Goal) -> dict:
    """The words of a goal as they are, for its history (names, so they read well later)."""
    return {
        "title": goal.title,
        "focus_area": goal.focus_area.name_en if goal.focus_area_id else "",
        "focus_area_sv": goal.focus_area.name_sv if goal.focus_area_id else "",
        "success": goal.success,
        "member": goal.member.display_name if goal.member_id else "",
    }


def _check_owner(engagement: Engagement, member: User | None) -> None:
    if engagement.is_team:
        if member is not None and not TeamMembership.objects.filter(team_id=engagement.team_id, user=member).exists():
            raise ValidationError(_("Choose a member of the team."), code="not_a_member")
    elif member is None or member.pk != engagement.mentee_id:
        raise ValidationError(_("An individual engagement's goals are the mentee's."), code="not_the_mentee")


def _check_focus(engagement: Engagement, focus_area: FocusArea) -> None:
    if not engagement.focus_areas.filter(pk=focus_area.pk).exists():
        raise ValidationError(_("Choose one of the engagement's focus areas."), code="other_focus_area")


@transaction.atomic
def add_goal(
    *, actor: User, engagement: Engagement, title: str, focus_area: FocusArea, success: str = "", member: User | None
) -> Goal:
    if not access.can_edit_plan(actor, engagement):
        raise PermissionDenied
    if access.check_in_role(actor, engagement) == "mentee" and member is not None and member.pk != actor.pk:
        raise PermissionDenied  # a member adds team goals and their own, never another member's
    _check_owner(engagement, member)
    _check_focus(engagement, focus_area)
    goal = Goal.objects.create(
        engagement=engagement, member=member, title=title, focus_area=focus_area, success=success, created_by=actor
    )
    GoalEvent.objects.create(goal=goal, kind=GoalEvent.Kind.ADDED, actor=actor, after=snapshot(goal))
    return goal


def _locked_for_editing(actor: User, goal: Goal) -> Goal:
    """The goal read again and locked for this transaction, if `actor` may still edit it (the
    rights are checked on the locked row, not on what the page saw); PermissionDenied if not."""
    goal = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("engagement", "focus_area", "member")
        .get(pk=goal.pk)
    )
    if (
        not access.can_edit_plan(actor, goal.engagement)
        or not access.goals_visible_to(actor, goal.engagement).filter(pk=goal.pk).exists()
    ):
        raise PermissionDenied
    return goal


@transaction.atomic
def change_goal(*, actor: User, goal: Goal, title: str, focus_area: FocusArea, success: str = "") -> bool:
    """Returns whether anything changed (the same form again changes nothing)."""
    goal = _locked_for_editing(actor, goal)
    _check_focus(goal.engagement, focus_area)
    before = snapshot(goal)
    words_changed = title != goal.title or focus_area.pk != goal.focus_area_id
    goal.title, goal.focus_area, goal.success = title, focus_area, success
    after = snapshot(goal)
    if before == after:
        return False
    fields = ["title", "focus_area", "success", "updated_at"]
    if words_changed:
        fields += end_sharing_on_change(actor=actor, goal=goal)
    goal.save(update_fields=fields)
    GoalEvent.objects.create(goal=goal, kind=GoalEvent.Kind.CHANGED, actor=actor, before=before, after=after)
    return True


@transaction.atomic
def set_archived(*, actor: User, goal: Goal, archived: bool) -> bool:
    """Archive a goal (it leaves the check-ins and the sponsor's view, its history stays) or
    restore it. Returns whether anything changed."""
    goal = _locked_for_editing(actor, goal)
    if (goal.archived_at is not None) == archived:
        return False
    goal.archived_at = timezone.now() if archived else None
    goal.save(update_fields=["archived_at", "updated_at"])
    kind = GoalEvent.Kind.ARCHIVED if archived else GoalEvent.Kind.RESTORED
    GoalEvent.objects.create(goal=goal, kind=kind, actor=actor, before=snapshot(goal), after=snapshot(goal))
    return True


@transaction.atomic
def save_statement(*, actor: User, engagement: Engagement, text: str) -> ProgressStatement:
    """The mentee's own statement (one per engagement and mentee); changed words are private
    again until shared again."""
    if access.check_in_role(actor, engagement) != "mentee":
        raise PermissionDenied
    statement, created = ProgressStatement.objects.select_for_update().get_or_create(
        engagement=engagement, mentee=actor, defaults={"text": text}
    )
    if created or statement.text == text:
        return statement
    statement.engagement = engagement
    fields = end_sharing_on_change(actor=actor, statement=statement)
    statement.text, statement.updated_at = text, timezone.now()
    statement.save(update_fields=["text", "updated_at", *fields])
    return statement
