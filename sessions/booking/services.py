"""Booking, moving, cancelling and confirming sessions: the rules live here, views stay thin.

No double booking rests on PostgreSQL: exclusion constraints keep the sessions of one mentor,
one mentee and one team apart (see MentoringSession). A person can also sit in sessions of
different kinds — a mentee who is in a mentored leadership team too — which no single-table
constraint sees; booking and moving therefore take a transaction-level advisory lock per person
involved (`_lock_people`), in id order, before checking for free time, so two such bookings are
checked one after the other. The services check first, to give a friendly message, and turn a
constraint violation from a concurrent request into the same message.
"""

import datetime
import logging
import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from mentorship import workdays
from mentorship.models import Contract, Engagement
from sessions import access, usage
from sessions.booking import emails, selectors, tokens, week
from sessions.models import (
    ROOM_TAKEN_MESSAGE,
    BookingFormUse,
    MentoringSession,
    SessionStatus,
    Venue,
    VenueKind,
)

# Logs say what happened with ids and UTC times only: never a note, a reason or an email address.
logger = logging.getLogger(__name__)

TAKEN_MESSAGE = gettext_lazy("This time was just taken — pick another.")
MENTOR_BUSY_MESSAGE = gettext_lazy("The mentor's own calendar shows them busy at that time — pick another.")
PACKAGE_USED_UP_MESSAGE = gettext_lazy(
    "The package is used up: no more sessions can be booked on it. Please contact the consultancy."
)
HOLIDAY_MESSAGE = gettext_lazy("That day is a public holiday — pick another.")
OUTSIDE_DATES_MESSAGE = gettext_lazy("That time is outside the mentorship's dates — pick one of those shown.")
NOT_ON_ROSTER_MESSAGE = gettext_lazy("A one-to-one is for a member of the team on its day.")


def _taken() -> ValidationError:
    return ValidationError(TAKEN_MESSAGE, code="taken")


def _room_taken() -> ValidationError:
    return ValidationError(ROOM_TAKEN_MESSAGE, code="room_taken")


def _check_room(
    venue: Venue, start: datetime.datetime, end: datetime.datetime, *, ignore_session: MentoringSession | None = None
) -> None:
    """A meeting room is held by one session at a time, whoever's. The exclusion constraint is
    the guarantee; this gives the friendly message first."""
    if not venue.is_room:
        return
    others = MentoringSession.objects.filter(room=venue, start__lt=end, end__gt=start).exclude(
        status=SessionStatus.CANCELLED
    )
    if ignore_session is not None:
        others = others.exclude(pk=ignore_session.pk)
    if others.exists():
        raise _room_taken()


def notify(session: MentoringSession, kind: str) -> None:
    # In this transaction: the emails are recorded with the change or not at all.
    emails.queue_session_emails(session, kind)


def check_venue(*, engagement: Engagement, venue: Venue | None, client_site_confirmed: bool) -> None:
    if venue is None:
        raise ValidationError(_("Choose where to meet."), code="venue_required")
    if not access.venues_for(engagement).filter(pk=venue.pk).exists():
        raise ValidationError(_("That venue is not available for this mentorship."), code="venue_not_allowed")
    if venue.kind == VenueKind.CLIENT_SITE and not client_site_confirmed:
        raise ValidationError(
            _("Meeting at the client's premises needs an explicit choice: tick the box to confirm it."),
            code="client_site_unconfirmed",
        )


def _check_slot(
    engagement: Engagement,
    start: datetime.datetime,
    *,
    ignore_session: MentoringSession | None = None,
    member: User | None = None,
) -> datetime.datetime:
    try:
        end = start + datetime.timedelta(minutes=engagement.session_minutes)
        latest = end + datetime.timedelta(minutes=1)
    except OverflowError:  # the calendar's far end (the booking form already refuses it)
        raise _taken() from None
    first, after = week.engagement_bounds(engagement)
    if not first <= start < after:
        raise ValidationError(OUTSIDE_DATES_MESSAGE, code="outside_engagement")
    if selectors.mentor_busy_times(engagement.mentor, start, end):
        raise ValidationError(MENTOR_BUSY_MESSAGE, code="mentor_busy")
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    if workdays.is_holiday(start.astimezone(zone).date()) or workdays.is_holiday(end.astimezone(zone).date()):
        raise ValidationError(HOLIDAY_MESSAGE, code="holiday")
    slots = selectors.free_slots_for_engagement(
        engagement,
        ignore_session=ignore_session,
        earliest=start - datetime.timedelta(minutes=1),
        latest=latest,
        member=member,
    )
    if not any(slot.start == start for slot in slots):
        raise _taken()
    return end


# Advisory lock keys: this namespace in the high 32 bits, the person's id in the low ones.
PERSON_LOCK_NAMESPACE = 0x6D656E74 << 32  # "ment"


def _lock_people(engagement: Engagement, member: User | None = None) -> None:
    """Hold every person of this engagement's sessions (mentor, mentee or team members; a
    one-to-one's member) until the transaction ends, so that no other booking for any of them is
    checked at the same time."""
    people = {engagement.mentor_id, *selectors.attendee_ids(engagement, member)}
    keys = sorted(PERSON_LOCK_NAMESPACE + person for person in people if person is not None)
    with connection.cursor() as cursor:
        # unnest keeps the array's order, so the locks are taken in id order: no deadlocks.
        cursor.execute("SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key", [keys])


def _beyond_the_package(engagement: Engagement, start: datetime.datetime, end: datetime.datetime) -> bool:
    """Whether a new session of the engagement goes beyond its contract's package: False when it
    fits (or there is no package to fit in); True when it does not and the contract allows extra
    sessions; a ValidationError when the contract refuses them.

    The contract's row stays locked until the booking's transaction ends, so bookings on one
    contract (from any of its engagements) are counted one after the other: N bookings racing
    for the last session of a package give one booking, or one and the rest marked extra."""
    if engagement.contract_id is None:
        return False
    contract = Contract.objects.select_for_update().get(pk=engagement.contract_id)
    day = start.astimezone(usage.CONSULTANCY_TIME_ZONE).date()
    if not contract.has_package or not contract.start_date <= day <= contract.end_date:
        return False  # a session outside the contract's period does not draw on it
    if usage.usage_of(contract).room_for(usage.hours_of(end - start)):
        return False
    if contract.overage == Contract.Overage.EXTRA:
        return True
    raise ValidationError(PACKAGE_USED_UP_MESSAGE, code="package_used_up")


def _extra_after_move(session: MentoringSession, start: datetime.datetime, end: datetime.datetime) -> bool:
    """Whether a session moved to `start` goes beyond its contract's package. A move within the
    contract's period changes nothing (it kept its place); out of the period it draws on nothing;
    into the period from outside it draws anew, so the guard decides as for a booking (refused,
    or marked extra)."""
    engagement = session.engagement
    if engagement.contract_id is None:
        return session.billing_extra
    contract = Contract.objects.select_for_update().get(pk=engagement.contract_id)

    def in_period(moment: datetime.datetime) -> bool:
        return contract.start_date <= moment.astimezone(usage.CONSULTANCY_TIME_ZONE).date() <= contract.end_date

    if not in_period(start):
        return False
    if in_period(session.start):
        return session.billing_extra
    return _beyond_the_package(engagement, start, end)


def _save_or_taken(session: MentoringSession) -> None:
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        # An exclusion constraint: somebody else got this time (or this room) between our check
        # and our write.
        if "sessions_no_overlap_for_room" in str(error):
            raise _room_taken() from error
        if "sessions_one_to_one_member_on_roster" in str(error):
            raise ValidationError(NOT_ON_ROSTER_MESSAGE, code="not_on_roster") from error
        if "sessions_no_overlap" in str(error):
            raise _taken() from error
        raise


def book_session(
    *,
    engagement: Engagement,
    start: datetime.datetime,
    venue: Venue | None,
    booked_by: User,
    client_site_confirmed: bool = False,
    form_token: uuid.UUID | None = None,
    member: User | None = None,
) -> tuple[MentoringSession, bool]:
    """Book a session at a free slot — with `member`, a one-to-one between the mentor and that
    member of the engagement's team. Returns (session, created): a repeated submit of the same
    booking returns the session it already made. With the form's one-time token, a second submit
    of the same form — whatever time it now names — raises `tokens.FormAlreadyUsed` with the
    session the first submit made."""
    try:
        return _book_session(
            engagement=engagement,
            start=start,
            venue=venue,
            booked_by=booked_by,
            client_site_confirmed=client_site_confirmed,
            form_token=form_token,
            member=member,
        )
    except IntegrityError:
        # The token's unique row: a racing submit of the same form committed first (this one
        # rolled back whole, session and emails included).
        tokens.check_unused(form_token)
        raise


@transaction.atomic
def _book_session(
    *,
    engagement: Engagement,
    start: datetime.datetime,
    venue: Venue | None,
    booked_by: User,
    client_site_confirmed: bool,
    form_token: uuid.UUID | None,
    member: User | None,
) -> tuple[MentoringSession, bool]:
    allowed = (
        access.can_book(booked_by, engagement)
        if member is None
        else access.can_book_one_to_one(booked_by, engagement, member)
    )
    if not allowed:
        raise ValidationError(_("You cannot book sessions for this mentorship."), code="not_allowed")
    _lock_people(engagement, member)  # before the look for a repeat: a second tab waits here for the first
    tokens.check_unused(form_token)
    existing = MentoringSession.objects.filter(
        engagement=engagement, start=start, booked_by=booked_by, mentee=member or engagement.mentee
    ).exclude(status=SessionStatus.CANCELLED)
    if existing.exists():
        return existing.get(), False
    check_venue(engagement=engagement, venue=venue, client_site_confirmed=client_site_confirmed)
    end = _check_slot(engagement, start, member=member)
    _check_room(venue, start, end)
    billing_extra = _beyond_the_package(engagement, start, end)
    settings = selectors.booking_settings_for(engagement.mentor)
    confirmed_at_once = not settings.confirm_manually or access.is_mentor_or_admin(booked_by, engagement.mentor_id)
    session = MentoringSession.for_engagement(
        engagement,
        start=start,
        end=end,
        venue=venue,
        booked_by=booked_by,
        status=SessionStatus.CONFIRMED if confirmed_at_once else SessionStatus.REQUESTED,
        billing_extra=billing_extra,
        member=member,
    )
    _save_or_taken(session)
    tokens.record_use(form_token, kind=BookingFormUse.Kind.BOOK, session=session)
    notify(session, "booked")
    logger.info(
        "Session %s booked (%s%s) for engagement %s by user %s: %s to %s, venue %s",
        session.pk,
        session.status,
        ", beyond the package" if billing_extra else "",
        engagement.pk,
        booked_by.pk,
        session.start.isoformat(),
        session.end.isoformat(),
        session.venue_id,
    )
    return session, True


def within_cutoff(session: MentoringSession, *, now: datetime.datetime | None = None) -> bool:
    """True when the session starts sooner than the mentor's change cut-off (default 24 h)."""
    settings = selectors.booking_settings_for(session.mentor)
    return session.start - (now or timezone.now()) < datetime.timedelta(hours=settings.change_cutoff_hours)


def lock_session(session: MentoringSession) -> MentoringSession:
    return MentoringSession.objects.select_for_update().select_related("engagement", "mentor").get(pk=session.pk)


@transaction.atomic
def reschedule_session(
    *,
    session: MentoringSession,
    start: datetime.datetime,
    venue: Venue | None,
    actor: User,
    client_site_confirmed=False,
    form_token: uuid.UUID | None = None,
) -> MentoringSession:
    """Move a session to another free slot (and maybe venue). Same calendar UID, higher SEQUENCE.
    With the form's one-time token, a second submit of the same form raises
    `tokens.FormAlreadyUsed` instead of moving the session again."""
    session = lock_session(session)  # a racing submit of the same form waits here for the first
    if not access.can_change(actor, session):
        raise ValidationError(_("You cannot change this session."), code="not_allowed")
    tokens.check_unused(form_token)
    if session.status not in (SessionStatus.REQUESTED, SessionStatus.CONFIRMED) or session.start <= timezone.now():
        raise ValidationError(_("Only upcoming sessions can be moved."), code="not_upcoming")
    if within_cutoff(session) and not access.is_mentor_or_admin(actor, session.mentor_id):
        raise ValidationError(
            _("It is too late to move this session online. Please contact your mentor."), code="too_late"
        )
    check_venue(engagement=session.engagement, venue=venue, client_site_confirmed=client_site_confirmed)
    if start == session.start and venue == session.venue:
        return session
    member = session.mentee if session.is_one_to_one else None
    _lock_people(session.engagement, member)
    session.end = _check_slot(session.engagement, start, ignore_session=session, member=member)
    _check_room(venue, start, session.end, ignore_session=session)
    session.billing_extra = _extra_after_move(session, start, session.end)
    old_start, old_venue_id = session.start, session.venue_id
    session.start = start
    session.venue = venue
    session.sequence += 1
    _save_or_taken(session)
    tokens.record_use(form_token, kind=BookingFormUse.Kind.MOVE, session=session)
    notify(session, "moved")
    logger.info(
        "Session %s moved by user %s: from %s (venue %s) to %s (venue %s), sequence %s",
        session.pk,
        actor.pk,
        old_start.isoformat(),
        old_venue_id,
        session.start.isoformat(),
        session.venue_id,
        session.sequence,
    )
    return session


@transaction.atomic
def cancel_session(*, session: MentoringSession, actor: User, reason: str = "") -> MentoringSession:
    """Cancel an upcoming session. Later than the cut-off it still goes through, recorded as a
    late cancellation."""
    session = lock_session(session)
    if not access.can_change(actor, session):
        raise ValidationError(_("You cannot change this session."), code="not_allowed")
    if session.status == SessionStatus.CANCELLED:
        return session  # a repeated submit: nothing more to do
    if session.status not in (SessionStatus.REQUESTED, SessionStatus.CONFIRMED) or session.start <= timezone.now():
        raise ValidationError(_("Only upcoming sessions can be cancelled."), code="not_upcoming")
    return record_cancellation(session, actor=actor, reason=reason, late=within_cutoff(session))


def record_cancellation(session: MentoringSession, *, actor: User, reason: str, late: bool) -> MentoringSession:
    """The cancellation itself, on a locked upcoming session: every participant is emailed with a
    METHOD:CANCEL invite."""
    session.late_cancellation = late
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = timezone.now()
    session.cancelled_by = actor
    session.cancellation_reason = reason[:500]
    session.sequence += 1
    session.save()
    notify(session, "cancelled")
    logger.info(
        "Session %s at %s cancelled by user %s%s",
        session.pk,
        session.start.isoformat(),
        actor.pk,
        " (late cancellation)" if session.late_cancellation else "",
    )
    return session


@transaction.atomic
def confirm_session(*, session: MentoringSession, actor: User) -> MentoringSession:
    """The mentor confirms a requested session (when they confirm bookings by hand)."""
    session = lock_session(session)
    if not access.is_mentor_or_admin(actor, session.mentor_id):
        raise ValidationError(_("Only the mentor can confirm this session."), code="not_allowed")
    if session.status == SessionStatus.CONFIRMED:
        return session
    if session.status != SessionStatus.REQUESTED:
        raise ValidationError(_("Only a requested session can be confirmed."), code="not_requested")
    session.status = SessionStatus.CONFIRMED
    session.sequence += 1
    session.save()
    notify(session, "confirmed")
    logger.info("Session %s at %s confirmed by user %s", session.pk, session.start.isoformat(), actor.pk)
    return session
