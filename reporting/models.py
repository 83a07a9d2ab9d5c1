"""The stored engagement health (see `reporting/health/store.py`): what the health pages read with
SQL instead of recomputing every engagement on every page view."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _


class EngagementHealthRecord(models.Model):
    """One engagement's health as `reporting.health.selectors.engagement_health` computes it, as
    of `computed_at`. For an engagement that is not active (or has no mentor) only the row is
    kept, with `is_active` off. `computed_at` is emptied when one of its inputs changes;
    `refresh_at` is the first moment time alone changes the answer (None when nothing will). Either
    way it is computed again before it is read (`reporting.health.store`)."""

    engagement = models.OneToOneField(
        "mentorship.Engagement", on_delete=models.CASCADE, primary_key=True, related_name="health_record"
    )
    is_active = models.BooleanField(default=False)
    phase = models.CharField(max_length=8, blank=True)
    due_date = models.DateField(null=True, blank=True)
    next_booked = models.DateField(null=True, blank=True)
    last_held = models.DateField(null=True, blank=True)
    is_overdue = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField(default=0)
    signals = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True)  # RiskFacts, to word the reasons when shown
    computed_at = models.DateTimeField(null=True, blank=True)
    refresh_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("engagement health")
        verbose_name_plural = _("engagement health")
        indexes = [
            models.Index(fields=["refresh_at"]),
            models.Index(fields=["computed_at"]),
            models.Index(fields=["is_active", "score"]),
            models.Index(fields=["is_active", "is_overdue", "due_date"]),
            # The admins' queue: active engagements with no session held or booked yet.
            models.Index(
                fields=["due_date"],
                condition=Q(is_active=True, last_held__isnull=True, next_booked__isnull=True),
                name="health_unbooked_kickoff_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"health of engagement #{self.engagement_id}"


class EngagementMonth(models.Model):
    """One engagement's sessions in one month (its mentor's local month): held, held on time
    (cadence adherence), cancelled or no-show, and the feedback given for them. The dashboard's
    charts and totals add these up."""

    engagement = models.ForeignKey("mentorship.Engagement", on_delete=models.CASCADE, related_name="health_months")
    month = models.DateField()
    held = models.PositiveIntegerField(default=0)
    held_on_time = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    usefulness_total = models.PositiveIntegerField(default=0)
    trust_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("engagement month")
        verbose_name_plural = _("engagement months")
        constraints = [models.UniqueConstraint("engagement", "month", name="reporting_one_row_per_engagement_month")]
        indexes = [models.Index(fields=["month", "engagement"])]

    def __str__(self) -> str:
        return f"engagement #{self.engagement_id}, {self.month:%Y-%m}"


class HealthTotal(models.Model):
    """A consultancy-wide count of the active records (`key`: "active", "overdue", "at_risk",
    "phase:initial", "phase:steady"), so the admins' unfiltered dashboard and home read a handful
    of rows instead of counting every engagement. Kept by `reporting.health.totals`, in the same
    transaction as the records it counts."""

    key = models.CharField(max_length=24, primary_key=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("health total")
        verbose_name_plural = _("health totals")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class MonthTotal(models.Model):
    """Every engagement's `EngagementMonth` of one month added up (see HealthTotal)."""

    month = models.DateField(primary_key=True)
    held = models.IntegerField(default=0)
    held_on_time = models.IntegerField(default=0)
    missed = models.IntegerField(default=0)
    ratings = models.IntegerField(default=0)
    usefulness_total = models.IntegerField(default=0)
    trust_total = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("month total")
        verbose_name_plural = _("month totals")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


def _load():
    return models.F("active") + models.F("paused")


class MentorLoadRecord(models.Model):
    """One mentor's active and paused engagements and their capacity, kept by database triggers
    (migration 0005) in the writer's transaction whenever an engagement is made, deleted, changes
    status or mentor, or a mentor profile's capacity changes — so the utilisation chart reads the
    fullest mentors through an index instead of counting every active engagement. Each change adds
    or subtracts (`active = active + 1`), so writers at the same moment lose nothing."""

    mentor = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, primary_key=True, related_name="load_record"
    )
    active = models.IntegerField(default=0)
    paused = models.IntegerField(default=0)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)  # None: no mentor profile
    load = models.GeneratedField(expression=_load(), output_field=models.IntegerField(), db_persist=True)
    over_capacity = models.GeneratedField(
        expression=models.Case(models.When(capacity__lt=_load(), then=True), default=False),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    share = models.GeneratedField(
        expression=models.ExpressionWrapper(
            Cast(_load(), models.FloatField()) / NullIf("capacity", 0),
            output_field=models.FloatField(),
        ),
        output_field=models.FloatField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("mentor load")
        verbose_name_plural = _("mentor loads")
        indexes = [
            # The chart's order: over capacity first, then the largest share, then the largest load.
            models.Index(
                models.F("over_capacity").desc(),
                models.F("share").desc(nulls_last=True),
                models.F("load").desc(),
                "mentor",
                name="mentor_load_fullest_idx",
            ),
            models.Index(fields=["mentor"], condition=Q(over_capacity=True), name="mentor_load_over_idx"),
        ]

    def __str__(self) -> str:
        return f"load of mentor #{self.mentor_id}"
