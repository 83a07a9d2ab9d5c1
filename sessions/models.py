import datetime
import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, Func, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.timezones import validate_time_zone
from mentorship.models import ROSTER_TIME_ZONE, TeamMembership, roster_date
from sessions.crypto import EncryptedTextField


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BookingSettings(models.Model):
    """A mentor's booking rules. Created with defaults the first time they are needed."""

    mentor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_settings")
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between sessions (minutes)"), default=15, validators=[MaxValueValidator(240)]
    )
    horizon_weeks = models.PositiveSmallIntegerField(
        _("how far ahead mentees may book (weeks)"), default=8, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"), default=24, validators=[MaxValueValidator(24 * 14)]
    )
    change_cutoff_hours = models.PositiveSmallIntegerField(
        _("no changes later than (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_(
            "Mentees cannot move or cancel a session later than this; a later cancellation is recorded as late."
        ),
    )
    confirm_manually = models.BooleanField(
        _("I confirm bookings myself"), default=False, help_text=_("Otherwise a booking is confirmed at once.")
    )

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")

    def __str__(self) -> str:
        return str(self.mentor)


class AvailabilityWindow(models.Model):
    """A weekly recurring window of availability, in local wall-clock time of `time_zone`.

    Stored as wall-clock time plus zone, so "Tuesdays 09:00–12:00 in Stockholm" stays 09:00
    across daylight-saving changes.
    """

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_windows")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="sessions_window_end_after_start",
                violation_error_message=_("A window must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class TimeOff(models.Model):
    """Whole days (inclusive, in the mentor's time zone) on which the mentor takes no sessions."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off")
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="sessions_time_off_end_not_before_start",
                violation_error_message=_("The last day cannot come before the first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date}"


class VenueKind(models.TextChoices):
    NEUTRAL = "neutral", _("Neutral meeting room")
    CAFE = "cafe", _("Café")
    ONLINE = "online", _("Online")
    CLIENT_SITE = "client_site", _("At the client's premises")


NEUTRAL_KINDS = (VenueKind.NEUTRAL, VenueKind.CAFE)

ROOM_TAKEN_MESSAGE = _("That room is already booked at this time — pick another time or another venue.")


class Venue(models.Model):
    """Where sessions take place. The interview: preferably on neutral ground."""

    Kind = VenueKind

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEUTRAL)
    address = models.CharField(_("address"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    organisation = models.ForeignKey(
        "mentorship.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="venues",
        verbose_name=_("client organisation"),
        help_text=_("Only for a client's own premises: offered only to that client's engagements."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="client_site") | Q(organisation__isnull=True),
                name="sessions_only_client_site_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}" if self.city else self.name

    @property
    def is_neutral(self) -> bool:
        return self.kind in NEUTRAL_KINDS

    @property
    def is_room(self) -> bool:
        """A meeting room is held by one session at a time; a café or a call is not."""
        return self.kind == VenueKind.NEUTRAL

    @property
    def map_url(self) -> str:
        if not self.address:
            return ""
        from urllib.parse import quote_plus

        return "https://www.openstreetmap.org/search?query=" + quote_plus(f"{self.address}, {self.city}")


class SessionStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the mentor to confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Held")
    # A session is "avbokad" in Swedish, an engagement "avbrutet": one English word, two concepts.
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")
    NO_SHOW = "no_show", _("No-show")


class SessionKind(models.TextChoices):
    """A session of the engagement as a whole (its mentee, or its whole team), or a one-to-one
    between the mentor and ONE member of a leadership team, inside the team's engagement. A
    one-to-one has the member as its `mentee` and no `team`: it is private to the two of them
    (never the rest of the team, the coordinator, the admins or a sponsor), and the mentee's
    exclusion constraint keeps it apart from the member's other sessions."""

    SESSION = "session", _("Session")
    ONE_TO_ONE = "one_to_one", _("One-to-one")


# Sessions in these states occupy their time; a cancelled one frees it.
OCCUPYING_STATUSES = [SessionStatus.REQUESTED, SessionStatus.CONFIRMED, SessionStatus.COMPLETED, SessionStatus.NO_SHOW]
UPCOMING_STATUSES = [SessionStatus.REQUESTED, SessionStatus.CONFIRMED]


# The row rules, defined once. `prefix` reaches the sessions from another model ("sessions__"
# from an engagement, "session__" from feedback), so aggregates use the same rule as filters.


def held_condition(now: datetime.datetime, prefix: str = "") -> Q:
    """Held: recorded as held by the mentor (which they may do once it has started, so its end
    may still lie ahead), or confirmed and over — until the mentor records attendance."""
    return Q(**{f"{prefix}status": SessionStatus.COMPLETED}) | Q(
        **{f"{prefix}status": SessionStatus.CONFIRMED, f"{prefix}end__lte": now}
    )


def upcoming_condition(now: datetime.datetime, prefix: str = "") -> Q:
    """Upcoming: requested or confirmed and not over yet (a session in progress is booked, not
    missing, until it ends)."""
    return Q(**{f"{prefix}status__in": UPCOMING_STATUSES, f"{prefix}end__gt": now})


def _roster_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ROSTER_TIME_ZONE)


def seat_sessions_condition(team_id: int, joined_on: datetime.date, left_on: datetime.date | None) -> Q:
    """The team's sessions that fall within one seat's dates (the roster rule on session rows)."""
    condition = Q(team=team_id, start__gte=_roster_midnight(joined_on))
    if left_on is not None:
        condition &= Q(start__lt=_roster_midnight(left_on))
    return condition


def seated_condition(user, prefix: str = "") -> Q:
    """Rows (sessions, or rows reached through `prefix`, e.g. "session__") of a team session
    whose roster on its day includes `user`. The SQL form of `MentoringSession.roster()`."""
    seated = TeamMembership.objects.filter(team=OuterRef(f"{prefix}team"), user=user).at_outer_session(f"{prefix}start")
    return Q(Exists(seated))


def later_joiner_condition(user, prefix: str = "") -> Q:
    """Rows of a team session whose mentor shared its notes on purpose with members who joined
    later, for `user` while they are in that team today."""
    seated_now = TeamMembership.objects.filter(team=OuterRef(f"{prefix}team"), user=user).current()
    return Q(**{f"{prefix}shared_with_later_joiners": True}) & Q(Exists(seated_now))


def person_seats(user) -> list[tuple[int, datetime.date, datetime.date | None]]:
    """Every seat `user` has had in a leadership team: (team id, joined on, left on)."""
    return list(TeamMembership.objects.filter(user=user).order_by().values_list("team_id", "joined_on", "left_on"))


class MentoringSessionQuerySet(models.QuerySet):
    def held(self, now: datetime.datetime) -> "MentoringSessionQuerySet":
        return self.filter(held_condition(now))

    def upcoming(self, now: datetime.datetime) -> "MentoringSessionQuerySet":
        return self.filter(upcoming_condition(now))

    def of_person(
        self, user, *, as_mentor: bool = True, seats: list[tuple] | None = None
    ) -> "MentoringSessionQuerySet":
        """The sessions `user` sits in: as their mentee, as a member of their leadership team
        and, unless `as_mentor` is False, as their mentor.

        Reads the user's seats first (`person_seats`, one small query, unless given) and filters
        on team ids and dates, so PostgreSQL combines one index scan per column (a BitmapOr);
        "team IN (subquery)" inside the OR made it read the whole sessions table."""
        seats = person_seats(user) if seats is None else seats
        who = Q(mentee=user)
        for team_id, joined_on, left_on in seats:
            who |= seat_sessions_condition(team_id, joined_on, left_on)
        if as_mentor:
            who |= Q(mentor=user)
        return self.filter(who)

    def fetched_with(self, *related: str) -> list["MentoringSession"]:
        """This queryset's sessions, in its order, with their `related` rows: the ids first (this
        query, narrow), then those rows by primary key. PostgreSQL plans a person's visibility
        rules together with the joins of `select_related` slowly — several milliseconds a
        query, more than running it — and each apart in a fraction of one."""
        ids = list(self.values_list("pk", flat=True))
        found = MentoringSession.objects.select_related(*related).in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]  # one deleted in between is left out


class MentoringSession(models.Model):
    """One meeting of an engagement. Named so it is never confused with Django's Session.

    The mentor, and for an individual engagement the mentee (for a team engagement the team),
    are copied from the engagement so PostgreSQL exclusion constraints can forbid overlapping
    sessions: no double booking, even under concurrent requests. Back-to-back sessions are fine
    (half-open ranges).
    """

    Status = SessionStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey("mentorship.Engagement", on_delete=models.CASCADE, related_name="sessions")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_as_mentor")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions_as_mentee"
    )
    team = models.ForeignKey(
        "mentorship.LeadershipTeam", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices, default=SessionKind.SESSION)
    # A team session's shared notes are read by the members on its day; the mentor may also
    # share them on purpose with members who joined later (`sessions.access`).
    shared_with_later_joiners = models.BooleanField(_("shared notes also for members who joined later"), default=False)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    # The venue again when it is a meeting room (a neutral venue of kind "neutral"), which one
    # session holds at a time; empty for a café, an online call or the client's premises. Kept by
    # `save()`, so the exclusion constraint below can keep a room's sessions apart.
    room = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+")
    # An online session's own private meeting room: never shared with another session (see
    # `save()`); shown only to the session's people (`access.meeting_link_for`), and no longer
    # once the session is cancelled.
    meeting_url = models.URLField(_("meeting link"), max_length=500, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: raised on every change.")
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.CharField(_("reason"), max_length=500, blank=True)
    late_cancellation = models.BooleanField(_("cancelled late"), default=False)
    # Booked when the contract's package was already used up and its terms allow more, billed as
    # extra. Decided at booking, under the contract's row lock (sessions.booking.services).
    billing_extra = models.BooleanField(_("beyond the package"), default=False)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MentoringSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["mentor", "start"]),
            models.Index(fields=["engagement", "start"]),
            models.Index(fields=["status", "start"]),
            # A person's sessions around now: upcoming (end > now), busy time for free slots, the
            # agenda's week, the feedback box. Bounded by the end, such a read skips the person's
            # whole history instead of filtering it.
            models.Index(fields=["mentor", "end"], name="sessions_mentor_end_idx"),
            models.Index(fields=["mentee", "end"], name="sessions_mentee_end_idx"),
            models.Index(fields=["team", "end"], name="sessions_team_end_idx"),
            # The reminder sweep's "has this engagement anything booked?" for every active one:
            # read from this index alone (booked sessions only), not from the sessions table.
            models.Index(
                fields=["engagement", "end"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="sessions_booked_by_engagement",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="sessions_session_end_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(mentee__isnull=False, team__isnull=True) | Q(mentee__isnull=True, team__isnull=False),
                name="sessions_session_mentee_xor_team",
            ),
            # A one-to-one has exactly one member (its mentee) and no team; that the member is on
            # the engagement's team roster on its day is checked by the trigger of migration 0013
            # (a check constraint cannot read other tables).
            models.CheckConstraint(
                condition=Q(kind=SessionKind.SESSION) | Q(kind=SessionKind.ONE_TO_ONE, mentee__isnull=False),
                name="sessions_one_to_one_has_one_member",
            ),
            models.CheckConstraint(
                condition=Q(shared_with_later_joiners=False) | Q(team__isnull=False),
                name="sessions_later_joiners_only_for_team_sessions",
            ),
            ExclusionConstraint(
                name="sessions_no_overlap_for_mentor",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("mentor", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled"),
                violation_error_message=_("This time was just taken — pick another."),
            ),
            ExclusionConstraint(
                name="sessions_no_overlap_for_mentee",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("mentee", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled") & Q(mentee__isnull=False),
                violation_error_message=_("This time was just taken — pick another."),
            ),
            ExclusionConstraint(
                name="sessions_no_overlap_for_team",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("team", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled") & Q(team__isnull=False),
                violation_error_message=_("This time was just taken — pick another."),
            ),
            ExclusionConstraint(
                name="sessions_no_overlap_for_room",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("room", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled") & Q(room__isnull=False),
                violation_error_message=ROOM_TAKEN_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engagement} @ {self.start:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        venue = self.venue if self.venue_id else None
        self.room_id = venue.pk if venue and venue.is_room else None
        # An online session keeps its own room for life (a move keeps it); elsewhere it has none.
        if venue and venue.kind == VenueKind.ONLINE:
            self.meeting_url = self.meeting_url or new_meeting_url()
        else:
            self.meeting_url = ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "venue" in update_fields:
            kwargs["update_fields"] = {*update_fields, "room", "meeting_url"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("mentoring_sessions:session-detail", args=[self.uuid])

    @classmethod
    def for_engagement(
        cls, engagement, *, start: datetime.datetime, end=None, member=None, **fields
    ) -> "MentoringSession":
        """An unsaved session of `engagement`: its people copied from it (the mentor, and the
        mentee or the team), the engagement's session length unless `end` is given, and the
        mentor as the one who booked it unless `booked_by` is given. With `member` (a team
        engagement), a one-to-one between the mentor and that member."""
        if "booked_by" not in fields and "booked_by_id" not in fields:
            fields["booked_by_id"] = engagement.mentor_id
        if member is not None:
            fields["kind"] = SessionKind.ONE_TO_ONE
        return cls(
            engagement=engagement,
            mentor=engagement.mentor,
            mentee=member if member is not None else engagement.mentee,
            team=None if member is not None else engagement.team,
            start=start,
            end=end or start + datetime.timedelta(minutes=engagement.session_minutes),
            **fields,
        )

    @property
    def live_meeting_url(self) -> str:
        """The session's meeting link, or nothing once it is cancelled. Only for its people."""
        return "" if self.status == SessionStatus.CANCELLED else self.meeting_url

    def roster(self):
        """The one rule for a team session's people: the team's members on the session's day
        (in the consultancy's zone). Someone who joined later, or had left by then, is not in
        it: not listed, invited, reminded or asked for feedback, and does not read its shared
        notes. Nobody for an individual session."""
        if not self.team_id:
            return TeamMembership.objects.none()
        return TeamMembership.objects.filter(team_id=self.team_id).on(roster_date(self.start))

    @property
    def is_one_to_one(self) -> bool:
        return self.kind == SessionKind.ONE_TO_ONE

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES and self.end > timezone.now()

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def ical_uid(self) -> str:
        return f"session-{self.uuid}@mentorship"


def new_meeting_url() -> str:
    """A private meeting room from the provider's template: 32 random bytes in its name, so
    nobody finds it by guessing."""
    return settings.MEETING_URL_TEMPLATE.replace("{room}", secrets.token_urlsafe(32))


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class BookingFormUse(models.Model):
    """A booking form's one-time token, recorded in the transaction that booked or moved a
    session with it. The same form again — resubmitted, back-buttoned, double-clicked — finds
    this row and shows that session instead of acting a second time; the unique token holds when
    two submits of it race."""

    class Kind(models.TextChoices):
        BOOK = "book", _("book")
        MOVE = "move", _("move")

    token = models.UUIDField(unique=True)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("used booking form")
        verbose_name_plural = _("used booking forms")

    def __str__(self) -> str:
        return f"{self.kind} {self.token}"


class CalendarFeed(models.Model):
    """A person's private calendar subscription URL. Revoking deletes it; regenerating replaces the token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class BusyCalendarError(models.TextChoices):
    """Why a mentor's calendar could not be read, in plain words for their availability page."""

    INVALID_ADDRESS = (
        "invalid_address",
        _("The link is not a web address we can read. Copy the calendar's ICS link again."),
    )
    NOT_PUBLIC = (
        "not_public",
        _(
            "The link points to a private or local network address. Only calendars published on the internet can be read."
        ),
    )
    UNREACHABLE = "unreachable", _("We could not connect to the calendar's server. Check that the link still works.")
    TIMEOUT = "timeout", _("The calendar's server took too long to answer.")
    HTTP_ERROR = (
        "http_error",
        _("The calendar's server refused to hand out the calendar. It may have stopped being published."),
    )
    TOO_MANY_REDIRECTS = "too_many_redirects", _("The link sent us on too many redirects.")
    TOO_LARGE = "too_large", _("The calendar file is larger than we read, so it was not read.")
    MALFORMED = (
        "malformed",
        _(
            "What the link gives is not a calendar we can read. Check that you copied the ICS (“publish calendar”) link."
        ),
    )
    TOO_MANY_EVENTS = "too_many_events", _("The calendar has too many events in the coming weeks to be read.")


class BusyCalendar(models.Model):
    """A mentor's own calendar (an ICS subscription link from Outlook, Google …) read for busy
    times. The link is a secret: anyone holding it reads the whole calendar, so it is encrypted at
    rest and only `url_hint` (host and last characters) is ever shown or logged."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_calendars")
    url = EncryptedTextField(_("calendar link"))
    url_hint = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    # The last attempt (successful or not), the last successful read, and why the last attempt failed.
    attempted_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=20, choices=BusyCalendarError.choices, blank=True)

    class Meta:
        verbose_name = _("busy calendar")
        verbose_name_plural = _("busy calendars")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url_hint


class BusyInterval(models.Model):
    """A stretch of time in which a mentor's own calendar says they are busy: only the times,
    never what the event is. Replaced as a whole on every successful read of the calendar."""

    calendar = models.ForeignKey(BusyCalendar, on_delete=models.CASCADE, related_name="intervals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        verbose_name = _("busy time")
        verbose_name_plural = _("busy times")
        indexes = [models.Index(fields=["mentor", "start"], name="sessions_busy_mentor_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="sessions_busy_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class BusyConflict(models.Model):
    """A booked session found overlapping a busy time of the mentor's own calendar: the mentor is
    warned once per session and start (the unique key), on their agenda and by email."""

    calendar = models.ForeignKey(BusyCalendar, on_delete=models.CASCADE, related_name="conflicts")
    session = models.ForeignKey("MentoringSession", on_delete=models.CASCADE, related_name="busy_conflicts")
    session_start = models.DateTimeField()
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar conflict")
        verbose_name_plural = _("calendar conflicts")
        constraints = [
            models.UniqueConstraint("session", "session_start", name="sessions_busy_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} at {self.session_start:%Y-%m-%d %H:%M}"


class NoteVisibility(models.TextChoices):
    PRIVATE = "private", _("Private: only I can read it")
    SHARED = "shared", _("Shared with the mentee(s)")


class SessionNote(models.Model):
    """A mentor's note on a session. Private notes are readable by their author only — not by
    admins, other mentors, mentees or the client — and every body is encrypted at rest."""

    Visibility = NoteVisibility

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_notes")
    visibility = models.CharField(_("who can read it"), max_length=8, choices=Visibility.choices)
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["session", "visibility"]),
            # "Has the mentor written a note on this session?" (the notes nudge): one index probe.
            models.Index(fields=["session", "author"], name="sessions_note_by_author_idx"),
        ]

    def __str__(self) -> str:
        # Never the body: this string shows up in logs and admin pages.
        return f"{self.get_visibility_display()} note #{self.pk}"


class NoteRevision(models.Model):
    """The earlier text of a shared note, kept when the note is edited."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="revisions")
    body = EncryptedTextField(_("earlier text"))
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        verbose_name = _("note revision")
        verbose_name_plural = _("note revisions")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"revision #{self.pk} of note #{self.note_id}"


class ReflectionTiming(models.TextChoices):
    BEFORE = "before", _("Before the session")
    AFTER = "after", _("After the session")


class ReflectionVisibility(models.TextChoices):
    PRIVATE = "private", _("Private: only I can read it")
    SHARED = "shared", _("Shared with my mentor")


class Reflection(models.Model):
    """A mentee's own reflection before or after a session: private, or shared with the mentor."""

    Timing = ReflectionTiming
    Visibility = ReflectionVisibility

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    timing = models.CharField(_("when"), max_length=6, choices=Timing.choices)
    visibility = models.CharField(_("who can read it"), max_length=8, choices=Visibility.choices)
    body = EncryptedTextField(_("reflection"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint("session", "author", "timing", name="sessions_one_reflection_per_timing")
        ]

    def __str__(self) -> str:
        return f"{self.get_timing_display()} reflection #{self.pk}"


class ActionItem(models.Model):
    """An agreed next step in an engagement, owned by the mentee or the mentor."""

    engagement = models.ForeignKey("mentorship.Engagement", on_delete=models.CASCADE, related_name="action_items")
    session = models.ForeignKey(
        MentoringSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    text = models.CharField(_("next step"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items")
    due_date = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("agreed"), auto_now_add=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["done_at", "due_date", "created_at"]
        indexes = [models.Index(fields=["owner", "done_at"]), models.Index(fields=["engagement", "done_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class MemberAttendance(models.Model):
    """Whether one member of a leadership team came to a team session, recorded by the mentor.
    Only the members on the session's roster have a row."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey("MentoringSession", on_delete=models.CASCADE, related_name="member_attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("member attendance")
        verbose_name_plural = _("member attendance")
        constraints = [
            models.UniqueConstraint("session", "member", name="sessions_member_attendance_unique"),
        ]
        indexes = [models.Index(fields=["member", "session"], name="sessions_attendance_member_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.status} at {self.session_id}"

    @property
    def attended(self) -> bool:
        return self.status != self.Status.ABSENT


class Feedback(models.Model):
    """A mentee's rating of a held session. Mentors see averages only, from three ratings up."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="feedback")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given")
    usefulness = models.PositiveSmallIntegerField(
        _("how useful was the session?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    trust = models.PositiveSmallIntegerField(
        _("how much do you trust your mentor?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("anything else? (optional)"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint("session", "mentee", name="sessions_feedback_once_per_session"),
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5, trust__gte=1, trust__lte=5),
                name="sessions_feedback_ratings_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback #{self.pk}"


class ReminderKind(models.TextChoices):
    SESSION = "session", _("Session reminder")
    BOOKING_NUDGE = "booking_nudge", _("Booking nudge")
    NOTES_NUDGE = "notes_nudge", _("Notes nudge")
    REVIEW = "review", _("Review before the planned end")
    PHASE_CHANGE = "phase_change", _("Moving to monthly sessions")
    CONTRACT_USAGE = "contract_usage", _("Contract package mostly used")
    CONTRACT_END = "contract_end", _("Contract ending")


class ReminderStatus(models.TextChoices):
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not needed any more")
    MISSED = "missed", _("Missed")


class ReminderLog(models.Model):
    """One reminder to one person. The unique `key` names exactly one reminder (kind, subject,
    the time or date it is about, recipient), so a retry, a second beat or a redelivered task
    finds the row and never sends twice. The sweep records the row when the reminder falls due;
    a send claims it (core.claims: `claim_token` is the attempt holding it since `claimed_at`,
    none while it waits) before it sends. Missed: a session reminder that could not be sent
    before the session started."""

    Kind = ReminderKind
    Status = ReminderStatus

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    engagement = models.ForeignKey(
        "mentorship.Engagement", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    contract = models.ForeignKey(
        "mentorship.Contract", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # The session start or the date the reminder is about (Reminder.about), to queue it again.
    about = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.SENDING)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A row made outside the sweep and the claim (a test, a shell) counts as held at creation.
    claim_token = models.UUIDField(null=True, blank=True, default=uuid.uuid4)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["engagement", "created_at"]),
            # The sweep looks for rows being sent for too long.
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="reminder_sending_claimed_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class EngagementDue(models.Model):
    """What the reminder sweep needs to know of an engagement, stored so that it reads only the
    engagements due around now rather than every active one (`sessions.due_store`). Neither value
    changes with the time alone:
    - `booked_until`: the latest end of its requested or confirmed sessions — something is booked
      at a moment before it, nothing after;
    - `due_date`: when its next session is due once nothing is booked (`sessions.due`): counted
      from its latest completed or confirmed session, which is the last held one as soon as
      nothing is booked; None unless it is active with a mentor.

    A row is made with its engagement and marked stale, in the same transaction, by database
    triggers whenever a session, the engagement or its mentor's time zone changes (however the
    change is made); the sweep recomputes stale rows first."""

    engagement = models.OneToOneField(
        "mentorship.Engagement", on_delete=models.CASCADE, primary_key=True, related_name="due_state"
    )
    booked_until = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    is_stale = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("stored due date")
        verbose_name_plural = _("stored due dates")
        indexes = [
            models.Index(fields=["due_date"], name="engagement_due_date_idx"),
            models.Index(fields=["engagement"], condition=Q(is_stale=True), name="engagement_due_stale_idx"),
        ]

    def __str__(self) -> str:
        return f"due date of engagement #{self.engagement_id}"
