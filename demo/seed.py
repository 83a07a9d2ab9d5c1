"""Invented demo data: a consultancy, its mentors, two client companies and their people.

Made through demo/factories.py, once: each function looks for what it would create (by email
address or name) and leaves what exists as it is, so `seed_demo` can run on every `make run` and
a changed password or profile survives. All people and companies here are made up.
"""

import datetime
import zoneinfo
from dataclasses import asdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from demo import factories
from demo.people import (
    CLIENT_PEOPLE,
    CONSULTANCY_PEOPLE,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    LEADERSHIP_TEAM,
    MENTOR_PROFILES,
    ORGANISATIONS,
    DemoPerson,
)
from demo.seed_choice import seed_declined_choice
from demo.seed_deal import (
    seed_contracts,
    seed_finalised_month,
    seed_team_attendance,
    seed_team_one_to_ones,
    seed_team_roster,
)
from demo.seed_progress import seed_progress
from demo.seed_sponsors import seed_sponsor
from mentorship import workdays
from mentorship.cadence import CadenceRules, add_months, next_due
from mentorship.models import (
    Engagement,
    EngagementEvent,
    Inquiry,
    LeadershipTeam,
    MentorProfile,
    Organisation,
)
from sessions.models import MentoringSession, SessionStatus, Venue


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
    seed_christmas_leave(people["leila.karimi@example.com"])
    return venues


def seed_christmas_leave(mentor: User) -> None:
    """Leila is away over Christmas, 21 December to 6 January: her booking pages say so."""
    if mentor.time_off.exists():
        return
    today = timezone.localdate()
    year = today.year - 1 if today <= datetime.date(today.year, 1, 6) else today.year
    factories.make_time_off(
        mentor=mentor,
        start_date=datetime.date(year, 12, 21),
        end_date=datetime.date(year + 1, 1, 6),
        note="Christmas",
    )


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


def seed_all() -> None:
    people = seed_people_and_organisations()
    with transaction.atomic():
        factories.core_focus_areas()  # a flushed database (transactional tests) lost the migration's
        seed_mentor_profiles(people)
        seed_engagements(people)
        seed_team_roster(people)
        seed_declined_choice(people)
        seed_leads()
        venues = seed_venues_and_availability(people)
        seed_sessions(venues)
        seed_team_attendance(people)
        seed_team_one_to_ones(people)
        seed_session_records(people)
        seed_contracts(people)
        seed_finalised_month(people)
        seed_progress(people)
        seed_sponsor(people)
