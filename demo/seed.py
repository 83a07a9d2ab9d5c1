"""Invented demo data: a consultancy, its mentors, two client companies and their people.

Every function is idempotent (keyed on email addresses and names), so `seed_demo` can run on
every `make run`. All people and companies here are made up.
"""

import datetime
import importlib
import zoneinfo
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts.models import User
from mentorship.cadence import CadenceRules, add_months, next_due
from mentorship.models import (
    Engagement,
    EngagementEvent,
    FocusArea,
    Inquiry,
    IntakeResponse,
    LeadershipTeam,
    MentorProfile,
    Organisation,
    OrganisationMember,
    TeamMembership,
)
from sessions.models import (
    ActionItem,
    AvailabilityWindow,
    Feedback,
    MentoringSession,
    Reflection,
    SessionNote,
    SessionStatus,
    Venue,
)

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


def ensure_person(person: DemoPerson) -> User:
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={"full_name": person.full_name, "language": person.language, "time_zone": person.time_zone},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    for role in person.roles:
        user.add_role(role)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=person.email, defaults={"verified": True, "primary": True})
    if user.is_consultancy_admin and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


@transaction.atomic
def seed_people_and_organisations() -> dict[str, User]:
    people = {person.email: ensure_person(person) for person in CONSULTANCY_PEOPLE}
    organisations = {
        name: Organisation.objects.update_or_create(name=name, defaults=fields)[0]
        for name, fields in ORGANISATIONS.items()
    }
    for person, organisation_name, title in CLIENT_PEOPLE:
        user = ensure_person(person)
        people[person.email] = user
        OrganisationMember.objects.update_or_create(
            user=user, defaults={"organisation": organisations[organisation_name], "title": title}
        )
    organisation_name, team_name, member_emails = LEADERSHIP_TEAM
    team, _ = LeadershipTeam.objects.get_or_create(organisation=organisations[organisation_name], name=team_name)
    for email in member_emails:
        TeamMembership.objects.update_or_create(
            team=team, user=people[email], defaults={"title": people[email].organisation_membership.title}
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


def ensure_focus_areas() -> None:
    """The core focus areas come from a data migration; a flushed database (transactional tests)
    loses them, so the demo puts them back."""
    core = importlib.import_module("mentorship.migrations.0003_seed_focus_areas").FOCUS_AREAS
    for position, (slug, name_en, name_sv) in enumerate(core, start=1):
        FocusArea.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_sv": name_sv, "position": position * 10}
        )


def seed_mentor_profiles(people: dict[str, User]) -> None:
    for email, fields in MENTOR_PROFILES.items():
        fields = dict(fields)
        focus = fields.pop("focus")
        profile, _ = MentorProfile.objects.update_or_create(user=people[email], defaults=fields)
        profile.focus_areas.set(FocusArea.objects.filter(slug__in=focus))


def _engagement(
    *, key_filter: dict, today: datetime.date, weeks_ago: int, focus: list[str], events, **fields
) -> Engagement:
    """Create the engagement once (keyed on its mentee or team); later runs leave it as it is."""
    existing = Engagement.objects.filter(**key_filter).first()
    if existing is not None:
        return existing
    start = today - datetime.timedelta(weeks=weeks_ago)
    engagement = Engagement.objects.create(start_date=start, planned_end=add_months(start, 6), **key_filter, **fields)
    engagement.focus_areas.set(FocusArea.objects.filter(slug__in=focus))
    created_at = datetime.datetime.combine(start - datetime.timedelta(days=10), datetime.time(9), tzinfo=datetime.UTC)
    for offset, (kind, actor, from_status, to_status, detail) in enumerate(events):
        EngagementEvent.objects.create(
            engagement=engagement,
            kind=kind,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            detail=detail,
            at=created_at + datetime.timedelta(days=offset * 2),
        )
    return engagement


def seed_engagements(people: dict[str, User], today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    admin = people["admin@example.com"]
    team = LeadershipTeam.objects.get(name="Björkvik ledningsgrupp")

    def started(mentor):
        return [
            (EngagementEvent.Kind.CREATED, admin, "", "proposed", ""),
            (EngagementEvent.Kind.MENTOR_ASSIGNED, admin, "", "", ""),
            (EngagementEvent.Kind.MENTOR_ACCEPTED, mentor, "proposed", "active", ""),
        ]

    mentor = people["mentor@example.com"]
    early = _engagement(
        key_filter={"mentee": people["mentee@example.com"]},
        today=today,
        weeks_ago=4,
        focus=["new-in-role", "leadership"],
        events=started(mentor),
        organisation=team.organisation,
        mentor=mentor,
        status=Engagement.Status.ACTIVE,
        triggers=["new_in_role", "tougher_demands"],
        initiated_by="mentee",
        goals="Lead the warehouse team through the move to the new terminal.\nBuild trust with the night shift.",
        created_by=admin,
    )
    IntakeResponse.objects.get_or_create(
        engagement=early,
        mentee=early.mentee,
        defaults={
            "own_goals": "Feel confident in front of the whole warehouse team within three months.",
            "commitment": 5,
            "wants_from_mentor": "Someone who has done it before and dares to tell me when I am wrong.",
        },
    )
    leila = people["leila.karimi@example.com"]
    _engagement(
        key_filter={"mentee": people["fredrik.olsson@example.com"]},
        today=today,
        weeks_ago=20,
        focus=["communication", "conflict-handling"],
        events=started(leila),
        organisation=team.organisation,
        mentor=leila,
        status=Engagement.Status.ACTIVE,
        triggers=["tougher_demands"],
        initiated_by="manager",
        goals="Handle tougher sales targets without burning out the team.",
        preferred_language="en",
        created_by=admin,
    )
    _engagement(
        key_filter={"team": team},
        today=today,
        weeks_ago=6,
        focus=["change-management", "team-development", "leadership"],
        events=started(mentor),
        organisation=team.organisation,
        mentor=mentor,
        status=Engagement.Status.ACTIVE,
        triggers=["new_organisation_role", "new_business_idea"],
        initiated_by="leadership_team",
        goals="Take the company from a regional carrier to a nationwide logistics partner, as one team.",
        created_by=admin,
    )
    _engagement(
        key_filter={"mentee": people["other.mentee@example.com"]},
        today=today,
        weeks_ago=-2,
        focus=["strategy-business-development", "personal-effectiveness"],
        events=[(EngagementEvent.Kind.CREATED, admin, "", "proposed", "")],
        organisation=Organisation.objects.get(name="Solhaga Energi AB"),
        status=Engagement.Status.PROPOSED,
        triggers=["new_business_idea", "new_in_role"],
        initiated_by="mentee",
        goals="Test whether the new heat-pump leasing idea can carry a business of its own.",
        preferred_language="en",
        created_by=admin,
    )


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
        Inquiry.objects.get_or_create(email=lead["email"], defaults=lead)


VENUES = [
    {"name": "Stigberget meeting rooms", "kind": "neutral", "address": "Stigbergsliden 7", "city": "Göteborg"},
    {"name": "Kvarnen business lounge", "kind": "neutral", "address": "Drottninggatan 12", "city": "Stockholm"},
    {"name": "Slottsbacken rooms", "kind": "neutral", "address": "Svartbäcksgatan 3", "city": "Uppsala"},
    {"name": "Café Magasinet", "kind": "cafe", "address": "Magasinsgatan 20", "city": "Göteborg"},
    {"name": "Video call", "kind": "online", "meeting_url": "https://meet.example.com/mentorship"},
]

# (weekday, from, until) per mentor, in the mentor's own time zone.
AVAILABILITY = {
    "mentor@example.com": [(0, 8, 12), (1, 13, 17), (3, 8, 17), (4, 8, 12)],
    "johan.sandell@example.com": [(1, 9, 16), (2, 9, 16)],
    "leila.karimi@example.com": [(0, 13, 18), (2, 8, 12), (3, 13, 18)],
    "per.holm@example.com": [(0, 9, 13), (3, 9, 13)],
}


def seed_venues_and_availability(people: dict[str, User]) -> dict[str, Venue]:
    venues = {}
    for fields in VENUES:
        venues[fields["name"]], _ = Venue.objects.get_or_create(name=fields["name"], defaults=fields)
    client_site, _ = Venue.objects.get_or_create(
        name="Björkvik head office",
        defaults={
            "kind": "client_site",
            "address": "Hamnvägen 1",
            "city": "Göteborg",
            "organisation": Organisation.objects.get(name="Björkvik Logistik AB"),
        },
    )
    venues[client_site.name] = client_site
    for email, windows in AVAILABILITY.items():
        mentor = people[email]
        for weekday, start, end in windows:
            AvailabilityWindow.objects.get_or_create(
                mentor=mentor,
                weekday=weekday,
                start_time=datetime.time(start),
                end_time=datetime.time(end),
                defaults={"time_zone": mentor.time_zone},
            )
    return venues


def seed_sessions(venues: dict, today: datetime.date | None = None) -> None:
    """Past and upcoming sessions for the active demo engagements, on the cadence: every other
    week in the initial phase, then monthly. Only engagements without sessions get them."""
    today = today or datetime.date.today()
    active = Engagement.objects.filter(status=Engagement.Status.ACTIVE).select_related("mentor").order_by("pk")
    for index, engagement in enumerate(active):
        hour = 9 + 3 * (index % 3)  # different engagements of one mentor meet at different times
        if engagement.sessions.exists():
            continue
        zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
        venue = (
            venues["Stigberget meeting rooms"] if engagement.organisation.city == "Göteborg" else venues["Video call"]
        )
        day = engagement.start_date
        dates = []
        rules = CadenceRules.of(engagement)
        while day < today + datetime.timedelta(days=30):
            dates.append(day)
            # Meet on the cadence: the engine's due date after this session.
            day = next_due(rules, last_held=day, next_booked=None, today=day).due_date
        for day in dates:
            while day.weekday() >= 5:  # meet on weekdays
                day += datetime.timedelta(days=1)
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
            MentoringSession.for_engagement(
                engagement,
                start=start,
                venue=venue,
                status=SessionStatus.COMPLETED if day < today else SessionStatus.CONFIRMED,
            ).save()


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


def seed_session_records(people: dict[str, User], today: datetime.date | None = None) -> None:
    """Notes, reflections, action items and feedback on the past demo sessions (once per session)."""
    today = today or datetime.date.today()
    for engagement in Engagement.objects.filter(status=Engagement.Status.ACTIVE, mentee__isnull=False):
        held = list(engagement.sessions.filter(status=SessionStatus.COMPLETED).order_by("start"))
        for index, session in enumerate(held):
            if session.notes.exists():
                continue
            SessionNote.objects.create(
                session=session, author=engagement.mentor, visibility="shared", body=SHARED_NOTES[index % 3]
            )
            SessionNote.objects.create(
                session=session, author=engagement.mentor, visibility="private", body=PRIVATE_NOTES[index % 3]
            )
            Reflection.objects.create(
                session=session,
                author=engagement.mentee,
                timing="after",
                visibility="shared" if index % 2 == 0 else "private",
                body="I felt listened to. I want to be braver in the management meeting.",
            )
            Feedback.objects.get_or_create(
                session=session,
                mentee=engagement.mentee,
                defaults={
                    "usefulness": 4 + (index % 2),
                    "trust": 5,
                    "comment": "Clear and kind." if index == 0 else "",
                },
            )
            ActionItem.objects.create(
                engagement=engagement,
                session=session,
                text=["Talk to the night-shift lead", "Write the terminal announcement", "Say no to one meeting"][
                    index % 3
                ],
                owner=engagement.mentee,
                due_date=session.start.date() + datetime.timedelta(days=10),
                done_at=session.end if session.start.date() + datetime.timedelta(days=10) < today else None,
                created_by=engagement.mentor,
            )


def seed_all() -> None:
    people = seed_people_and_organisations()
    with transaction.atomic():
        ensure_focus_areas()
        seed_mentor_profiles(people)
        seed_engagements(people)
        seed_leads()
        venues = seed_venues_and_availability(people)
        seed_sessions(venues)
        seed_session_records(people)
