"""The demo's deal with its clients and its leadership team in depth: contracts (one nearly used
up, one by the hour), last month invoiced, the team's dated roster, coordinator, attendance and
one-to-ones.
Each function leaves what a previous run made (see `demo/seed.py`)."""

import contextlib
import datetime
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.models import User
from billing.invoices import services as billing
from billing.invoices.lines import first_of_month
from demo import factories
from demo.people import (
    LEADERSHIP_TEAM,
    TEAM_COORDINATOR,
    TEAM_JOINED_LATE,
    TEAM_LEFT,
    TEAM_MISSING,
    TEAM_ONE_TO_ONES,
)
from mentorship import workdays
from mentorship.cadence import add_months
from mentorship.models import Contract, Engagement, LeadershipTeam, Organisation, TeamMembership
from mentorship.organisations import services as team_services
from sessions import usage
from sessions.models import MemberAttendance, MentoringSession, SessionKind, SessionStatus
from sessions.records import services as records

# What each client bought, by reference: who draws on it and on what terms. Björkvik's package of
# sessions (Erik's mentoring and the leadership team's) has one session left to book; Fredrik's
# mentoring is sold by the hour; Solhaga's contract waits for its engagement to start.
CONTRACTS = [
    {
        "reference": "BL-2026-014",
        "organisation": "Björkvik Logistik AB",
        "for": ["mentee@example.com", "team"],
        "unit": "sessions",
        "price": Decimal("4800"),
        "overage": "extra",
        "nearly_used_up": True,
    },
    {
        "reference": "BL-2026-022",
        "organisation": "Björkvik Logistik AB",
        "for": ["fredrik.olsson@example.com"],
        "unit": "hours",
        "quantity": Decimal(24),
        "price": Decimal("2150"),
        "no_show_billable": False,
    },
    {
        "reference": "SE-PO-5531",
        "organisation": "Solhaga Energi AB",
        "for": ["other.mentee@example.com"],
        "unit": "sessions",
        "quantity": Decimal(10),
        "price": Decimal("4500"),
    },
]


def seed_contracts(people: dict[str, User], today: datetime.date | None = None) -> None:
    """Each contract once (by reference), drawn on by its engagements; later runs leave it."""
    today = today or datetime.date.today()
    admin = people["admin@example.com"]
    team = LeadershipTeam.objects.get(name=LEADERSHIP_TEAM[1])
    for spec in CONTRACTS:
        fields = dict(spec)
        if Contract.objects.filter(reference=fields["reference"]).exists():
            continue
        whom = fields.pop("for")
        nearly_used_up = fields.pop("nearly_used_up", False)
        organisation = Organisation.objects.get(name=fields.pop("organisation"))
        engagements = [
            Engagement.objects.get(**({"team": team} if who == "team" else {"mentee": people[who]})) for who in whom
        ]
        start = min(engagement.start_date for engagement in engagements) - datetime.timedelta(days=7)
        fields.setdefault("quantity", Decimal(100))
        contract = factories.make_contract(
            organisation=organisation, start_date=start, end_date=add_months(start, 12), created_by=admin, **fields
        )
        factories.make_contract_event(contract=contract, kind="created", actor=admin)
        for engagement in engagements:
            Engagement.objects.filter(pk=engagement.pk).update(contract=contract)
            factories.make_contract_event(
                contract=contract, kind="engagement_linked", actor=admin, detail=engagement.subject_name
            )
        if nearly_used_up:
            # Sized to what is used and booked, plus one: the next booking is the package's last.
            contract.quantity = usage.usage_of(contract).committed + 1
            contract.save(update_fields=["quantity"])


def seed_finalised_month(people: dict[str, User], today: datetime.date | None = None) -> None:
    """Last month invoiced for the Björkvik contracts, so the billing run shows a finalised month
    next to this month's drafts (finalising again finds the invoice)."""
    today = today or datetime.date.today()
    last_month = first_of_month(first_of_month(today) - datetime.timedelta(days=1))
    for contract in Contract.objects.filter(organisation__name="Björkvik Logistik AB"):
        with contextlib.suppress(ValidationError):  # nothing to invoice that month
            billing.finalise(contract=contract, month=last_month, actor=people["admin@example.com"])


def seed_team_roster(people: dict[str, User], today: datetime.date | None = None) -> None:
    """The leadership team's dated roster (who left, who joined late) and its coordinator, once."""
    today = today or datetime.date.today()
    team = LeadershipTeam.objects.get(name=LEADERSHIP_TEAM[1])
    admin = people["admin@example.com"]
    who, days_ago = TEAM_LEFT
    seat = TeamMembership.objects.filter(team=team, user=people[who]).first()
    if seat is not None and seat.left_on is None and not seat.events.exists():
        team_services.remove_team_member(
            membership=seat, actor=admin, left_on=today - datetime.timedelta(days=days_ago)
        )
    who, days_ago = TEAM_JOINED_LATE
    if not TeamMembership.objects.filter(team=team, user=people[who]).exists():
        team_services.add_team_member(
            team=team, user=people[who], joined_on=today - datetime.timedelta(days=days_ago), actor=admin
        )
    Engagement.objects.filter(team=team, coordinator__isnull=True).update(coordinator=people[TEAM_COORDINATOR])


def seed_team_attendance(people: dict[str, User]) -> None:
    """Who came to each held team session (once per session): everyone on its roster, one late
    now and then, and Ali Hassan absent from two of the three latest."""
    for engagement in Engagement.objects.filter(status=Engagement.Status.ACTIVE, team__isnull=False):
        held = list(
            engagement.sessions.filter(status=SessionStatus.COMPLETED, kind=SessionKind.SESSION).order_by("start")
        )
        latest = {session.pk for session in held[-3:]} - {held[-2].pk} if len(held) >= 3 else set()
        for index, session in enumerate(held):
            if MemberAttendance.objects.filter(session=session).exists():
                continue
            roster = list(session.roster().select_related("user").order_by("user__email"))
            statuses = {
                seat.user_id: "late" if (index + position) % 7 == 3 else "present"
                for position, seat in enumerate(roster)
            }
            missing = people[TEAM_MISSING].pk
            if session.pk in latest and missing in statuses:
                statuses[missing] = "absent"
            records.record_member_attendance(session=session, actor=engagement.mentor, statuses=statuses)


def _one_to_one_start(engagement: Engagement, member: User, day: datetime.date) -> datetime.datetime:
    """A working day's hour near `day` when neither the mentor nor the member sits in a session."""
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    while True:
        if day.weekday() < 5 and not workdays.is_holiday(day):
            for hour in (8, 13, 16):
                start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
                end = start + datetime.timedelta(minutes=engagement.session_minutes)
                busy = MentoringSession.objects.filter(
                    Q(mentor=engagement.mentor) | Q(mentee=member) | Q(team=engagement.team),
                    start__lt=end + datetime.timedelta(minutes=15),
                    end__gt=start - datetime.timedelta(minutes=15),
                ).exclude(status=SessionStatus.CANCELLED)
                if not busy.exists():
                    return start
        day += datetime.timedelta(days=1)


def seed_team_one_to_ones(people: dict[str, User], today: datetime.date | None = None) -> None:
    """The leadership team meets monthly one-to-one besides its team sessions: two held ones with
    the mentor's notes (one shared with that member, the rest private) and one to come. Once."""
    today = today or datetime.date.today()
    team = LeadershipTeam.objects.get(name=LEADERSHIP_TEAM[1])
    engagement = Engagement.objects.filter(team=team, status=Engagement.Status.ACTIVE).select_related("mentor").first()
    if engagement is None or engagement.sessions.filter(kind=SessionKind.ONE_TO_ONE).exists():
        return
    Engagement.objects.filter(pk=engagement.pk).update(one_to_one_interval_months=1)
    for who, days, shared, private in TEAM_ONE_TO_ONES:
        member = people[who]
        start = _one_to_one_start(engagement, member, today + datetime.timedelta(days=days))
        held = days < 0
        session = factories.make_session(
            engagement=engagement,
            member=member,
            start=start,
            booked_by=member,
            status=SessionStatus.COMPLETED if held else SessionStatus.CONFIRMED,
        )
        if shared:
            factories.make_note(session=session, visibility="shared", body=shared)
        if private:
            factories.make_note(session=session, visibility="private", body=private)
