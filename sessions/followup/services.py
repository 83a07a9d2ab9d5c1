"""Follow-up of sessions: action items (agreed next steps) and mentees' feedback.

Two parts: writes (keyword-only, atomic, `ValidationError` for broken rules) and reads for the
pages and partials (a fixed number of queries whatever the data). Who may do what lives with the
rest of the access rules in `sessions.followup.access` (ActionItemRights, can_give_feedback,
feedback_is_open, mentor_with_feedback_for_admin).

Feedback is anonymous towards the mentor: a mentor sees only averages, across all their
engagements, and only over whole groups of ratings (in the order they were given) that each come
from at least three different people. Counting ratings is not enough: three ratings from one
mentee would show the mentor that mentee's own average. Without the grouping, the averages before
and after one new rating would give that rating away (and the mentor knows whose session was held
last); with it, the averages move only by a group in which three people rated.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, BooleanField, Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.access import engagements_visible_to
from mentorship.models import Engagement
from sessions.access import own_sessions
from sessions.booking import selectors
from sessions.followup.access import ActionItemRights, can_give_feedback, feedback_is_open
from sessions.models import ActionItem, Feedback, MentoringSession, SessionKind, SessionStatus

MIN_RATERS_FOR_MENTOR = 3
FEEDBACK_REQUEST_DAYS = 30
HOME_ACTION_ITEM_LIMIT = 10


# Action items: writes --------------------------------------------------------------------------


def possible_owners(engagement: Engagement) -> QuerySet[User]:
    """Who may own an action item: the engagement's mentor and its mentee or team members."""
    condition = Q(pk=engagement.mentor_id) | Q(pk__in=selectors.attendee_ids(engagement))
    return User.objects.filter(condition, is_active=True).order_by("full_name", "email")


def _check_owner(engagement: Engagement, owner: User) -> None:
    if not possible_owners(engagement).filter(pk=owner.pk).exists():
        raise ValidationError(_("The owner must be the mentor or a mentee of this engagement."), code="owner")


@transaction.atomic
def create_action_item(
    *,
    engagement: Engagement,
    text: str,
    owner: User,
    created_by: User,
    due_date: datetime.date | None = None,
    session: MentoringSession | None = None,
) -> tuple[ActionItem, bool]:
    """Add a next step. The same open step for the same owner is not added twice (a double
    submit): the existing item comes back with `created=False`."""
    _check_owner(engagement, owner)
    if session is not None and session.engagement_id != engagement.pk:
        raise ValidationError(_("That session belongs to another engagement."), code="session")
    if session is not None and session.is_one_to_one and owner.pk not in (session.mentor_id, session.mentee_id):
        raise ValidationError(_("A one-to-one's next step is for its member or the mentor."), code="owner")
    # Lock the engagement row so two identical submits cannot both pass the duplicate check.
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
    existing = ActionItem.objects.filter(
        engagement=engagement, owner=owner, text=text, due_date=due_date, done_at__isnull=True
    ).first()
    if existing is not None:
        return existing, False
    item = ActionItem.objects.create(
        engagement=engagement, session=session, text=text, owner=owner, due_date=due_date, created_by=created_by
    )
    return item, True


@transaction.atomic
def update_action_item(*, item: ActionItem, text: str, owner: User, due_date: datetime.date | None) -> ActionItem:
    _check_owner(item.engagement, owner)
    item.text, item.owner, item.due_date = text, owner, due_date
    item.save(update_fields=["text", "owner", "due_date"])
    return item


def set_action_item_done(*, item: ActionItem, done: bool) -> bool:
    """Mark done or open again. Idempotent: a conditional update, so a double click or two people
    at once leave one consistent state. Returns whether anything changed."""
    pending = ActionItem.objects.filter(pk=item.pk, done_at__isnull=done)
    changed = pending.update(done_at=timezone.now() if done else None) > 0
    item.refresh_from_db(fields=["done_at"])
    return changed


def delete_action_item(*, item: ActionItem) -> None:
    ActionItem.objects.filter(pk=item.pk).delete()


# Action items: reads ---------------------------------------------------------------------------


def _with_overdue(items: QuerySet[ActionItem], today: datetime.date | None = None) -> QuerySet[ActionItem]:
    today = today or timezone.localdate()
    # Case rather than a bare comparison: an undated item is "not overdue", never NULL (which
    # would also sort first in a descending order).
    overdue = Case(
        When(done_at__isnull=True, due_date__lt=today, then=True), default=False, output_field=BooleanField()
    )
    return items.annotate(is_overdue=overdue)


def action_items_seen_by(items: QuerySet[ActionItem], viewer: User | None) -> QuerySet[ActionItem]:
    """Leave out the next steps agreed in a one-to-one of a team engagement for anyone but its
    member and its mentor: like its notes, never the rest of the team or the admins."""
    if viewer is None:
        return items
    # A condition on the items' own sessions (not a list of every hidden item to leave out), so
    # that reading one engagement's items reads only theirs.
    return items.filter(
        Q(session__isnull=True)
        | ~Q(session__kind=SessionKind.ONE_TO_ONE)
        | Q(session__mentee=viewer.pk)
        | Q(session__mentor=viewer.pk)
    )


def action_items_for_engagement(engagement: Engagement, *, viewer: User | None = None) -> list[ActionItem]:
    """Every item of an engagement (those `viewer` may see, `action_items_seen_by`): open ones first (earliest
    due first, undated last), then the done ones, latest done first; one query."""
    return list(
        _with_overdue(action_items_seen_by(ActionItem.objects.filter(engagement=engagement), viewer))
        .select_related("owner", "created_by")
        .order_by(F("done_at").desc(nulls_first=True), F("due_date").asc(nulls_last=True), "created_at", "pk")
    )


def open_action_items_for_engagement(engagement: Engagement, *, viewer: User | None = None) -> list[ActionItem]:
    """The engagement's open items, earliest due first (undated last), with `is_overdue`; one query.
    Only for people who may see them: check `ActionItemRights.of(user, engagement).can_view`."""
    return list(
        _with_overdue(
            action_items_seen_by(ActionItem.objects.filter(engagement=engagement, done_at__isnull=True), viewer)
        )
        .select_related("owner")
        .order_by("due_date", "created_at", "pk")
    )


def action_items_panel(*, viewer: User, engagement: Engagement) -> dict | None:
    """Context for `templates/sessions/includes/open_action_items.html` on the engagement page:
    None (the partial shows nothing) for people who may not see action items; otherwise the open
    items and what the viewer may do. Two queries at most."""
    rights = ActionItemRights.of(viewer, engagement)
    if not rights.can_view:
        return None
    items = open_action_items_for_engagement(engagement, viewer=viewer)
    for item in items:
        item.may_toggle = rights.can_toggle(item)
    return {"engagement": engagement, "items": items}


def open_action_items_for_owner(user: User, *, limit: int = HOME_ACTION_ITEM_LIMIT) -> dict:
    """Context for `templates/sessions/includes/home_action_items.html`: the user's own open items
    across the engagements they may still see, overdue first, then by due date; two queries.

    Keys: `items` (at most `limit`, each with `is_overdue` and its engagement), `more` (how many
    were left off), `overdue` (how many of all are overdue)."""
    if not (user.is_authenticated and user.is_active):
        return {"items": [], "more": 0, "overdue": 0}
    today = timezone.localdate()
    mine = ActionItem.objects.filter(
        owner=user, done_at__isnull=True, engagement__in=engagements_visible_to(user).values("pk")
    )
    counts = mine.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    items = list(
        _with_overdue(mine, today)
        .select_related("engagement__mentee", "engagement__team", "engagement__mentor")
        .order_by("-is_overdue", "due_date", "created_at", "pk")[:limit]
    )
    return {"items": items, "more": max(counts["total"] - len(items), 0), "overdue": counts["overdue"]}


# Feedback: writes ------------------------------------------------------------------------------


@transaction.atomic
def give_feedback(
    *, session: MentoringSession, mentee: User, usefulness: int, trust: int, comment: str = ""
) -> tuple[Feedback, bool]:
    """Record a mentee's rating of a held session, once: a second submit (or a double click)
    returns the feedback already given with `created=False` and changes nothing — so a mentor
    can never learn a single rating from averages moving after a change."""
    if not feedback_is_open(session):
        raise ValidationError(_("Feedback opens once the session has been held."), code="not_held")
    if not can_give_feedback(mentee, session):
        raise ValidationError(_("Only the mentees of this session give feedback on it."), code="not_mentee")
    for value in (usefulness, trust):
        if value not in range(1, 6):
            raise ValidationError(_("Ratings go from 1 to 5."), code="rating")
    # get_or_create retries the read when a concurrent insert wins the unique constraint.
    return Feedback.objects.get_or_create(
        session=session,
        mentee=mentee,
        defaults={"usefulness": usefulness, "trust": trust, "comment": comment},
    )


# Feedback: reads -------------------------------------------------------------------------------


def own_feedback(user: User, session: MentoringSession) -> Feedback | None:
    """The feedback this user gave on this session, if any (mentees see only their own)."""
    if not user.is_authenticated:
        return None
    return Feedback.objects.filter(session=session, mentee=user).first()


def sessions_awaiting_feedback(user: User) -> list[MentoringSession]:
    """Context `feedback_requests` for `templates/sessions/includes/home_feedback_requests.html`:
    the user's held sessions of the last 30 days (as the mentee or a team member) without their
    feedback, latest first; four queries (the user's seats, the engagements they may see, the
    sessions, their people)."""
    if not (user.is_authenticated and user.is_active and user.is_mentee):
        return []
    since = timezone.now() - datetime.timedelta(days=FEEDBACK_REQUEST_DAYS)
    given = Feedback.objects.filter(session=OuterRef("pk"), mentee=user)
    return (
        own_sessions(user, as_mentor=False)
        .filter(status=SessionStatus.COMPLETED, end__gte=since)
        .filter(~Exists(given))
        .order_by("-start")
        .fetched_with("mentor", "engagement")
    )


def _averages(feedback: QuerySet[Feedback]) -> dict:
    return feedback.aggregate(usefulness=Avg("usefulness"), trust=Avg("trust"), count=Count("pk"))


def feedback_for_engagement(engagement: Engagement) -> dict:
    """For admins: the averages and every rating of an engagement, latest session first; two queries."""
    feedback = Feedback.objects.filter(session__engagement=engagement)
    return {
        "averages": _averages(feedback),
        "ratings": list(feedback.select_related("mentee", "session").order_by("-session__start", "mentee__full_name")),
    }


def feedback_for_mentor(mentor: User) -> dict:
    """For admins: a mentor's averages, a per-engagement breakdown and every rating; three queries."""
    feedback = Feedback.objects.filter(session__mentor=mentor)
    breakdown = list(
        Engagement.objects.filter(sessions__feedback__in=feedback)
        .annotate(
            usefulness=Avg("sessions__feedback__usefulness"),
            trust=Avg("sessions__feedback__trust"),
            count=Count("sessions__feedback"),
        )
        .select_related("mentee", "team", "organisation")
        .order_by("organisation__name", "pk")
    )
    ratings = list(
        feedback.select_related("mentee", "session__engagement__team", "session__engagement__mentee").order_by(
            "-session__start", "mentee__full_name"
        )
    )
    return {"averages": _averages(feedback), "breakdown": breakdown, "ratings": ratings}


def counted_ratings(raters: list[int]) -> int:
    """How many of a mentor's ratings (their raters' ids, oldest first) the mentor's averages
    cover: whole groups, each group closing at the rating that brings in its third different
    person. The ratings after the last closed group wait for the next one."""
    counted, people = 0, set()
    for number, rater in enumerate(raters, start=1):
        people.add(rater)
        if len(people) >= MIN_RATERS_FOR_MENTOR:
            counted, people = number, set()
    return counted


def mentor_own_averages(mentor: User) -> dict:
    """What a mentor may see of their own feedback, across all their engagements: averages over
    whole groups of ratings that each come from at least three different people (`counted_ratings`),
    once there is one such group; never a single rating, author, comment or date.

    Keys: `total` (every rating so far), `counted` (how many the averages cover),
    `usefulness`/`trust` (None until three different people have rated). One query: a mentor's
    ratings are a few hundred small rows at most, and the groups depend on their order."""
    rows = list(
        Feedback.objects.filter(session__mentor=mentor)
        .order_by("created_at", "pk")
        .values_list("mentee_id", "usefulness", "trust")
    )
    counted = counted_ratings([rater for rater, _usefulness, _trust in rows])
    result = {"total": len(rows), "counted": counted, "usefulness": None, "trust": None}
    if counted:
        shown = rows[:counted]
        result["usefulness"] = sum(usefulness for _rater, usefulness, _trust in shown) / counted
        result["trust"] = sum(trust for _rater, _usefulness, trust in shown) / counted
    return result
