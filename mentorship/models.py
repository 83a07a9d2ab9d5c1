import datetime
import secrets
import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Lower, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class WorkerHeartbeat(models.Model):
    """The last time a background process proved it was alive.

    Celery beat schedules `record_heartbeat`; a worker runs it. Admins see the time on their
    home page, so a stopped worker (and with it every reminder) is noticed.
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    beats = models.PositiveBigIntegerField(_("beats"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A client company of the consultancy. Its people never see another organisation's data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city or region"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("client organisation")
        verbose_name_plural = _("client organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="mentorship_organisation_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    """A person at a client organisation. A person belongs to at most one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_membership"
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class LeadershipTeam(models.Model):
    """A client's leadership team ("ledningsgrupp"), mentored as a whole in a team engagement."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("leadership team")
        verbose_name_plural = _("leadership teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("name"), name="mentorship_team_name_ci_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


# A leadership team's roster is dated in the consultancy's zone: a session belongs to the
# Stockholm day it starts on, and so do "joined" and "left".
ROSTER_TIME_ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")


def roster_date(instant: datetime.datetime | None = None) -> datetime.date:
    """The roster day of an instant (now by default): its date in the consultancy's zone."""
    return (instant or timezone.now()).astimezone(ROSTER_TIME_ZONE).date()


def on_roster_condition(day) -> Q:
    """Memberships in force on `day` (a date or a date expression): joined on or before it and
    not left yet — `left_on` is the first day the person is no longer a member."""
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


class TeamMembershipQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> "TeamMembershipQuerySet":
        """The members on that day."""
        return self.filter(on_roster_condition(day))

    def current(self) -> "TeamMembershipQuerySet":
        """The members today (in the consultancy's zone)."""
        return self.on(roster_date())

    def at_outer_session(self, start: str = "start") -> "TeamMembershipQuerySet":
        """Inside a subquery over sessions: the memberships in force on the day of the outer
        row's `start` (an `OuterRef` path)."""
        instant = ExpressionWrapper(OuterRef(start), output_field=models.DateTimeField())
        return self.filter(on_roster_condition(TruncDate(instant, tzinfo=ROSTER_TIME_ZONE)))


class TeamMembership(models.Model):
    """A person's seat in a leadership team, from `joined_on` until `left_on` (exclusive). Removing
    a member sets `left_on`: the row stays, so their past sessions stay theirs. Someone who comes
    back gets a new row."""

    team = models.ForeignKey(LeadershipTeam, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    title = models.CharField(_("title"), max_length=150, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    joined_on = models.DateField(_("member from"), default=roster_date)
    left_on = models.DateField(_("member until"), null=True, blank=True)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                "team", "user", condition=Q(left_on__isnull=True), name="mentorship_team_membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")),
                name="mentorship_team_membership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["user", "team"], name="mentorship_team_seat_idx")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"

    def is_on(self, day: datetime.date) -> bool:
        """`on_roster_condition` for a row already read (many sessions' rosters from one query)."""
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)

    @property
    def has_left(self) -> bool:
        return self.left_on is not None and self.left_on <= roster_date()


class TeamMembershipEvent(models.Model):
    """The history of a team seat: who added, dated or removed it, and when."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Added to the team")
        DATES_CHANGED = "dates_changed", _("Membership dates changed")
        LEFT = "left", _("Left the team")

    membership = models.ForeignKey(TeamMembership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    joined_on = models.DateField(_("member from"))
    left_on = models.DateField(_("member until"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("team membership event")
        verbose_name_plural = _("team membership events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.membership}"


class LanguageCode(models.TextChoices):
    """Languages a mentorship can be held in."""

    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    FINNISH = "fi", _("Finnish")
    NORWEGIAN = "no", _("Norwegian")
    DANISH = "da", _("Danish")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")


class FocusArea(models.Model):
    """A core area a mentorship can work on ("kärnområde"); the list is kept by admins."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=True, help_text=_("Retired areas stay on old engagements."))
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["position", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_sv if get_language() == "sv" else self.name_en


class MentorProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile")
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    bio = models.TextField(_("about me"), max_length=5000, blank=True)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="mentors", verbose_name=_("focus areas"))
    languages = ArrayField(
        models.CharField(max_length=2, choices=LanguageCode.choices),
        default=list,
        blank=True,
        verbose_name=_("languages"),
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience as a mentor or leader"), default=0, validators=[MaxValueValidator(70)]
    )
    mentors_teams = models.BooleanField(_("mentors whole leadership teams"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("The most active engagements at a time."),
    )
    accepting_new = models.BooleanField(_("accepting new engagements"), default=True)
    region = models.CharField(_("home city or region"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__lte=50), name="mentorship_profile_capacity_max")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Trigger(models.TextChoices):
    NEW_IN_ROLE = "new_in_role", _("New in the role")
    NEW_ORGANISATION_ROLE = "new_organisation_role", _("The organisation is entering a new role")
    TOUGHER_DEMANDS = "tougher_demands", _("Tougher demands than before")
    NEW_BUSINESS_IDEA = "new_business_idea", _("A new business idea to test")
    OTHER = "other", _("Other")


class InitiatedBy(models.TextChoices):
    MENTEE = "mentee", _("The mentee")
    MANAGER = "manager", _("Their manager")
    LEADERSHIP_TEAM = "leadership_team", _("A leadership-team decision")


class ContractUnit(models.TextChoices):
    SESSIONS = "sessions", _("Sessions")
    HOURS = "hours", _("Hours")
    FIXED_FEE = "fixed_fee", _("Fixed fee for the period")


class ContractOverage(models.TextChoices):
    EXTRA = "extra", _("Allowed, billed as extra")
    REFUSE = "refuse", _("Refused")


class ContractStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


CONTRACT_YEARS = (2000, 2100)


class Contract(models.Model):
    """What the consultancy sold a client organisation for a period: a number of sessions, a
    number of hours, or a fixed fee, at a price, on terms. Engagements of the organisation draw on
    it; how much is used is derived from their sessions (sessions.usage), never typed in. Only
    consultancy admins see a contract."""

    Unit = ContractUnit
    Overage = ContractOverage
    Status = ContractStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("The client's purchase order or order number.")
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    unit = models.CharField(_("what was sold"), max_length=10, choices=Unit.choices, default=Unit.SESSIONS)
    quantity = models.DecimalField(
        _("how many"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Sessions or hours in the package; empty for a fixed fee."),
    )
    price = models.DecimalField(
        _("price excluding VAT"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Per session, per hour, or for the whole period (fixed fee)."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="SEK")
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("25.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    late_cancellation_billable = models.BooleanField(_("late cancellations are billable"), default=True)
    no_show_billable = models.BooleanField(_("no-shows are billable"), default=True)
    overage = models.CharField(
        _("sessions beyond the package"), max_length=6, choices=Overage.choices, default=Overage.REFUSE
    )
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "-created_at"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="mentorship_contract_end_not_before_start",
                violation_error_message=_("The last day cannot come before the first day."),
            ),
            models.CheckConstraint(
                condition=models.Q(unit="fixed_fee", quantity__isnull=True)
                | (~models.Q(unit="fixed_fee") & models.Q(quantity__isnull=False, quantity__gt=0)),
                name="mentorship_contract_quantity_fits_unit",
                violation_error_message=_("A package of sessions or hours needs how many; a fixed fee has no number."),
            ),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="mentorship_contract_price_not_negative"),
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0, vat_rate__lte=100), name="mentorship_contract_vat_rate_0_100"
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"
        return f"{self.reference} ({period})" if self.reference else period

    def get_absolute_url(self) -> str:
        return reverse("overview:contract-detail", args=[self.uuid])

    def clean(self) -> None:
        # The constraints say the same; these name the field a form shows the message at.
        errors = {}
        # Periods are counted in whole days with a day after the end; the calendar's far ends
        # are not contract periods.
        for name in ("start_date", "end_date"):
            day = getattr(self, name)
            if day and not CONTRACT_YEARS[0] <= day.year <= CONTRACT_YEARS[1]:
                errors[name] = _("Choose a date between %(first)s and %(last)s.") % {
                    "first": CONTRACT_YEARS[0],
                    "last": CONTRACT_YEARS[1],
                }
        if errors:
            raise ValidationError(errors)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot come before the first day.")
        if self.unit != ContractUnit.FIXED_FEE and self.quantity is None:
            errors["quantity"] = _("Say how many sessions or hours were sold.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status == ContractStatus.OPEN

    @property
    def has_package(self) -> bool:
        """Sold as a number of sessions or hours (not a fixed fee)."""
        return self.unit != ContractUnit.FIXED_FEE


class ContractEvent(models.Model):
    """What happened to a contract, by whom and when: its history, shown on the contract page."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Changed")
        EXTENDED = "extended", _("Extended")
        CLOSED = "closed", _("Closed")
        ENGAGEMENT_LINKED = "engagement_linked", _("Engagement linked")
        ENGAGEMENT_UNLINKED = "engagement_unlinked", _("Engagement unlinked")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    detail = models.TextField(_("detail"), max_length=2000, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("contract event")
        verbose_name_plural = _("contract events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["contract", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"


class EngagementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# The first day of an engagement's steady (monthly) phase, in SQL (`CadenceRules.steady_from`):
# a date plus a number of days is a date.
STEADY_FROM = ExpressionWrapper(F("start_date") + F("initial_phase_weeks") * 7, output_field=models.DateField())


class Engagement(models.Model):
    """A mentorship: one mentor with either one mentee or a whole leadership team."""

    Status = EngagementStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="engagements")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements_as_mentee"
    )
    team = models.ForeignKey(
        LeadershipTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements_as_mentor"
    )
    triggers = ArrayField(models.CharField(max_length=32, choices=Trigger.choices), verbose_name=_("triggers"))
    trigger_other = models.CharField(_("other trigger"), max_length=200, blank=True)
    initiated_by = models.CharField(_("initiated by"), max_length=20, choices=InitiatedBy.choices)
    focus_areas = models.ManyToManyField(FocusArea, related_name="engagements", verbose_name=_("focus areas"))
    goals = models.TextField(_("goals"), max_length=5000)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=LanguageCode.choices, default=LanguageCode.SWEDISH
    )
    start_date = models.DateField(_("start date"))
    planned_end = models.DateField(_("planned end"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    initial_phase_weeks = models.PositiveSmallIntegerField(
        _("initial phase (weeks)"), default=12, validators=[MinValueValidator(0), MaxValueValidator(104)]
    )
    initial_interval_days = models.PositiveSmallIntegerField(
        _("days between sessions in the initial phase"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    steady_interval_months = models.PositiveSmallIntegerField(
        _("months between sessions after the initial phase"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("session length (minutes)"), default=120, validators=[MinValueValidator(90), MaxValueValidator(120)]
    )
    contract = models.ForeignKey(
        "Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("contract"),
        help_text=_("The contract of the organisation this engagement's sessions draw on."),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_engagements",
        verbose_name=_("team coordinator"),
        help_text=_("A member of the team who books, moves and cancels its sessions, as the mentor does."),
    )
    one_to_one_interval_months = models.PositiveSmallIntegerField(
        _("one-to-ones: months between each member's"),
        default=0,
        validators=[MaxValueValidator(6)],
        help_text=_(
            "A leadership team only: each member is due a one-to-one with the mentor this many months after "
            "their last one (0: no cadence, booked when wanted)."
        ),
    )
    mentee_chooses = models.BooleanField(
        _("let the mentee choose the mentor"),
        default=False,
        help_text=_("The mentee picks among the three best-matched mentors instead of the admin assigning one."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-start_date", "-created_at"]
        indexes = [
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["mentor", "status"]),
            # The engagement list's order: a page of it reads its rows and stops.
            models.Index(F("start_date").desc(), F("created_at").desc(), name="engagement_newest_first_idx"),
            # The health dashboard's reviews (active engagements ending soonest) read only those.
            models.Index(fields=["planned_end"], condition=Q(status="active"), name="engagement_active_end_idx"),
            # Mentor utilisation counts active and paused engagements by mentor from this alone.
            models.Index(
                fields=["mentor", "status"],
                condition=Q(status__in=["active", "paused"]),
                name="engagement_mentor_load_idx",
            ),
            # The admins' queue reads the proposed engagements (the matching pipeline), earliest first.
            models.Index(
                fields=["start_date", "created_at", "id"],
                condition=Q(status="proposed"),
                name="engagement_proposed_idx",
            ),
            # The reminder sweep's phase notes: active engagements whose monthly phase begins soon.
            models.Index(
                STEADY_FROM, condition=Q(status="active", initial_phase_weeks__gt=0), name="engagement_steady_from_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(mentee__isnull=False, team__isnull=True)
                    | models.Q(mentee__isnull=True, team__isnull=False)
                ),
                name="mentorship_engagement_mentee_xor_team",
                violation_error_message=_("An engagement is for one mentee or for one leadership team."),
            ),
            models.CheckConstraint(
                condition=models.Q(coordinator__isnull=True) | models.Q(team__isnull=False),
                name="mentorship_engagement_coordinator_of_a_team",
                violation_error_message=_("Only a leadership team's engagement has a coordinator."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("start_date")),
                name="mentorship_engagement_end_after_start",
                violation_error_message=_("The planned end must come after the start."),
            ),
            models.CheckConstraint(
                condition=models.Q(session_minutes__gte=90, session_minutes__lte=120),
                name="mentorship_engagement_session_length",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["active", "paused", "completed"]) | models.Q(mentor__isnull=False),
                name="mentorship_engagement_started_has_mentor",
                violation_error_message=_("An engagement needs a mentor before it can start."),
            ),
            models.CheckConstraint(condition=~models.Q(triggers=[]), name="mentorship_engagement_has_trigger"),
            models.CheckConstraint(
                condition=models.Q(one_to_one_interval_months=0) | models.Q(team__isnull=False),
                name="mentorship_engagement_one_to_ones_of_a_team",
                violation_error_message=_("Only a leadership team's engagement has one-to-ones."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject_name

    def get_absolute_url(self) -> str:
        return reverse("overview:engagement-detail", args=[self.uuid])

    @property
    def is_team(self) -> bool:
        return self.team_id is not None

    @property
    def subject_name(self) -> str:
        """Who is mentored: the mentee's name or the team's name."""
        return str(self.team) if self.team_id else str(self.mentee)

    def trigger_labels(self) -> list[str]:
        return [Trigger(value).label for value in self.triggers]


class IntakeResponse(models.Model):
    """A mentee's own answers at the start: visible to them, their mentor and the admins."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="intake_responses")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_responses")
    own_goals = models.TextField(_("your goals, in your own words"), max_length=5000)
    commitment = models.PositiveSmallIntegerField(
        _("how committed are you (1–5)?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    wants_from_mentor = models.TextField(_("what you want from a mentor"), max_length=5000)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("intake answer")
        verbose_name_plural = _("intake answers")
        constraints = [
            models.UniqueConstraint("engagement", "mentee", name="mentorship_intake_once_per_mentee"),
            models.CheckConstraint(
                condition=models.Q(commitment__gte=1, commitment__lte=5), name="mentorship_intake_commitment_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} / {self.engagement}"


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the mentor")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MentorAssignment(models.Model):
    """A mentor asked to take an engagement; the mentor accepts or declines with a reason."""

    Status = AssignmentStatus

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="assignments")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "engagement",
                condition=models.Q(status="pending"),
                name="mentorship_one_pending_assignment",
                violation_error_message=_("This engagement already waits for a mentor's answer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.engagement} ({self.status})"


class MentorOption(models.Model):
    """One of the best-matched mentors offered to the mentee to choose from."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="mentor_options")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    reasons = models.JSONField(_("reasons"), default=list)
    chosen_at = models.DateTimeField(_("chosen"), null=True, blank=True)
    # The chosen mentor said no: the choice goes back to the mentee, among the others offered.
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor option")
        verbose_name_plural = _("mentor options")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint("engagement", "mentor", name="mentorship_option_unique")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.mentor}"


OUTCOME_WORDS_MAX_LENGTH = 600


class EngagementEvent(models.Model):
    """What happened to an engagement, by whom and when: shown on the engagement page."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Opened")
        EDITED = "edited", _("Details changed")
        STATUS_CHANGED = "status_changed", _("Status changed")
        MENTOR_ASSIGNED = "mentor_assigned", _("Mentor asked")
        MENTOR_ACCEPTED = "mentor_accepted", _("Mentor accepted")
        MENTOR_DECLINED = "mentor_declined", _("Mentor declined")
        OPTIONS_OFFERED = "options_offered", _("Mentors offered to the mentee")
        MENTEE_CHOSE = "mentee_chose", _("Mentee chose a mentor")
        EXTENDED = "extended", _("Planned end moved")
        INTAKE_SUBMITTED = "intake_submitted", _("Intake answered")
        CONTRACT_CHANGED = "contract_changed", _("Contract changed")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=12, choices=EngagementStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=EngagementStatus.choices, blank=True)
    detail = models.TextField(_("detail"), max_length=2000, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("engagement event")
        verbose_name_plural = _("engagement events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["engagement", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"


class EngagementOutcome(models.Model):
    """What a completed engagement reached, recorded by an admin at its closing review. Shown on
    the engagement page to everyone who sees the engagement, and in the mentee's data export."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="outcome")
    mentee_words = models.TextField(_("Goals reached, in the mentee's words"), max_length=OUTCOME_WORDS_MAX_LENGTH)
    # Blank only for outcomes carried over from before this model, whose text could not be split.
    mentor_words = models.TextField(
        _("Goals reached, in the mentor's words"), max_length=OUTCOME_WORDS_MAX_LENGTH, blank=True
    )
    final_feedback = models.TextField(_("Final feedback"), max_length=OUTCOME_WORDS_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("engagement outcome")
        verbose_name_plural = _("engagement outcomes")

    def __str__(self) -> str:
        return f"{self.engagement} outcome"


def unanswered_invitation_condition(prefix: str = "") -> models.Q:
    """Neither accepted nor revoked (perhaps expired): at most one per address and organisation,
    so an expired one is resent or revoked, not invited again."""
    return models.Q(**{f"{prefix}accepted_at__isnull": True, f"{prefix}revoked_at__isnull": True})


def open_invitation_condition(now: datetime.datetime, prefix: str = "") -> models.Q:
    """Open: unanswered and its link still works."""
    return unanswered_invitation_condition(prefix) & models.Q(**{f"{prefix}expires_at__gt": now})


class InvitationQuerySet(models.QuerySet):
    def unanswered(self) -> "InvitationQuerySet":
        return self.filter(unanswered_invitation_condition())

    def open(self, now: datetime.datetime) -> "InvitationQuerySet":
        return self.filter(open_invitation_condition(now))


class InvitationKind(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    SPONSOR = "sponsor", _("Sponsor (sees the organisation's mentoring, read-only)")


class Invitation(models.Model):
    """An email invitation for a client's person to join as a mentee (of an organisation, maybe a
    team), or as a sponsor of the organisation (kind "sponsor": never a mentee, never in a team)."""

    Kind = InvitationKind

    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey(
        LeadershipTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    kind = models.CharField(_("invited as"), max_length=10, choices=Kind.choices, default=Kind.MENTEE)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # A lead made a client (`inquiries.convert`): the individual engagement to open for the
    # person when they accept (the form's fields, JSON), and the lead to link it to.
    engagement_plan = models.JSONField(default=dict, blank=True)
    inquiry = models.ForeignKey("Inquiry", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=unanswered_invitation_condition(),
                name="mentorship_one_open_invitation_per_email_and_org",
                violation_error_message=_("This person already has an open invitation."),
            )
        ]
        # The admins' queue lists unanswered invitations, those expiring soonest first.
        indexes = [
            models.Index(
                fields=["expires_at"], condition=unanswered_invitation_condition(), name="invitation_expiry_idx"
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class InquiryKind(models.TextChoices):
    INDIVIDUAL = "individual", _("For me")
    TEAM = "team", _("For our leadership team")
    EXTENSION = "extension", _("Extension request from a sponsor")


class SponsorshipQuerySet(models.QuerySet):
    def active(self) -> "SponsorshipQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class Sponsorship(models.Model):
    """A person at a client (CEO, HR) who follows the organisation's mentoring read-only: its
    engagements, rhythm, contract use and the progress its mentees chose to share. Held per
    organisation; revoking ends it at once and keeps the row (who was a sponsor, and when)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sponsorships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sponsorships")
    title = models.CharField(_("title"), max_length=150, blank=True)
    invitation = models.ForeignKey("Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SponsorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                "user",
                "organisation",
                condition=models.Q(revoked_at__isnull=True),
                name="mentorship_one_active_sponsorship_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} sponsors {self.organisation}"


class Inquiry(models.Model):
    """A lead from the public "Interested? Contact us." form."""

    Kind = InquiryKind

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    company = models.CharField(_("company"), max_length=200, blank=True)
    kind = models.CharField(_("mentoring for"), max_length=12, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=5000)
    # An extension request (kind "extension") comes from a signed-in sponsor about one engagement.
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, null=True, blank=True, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=2, default="sv")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What a lead became when an admin made it a client (`inquiries.convert`).
    client_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="converted_inquiries"
    )
    first_engagement = models.ForeignKey(
        Engagement, on_delete=models.SET_NULL, null=True, blank=True, related_name="converted_inquiries"
    )

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["handled_at", "created_at"])]
        constraints = [
            # A sponsor's extension request stays one until an admin handles it: a double submit
            # or a second click finds the open one.
            models.UniqueConstraint(
                "engagement",
                "requested_by",
                condition=models.Q(kind="extension", handled_at__isnull=True),
                name="mentorship_one_open_extension_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class AuditEntry(models.Model):
    """Who looked at or took out what, and when: admin views of engagement pages, exports,
    deletions. Written by `mentorship.audit.record`; never edited (no UI for it, read-only admin)."""

    class Action(models.TextChoices):
        VIEWED_ENGAGEMENT = "viewed_engagement", _("Opened an engagement page")
        EXPORTED = "exported", _("Exported data")
        DELETION_REQUESTED = "deletion_requested", _("Asked for their data to be deleted")
        DELETED = "deleted", _("Deleted a person's data")
        CONSENT_SHARED = "consent_shared", _("Shared progress with the sponsor")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Withdrew progress from the sponsor")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(_("who"), max_length=254)
    action = models.CharField(_("what"), max_length=24, choices=Action.choices)
    target_label = models.CharField(_("about"), max_length=300, blank=True)
    target_type = models.CharField(max_length=50, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # What it was about, as a code of mentorship.audit.DETAILS and its parameters, shown in the
    # reader's language; empty on entries written before (they show target_label).
    detail_code = models.CharField(max_length=40, blank=True, default="")
    detail_params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_label}"
