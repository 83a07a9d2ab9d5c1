"""The benchmark's data: invented people, organisations, engagements and sessions at four sizes,
made with demo/factories.py's build_* functions (the defaults of the tests and the demo) and
inserted in bulk, with a fixed random seed.

Every size has the same shape, only more of it: ten sessions per engagement on average (34 weeks
of them, 26 behind and 8 ahead), one engagement in ten for a leadership team of four, mostly
active. What the reminder sweep finds due is the same handful at every size, as in real use where
the sweep runs every few minutes and mentors write their notes: every active engagement but three
has its next session booked, planned ends are weeks away but for two, and the mentors' notes are
written but for three sessions. The sweep is measured at `sweep_instant()`, 03:00 UTC today, when
no session starts within a session reminder's window.
"""

import dataclasses
import datetime
import random
import uuid

SEED = 20260608


@dataclasses.dataclass(frozen=True)
class Size:
    mentors: int
    engagements: int
    sessions: int

    def __str__(self) -> str:
        return f"{self.mentors} mentors, {self.engagements} engagements, {self.sessions} sessions"


SIZES = {
    "S": Size(mentors=10, engagements=50, sessions=500),
    "C": Size(mentors=60, engagements=300, sessions=5_000),
    "L": Size(mentors=200, engagements=1_000, sessions=10_000),
    "XL": Size(mentors=2_000, engagements=10_000, sessions=100_000),
}

FIRST_NAMES = [
    "Alvar", "Brita", "Cassian", "Dagny", "Edvin", "Fenja", "Gorm", "Hedda", "Isolde", "Joar",
    "Kajsa", "Liv", "Malte", "Nanna", "Orvar", "Pella", "Quirin", "Runa", "Sixten", "Tilde",
    "Ulvar", "Vera", "Wilmer", "Ylva", "Åsa", "Östen",
]  # fmt: skip
LAST_NAMES = [
    "Brandqvist", "Dalmark", "Ekvall", "Fjällström", "Granlid", "Hagvik", "Isberg", "Kvarnlöf",
    "Lindhammar", "Mossgren", "Norrtälj", "Ovanbäck", "Rimfors", "Saltvik", "Tallgren", "Vassmo",
]  # fmt: skip
COMPANY_WORDS = ["Norrvik", "Solberga", "Kvarntorp", "Ljusnäs", "Eklunda", "Fjärdholm", "Stenbacka", "Ålvik"]
COMPANY_KINDS = ["Logistik", "Bygg", "Data", "Energi", "Vård", "Media", "Livs", "Teknik"]
BENCH_TOTP_SECRET = "KRUGS4ZANJSXG5BAMJSW4Y3IEBZWKY3S"
SLOT_HOURS_UTC = [(7, 0), (9, 30), (12, 0), (14, 30)]
UNBOOKED = 3  # active engagements with nothing booked (a booking nudge may be due)
ENDING = 2  # engagements whose planned end is near (a review reminder is due)
WITHOUT_NOTES = 3  # recently held sessions without the mentor's note (a notes nudge is due)
JOURNEY_MENTEES = 13
JOURNEY_MENTORS = 6


@dataclasses.dataclass
class Probe:
    """The people, engagement and session whose pages are measured (the same roles at every
    size), and the distinct people of the load test's journeys."""

    admin_email: str
    mentor_email: str
    mentee_email: str
    engagement_uuid: uuid.UUID
    session_uuid: uuid.UUID
    organisation_uuid: uuid.UUID
    journey_mentees: list[tuple[str, uuid.UUID]]  # (email, engagement) with distinct mentors
    journey_mentors: list[tuple[str, list[uuid.UUID]]]  # (email, their held sessions)


def sweep_instant() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now().replace(hour=3, minute=0, second=0, microsecond=0)


def generate(size: Size, seed: int = SEED) -> Probe:
    """Fill the (empty) bench database; the stored health is rebuilt at the end (bulk inserts
    send no signals), and the stored due dates, which the inserts marked stale, are computed (as
    the sweep every few minutes would have done)."""
    from django.db import transaction

    from reporting.health import store
    from sessions import due_store

    with transaction.atomic():
        probe = _Generator(size, random.Random(seed)).run()
        store.rebuild()
    due_store.refresh()
    return probe


class _Generator:
    def __init__(self, size: Size, rng: random.Random):
        from django.utils import timezone

        self.size, self.rng = size, rng
        self.now = timezone.now()
        self.today = self.now.date()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def run(self) -> Probe:
        from demo import factories

        self.admin = factories.make_user(
            email="bench-admin-00000@example.invalid",
            full_name=self.name(),
            roles=("consultancy_admin",),  # admins must have two-factor authentication
            totp_secret=BENCH_TOTP_SECRET,
            password=None,
            language="sv",
        )
        self.areas = list(factories.core_focus_areas().values())
        self.venues = [
            factories.make_venue(name="Rimfors meeting room", kind="neutral", city="Stockholm"),
            factories.make_venue(name="Café Saltvik", kind="cafe", city="Göteborg"),
            factories.make_venue(name="Video call", kind="online"),
        ]
        self.mentors = self.make_mentors()
        self.make_engagements()
        self.make_sessions()
        self.make_action_items()
        return self.probe()

    def users(self, prefix: str, count: int, role: str) -> list:
        """Invented people in bulk, without a usable password (no hashing: the benchmark signs
        in with force_login)."""
        from accounts.models import User
        from demo import factories

        return User.objects.bulk_create(
            (
                factories.build_user(
                    email=f"bench-{prefix}-{i:05d}@example.invalid",
                    full_name=self.name(),
                    roles=(role,),
                    password=None,
                    language="sv",
                )
                for i in range(count)
            ),
            batch_size=2000,
        )

    def make_mentors(self) -> list:
        """Mentors with profiles (three focus areas each) and availability on weekdays."""
        from demo import factories
        from mentorship.models import MentorProfile
        from sessions.models import AvailabilityWindow

        rng = self.rng
        mentors = self.users("mentor", self.size.mentors, "mentor")
        profiles = MentorProfile.objects.bulk_create(
            factories.build_mentor_profile(
                user=mentor,
                headline="Former chief executive",
                languages=["sv", "en"],
                years_of_experience=rng.randint(5, 30),
                mentors_teams=rng.random() < 0.3,
                capacity=8,
                region=rng.choice(COMPANY_WORDS),
            )
            for mentor in mentors
        )
        MentorProfile.focus_areas.through.objects.bulk_create(
            MentorProfile.focus_areas.through(mentorprofile_id=profile.pk, focusarea_id=area.pk)
            for profile in profiles
            for area in rng.sample(self.areas, 3)
        )
        AvailabilityWindow.objects.bulk_create(
            window
            for mentor in mentors
            for window in factories.build_availability(
                mentor=mentor, weekdays=range(5), end_time=datetime.time(17), time_zone="Europe/Stockholm"
            )
        )
        return mentors

    def make_engagements(self) -> None:
        """Engagements at invented organisations, one in ten for a leadership team of four.
        Engagement 0 is the probe's (active, individual, mentor 0); engagements 1.. with an
        individual mentee and another mentor are active too (the load test's mentees)."""
        from demo import factories
        from mentorship.models import Engagement, LeadershipTeam, Organisation, OrganisationMember, TeamMembership

        rng, count = self.rng, self.size.engagements
        organisations = Organisation.objects.bulk_create(
            factories.build_organisation(
                uuid=self.uuid(),
                name=f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {i + 1}",
                city="Stockholm",
            )
            for i in range(max(5, count // 10))
        )
        self.is_team = [i % 10 == 9 for i in range(count)]
        statuses = ["active" if i <= JOURNEY_MENTEES + 1 else self.status() for i in range(count)]
        orgs = [organisations[i % len(organisations)] for i in range(count)]
        mentees = iter(self.users("mentee", self.is_team.count(False), "mentee"))
        teams = iter(
            LeadershipTeam.objects.bulk_create(
                factories.build_team(uuid=self.uuid(), organisation=orgs[i], name=f"Ledningsgrupp {i + 1}")
                for i in range(count)
                if self.is_team[i]
            )
        )
        members = iter(self.users("member", 4 * self.is_team.count(True), "mentee"))
        self.engagements, memberships, team_memberships, self.team_members = [], [], [], {}
        for i in range(count):
            if self.is_team[i]:
                whom = {"team": next(teams)}
                self.team_members[i] = [next(members) for _ in range(4)]
                memberships += [factories.build_member(organisation=orgs[i], user=m) for m in self.team_members[i]]
                team_memberships += [
                    factories.build_team_member(team=whom["team"], user=m, title="Head of unit")
                    for m in self.team_members[i]
                ]
            else:
                whom = {"mentee": next(mentees)}
                memberships.append(factories.build_member(organisation=orgs[i], user=whom["mentee"]))
            ending = 0 < i <= ENDING * 7 and i % 7 == 0
            self.engagements.append(
                self.engagement(
                    organisation=orgs[i],
                    status=statuses[i],
                    mentor=self.mentors[i % len(self.mentors)],
                    ending=ending,
                    **whom,
                )
            )
        OrganisationMember.objects.bulk_create(memberships, batch_size=2000)
        TeamMembership.objects.bulk_create(team_memberships, batch_size=2000)
        Engagement.objects.bulk_create(self.engagements, batch_size=2000)
        self.engagement_extras()

    def status(self) -> str:
        return self.rng.choices(["active", "proposed", "paused", "completed"], [75, 10, 5, 10])[0]

    def engagement(self, *, organisation, status: str, mentor, ending: bool, **whom):
        """Started 5 to 13 months ago, ending in 3 weeks to 10 months (or within days when
        `ending`); no mentor yet when proposed."""
        from demo import factories

        start = self.today - datetime.timedelta(days=self.rng.randint(150, 390))
        end_in = self.rng.randint(2, 10) if ending else self.rng.randint(21, 300)
        return factories.build_engagement(
            uuid=self.uuid(),
            organisation=organisation,
            mentor=None if status == "proposed" else mentor,
            status=status,
            triggers=[self.rng.choice(["new_in_role", "tougher_demands", "new_business_idea"])],
            initiated_by=self.rng.choice(["mentee", "manager", "leadership_team"]),
            goals="Grow into the role and build a team that carries the change.",
            start_date=start,
            planned_end=self.today + datetime.timedelta(days=end_in),
            session_minutes=120,
            created_by=self.admin,
            **whom,
        )

    def engagement_extras(self) -> None:
        """Two focus areas each; a pending request to a mentor for the proposed ones; intake
        answers from the mentees of the started ones."""
        from demo import factories
        from mentorship.models import Engagement, IntakeResponse, MentorAssignment

        rng, mentors = self.rng, self.mentors
        Engagement.focus_areas.through.objects.bulk_create(
            (
                Engagement.focus_areas.through(engagement_id=engagement.pk, focusarea_id=area.pk)
                for engagement in self.engagements
                for area in rng.sample(self.areas, 2)
            ),
            batch_size=5000,
        )
        MentorAssignment.objects.bulk_create(
            factories.build_assignment(engagement=engagement, mentor=mentors[i % len(mentors)], assigned_by=self.admin)
            for i, engagement in enumerate(self.engagements)
            if engagement.status == "proposed"
        )
        IntakeResponse.objects.bulk_create(
            (
                factories.build_intake(
                    engagement=engagement,
                    own_goals="Lead through the reorganisation.",
                    commitment=rng.randint(2, 5),
                    wants_from_mentor="Honest questions.",
                )
                for engagement in self.engagements
                if engagement.mentee_id and engagement.status != "proposed"
            ),
            batch_size=2000,
        )

    def make_sessions(self) -> None:
        """Each mentor has distinct weekday slots from 26 weeks back to 8 weeks ahead, so no two
        sessions of a mentor (and so of a mentee or team) overlap. Completed and paused
        engagements only have past sessions; every active one but UNBOOKED has one booked ahead.
        Feedback on most held sessions; the mentor's note on every recent one but WITHOUT_NOTES."""
        from demo import factories
        from sessions.models import Feedback, MentoringSession, SessionNote

        rng, now = self.rng, self.now
        first_day = self.today - datetime.timedelta(weeks=26)
        all_slots = [
            datetime.datetime.combine(first_day + datetime.timedelta(days=d), datetime.time(h, m), tzinfo=datetime.UTC)
            for d in range(34 * 7)
            if (first_day + datetime.timedelta(days=d)).weekday() < 5
            for h, m in SLOT_HOURS_UTC
        ]
        free = {mentor.pk: rng.sample(all_slots, len(all_slots)) for mentor in self.mentors}
        with_sessions = [e for e in self.engagements if e.status != "proposed"]
        per_engagement, extra = divmod(self.size.sessions, len(with_sessions))
        unbooked = {e.pk for e in with_sessions if e.status == "active" and e.pk != self.engagements[0].pk}
        unbooked = set(sorted(unbooked)[-UNBOOKED:])
        self.sessions = []
        for index, engagement in enumerate(with_sessions):
            pool = free[engagement.mentor_id]
            wanted = per_engagement + (1 if index < extra else 0)
            if engagement.status == "active" and engagement.pk not in unbooked:
                booked = next(s for s in pool if s > now)  # the next one, booked
                pool.remove(booked)
                self.sessions.append(self.session(engagement, booked, "confirmed"))
                wanted -= 1
            for _ in range(wanted):
                start = next(
                    s for s in pool if s < now or (engagement.status == "active" and engagement.pk not in unbooked)
                )
                pool.remove(start)
                if start < now:
                    status = rng.choices(["completed", "cancelled", "no_show"], [85, 8, 7])[0]
                else:
                    status = rng.choices(["confirmed", "requested", "cancelled"], [85, 10, 5])[0]
                self.sessions.append(self.session(engagement, start, status))
        MentoringSession.objects.bulk_create(self.sessions, batch_size=2000)
        Feedback.objects.bulk_create(
            (
                factories.build_feedback(session=session, usefulness=rng.randint(2, 5), trust=rng.randint(3, 5))
                for session in self.sessions
                if session.status == "completed" and session.mentee is not None and rng.random() < 0.6
            ),
            batch_size=2000,
        )
        recent = sorted(
            (s for s in self.sessions if s.status == "completed" and s.end > now - datetime.timedelta(days=9)),
            key=lambda s: s.pk,
        )
        SessionNote.objects.bulk_create(
            (factories.build_note(session=session) for session in recent[WITHOUT_NOTES:]), batch_size=1000
        )

    def session(self, engagement, start: datetime.datetime, status: str):
        from demo import factories

        cancelled = status == "cancelled"
        return factories.build_session(
            engagement=engagement,
            start=start,
            uuid=self.uuid(),
            status=status,
            venue=self.rng.choice(self.venues),
            cancelled_at=start - datetime.timedelta(days=2) if cancelled else None,
            cancelled_by_id=engagement.mentor_id if cancelled else None,
        )

    def make_action_items(self) -> None:
        """Of each active engagement: one for the mentee (or a team member) and one for the mentor."""
        from demo import factories
        from sessions.models import ActionItem

        items = []
        for i, engagement in enumerate(self.engagements):
            if engagement.status != "active":
                continue
            owners = [engagement.mentee] if engagement.mentee else self.team_members[i][:1]
            for owner in owners + [engagement.mentor]:
                items.append(
                    factories.build_action_item(
                        engagement=engagement,
                        text="Write down three decisions to delegate.",
                        owner=owner,
                        due_date=self.today + datetime.timedelta(days=self.rng.randint(-10, 20)),
                        done_at=self.now if self.rng.random() < 0.4 else None,
                    )
                )
        ActionItem.objects.bulk_create(items, batch_size=2000)

    def probe(self) -> Probe:
        engagement = self.engagements[0]
        held = [s for s in self.sessions if s.engagement_id == engagement.pk and s.status == "completed"]
        individual = [
            e
            for e in self.engagements[1:]
            if e.status == "active" and e.mentee_id and e.mentor_id != engagement.mentor_id
        ]
        seen, mentees = set(), []
        for e in individual:
            if e.mentor_id not in seen and len(mentees) < JOURNEY_MENTEES:
                seen.add(e.mentor_id)
                mentees.append((e.mentee.email, e.uuid))
        mentors = []
        for mentor in self.mentors[len(self.mentors) // 2 :]:
            if len(mentors) == JOURNEY_MENTORS:
                break
            sessions = [s.uuid for s in self.sessions if s.mentor_id == mentor.pk and s.status == "completed"]
            if sessions:
                mentors.append((mentor.email, sessions))
        return Probe(
            admin_email=self.admin.email,
            mentor_email=self.mentors[0].email,
            mentee_email=engagement.mentee.email,
            engagement_uuid=engagement.uuid,
            session_uuid=held[-1].uuid,
            organisation_uuid=engagement.organisation.uuid,
            journey_mentees=mentees,
            journey_mentors=mentors,
        )
