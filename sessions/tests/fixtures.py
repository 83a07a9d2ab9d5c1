"""Sessions and what surrounds them (registered in the root conftest): availability, venues,
booked, held and past sessions, action items and feedback. Thin wrappers around
demo/factories.py; sessions are written straight into the database (no booking rules, no
emails)."""

import dataclasses
import datetime
import itertools
import random

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from core.tests.helpers import days_from_now
from demo import factories
from mentorship.models import (
    Engagement,
    LeadershipTeam,
    MentorAssignment,
    Organisation,
    OrganisationMember,
    TeamMembership,
)
from sessions.models import ActionItem, AvailabilityWindow, MentoringSession, SessionStatus, VenueKind


@pytest.fixture
def open_availability(db):
    """open_availability(mentor=...): free 08:00–18:00 every day, in the mentor's own time zone."""
    return factories.make_availability


@pytest.fixture
def neutral_venue(db):
    return factories.make_venue(name="Riverside Rooms", kind=VenueKind.NEUTRAL, address="Kajgatan 4", city="Göteborg")


@pytest.fixture
def online_venue(db):
    return factories.make_venue(name="Video call", kind=VenueKind.ONLINE)


@pytest.fixture
def ready(engagement, open_availability, neutral_venue):
    """The individual engagement, its mentor free 08:00–18:00 every day, one neutral venue."""
    open_availability(mentor=engagement.mentor)
    return engagement


@pytest.fixture
def team_ready(team_engagement, open_availability, neutral_venue):
    open_availability(mentor=team_engagement.mentor)
    return team_engagement


@pytest.fixture
def one_to_one_team(team_ready):
    """The team engagement (open availability) with a monthly one-to-one per member; its members
    have sat in the team since a month before it started."""
    TeamMembership.objects.filter(team=team_ready.team).update(
        joined_on=team_ready.start_date - datetime.timedelta(days=30)
    )
    Engagement.objects.filter(pk=team_ready.pk).update(one_to_one_interval_months=1)
    team_ready.refresh_from_db()
    return team_ready


@pytest.fixture
def session_factory(db):
    """session_factory(engagement, hours_from_now=72, ...): a session at any time, even within the
    notice or in the past (confirmed unless told)."""

    def make(engagement, *, start=None, hours_from_now=72, **fields) -> MentoringSession:
        start = start or days_from_now(hours_from_now / 24)
        return factories.make_session(engagement=engagement, start=start, **fields)

    return make


@pytest.fixture
def booked(ready, session_factory, neutral_venue):
    """An upcoming confirmed session of the individual engagement, three days ahead."""
    return session_factory(ready, venue=neutral_venue)


@pytest.fixture
def past_session(db):
    """past_session(engagement, days_ago=2, ...): a session exactly `days_ago` days back (held
    unless told; negative: ahead)."""

    def make(engagement, *, days_ago: float = 2, status=SessionStatus.COMPLETED, **fields) -> MentoringSession:
        return factories.make_session(engagement=engagement, start=days_from_now(-days_ago), status=status, **fields)

    return make


@pytest.fixture
def held_session(db):
    """held_session(engagement, days_ago=2): a held session in the past; each call lands three
    hours earlier than the last, so one mentor's sessions never overlap."""
    offsets = itertools.count(1)

    def make(engagement, *, days_ago: float = 2, status=SessionStatus.COMPLETED) -> MentoringSession:
        start = days_from_now(-days_ago - next(offsets) / 8)
        return factories.make_session(engagement=engagement, start=start, status=status)

    return make


@pytest.fixture
def held(engagement, past_session) -> MentoringSession:
    """A held session of the individual engagement (`mentor` with `mentee`), two days ago."""
    return past_session(engagement)


@pytest.fixture
def team_held(team_engagement, past_session) -> MentoringSession:
    return past_session(team_engagement)


@pytest.fixture
def item_factory(db):
    """factories.make_action_item: item_factory(engagement=..., owner=..., ...)."""
    return factories.make_action_item


@pytest.fixture
def mentor_item(engagement, mentee):
    """An open item the mentor added for the mentee."""
    return factories.make_action_item(engagement=engagement, owner=mentee)


@pytest.fixture
def rate(db):
    """factories.make_feedback: rate(session=..., mentee=..., usefulness=4, trust=5)."""
    return factories.make_feedback


@dataclasses.dataclass(frozen=True)
class Population:
    """A consultancy of realistic size (see `population`) and the people whose pages are checked."""

    admin: User
    mentor: User  # mentors six engagements, one of them a team's; asked to take one more
    mentee: User  # an individual engagement with `mentor`, and a seat in a team `mentor` mentors
    engagement: Engagement  # the mentee's own with `mentor`, active, with upcoming and held sessions
    team_engagement: Engagement  # the team the mentee sits in, with `mentor`, active


POPULATION_MENTORS = 600
POPULATION_ENGAGEMENTS = 3000  # one in ten for a leadership team of four
POPULATION_SESSIONS = 20_000
# Each mentor's sessions sit in these UTC hours on weekdays, 26 weeks back to 8 weeks ahead.
POPULATION_SLOT_HOURS = (7, 9, 12, 14)


@pytest.fixture
def population(db, consultancy_admin) -> Population:
    """600 mentors, 3,000 engagements (a tenth of them leadership teams of four, most active),
    20,000 sessions from half a year back to two months ahead, in bulk inserts of
    demo/factories.py's build_* objects (about 10 s), then ANALYZE, so that the planner sees the
    sizes and shares of a real consultancy: five engagements a mentor, as at the benchmark's
    largest size (2,000 mentors, 10,000 engagements, 100,000 sessions). A fixed seed: the same
    data every run."""
    rng = random.Random(20261125)
    now = timezone.now()
    mentors = User.objects.bulk_create(
        factories.build_user(email=f"pop-mentor{i}@example.org", roles=("mentor",), password=None)
        for i in range(POPULATION_MENTORS)
    )
    AvailabilityWindow.objects.bulk_create(
        window for mentor in mentors for window in factories.build_availability(mentor=mentor, weekdays=range(5))
    )
    organisations = Organisation.objects.bulk_create(
        factories.build_organisation(name=f"Population {i} AB") for i in range(POPULATION_ENGAGEMENTS // 10)
    )
    is_team = [i % 10 == 9 for i in range(POPULATION_ENGAGEMENTS)]
    people = iter(
        User.objects.bulk_create(
            factories.build_user(email=f"pop-mentee{i}@example.org", roles=("mentee",), password=None)
            for i in range(is_team.count(False) + 4 * is_team.count(True))
        )
    )
    teams = iter(
        LeadershipTeam.objects.bulk_create(
            factories.build_team(organisation=organisations[i // 10], name=f"Team {i}")
            for i in range(POPULATION_ENGAGEMENTS)
            if is_team[i]
        )
    )
    engagements, members, seats = [], [], []
    for i in range(POPULATION_ENGAGEMENTS):
        organisation = organisations[i // 10]
        status = "active" if i < 20 else rng.choices(["active", "proposed", "paused", "completed"], [75, 10, 5, 10])[0]
        whom = {"team": next(teams)} if is_team[i] else {"mentee": next(people)}
        for user in [next(people) for _ in range(4)] if is_team[i] else [whom["mentee"]]:
            members.append(factories.build_member(organisation=organisation, user=user))
            if is_team[i]:
                seats.append(factories.build_team_member(team=whom["team"], user=user, title=""))
        start = now.date() - datetime.timedelta(days=rng.randint(150, 390))
        engagements.append(
            factories.build_engagement(
                organisation=organisation,
                mentor=None if status == "proposed" else mentors[0 if i == 19 else i % POPULATION_MENTORS],
                status=status,
                start_date=start,
                planned_end=start + datetime.timedelta(days=400),
                created_by=consultancy_admin,
                **whom,
            )
        )
    OrganisationMember.objects.bulk_create(members)
    TeamMembership.objects.bulk_create(seats)
    Engagement.objects.bulk_create(engagements)
    proposed = [engagement for engagement in engagements if engagement.status == "proposed"]
    MentorAssignment.objects.bulk_create(
        factories.build_assignment(engagement=engagement, mentor=mentors[k % POPULATION_MENTORS])
        for k, engagement in enumerate(proposed)
    )
    # The probe mentee (engagement 0, mentor 0) also sits in the team of engagement 19 (mentor 0).
    mentee, team_engagement = engagements[0].mentee, engagements[19]
    factories.make_team_member(team=team_engagement.team, user=mentee, title="")
    first_day = now.date() - datetime.timedelta(weeks=26)
    slots = [
        datetime.datetime.combine(first_day + datetime.timedelta(days=day), datetime.time(hour), tzinfo=datetime.UTC)
        for day in range(34 * 7)
        if (first_day + datetime.timedelta(days=day)).weekday() < 5
        for hour in POPULATION_SLOT_HOURS
    ]
    free = {mentor.pk: rng.sample(slots, len(slots)) for mentor in mentors}
    with_sessions = [engagement for engagement in engagements if engagement.status != "proposed"]
    sessions = []
    for n in range(POPULATION_SESSIONS):
        engagement = with_sessions[n % len(with_sessions)]
        pool = free[engagement.mentor_id]
        start = next(slot for slot in pool if engagement.status == "active" or slot < now)
        pool.remove(start)
        if start < now:
            status = rng.choices(["completed", "cancelled", "no_show"], [85, 8, 7])[0]
        else:
            status = rng.choices(["confirmed", "requested", "cancelled"], [85, 10, 5])[0]
        sessions.append(factories.build_session(engagement=engagement, start=start, status=status))
    MentoringSession.objects.bulk_create(sessions, batch_size=2000)
    ActionItem.objects.bulk_create(
        factories.build_action_item(engagement=engagement, owner=engagement.mentee or engagement.mentor)
        for engagement in engagements
        if engagement.status == "active"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Population(
        admin=consultancy_admin,
        mentor=mentors[0],
        mentee=mentee,
        engagement=engagements[0],
        team_engagement=team_engagement,
    )


# Mentors' own calendars, served by a local HTTP server ------------------------------------------


@dataclasses.dataclass
class CalendarServer:
    """A local HTTP server in a thread. `routes` maps a path to a function that answers the
    request (`handler` is the BaseHTTPRequestHandler); `requests` lists (path, Host header) of
    every request it received."""

    host: str
    port: int
    routes: dict
    requests: list

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def serve_ics(self, path: str, body: bytes | str) -> str:
        data = body.encode() if isinstance(body, str) else body

        def answer(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/calendar; charset=utf-8")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = answer
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        def answer(handler):
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = answer
        return self.url(path)


@pytest.fixture
def calendar_servers():
    """calendar_servers(host="127.0.0.1", tls_context=None): start a CalendarServer on that
    loopback address (any 127.x address works on Linux), over HTTPS with a server-side
    `tls_context`; all are stopped after the test."""
    import contextlib
    import http.server
    import threading

    started = []

    def start(host: str = "127.0.0.1", *, tls_context=None) -> CalendarServer:
        routes: dict = {}
        requests: list = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                requests.append((self.path, self.headers.get("Host")))
                answer = routes.get(self.path.split("?", 1)[0])
                if answer is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client hung up: a cap
                    answer(self)

            def log_message(self, format, *args):  # noqa: A002
                pass

        server = http.server.ThreadingHTTPServer((host, 0), Handler)
        server.daemon_threads = True
        if tls_context is not None:  # an HTTPS server (a server-side ssl.SSLContext with its certificate)
            server.socket = tls_context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return CalendarServer(host=host, port=server.server_address[1], routes=routes, requests=requests)

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def calendar_server(calendar_servers, settings) -> CalendarServer:
    """A CalendarServer on 127.0.0.1, with private addresses allowed so it can be read (tests of
    the refusal turn CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES off again)."""
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = True
    return calendar_servers("127.0.0.1")
