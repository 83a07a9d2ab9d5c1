"""A person's development-plan data in their own data export, and gone when they are erased —
answers to `accounts.signals` (sent by `privacy`, which may not import this app)."""

import datetime

from accounts.models import User
from progress.models import CheckIn, Goal, ProgressStatement


def _utc(moment: datetime.datetime | None) -> str | None:
    return moment.astimezone(datetime.UTC).isoformat() if moment else None


def export_progress(sender, user: User, **kwargs) -> tuple[str, dict]:
    goals = Goal.objects.filter(member=user).select_related("engagement", "focus_area").order_by("created_at", "pk")
    check_ins = (
        CheckIn.objects.filter(person=user)
        .select_related("engagement")
        .prefetch_related("goal_ratings__goal", "clarity_ratings__focus_area")
        .order_by("on", "pk")
    )
    statements = ProgressStatement.objects.filter(mentee=user).select_related("engagement").order_by("pk")
    return "progress", {
        "goals": [
            {
                "engagement": str(goal.engagement.uuid),
                "title": goal.title,
                "focus_area": goal.focus_area.name_en,
                "what_success_looks_like": goal.success,
                "archived": _utc(goal.archived_at),
                "title_shared_with_sponsor": goal.title_consent.value,
                "ratings_shared_with_sponsor": goal.ratings_consent.value,
            }
            for goal in goals
        ],
        "check_ins": [
            {
                "engagement": str(check_in.engagement.uuid),
                "kind": check_in.kind,
                "as": check_in.author_role,
                "day": check_in.on.isoformat(),
                "goals": {rating.goal.title: rating.score for rating in check_in.goal_ratings.all()},
                "clarity": {rating.focus_area.name_en: rating.score for rating in check_in.clarity_ratings.all()},
            }
            for check_in in check_ins
        ],
        "progress_statements": [
            {
                "engagement": str(statement.engagement.uuid),
                "text": statement.text,
                "shared_with_sponsor": statement.consent.value,
            }
            for statement in statements
        ],
    }


def erase_progress(sender, person: User, **kwargs) -> None:
    """The goals that are the person's, their check-ins (ratings cascade) and their statements."""
    CheckIn.objects.filter(person=person).delete()
    ProgressStatement.objects.filter(mentee=person).delete()
    Goal.objects.filter(member=person).delete()
