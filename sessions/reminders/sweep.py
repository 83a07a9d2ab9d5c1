"""Reminders: what is due, and the sweep that records and queues them (sending: `sending.py`).

The sweep runs every few minutes from Celery beat. It finds every reminder due now with a fixed
number of SQL queries, records each one not yet in the ReminderLog (one row per reminder, by its
unique key) and queues one send task per new row on commit. It also queues again every row that
has been waiting or held by a sender for longer than REMINDER_CLAIM_TIMEOUT_SECONDS: a lost
broker message or a killed worker delays a reminder, it does not drop it. A send claims its row
(core.claims), re-reads the current state (a cancelled or moved session is never reminded at its
old time), sends, and marks it sent; a retry, a second beat or a redelivered task finds the row
and does not send again.

Kinds (settings hold the numbers):
- session reminder to every participant, SESSION_REMINDER_OFFSETS_HOURS before (48 h and 2 h),
  only while the engagement is active;
- booking nudge when the next session is due within BOOKING_NUDGE_DAYS_BEFORE days and none is
  booked: to the mentee (the mentor for a team, since the mentor books team sessions), again on the
  due date, and BOOKING_NUDGE_MENTOR_AFTER_DAYS after it to the mentor too; none during the
  summer pause (`mentorship.workdays`); the team's coordinator too; each member for their own
  one-to-ones in a team engagement with a one-to-one cadence (`sessions.one_to_ones.nudges`);
- notes nudge to the mentor NOTES_NUDGE_AFTER_HOURS after a held session without notes;
- review reminder to the mentor and the admins REVIEW_REMINDER_DAYS_BEFORE days before the planned end;
- a note to mentee(s) and mentor when the engagement moves from every other week to monthly;
- contract alerts to the admins and the mentors of the contract's active engagements when its
  package is 75 % used, when it is used up (the highest reached only), and
  CONTRACT_END_ALERT_DAYS_BEFORE days before its last day (`sessions.usage.contract_alerts`).
  Their keys name the package size and the last day, so extending a contract arms them again.
"""

import datetime
import logging
import re
import zoneinfo
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from mentorship.cadence import CadenceRules
from mentorship.models import Engagement, EngagementStatus, TeamMembership, roster_date
from mentorship.workdays import in_summer_pause
from sessions import due_store, usage
from sessions.due import NUDGE_WINDOW_DAYS, due_of, with_session_stats
from sessions.models import (
    MentoringSession,
    ReminderKind,
    ReminderLog,
    ReminderStatus,
    SessionNote,
    SessionStatus,
)
from sessions.one_to_ones.nudges import one_to_one_nudges
from sessions.reminders.roster import on_roster as _on_roster
from sessions.reminders.roster import team_members as _team_members

logger = logging.getLogger(__name__)

# Which preference a reminder kind obeys. Session changes (booked/moved/cancelled) are not
# reminders and always go out.
PREFERENCE = {
    ReminderKind.SESSION: "email_session_reminders",
    ReminderKind.BOOKING_NUDGE: "email_booking_nudges",
    ReminderKind.NOTES_NUDGE: "email_notes_nudges",
    ReminderKind.REVIEW: "email_engagement_updates",
    ReminderKind.PHASE_CHANGE: "email_engagement_updates",
    ReminderKind.CONTRACT_USAGE: "email_engagement_updates",
    ReminderKind.CONTRACT_END: "email_engagement_updates",
}


@dataclass(frozen=True)
class Reminder:
    key: str
    kind: str
    recipient_id: int
    session_id: int | None = None
    engagement_id: int | None = None
    about: str = ""  # the session start (ISO) or the date the reminder is about, re-checked on send
    contract_id: int | None = None

    def as_kwargs(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, log: ReminderLog) -> "Reminder":
        return cls(log.key, log.kind, log.recipient_id, log.session_id, log.engagement_id, log.about, log.contract_id)

    @property
    def offset_hours(self) -> int | None:
        """A session reminder's offset, from its key (see `session_reminder_key`)."""
        match = _SESSION_KEY.match(self.key) if self.kind == ReminderKind.SESSION else None
        return int(match["offset"]) if match else None


# The key names the session, the offset, the start it was due for (a moved session gets new keys)
# and the person.
_SESSION_KEY = re.compile(r"^session:[0-9a-f-]+:(?P<offset>\d+)h:")


def session_reminder_key(session: MentoringSession, offset: int, person_id: int) -> str:
    return f"session:{session.uuid}:{offset}h:{session.start:%Y%m%dT%H%M}:{person_id}"


def offsets() -> list[int]:
    return sorted(settings.SESSION_REMINDER_OFFSETS_HOURS, reverse=True)


def grace(offset_hours: int) -> datetime.timedelta:
    # A reminder is sent within this window after it falls due; later it is pointless (the next
    # one, or the session itself, is near). Half the offset, at most six hours.
    return min(datetime.timedelta(hours=6), datetime.timedelta(hours=offset_hours) / 2)


def session_reminder_offset_due(start: datetime.datetime, now: datetime.datetime) -> int | None:
    """Which session-reminder offset (in hours) is due now for a session starting at `start`."""
    for offset in offsets():
        due_at = start - datetime.timedelta(hours=offset)
        if due_at <= now < due_at + grace(offset) and now < start:
            return offset
    return None


def local_date(instant: datetime.datetime, zone_name: str) -> datetime.date:
    return instant.astimezone(zoneinfo.ZoneInfo(zone_name)).date()


def _wants(user: User, kind: str) -> bool:
    return user.is_active and getattr(user, PREFERENCE[kind])


def _upcoming_sessions(sessions: QuerySet[MentoringSession], now: datetime.datetime) -> list[MentoringSession]:
    """(a) Session reminders: confirmed sessions starting within the largest offset, of an active
    engagement — a paused or completed one's sessions are never reminded of, even when the pause
    comes after the reminder was recorded (the send re-checks through here)."""
    return list(
        sessions.filter(
            status=SessionStatus.CONFIRMED,
            engagement__status=EngagementStatus.ACTIVE,
            start__gt=now,
            start__lte=now + datetime.timedelta(hours=max(offsets())),
        ).select_related("mentor", "mentee")
    )


def _candidate_engagements(engagement_rows: QuerySet[Engagement], now: datetime.datetime) -> list[Engagement]:
    """(b, e) Active engagements that may have a reminder due (`due_store.reminder_candidates`),
    with their last held and next booked sessions: their sessions are read through the engagement
    index rather than joined with the whole sessions table."""
    active = engagement_rows.filter(status=EngagementStatus.ACTIVE, mentor__isnull=False)
    return list(
        with_session_stats(due_store.reminder_candidates(active, now), now).select_related(
            "mentor", "mentee", "coordinator"
        )
    )


def _held_without_notes(sessions: QuerySet[MentoringSession], now: datetime.datetime) -> list[MentoringSession]:
    """(c) Held sessions without a note by their mentor, a day or more ago (within a week)."""
    nudge_after = datetime.timedelta(hours=settings.NOTES_NUDGE_AFTER_HOURS)
    return list(
        sessions.held(now)
        .filter(end__lte=now - nudge_after, end__gt=now - nudge_after - datetime.timedelta(days=7))
        .exclude(Exists(SessionNote.objects.filter(session=OuterRef("pk"), author=OuterRef("mentor"))))
        .select_related("mentor")
    )


def due_reminders(
    now: datetime.datetime | None = None,
    *,
    session_id: int | None = None,
    engagement_id: int | None = None,
    contract_id: int | None = None,
) -> list[Reminder]:
    """Every reminder due at `now`, in a fixed number of queries whatever the data size.

    With `session_id`, `engagement_id` or `contract_id`, only that session's, engagement's or
    contract's reminders (used to re-check one reminder just before sending it)."""
    now = now or timezone.now()
    sessions = MentoringSession.objects.all()
    engagement_rows = Engagement.objects.all()
    with_contracts = session_id is None and engagement_id is None
    if session_id is not None:
        sessions, engagement_rows = sessions.filter(pk=session_id), engagement_rows.none()
    elif engagement_id is not None:
        sessions, engagement_rows = sessions.none(), engagement_rows.filter(pk=engagement_id)
    elif contract_id is not None:
        sessions, engagement_rows = sessions.none(), engagement_rows.none()

    upcoming = _upcoming_sessions(sessions, now)
    engagements = _candidate_engagements(engagement_rows, now)
    without_notes = _held_without_notes(sessions, now)
    teams = _team_members({s.team_id for s in upcoming if s.team_id} | {e.team_id for e in engagements if e.team_id})
    admins = list(User.objects.filter(is_consultancy_admin=True, is_active=True))

    reminders = _session_reminders(upcoming, now, teams)
    for engagement in engagements:
        reminders.extend(_engagement_reminders(engagement, now, teams, admins))
    reminders.extend(_notes_nudges(without_notes))
    reminders += [
        Reminder(n.key, ReminderKind.BOOKING_NUDGE, n.recipient.pk, engagement_id=n.engagement_id, about=n.about)
        for n in one_to_one_nudges(engagement_rows, now)
        if _wants(n.recipient, ReminderKind.BOOKING_NUDGE)
    ]
    if with_contracts:
        reminders.extend(_contract_alerts(usage.contract_alerts(now=now, contract_id=contract_id), admins))
    return reminders


def _contract_alerts(alerts: list[usage.ContractAlert], admins: list[User]) -> list[Reminder]:
    """Reminders for the contracts needing attention: to every admin and to the mentor of each of
    the contract's active or paused engagements. Two queries at most (the mentors)."""
    mentors: dict[int, dict[int, User]] = defaultdict(dict)
    if alerts:
        drawing = Engagement.objects.filter(
            contract__in=[alert.contract for alert in alerts],
            status__in=[EngagementStatus.ACTIVE, EngagementStatus.PAUSED],
            mentor__isnull=False,
        ).select_related("mentor")
        for engagement in drawing:
            mentors[engagement.contract_id][engagement.mentor_id] = engagement.mentor
    out = []
    for alert in alerts:
        contract = alert.contract
        people = {person.pk: person for person in [*admins, *mentors[contract.pk].values()]}
        found = []
        if alert.percent_reached is not None:
            size = usage.plain(contract.quantity)
            found.append(
                (
                    ReminderKind.CONTRACT_USAGE,
                    f"contract-usage:{contract.uuid}:{size}:{alert.percent_reached}",
                    str(alert.percent_reached),
                )
            )
        if alert.ends_soon:
            about = contract.end_date.isoformat()
            found.append((ReminderKind.CONTRACT_END, f"contract-end:{contract.uuid}:{about}", about))
        for kind, key, about in found:
            out += [
                Reminder(
                    key=f"{key}:{person.pk}", kind=kind, recipient_id=person.pk, about=about, contract_id=contract.pk
                )
                for person in people.values()
                if _wants(person, kind)
            ]
    return out


def _session_reminders(
    upcoming: list[MentoringSession], now: datetime.datetime, teams: dict[int, list[TeamMembership]]
) -> list[Reminder]:
    reminders = []
    for session in upcoming:
        offset = session_reminder_offset_due(session.start, now)
        if offset is None:
            continue
        members = _on_roster(teams[session.team_id], roster_date(session.start)) if session.team_id else None
        people = [session.mentor, *(members if session.team_id else [session.mentee])]
        reminders += [
            Reminder(
                key=session_reminder_key(session, offset, person.pk),
                kind=ReminderKind.SESSION,
                recipient_id=person.pk,
                session_id=session.pk,
                engagement_id=session.engagement_id,
                about=session.start.isoformat(),
            )
            for person in people
            if _wants(person, ReminderKind.SESSION)
        ]
    return reminders


def _notes_nudges(without_notes: list[MentoringSession]) -> list[Reminder]:
    return [
        Reminder(
            key=f"notes:{session.uuid}:{session.mentor_id}",
            kind=ReminderKind.NOTES_NUDGE,
            recipient_id=session.mentor_id,
            session_id=session.pk,
            engagement_id=session.engagement_id,
            about=session.start.isoformat(),
        )
        for session in without_notes
        if _wants(session.mentor, ReminderKind.NOTES_NUDGE)
    ]


def _engagement_reminders(
    engagement: Engagement, now, teams: dict[int, list[TeamMembership]], admins: list[User]
) -> list[Reminder]:
    zone = engagement.mentor.time_zone
    today = local_date(now, zone)
    rules = CadenceRules.of(engagement)
    mentees = _on_roster(teams[engagement.team_id], roster_date(now)) if engagement.team_id else [engagement.mentee]
    # Team sessions are booked by the mentor and the coordinator (while in the team), so the
    # team's booking nudges go to them.
    coordinators = [member for member in mentees if member.pk == engagement.coordinator_id]
    bookers = [engagement.mentor, *coordinators] if engagement.team_id else mentees
    out: list[Reminder] = []

    def add(kind: str, key: str, people, about: str) -> None:
        for person in people:
            if _wants(person, kind):
                out.append(
                    Reminder(
                        key=f"{key}:{person.pk}",
                        kind=kind,
                        recipient_id=person.pk,
                        engagement_id=engagement.pk,
                        about=about,
                    )
                )

    due = due_of(engagement, now)
    if due is not None and not due.is_booked and not in_summer_pause(today):
        days_to_due = (due.due_date - today).days
        about = due.due_date.isoformat()
        base = f"nudge:{engagement.uuid}:{about}"
        if -NUDGE_WINDOW_DAYS <= days_to_due <= settings.BOOKING_NUDGE_DAYS_BEFORE:
            add(ReminderKind.BOOKING_NUDGE, f"{base}:soon", bookers, about)
        if -NUDGE_WINDOW_DAYS <= days_to_due <= 0:
            add(ReminderKind.BOOKING_NUDGE, f"{base}:due", bookers, about)
        if -NUDGE_WINDOW_DAYS <= days_to_due <= -settings.BOOKING_NUDGE_MENTOR_AFTER_DAYS:
            add(ReminderKind.BOOKING_NUDGE, f"{base}:overdue", {*bookers, engagement.mentor}, about)

    review_from = engagement.planned_end - datetime.timedelta(days=settings.REVIEW_REMINDER_DAYS_BEFORE)
    if review_from <= today <= engagement.planned_end:
        about = engagement.planned_end.isoformat()
        add(ReminderKind.REVIEW, f"review:{engagement.uuid}:{about}", [engagement.mentor, *admins], about)

    if rules.initial_phase_weeks and rules.steady_from <= today < rules.steady_from + datetime.timedelta(days=7):
        about = rules.steady_from.isoformat()
        add(ReminderKind.PHASE_CHANGE, f"phase:{engagement.uuid}:{about}", [*mentees, engagement.mentor], about)
    return out


def sweep(now: datetime.datetime | None = None) -> int:
    """Record every due reminder that has no ReminderLog row yet and queue its send; queue again
    the rows left waiting or held for longer than REMINDER_CLAIM_TIMEOUT_SECONDS. Returns how many
    sends were queued."""
    from core import claims
    from core.queueing import enqueue_on_commit
    from sessions.reminders.tasks import send_reminder

    now = now or timezone.now()
    due_store.refresh(now)  # what changed since the last sweep, so that few rows are stale
    reminders = due_reminders(now)
    with transaction.atomic():
        known = set(ReminderLog.objects.filter(key__in=[r.key for r in reminders]).values_list("key", flat=True))
        fresh = [r for r in reminders if r.key not in known]
        # No claim yet (claim_token=None): the first send to come takes it. A second sweep at the
        # same moment inserts nothing twice; if both queue a send, one claims and one finds it taken.
        ReminderLog.objects.bulk_create(
            [
                ReminderLog(
                    key=r.key,
                    kind=r.kind,
                    recipient_id=r.recipient_id,
                    session_id=r.session_id,
                    engagement_id=r.engagement_id,
                    contract_id=r.contract_id,
                    about=r.about,
                    claim_token=None,
                    claimed_at=now,
                )
                for r in fresh
            ],
            ignore_conflicts=True,
        )
        stale = claims.take_back_stale(
            ReminderLog,
            open_status=ReminderStatus.SENDING,
            failed_status=ReminderStatus.FAILED,
            timeout=datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS),
            now=now,
        )
        for reminder in [*fresh, *map(Reminder.of, stale)]:
            enqueue_on_commit(send_reminder, **reminder.as_kwargs())
    logger.info("Reminder sweep: %d due, %d queued, %d queued again", len(reminders), len(fresh), len(stale))
    return len(fresh) + len(stale)
