"""Invented demo data: a consultancy, its mentors, two client companies and their people.

Made through demo/factories.py, once: each function looks for what it would create (by email
address or name) and leaves what exists as it is, so `seed_demo` can run on every `make run` and
a changed password or profile survives. All people and companies here are made up.
"""

import contextlib
import datetime
import zoneinfo
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from billing.invoices import services as billing
from billing.invoices.lines import first_of_month
from demo import factories
from mentorship import workdays
from mentorship.cadence import CadenceRules, add_months, next_due
from mentorship.models import (
    Contract,
    Engagement,
    EngagementEvent,
    Inquiry,
    LeadershipTeam,
    MentorProfile,
    Organisation,
    TeamMembership,
)
from mentorship.organisations import services as team_services
from sessions import usage
from sessions.models import MemberAttendance, MentoringSession, SessionStatus, Venue
from sessions.records import services as records

DEMO_PASSWORD = "mentorship-demo"
# Demo consultancy admins have two-factor authentication set up with this (public!) secret:
# `python manage.py demo_totp_code` prints the current code. Never use it outside the demo.
DEMO_TOTP_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    roles: tuple[str, ...]
    language: str = "sv"
    time_zone: str = "Europe/Stockholm"


CONSULTANCY_PEOPLE = [
    DemoPerson("admin@example.com", "Sara Lindholm", ("consultancy_admin",)),
    DemoPerson("mentor@example.com", "Mona Ekberg", ("mentor",)),
    DemoPerson("johan.sandell@example.com", "Johan Sandell", ("mentor", "consultancy_admin")),
    DemoPerson("leila.karimi@example.com", "Leila Karimi", ("mentor",), language="en"),
    DemoPerson("per.holm@example.com", "Per Holm", ("mentor",), time_zone="America/New_York", language="en"),
]

ORGANISATIONS = {
    "Björkvik Logistik AB": {
        "city": "Göteborg",
        "contact_name": "Ingrid Wall",
        "contact_email": "ingrid.wall@example.com",
    },
    "Solhaga Energi AB": {"city": "Uppsala", "contact_name": "Tomas Rask", "contact_email": "tomas.rask@example.com"},
}

# (person, organisation, title)
CLIENT_PEOPLE = [
    (DemoPerson("mentee@example.com", "Erik Nyström", ("mentee",)), "Björkvik Logistik AB", "Head of Warehouse"),
    (DemoPerson("fredrik.olsson@example.com", "Fredrik Olsson", ("mentee",)), "Björkvik Logistik AB", "Sales Manager"),
    (DemoPerson("other.mentee@example.com", "Hanna Ek", ("mentee",), language="en"), "Solhaga Energi AB", "CFO"),
    (DemoPerson("karin.alm@example.com", "Karin Alm", ("mentee",)), "Björkvik Logistik AB", "CEO"),
    (DemoPerson("oskar.lund@example.com", "Oskar Lund", ("mentee",)), "Björkvik Logistik AB", "CFO"),
    (DemoPerson("maria.sjoberg@example.com", "Maria Sjöberg", ("mentee",)), "Björkvik Logistik AB", "HR Director"),
    (DemoPerson("ali.hassan@example.com", "Ali Hassan", ("mentee",)), "Björkvik Logistik AB", "COO"),
    (DemoPerson("eva.strand@example.com", "Eva Strand", ("mentee",)), "Björkvik Logistik AB", "CTO"),
    (
        DemoPerson("lina.berg@example.com", "Lina Berg", ("mentee",)),
        "Björkvik Logistik AB",
        "Head of Customer Service",
    ),
]

LEADERSHIP_TEAM = (
    "Björkvik Logistik AB",
    "Björkvik ledningsgrupp",
    [
        "karin.alm@example.com",
        "oskar.lund@example.com",
        "maria.sjoberg@example.com",
        "ali.hassan@example.com",
        "eva.strand@example.com",
    ],
)


# The team's roster changed during the mentorship: Eva Strand (CTO) left, and Lina Berg joined
# later; the leadership team's earlier sessions are not hers, its later ones not Eva's. Ali Hassan
# missed two of the three latest team sessions (a health signal); Maria Sjöberg books the team's
# sessions as its coordinator.
TEAM_LEFT = ("eva.strand@example.com", 35)  # (who, left this many days before the seed day)
TEAM_JOINED_LATE = ("lina.berg@example.com", 21)  # (who, joined this many days before the seed day)
TEAM_COORDINATOR = "maria.sjoberg@example.com"
TEAM_MISSING = "ali.hassan@example.com"


def ensure_person(person: DemoPerson, *, organisation: Organisation | None = None, title: str = "") -> User:
    return User.objects.filter(email=person.email).first() or factories.make_user(
        **asdict(person),
        password=DEMO_PASSWORD,
        totp_secret=DEMO_TOTP_SECRET,
        organisation=organisation,
        title=title,
    )


@transaction.atomic
def seed_people_and_organisations() -> dict[str, User]:
    people = {person.email: ensure_person(person) for person in CONSULTANCY_PEOPLE}
    organisations = {
        name: Organisation.objects.filter(name=name).first() or factories.make_organisation(name=name, **fields)
        for name, fields in ORGANISATIONS.items()
    }
    for person, organisation_name, title in CLIENT_PEOPLE:
        people[person.email] = ensure_person(person, organisation=organisations[organisation_name], title=title)
    organisation_name, team_name, member_emails = LEADERSHIP_TEAM
    organisation = organisations[organisation_name]
    if not LeadershipTeam.objects.filter(organisation=organisation, name=team_name).exists():
        # Each member's title in the team is their title at the organisation.
        factories.make_team(
            organisation=organisation, name=team_name, members=[people[email] for email in member_emails]
        )
    return people


MENTOR_PROFILES = {
    "mentor@example.com": {
        "headline": "Former COO who helps new leaders find their footing",
        "bio": "Twenty years of leading logistics and operations teams. I work with people who are new in a "
        "role, and with leadership teams in the middle of a change.",
        "focus": ["leadership", "new-in-role", "change-management", "team-development"],
        "languages": ["sv", "en"],
        "years_of_experience": 22,
        "mentors_teams": True,
        "capacity": 5,
        "region": "Göteborg",
    },
    "johan.sandell@example.com": {
        "headline": "Strategy and business development for growing companies",
        "bio": "Founder of two companies; I help leaders test new business ideas before they bet on them.",
        "focus": ["strategy-business-development", "leadership", "communication"],
        "languages": ["sv", "en", "no"],
        "years_of_experience": 18,
        "mentors_teams": True,
        "capacity": 3,
        "region": "Stockholm",
    },
    "leila.karimi@example.com": {
        "headline": "Communication and conflict handling under pressure",
        "bio": "HR director turned mentor. I help people handle tougher demands and difficult conversations.",
        "focus": ["communication", "conflict-handling", "personal-effectiveness"],
        "languages": ["en", "sv", "ar"],
        "years_of_experience": 15,
        "mentors_teams": False,
        "capacity": 4,
        "region": "Uppsala",
    },
    "per.holm@example.com": {
        "headline": "Personal effectiveness for leaders with too much on their plate",
        "bio": "Works from New York with Nordic leaders in international roles.",
        "focus": ["personal-effectiveness", "new-in-role"],
        "languages": ["en", "sv"],
        "years_of_experience": 12,
        "mentors_teams": False,
        "capacity": 2,
        "accepting_new": False,
        "region": "New York",
    },
}


def seed_mentor_profiles(people: dict[str, User]) -> None:
    for email, fields in MENTOR_PROFILES.items():
        if not MentorProfile.objects.filter(user=people[email]).exists():
            factories.make_mentor_profile(user=people[email], **fields)


# The engagements, by mentee (or "team": the leadership team). One without a mentor is still
# proposed; the others are active, with the history of how they started.
ENGAGEMENTS = [
    {
        "for": "mentee@example.com",
        "mentor": "mentor@example.com",
        "weeks_ago": 4,
        "focus": ["new-in-role", "leadership"],
        "triggers": ["new_in_role", "tougher_demands"],
        "initiated_by": "mentee",
        "goals": "Lead the warehouse team through the move to the new terminal.\nBuild trust with the night shift.",
        "intake": {
            "own_goals": "Feel confident in front of the whole warehouse team within three months.",
            "commitment": 5,
            "wants_from_mentor": "Someone who has done it before and dares to tell me when I am wrong.",
        },
    },
    {
        "for": "fredrik.olsson@example.com",
        "mentor": "leila.karimi@example.com",
        "weeks_ago": 20,
        "focus": ["communication", "conflict-handling"],
        "triggers": ["tougher_demands"],
        "initiated_by": "manager",
        "goals": "Handle tougher sales targets without burning out the team.",
        "preferred_language": "en",
    },
    {
        "for": "team",
        "mentor": "mentor@example.com",
        "weeks_ago": 6,
        "focus": ["change-management", "team-development", "leadership"],
        "triggers": ["new_organisation_role", "new_business_idea"],
        "initiated_by": "leadership_team",
        "goals": "Take the company from a regional carrier to a nationwide logistics partner, as one team.",
    },
    {
        "for": "other.mentee@example.com",
        "mentor": None,
        "weeks_ago": -2,
        "focus": ["strategy-business-development", "personal-effectiveness"],
        "triggers": ["new_business_idea", "new_in_role"],
        "initiated_by": "mentee",
        "goals": "Test whether the new heat-pump leasing idea can carry a business of its own.",
        "preferred_language": "en",
    },
]


def _history(engagement: Engagement, *, admin: User, mentor: User | None) -> None:
    """Created by the admin ten days before the start; with a mentor, assigned and accepted."""
    kind = EngagementEvent.Kind
    steps = [(kind.CREATED, admin, "", "proposed")]
    if mentor is not None:
        steps += [(kind.MENTOR_ASSIGNED, admin, "", ""), (kind.MENTOR_ACCEPTED, mentor, "proposed", "active")]
    start = datetime.datetime.combine(engagement.start_date, datetime.time(9), tzinfo=datetime.UTC)
    for offset, (what, actor, before, after) in enumerate(steps):
        at = start + datetime.timedelta(days=offset * 2 - 10)
        factories.make_event(engagement=engagement, kind=what, actor=actor, from_status=before, to_status=after, at=at)


def seed_engagements(people: dict[str, User], today: datetime.date | None = None) -> None:
    """Each engagement once (keyed on its mentee or team); later runs leave it as it is."""
    today = today or datetime.date.today()
    admin = people["admin@example.com"]
    team = LeadershipTeam.objects.get(name=LEADERSHIP_TEAM[1])
    for spec in ENGAGEMENTS:
        fields = dict(spec)
        whom = fields.pop("for")
        key = {"team": team} if whom == "team" else {"mentee": people[whom]}
        if Engagement.objects.filter(**key).exists():
            continue
        mentor = people.get(fields.pop("mentor"))
        intake = fields.pop("intake", None)
        start = today - datetime.timedelta(weeks=fields.pop("weeks_ago"))
        engagement = factories.make_engagement(
            **key,
            **fields,
            mentor=mentor,
            status=Engagement.Status.ACTIVE if mentor else Engagement.Status.PROPOSED,
            start_date=start,
            planned_end=add_months(start, 6),
            created_by=admin,
        )
        _history(engagement, admin=admin, mentor=mentor)
        if intake:
            factories.make_intake(engagement=engagement, **intake)


LEADS = [
    {
        "email": "lena.varg@example.com",
        "name": "Lena Varg",
        "company": "Granskog Bygg AB",
        "kind": "team",
        "message": "Our management team is merging with another company's. Could you help us?",
    },
    {
        "email": "mats.fors@example.com",
        "name": "Mats Fors",
        "company": "",
        "kind": "individual",
        "message": "I have just become a manager for the first time and would like a mentor.",
    },
]


def seed_leads() -> None:
    for lead in LEADS:
        if not Inquiry.objects.filter(email=lead["email"]).exists():
            factories.make_inquiry(**lead)


VENUES = [
    {"name": "Stigberget meeting rooms", "kind": "neutral", "address": "Stigbergsliden 7", "city": "Göteborg"},
    {"name": "Kvarnen business lounge", "kind": "neutral", "address": "Drottninggatan 12", "city": "Stockholm"},
    {"name": "Slottsbacken rooms", "kind": "neutral", "address": "Svartbäcksgatan 3", "city": "Uppsala"},
    {"name": "Café Magasinet", "kind": "cafe", "address": "Magasinsgatan 20", "city": "Göteborg"},
    {"name": "Video call", "kind": "online"},
]
# A client's own premises, offered only to that client's engagements.
CLIENT_SITE = {"name": "Björkvik head office", "kind": "client_site", "address": "Hamnvägen 1", "city": "Göteborg"}

# (weekday, from, until) per mentor, in the mentor's own time zone.
AVAILABILITY = {
    "mentor@example.com": [(0, 8, 12), (1, 13, 17), (3, 8, 17), (4, 8, 12)],
    "johan.sandell@example.com": [(1, 9, 16), (2, 9, 16)],
    "leila.karimi@example.com": [(0, 13, 18), (2, 8, 12), (3, 13, 18)],
    "per.holm@example.com": [(0, 9, 13), (3, 9, 13)],
}


def seed_venues_and_availability(people: dict[str, User]) -> dict[str, Venue]:
    client_site = {**CLIENT_SITE, "organisation": Organisation.objects.get(name="Björkvik Logistik AB")}
    venues = {}
    for fields in [*VENUES, client_site]:
        venues[fields["name"]] = Venue.objects.filter(name=fields["name"]).first() or factories.make_venue(**fields)
    for email, windows in AVAILABILITY.items():
        mentor = people[email]
        if mentor.availability_windows.exists():
            continue
        for weekday, start, end in windows:
            factories.make_availability(
                mentor=mentor, weekdays=[weekday], start_time=datetime.time(start), end_time=datetime.time(end)
            )
    return venues


def _cadence_days(engagement: Engagement, today: datetime.date) -> list[datetime.date]:
    """The days the engagement meets, from its start to a month ahead: on the cadence engine's due
    dates (every other week in the initial phase, then monthly), moved off weekends and public
    holidays."""
    days, day = [], engagement.start_date
    rules = CadenceRules.of(engagement)
    while day < today + datetime.timedelta(days=30):
        meeting_day = day
        while meeting_day.weekday() >= 5 or workdays.is_holiday(meeting_day):
            meeting_day += datetime.timedelta(days=1)
        days.append(meeting_day)
        day = next_due(rules, last_held=day, next_booked=None, today=day).due_date
    return days


def _taken(engagement: Engagement, start: datetime.datetime, end: datetime.datetime) -> bool:
    people = Q(mentor=engagement.mentor) | (
        Q(team=engagement.team) if engagement.team_id else Q(mentee=engagement.mentee)
    )
    return MentoringSession.objects.filter(people, start__lt=end, end__gt=start).exclude(status="cancelled").exists()


def seed_sessions(venues: dict, today: datetime.date | None = None) -> None:
    """Past and upcoming sessions for the active demo engagements, on the cadence. Only
    engagements without sessions get them."""
    today = today or datetime.date.today()
    active = Engagement.objects.filter(status=Engagement.Status.ACTIVE).select_related("mentor").order_by("pk")
    for index, engagement in enumerate(active):
        hour = 9 + 3 * (index % 3)  # different engagements of one mentor meet at different times
        if engagement.sessions.exists():
            continue
        zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
        room = venues["Stigberget meeting rooms"] if engagement.organisation.city == "Göteborg" else None
        for day in _cadence_days(engagement, today):
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
            end = start + datetime.timedelta(minutes=engagement.session_minutes)
            if _taken(engagement, start, end):  # a day moved off a holiday onto another's meeting
                continue
            # The room holds one session at a time: another engagement there at that hour meets online.
            room_free = room and not MentoringSession.objects.filter(room=room, start__lt=end, end__gt=start).exists()
            factories.make_session(
                engagement=engagement,
                start=start,
                end=end,
                venue=room if room_free else venues["Video call"],
                status=SessionStatus.COMPLETED if day < today else SessionStatus.CONFIRMED,
            )


SHARED_NOTES = [
    "We mapped the three groups in the warehouse and who speaks for each.\n- Talk to the night-shift lead before Friday\n- Draft the message about the new terminal",
    "Good progress on delegation. The weekly meeting now has an agenda the team writes.",
    "We practised the difficult conversation about overtime. Next time: how to say no upwards.",
]
PRIVATE_NOTES = [
    "Seems anxious about the CEO's expectations; came back to it three times. Explore next time.",
    "Energy much better today. Trust is building; he asked for honest feedback himself.",
    "Noticed avoidance around the HR topic. Do not push yet.",
]
ACTION_ITEMS = ["Talk to the night-shift lead", "Write the terminal announcement", "Say no to one meeting"]


def _records(session, index: int, today: datetime.date) -> None:
    """A shared and a private note, a reflection, feedback and the mentee's action item on a held
    session."""
    factories.make_note(session=session, visibility="shared", body=SHARED_NOTES[index % 3])
    factories.make_note(session=session, visibility="private", body=PRIVATE_NOTES[index % 3])
    factories.make_reflection(
        session=session,
        timing="after",
        visibility="shared" if index % 2 == 0 else "private",
        body="I felt listened to. I want to be braver in the management meeting.",
    )
    factories.make_feedback(
        session=session, usefulness=4 + (index % 2), trust=5, comment="Clear and kind." if index == 0 else ""
    )
    due = session.start.date() + datetime.timedelta(days=10)
    factories.make_action_item(
        engagement=session.engagement,
        session=session,
        text=ACTION_ITEMS[index % 3],
        due_date=due,
        done_at=session.end if due < today else None,
    )


def seed_session_records(people: dict[str, User], today: datetime.date | None = None) -> None:
    """Notes, reflections, action items and feedback on the past demo sessions (once per session)."""
    today = today or datetime.date.today()
    for engagement in Engagement.objects.filter(status=Engagement.Status.ACTIVE, mentee__isnull=False):
        held = engagement.sessions.filter(status=SessionStatus.COMPLETED).order_by("start")
        for index, session in enumerate(held):
            if not session.notes.exists():
                _records(session, index, today)


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
        held = list(engagement.sessions.filter(status=SessionStatus.COMPLETED).order_by("start"))
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


def seed_all() -> None:
    people = seed_people_and_organisations()
    with transaction.atomic():
        factories.core_focus_areas()  # a flushed database (transactional tests) lost the migration's
        seed_mentor_profiles(people)
        seed_engagements(people)
        seed_team_roster(people)
        seed_leads()
        venues = seed_venues_and_availability(people)
        seed_sessions(venues)
        seed_team_attendance(people)
        seed_session_records(people)
        seed_contracts(people)
        seed_finalised_month(people)
