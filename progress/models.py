"""The development plan of an engagement (goals in the mentee's words, each tied to one of the
engagement's focus areas), its history, the check-ins that rate it (the mentee's series and the
mentor's own view, kept apart), the mentee's progress statement, and what of it the mentee has
shared with the client's sponsor.

Consent is stored on the item itself (`*_shared_at` / `*_withdrawn_at`) so the sponsor's read is
one query per kind; every change is also a `ConsentEvent` (who, what, when). An item is shared
while it has a `shared_at` and no `withdrawn_at`; sharing again clears `withdrawn_at`."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Engagement, FocusArea, roster_date
from sessions.models import MentoringSession

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(10)]
SCORE_RANGE = Q(score__gte=1, score__lte=10)


class ConsentState(models.TextChoices):
    PRIVATE = "private", _("Private")
    SHARED = "shared", _("Shared with the sponsor")
    WITHDRAWN = "withdrawn", _("Sharing withdrawn")


def consent_state(shared_at: datetime.datetime | None, withdrawn_at: datetime.datetime | None) -> ConsentState:
    if withdrawn_at is not None:
        return ConsentState.WITHDRAWN
    return ConsentState.SHARED if shared_at is not None else ConsentState.PRIVATE


def shared_condition(prefix: str = "") -> Q:
    """Rows whose item (`<prefix>shared_at`) is shared now."""
    return Q(**{f"{prefix}shared_at__isnull": False, f"{prefix}withdrawn_at__isnull": True})


class GoalQuerySet(models.QuerySet):
    def current(self) -> "GoalQuerySet":
        return self.filter(archived_at__isnull=True)


class Goal(models.Model):
    """One goal of an engagement's development plan. `member` is whose goal it is: the mentee of
    an individual engagement, a member of a team engagement for their own goal, or nobody for a
    goal of the whole team."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="development_goals")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="development_goals",
        verbose_name=_("whose goal"),
    )
    title = models.CharField(_("goal"), max_length=200)
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="development_goals", verbose_name=_("focus area")
    )
    success = models.TextField(_("what success looks like"), max_length=2000, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    title_shared_at = models.DateTimeField(null=True, blank=True)
    title_withdrawn_at = models.DateTimeField(null=True, blank=True)
    ratings_shared_at = models.DateTimeField(null=True, blank=True)
    ratings_withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["engagement", "archived_at", "created_at", "pk"]
        indexes = [models.Index(fields=["engagement", "member"], name="progress_goal_engagement_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_team_goal(self) -> bool:
        return self.member_id is None

    @property
    def title_consent(self) -> ConsentState:
        return consent_state(self.title_shared_at, self.title_withdrawn_at)

    @property
    def ratings_consent(self) -> ConsentState:
        return consent_state(self.ratings_shared_at, self.ratings_withdrawn_at)


class GoalEvent(models.Model):
    """The plan's history: each goal added, changed, archived or restored, with the words before
    and after."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Goal added")
        CHANGED = "changed", _("Goal changed")
        ARCHIVED = "archived", _("Goal archived")
        RESTORED = "restored", _("Goal restored")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("goal history entry")
        verbose_name_plural = _("goal history")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.goal_id}"


class CheckInKind(models.TextChoices):
    START = "start", _("At the start")
    SESSION = "session", _("After a session")
    REVIEW = "review", _("At the review")


class AuthorRole(models.TextChoices):
    MENTEE = "mentee", _("The mentee")
    MENTOR = "mentor", _("The mentor's view")


class CheckIn(models.Model):
    """One person's ratings at one moment: the mentee's own, or the mentor's view of them (never
    mixed into the mentee's series, never shown to the sponsor)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    author_role = models.CharField(_("whose view"), max_length=8, choices=AuthorRole.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=CheckInKind.choices)
    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, null=True, blank=True, related_name="check_ins"
    )
    on = models.DateField(_("day"), default=roster_date)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["engagement", "on", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "engagement",
                "person",
                "kind",
                "session",
                name="progress_check_in_once",
                nulls_distinct=False,
                violation_error_message=_("This check-in is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(kind="session", session__isnull=False) | (~Q(kind="session") & Q(session__isnull=True)),
                name="progress_check_in_session_only_after_a_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.get_kind_display()} / {self.on}"


class GoalRating(models.Model):
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="goal_ratings")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("progress"), validators=SCORE_VALIDATORS)

    class Meta:
        verbose_name = _("goal rating")
        verbose_name_plural = _("goal ratings")
        constraints = [
            models.UniqueConstraint("check_in", "goal", name="progress_goal_rating_once"),
            models.CheckConstraint(condition=SCORE_RANGE, name="progress_goal_rating_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.score}"


class ClarityRating(models.Model):
    """How clear one focus area (core area) of the engagement feels: the clarity map."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="clarity_ratings")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("clarity"), validators=SCORE_VALIDATORS)

    class Meta:
        verbose_name = _("clarity rating")
        verbose_name_plural = _("clarity ratings")
        constraints = [
            models.UniqueConstraint("check_in", "focus_area", name="progress_clarity_rating_once"),
            models.CheckConstraint(condition=SCORE_RANGE, name="progress_clarity_rating_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.focus_area_id}: {self.score}"


class ProgressStatement(models.Model):
    """The mentee's own words on their progress, private until they share it with the sponsor."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="progress_statements")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_statements")
    text = models.TextField(_("your progress, in your own words"), max_length=3000)
    shared_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress statement")
        verbose_name_plural = _("progress statements")
        constraints = [models.UniqueConstraint("engagement", "mentee", name="progress_statement_once")]

    def __str__(self) -> str:
        return f"{self.mentee} / {self.engagement}"

    @property
    def consent(self) -> ConsentState:
        return consent_state(self.shared_at, self.withdrawn_at)


class ConsentItem(models.TextChoices):
    GOAL_TITLE = "goal_title", _("The goal")
    GOAL_RATINGS = "goal_ratings", _("The goal's progress ratings")
    STATEMENT = "statement", _("The progress statement")


class ConsentEvent(models.Model):
    """Each time an item was shared with the sponsor or its sharing withdrawn (also when a change
    of words ended it)."""

    class Action(models.TextChoices):
        SHARED = "shared", _("Shared with the sponsor")
        WITHDRAWN = "withdrawn", _("Sharing withdrawn")
        ENDED_BY_CHANGE = "ended", _("Sharing ended: the words changed")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="consent_events")
    item = models.CharField(max_length=16, choices=ConsentItem.choices)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_events")
    statement = models.ForeignKey(
        ProgressStatement, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_events"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent history entry")
        verbose_name_plural = _("consent history")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_action_display()}"
