"""Who may see and change an engagement's development plan, check-ins and consent. Built on the
engagement rules in `mentorship.access`: the plan is seen by exactly the people who see the
engagement, and further:

- admins and the engagement's mentor see every goal, check-in and the consent state; they never
  change consent;
- the mentee and the mentor edit the plan together (add, change, archive); admins only read it;
- a member of a team engagement sees the team's goals and their own goal, never another member's
  goal, ratings or statement; a member who left the team still reads the plan and may withdraw
  what they shared, but no longer edits it or checks in;
- the mentor's own view (a check-in by the mentor) is seen by the mentor and admins, and by the
  mentee(s) it is about (it is their engagement), never by a sponsor (`sharing` never reads it);
- consent is given by the goal's owner: the member (the mentee of an individual engagement) for
  their goal and their statement; for a team goal the team's coordinator while in the team, and
  when the team has no coordinator a team goal cannot be shared.

Objects of engagements the user may not see, and goals of other members, are 404."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from mentorship.access import (
    get_engagement_for,
    is_consultancy_admin,
    is_engagement_mentee,
    is_engagement_mentor,
    is_team_coordinator,
)
from mentorship.models import Engagement, TeamMembership
from progress.models import AuthorRole, CheckIn, Goal, ProgressStatement


def get_plan_engagement(user: User, engagement_uuid) -> Engagement:
    """The engagement of a plan page: whoever may see the engagement, except a mentor who is only
    asked to take it (not yet its mentor)."""
    engagement = get_engagement_for(user, engagement_uuid)
    if not (
        is_consultancy_admin(user) or is_engagement_mentor(user, engagement) or is_engagement_mentee(user, engagement)
    ):
        raise Http404
    return engagement


def _is_current_mentee(user: User, engagement: Engagement) -> bool:
    """The engagement's mentee, or a member of its team today (one who left still reads the plan
    and may withdraw what they shared, but no longer changes it or checks in)."""
    if engagement.team_id is None:
        return is_engagement_mentee(user, engagement)
    return is_engagement_mentee(user, engagement) and (
        TeamMembership.objects.current().filter(team_id=engagement.team_id, user=user).exists()
    )


def can_edit_plan(user: User, engagement: Engagement) -> bool:
    if engagement.status not in (Engagement.Status.ACTIVE, Engagement.Status.PAUSED, Engagement.Status.PROPOSED):
        return False
    return is_engagement_mentor(user, engagement) or _is_current_mentee(user, engagement)


def sees_every_goal(user: User, engagement: Engagement) -> bool:
    return is_consultancy_admin(user) or is_engagement_mentor(user, engagement)


def goals_visible_to(user: User, engagement: Engagement) -> QuerySet[Goal]:
    goals = Goal.objects.filter(engagement=engagement)
    if sees_every_goal(user, engagement):
        return goals
    if is_engagement_mentee(user, engagement):
        return goals.filter(Q(member__isnull=True) | Q(member=user))
    return goals.none()


def get_goal_for(user: User, engagement: Engagement, goal_pk: int) -> Goal:
    return get_object_or_404(goals_visible_to(user, engagement).select_related("focus_area", "member"), pk=goal_pk)


def get_goal_to_edit(user: User, engagement: Engagement, goal_pk: int) -> Goal:
    """A goal to change or archive: the mentee(s) it belongs to and the mentor; 404 otherwise."""
    if not can_edit_plan(user, engagement):
        raise Http404
    return get_goal_for(user, engagement, goal_pk)


def may_share_goal(user: User, goal: Goal) -> bool:
    """The goal's owner: its member, or for a team goal the team's coordinator (none: nobody)."""
    if goal.member_id is not None:
        return goal.member_id == user.pk and is_engagement_mentee(user, goal.engagement)
    return is_team_coordinator(user, goal.engagement)


def may_share_statement(user: User, statement: ProgressStatement) -> bool:
    return statement.mentee_id == user.pk and is_engagement_mentee(user, statement.engagement)


def statements_visible_to(user: User, engagement: Engagement) -> QuerySet[ProgressStatement]:
    statements = ProgressStatement.objects.filter(engagement=engagement)
    if sees_every_goal(user, engagement):
        return statements
    if is_engagement_mentee(user, engagement):
        return statements.filter(mentee=user)
    return statements.none()


def check_ins_visible_to(user: User, engagement: Engagement) -> QuerySet[CheckIn]:
    """Admins and the mentor: all. A mentee: their own and the mentor's views (the mentor's view of
    a team is seen by its members)."""
    check_ins = CheckIn.objects.filter(engagement=engagement)
    if sees_every_goal(user, engagement):
        return check_ins
    if is_engagement_mentee(user, engagement):
        return check_ins.filter(Q(person=user) | Q(author_role=AuthorRole.MENTOR))
    return check_ins.none()


def check_in_role(user: User, engagement: Engagement) -> str | None:
    """Whose view this person records: the mentee's own, the mentor's, or none (admins)."""
    if is_engagement_mentor(user, engagement):
        return AuthorRole.MENTOR
    if _is_current_mentee(user, engagement):
        return AuthorRole.MENTEE
    return None
