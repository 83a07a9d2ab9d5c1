"""Benchmark of the main pages under load, their SQL query counts, slots and the reminder sweep.

    make bench            # or: python bench/run.py

One run:
1. creates (if missing) and migrates its own database `mentorship_bench` on the server that
   `scripts/devdb.py test` finds (never the development or test database), then generates data
   at two sizes with a fixed random seed: S (20 mentors, 50 engagements, 500 sessions) and
   L (200 mentors, 1000 engagements, 10 000 sessions);
2. counts the SQL queries and times one fresh render of each page at both sizes (Django's test
   client in this process, as the same users: the first mentee, the first mentor, the admin);
3. with the L data, starts gunicorn on 127.0.0.1 (a free port; 2 × cores + 1 workers × 2 threads, DEBUG off,
   production settings from the environment, Redis as cache, sessions in PostgreSQL) and loads each
   page with wrk as a browser asks (cookies, Accept-Encoding: gzip), 20 connections, in 3 rounds
   of 4 seconds over all pages, next to a trivial view (`/bench/ping`, on only in this run); the
   table shows the median of the rounds;
4. times free-slot computation (bench/slots.py) and the reminder sweep at both sizes;
5. prints one table. Targets: each page at least 1/3 of the trivial view's requests per second,
   p95 at most 3× the trivial view's p95, no errors (any answer but 200 is one). Missed targets
   are printed as MISSED; the exit status is 0 all the same (it is a report). It is 1 only when
   the benchmark itself cannot run (no wrk, gunicorn does not start).

Needs wrk (Debian: `apt-get install wrk`) and Redis on 127.0.0.1:6379 (database 14 is the
benchmark's own; REDIS_URL overrides), as production has.
"""

import base64
import dataclasses
import datetime
import hashlib
import http.client
import importlib.util
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
DATABASE_NAME = "mentorship_bench"
SEED = 20260608
CLIENTS = 20
WRK_THREADS = 2
DURATION_SECONDS = 4  # per page and round
ROUNDS = 3
# gunicorn's advice, (2 x cores) + 1 worker processes. With only two, wrk's 20 keep-alive
# connections sometimes all land on one process (they arrive in one burst), which then runs on one
# core: a page measured in such a round showed half its throughput.
GUNICORN_WORKERS = 2 * (os.cpu_count() or 1) + 1
GUNICORN_THREADS = 2
WARMUP_SECONDS = 1
SWEEP_RUNS = 5
COLD_RUNS = 5
REDIS_DB = 14  # the benchmark's own Redis database (cache, sessions), emptied at the start


@dataclasses.dataclass(frozen=True)
class Size:
    mentors: int
    engagements: int
    sessions: int


SIZES = {"S": Size(mentors=20, engagements=50, sessions=500), "L": Size(mentors=200, engagements=1000, sessions=10_000)}


# Database and environment ------------------------------------------------------------------------


def _load(name: str, path: Path):
    """A script of this repository (not a package) as a module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_database_url() -> str:
    """The server `scripts/devdb.py test` finds, with this benchmark's own database on it."""
    found = subprocess.run(
        [sys.executable, str(BASE_DIR / "scripts" / "devdb.py"), "test"],
        check=True,
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
    ).stdout.strip()
    parts = urlsplit(found)
    devdb = _load("devdb", BASE_DIR / "scripts" / "devdb.py")
    devdb.ensure_database(DATABASE_NAME, dsn=urlunsplit(parts._replace(path="/postgres")))
    return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))


def configure_environment(database_url: str) -> None:
    """Production-like settings for this process and gunicorn (both must share SECRET_KEY, so
    that the session cookies made here are valid there)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["BENCHMARK_PING"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mentorship.settings"
    defaults = {
        "SECRET_KEY": "bench-" + hashlib.sha256(b"bench secret").hexdigest(),
        "NOTES_ENCRYPTION_KEYS": base64.urlsafe_b64encode(hashlib.sha256(b"bench notes").digest()).decode(),
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback: no TLS proxy in front
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LANGUAGE_COOKIE_SECURE": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DB_CONN_MAX_AGE": "60",  # persistent connections, as a production server would use
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_DIR": str(Path(tempfile.gettempdir()) / "mentorship-bench-broker"),
        # Production keeps the cache (rate limits) in Redis; sessions are in PostgreSQL.
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


# Data generator ---------------------------------------------------------------------------------

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


@dataclasses.dataclass
class Probe:
    """The users and engagement whose pages are measured (the same roles at both sizes)."""

    admin_email: str
    mentor_email: str
    mentee_email: str
    engagement_uuid: uuid.UUID


def generate(size: Size, seed: int = SEED) -> Probe:
    """Fill the (empty) bench database with invented people, organisations and sessions."""
    from django.db import transaction

    from reporting.health import store

    with transaction.atomic():
        probe = _generate(size, random.Random(seed))
        store.rebuild()  # bulk inserts send no signals: the stored health is computed once here
        return probe


def _generate(size: Size, rng: random.Random) -> Probe:
    """The data, made with demo/factories.py's build_* functions (the same defaults as the tests
    and the demo) and inserted in bulk."""
    from django.utils import timezone

    from demo import factories

    def new_uuid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    now = timezone.now()
    admin = factories.make_user(
        email="bench-admin-00000@example.invalid",
        full_name=_name(rng),
        roles=("consultancy_admin",),  # admins must have two-factor authentication
        totp_secret=BENCH_TOTP_SECRET,
        password=None,
        language="sv",
    )
    areas = list(factories.core_focus_areas().values())
    mentors = _mentors(size, rng, areas)
    venues = [
        factories.make_venue(name="Rimfors meeting room", kind="neutral", city="Stockholm"),
        factories.make_venue(name="Café Saltvik", kind="cafe", city="Göteborg"),
        factories.make_venue(name="Video call", kind="online"),
    ]
    engagements, team_members = _engagements(size, rng, new_uuid, admin=admin, mentors=mentors, areas=areas)
    _sessions(size, rng, new_uuid, now=now, mentors=mentors, engagements=engagements, venues=venues)
    _action_items(rng, now=now, engagements=engagements, team_members=team_members)
    return Probe(
        admin_email=admin.email,
        mentor_email=mentors[0].email,
        mentee_email=engagements[0].mentee.email,
        engagement_uuid=engagements[0].uuid,
    )


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _users(rng: random.Random, prefix: str, count: int, role: str) -> list:
    """Invented people in bulk; without a usable password (no hashing: the benchmark signs in with
    force_login)."""
    from accounts.models import User
    from demo import factories

    return User.objects.bulk_create(
        factories.build_user(
            email=f"bench-{prefix}-{i:05d}@example.invalid",
            full_name=_name(rng),
            roles=(role,),
            password=None,
            language="sv",
        )
        for i in range(count)
    )


def _mentors(size: Size, rng: random.Random, areas: list) -> list:
    """The mentors with their profiles (three focus areas each) and availability on weekdays."""
    from demo import factories
    from mentorship.models import MentorProfile
    from sessions.models import AvailabilityWindow

    mentors = _users(rng, "mentor", size.mentors, "mentor")
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
        for area in rng.sample(areas, 3)
    )
    AvailabilityWindow.objects.bulk_create(
        window
        for mentor in mentors
        for window in factories.build_availability(
            mentor=mentor, weekdays=range(5), end_time=datetime.time(17), time_zone="Europe/Stockholm"
        )
    )
    return mentors


def _engagements(size: Size, rng: random.Random, new_uuid, *, admin, mentors: list, areas: list):
    """Engagements at invented organisations: one in ten for a leadership team of four;
    engagement 0 is the probe's (active, individual, mentor 0). Statuses: mostly active, some
    proposed, paused and completed. Returns the engagements and each team engagement's members."""
    from demo import factories
    from mentorship.models import Engagement, LeadershipTeam, Organisation, OrganisationMember, TeamMembership

    organisations = Organisation.objects.bulk_create(
        factories.build_organisation(
            uuid=new_uuid(), name=f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {i + 1}", city="Stockholm"
        )
        for i in range(max(5, size.engagements // 10))
    )
    is_team = [i % 10 == 9 for i in range(size.engagements)]
    statuses = ["active"] + [
        rng.choices(["active", "proposed", "paused", "completed"], [75, 10, 5, 10])[0]
        for _ in range(size.engagements - 1)
    ]
    orgs = [organisations[i % len(organisations)] for i in range(size.engagements)]
    mentees = iter(_users(rng, "mentee", is_team.count(False), "mentee"))
    teams = iter(
        LeadershipTeam.objects.bulk_create(
            factories.build_team(uuid=new_uuid(), organisation=orgs[i], name=f"Ledningsgrupp {i + 1}")
            for i in range(size.engagements)
            if is_team[i]
        )
    )
    members = iter(_users(rng, "member", 4 * is_team.count(True), "mentee"))
    engagements, memberships, team_memberships, team_members = [], [], [], {}
    for i in range(size.engagements):
        if is_team[i]:
            whom = {"team": next(teams)}
            team_members[i] = [next(members) for _ in range(4)]
            memberships += [factories.build_member(organisation=orgs[i], user=member) for member in team_members[i]]
            team_memberships += [
                factories.build_team_member(team=whom["team"], user=member, title="Head of unit")
                for member in team_members[i]
            ]
        else:
            whom = {"mentee": next(mentees)}
            memberships.append(factories.build_member(organisation=orgs[i], user=whom["mentee"]))
        engagements.append(
            _engagement(
                rng,
                new_uuid,
                organisation=orgs[i],
                status=statuses[i],
                mentor=mentors[i % len(mentors)],
                admin=admin,
                **whom,
            )
        )
    OrganisationMember.objects.bulk_create(memberships)
    TeamMembership.objects.bulk_create(team_memberships)
    Engagement.objects.bulk_create(engagements)
    _engagement_extras(rng, engagements, areas, mentors=mentors, admin=admin)
    return engagements, team_members


def _engagement(rng: random.Random, new_uuid, *, organisation, status: str, mentor, admin, **whom):
    """One engagement of a mentee or a team, started 5 to 13 months ago; no mentor yet when proposed."""
    from django.utils import timezone

    from demo import factories

    start = timezone.now().date() - datetime.timedelta(days=rng.randint(150, 390))
    return factories.build_engagement(
        uuid=new_uuid(),
        organisation=organisation,
        mentor=None if status == "proposed" else mentor,
        status=status,
        triggers=[rng.choice(["new_in_role", "tougher_demands", "new_business_idea"])],
        initiated_by=rng.choice(["mentee", "manager", "leadership_team"]),
        goals="Grow into the role and build a team that carries the change.",
        start_date=start,
        planned_end=start + datetime.timedelta(days=400),
        session_minutes=120,
        created_by=admin,
        **whom,
    )


def _engagement_extras(rng: random.Random, engagements: list, areas: list, *, mentors: list, admin) -> None:
    """Two focus areas each; a pending request to a mentor for the proposed ones; intake answers
    from the mentees of the started ones."""
    from demo import factories
    from mentorship.models import Engagement, IntakeResponse, MentorAssignment

    Engagement.focus_areas.through.objects.bulk_create(
        Engagement.focus_areas.through(engagement_id=engagement.pk, focusarea_id=area.pk)
        for engagement in engagements
        for area in rng.sample(areas, 2)
    )
    MentorAssignment.objects.bulk_create(
        factories.build_assignment(engagement=engagement, mentor=mentors[i % len(mentors)], assigned_by=admin)
        for i, engagement in enumerate(engagements)
        if engagement.status == "proposed"
    )
    IntakeResponse.objects.bulk_create(
        factories.build_intake(
            engagement=engagement,
            own_goals="Lead through the reorganisation.",
            commitment=rng.randint(2, 5),
            wants_from_mentor="Honest questions.",
        )
        for engagement in engagements
        if engagement.mentee_id and engagement.status != "proposed"
    )


def _sessions(size: Size, rng: random.Random, new_uuid, *, now, mentors: list, engagements: list, venues: list):
    """Sessions: each mentor has distinct weekday slots from 26 weeks back to 8 weeks ahead, so no
    two sessions of a mentor (and so of a mentee or team) overlap. Completed and paused
    engagements only have past sessions. Feedback on most held ones."""
    from demo import factories
    from sessions.models import Feedback, MentoringSession

    first_day = now.date() - datetime.timedelta(weeks=26)
    all_slots = [
        datetime.datetime.combine(first_day + datetime.timedelta(days=d), datetime.time(h, m), tzinfo=datetime.UTC)
        for d in range(34 * 7)
        if (first_day + datetime.timedelta(days=d)).weekday() < 5
        for h, m in SLOT_HOURS_UTC
    ]
    free_slots = {mentor.pk: rng.sample(all_slots, len(all_slots)) for mentor in mentors}
    with_sessions = [e for e in engagements if e.status != "proposed"]
    per_engagement, extra = divmod(size.sessions, len(with_sessions))
    sessions = []
    for index, engagement in enumerate(with_sessions):
        pool = free_slots[engagement.mentor_id]
        past_only = engagement.status != "active"
        for _ in range(per_engagement + (1 if index < extra else 0)):
            start = next(s for s in pool if not past_only or s < now)
            pool.remove(start)
            if start < now:
                status = rng.choices(["completed", "cancelled", "no_show"], [85, 8, 7])[0]
            else:
                status = rng.choices(["confirmed", "requested", "cancelled"], [85, 10, 5])[0]
            cancelled = status == "cancelled"
            sessions.append(
                factories.build_session(
                    engagement=engagement,
                    start=start,
                    uuid=new_uuid(),
                    status=status,
                    venue=rng.choice(venues),
                    cancelled_at=start - datetime.timedelta(days=2) if cancelled else None,
                    cancelled_by_id=engagement.mentor_id if cancelled else None,
                )
            )
    MentoringSession.objects.bulk_create(sessions, batch_size=2000)
    Feedback.objects.bulk_create(
        factories.build_feedback(session=session, usefulness=rng.randint(2, 5), trust=rng.randint(3, 5))
        for session in sessions
        if session.status == "completed" and session.mentee is not None and rng.random() < 0.6
    )


def _action_items(rng: random.Random, *, now, engagements: list, team_members: dict) -> None:
    """Of each active engagement: one for the mentee (or a team member) and one for the mentor."""
    from demo import factories
    from sessions.models import ActionItem

    items = []
    for i, engagement in enumerate(engagements):
        if engagement.status != "active":
            continue
        owners = [engagement.mentee] if engagement.mentee else team_members[i][:1]
        for owner in owners + [engagement.mentor]:
            items.append(
                factories.build_action_item(
                    engagement=engagement,
                    text="Write down three decisions to delegate.",
                    owner=owner,
                    due_date=now.date() + datetime.timedelta(days=rng.randint(-10, 20)),
                    done_at=now if rng.random() < 0.4 else None,
                )
            )
    ActionItem.objects.bulk_create(items)


def reset_database() -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    cache.clear()  # the benchmark's own Redis database: rate limits


# Pages ------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Page:
    label: str
    role: str  # "anonymous", "admin", "mentor" or "mentee"
    path: str
    queries: dict = dataclasses.field(default_factory=dict)  # size -> queries of a fresh render
    cold_ms: dict = dataclasses.field(default_factory=dict)  # size -> median in-process fresh render
    load: "LoadResult | None" = None


def dashboard_path() -> tuple[str, str]:
    from django.urls import Resolver404, resolve

    try:
        resolve("/health/")
    except Resolver404:
        return "/engagements/", "admin dashboard /health/ does not exist: measured the engagement list instead"
    return "/health/", ""


def pages_for(probe: Probe) -> list[Page]:
    dashboard, _ = dashboard_path()
    return [
        Page("trivial view", "anonymous", "/bench/ping"),
        Page("mentee home", "mentee", "/"),
        Page("booking page", "mentee", f"/engagements/{probe.engagement_uuid}/book/"),
        Page("mentor agenda", "mentor", "/agenda/"),
        Page("admin dashboard", "admin", dashboard),
    ]


def client_for(probe: Probe, role: str):
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if role != "anonymous":
        client.force_login(User.objects.get(email=getattr(probe, f"{role}_email")))
    return client


def count_queries(probe: Probe, pages: list[Page], size: str) -> None:
    """SQL queries and in-process time of each page (the first request fills per-process caches,
    such as compiled templates, and is not counted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        client = client_for(probe, page.role)
        try:
            client.get(page.path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
            fresh_queries = len(queries)  # now: the next request empties the query log
            timings = []
            for _ in range(COLD_RUNS):
                started = time.perf_counter()
                client.get(page.path)
                timings.append(time.perf_counter() - started)
        except Exception as error:  # a failing page is part of the report
            page.queries[size] = f"error: {type(error).__name__}"
            continue
        page.queries[size] = fresh_queries if response.status_code == 200 else f"HTTP {response.status_code}"
        page.cold_ms[size] = statistics.median(timings) * 1000


def session_cookie(probe: Probe, role: str) -> str:
    """The cookies a signed-in browser sends: the session and the CSRF cookie that the first page
    with a form set."""
    from django.conf import settings

    if role == "anonymous":
        return ""
    client = client_for(probe, role)
    client.get("/")
    names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    return "; ".join(f"{name}={client.cookies[name].value}" for name in names)


# Slots and the reminder sweep -------------------------------------------------------------------


def slot_line() -> str:
    """bench/slots.py's measurement (10 vs 1000 sessions), inside a rolled-back transaction."""
    slots = _load("bench_slots", BENCH_DIR / "slots.py")
    from django.db import transaction

    results = {}
    try:
        with transaction.atomic():
            for count in (10, 1000):
                results[count] = slots.measure(slots.make_mentor_with_sessions(f"run-{count}", count))
            raise slots.Rollback
    except slots.Rollback:
        pass
    (small_s, small_q, _), (large_s, large_q, _) = results[10], results[1000]
    ratio = large_s / small_s
    ok = ratio <= 1.5 and small_q == large_q
    return (
        f"slots, 8 weeks: 10 sessions {small_s * 1000:.1f} ms / {small_q} queries, 1000 sessions "
        f"{large_s * 1000:.1f} ms / {large_q} queries; ratio {ratio:.2f} (target <= 1.5, equal queries) "
        f"-> {'OK' if ok else 'MISSED'}"
    )


@dataclasses.dataclass
class Sweep:
    seconds: float
    queries: int
    due: int
    engagements: int


def measure_sweep() -> Sweep:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentorship.models import Engagement
    from sessions.reminders.sweep import due_reminders

    with CaptureQueriesContext(connection) as queries:
        due = due_reminders()
    timings = []
    for _ in range(SWEEP_RUNS):
        started = time.perf_counter()
        due_reminders()
        timings.append(time.perf_counter() - started)
    return Sweep(statistics.median(timings), len(queries), len(due), Engagement.objects.count())


def sweep_line(small: Sweep, large: Sweep) -> str:
    ok = small.queries == large.queries
    return (
        f"reminder sweep: S {small.engagements} engagements, {small.due} due, {small.seconds * 1000:.1f} ms / "
        f"{small.queries} queries; L {large.engagements} engagements, {large.due} due, "
        f"{large.seconds * 1000:.1f} ms / {large.queries} queries; time ratio {large.seconds / small.seconds:.2f} "
        f"(due reminders grow with the data here) -> queries equal: {'OK' if ok else 'MISSED'}"
    )


# gunicorn and wrk -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "mentorship.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(GUNICORN_WORKERS),
        "--threads",
        str(GUNICORN_THREADS),
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if status_of(port, "/bench/ping") == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(server)
    raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{port}; see {log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def status_of(port: int, path: str, cookie: str = "") -> int:
    """The status of one GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        return connection.getresponse().status
    finally:
        connection.close()


@dataclasses.dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


_WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(url: str, cookie: str, seconds: int) -> LoadResult:
    command = [
        "wrk",
        f"--threads={WRK_THREADS}",
        f"--connections={CLIENTS}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "--latency",
        f"--script={BENCH_DIR / 'wrk.lua'}",
        url,
    ]
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, env={**os.environ, "BENCH_COOKIE": cookie}
    ).stdout
    # p50/p90/p99 from wrk's own --latency distribution; p95 and the error counts from wrk.lua.
    distribution = {
        int(p): float(value) * _WRK_UNITS_MS[unit]
        for p, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    }
    fields = dict(re.findall(r"(\w+)=(\d+)", re.search(r"^BENCH .*$", output, re.MULTILINE).group(0)))
    rate = float(re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE).group(1))
    return LoadResult(
        requests_per_second=rate,
        p50_ms=distribution[50],
        p90_ms=distribution[90],
        p95_ms=int(fields["p95_us"]) / 1000,
        p99_ms=distribution[99],
        errors=int(fields["not_200"]) + int(fields["socket_errors"]),
    )


def median_load(results: list[LoadResult]) -> LoadResult:
    """The median of each figure over the rounds; errors are summed."""
    return LoadResult(
        requests_per_second=statistics.median(r.requests_per_second for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p90_ms=statistics.median(r.p90_ms for r in results),
        p95_ms=statistics.median(r.p95_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        errors=sum(r.errors for r in results),
    )


# Report -----------------------------------------------------------------------------------------


def verdict(page: Page, baseline: LoadResult) -> tuple[str, list[str]]:
    load = page.load
    problems = []
    if load.errors:
        problems.append(f"{load.errors} errors")
    if page.role != "anonymous":
        if load.requests_per_second < baseline.requests_per_second / 3:
            problems.append(f"req/s below 1/3 of the trivial view ({baseline.requests_per_second / 3:.0f})")
        if load.p95_ms > 3 * baseline.p95_ms:
            problems.append(f"p95 above 3x the trivial view ({3 * baseline.p95_ms:.1f} ms)")
    if page.queries.get("S") != page.queries.get("L"):
        problems.append("query count grows with the data")
    return ("yes" if not problems else "MISSED"), problems


def print_report(pages: list[Page], port: int, note: str, slots: str, sweep: str) -> None:
    baseline = pages[0].load
    header = [
        "page",
        "path",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "queries S",
        "queries L",
        "cold ms S",
        "cold ms L",
        "target met",
    ]
    rows, missed = [], []
    for page in pages:
        met, problems = verdict(page, baseline)
        if problems:
            missed.append(f"{page.label}: {'; '.join(problems)}")
        shown_path = re.sub(r"[0-9a-f-]{36}", "<uuid>", page.path)
        load = page.load
        rows.append(
            [
                page.label,
                shown_path,
                f"{load.requests_per_second:.1f}",
                f"{load.p50_ms:.1f}",
                f"{load.p95_ms:.1f}",
                f"{load.p99_ms:.1f}",
                str(load.errors),
                str(page.queries.get("S")),
                str(page.queries.get("L")),
                *(f"{page.cold_ms[size]:.1f}" if size in page.cold_ms else "-" for size in ("S", "L")),
                "baseline" if page.role == "anonymous" and not problems else met,
            ]
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    print(
        f"gunicorn 127.0.0.1:{port}, {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads, DEBUG off; wrk {WRK_THREADS} threads, {CLIENTS} "
        f"connections; {ROUNDS} rounds of {DURATION_SECONDS} s per page, medians; data size L ({SIZES['L'].mentors} mentors, "
        f"{SIZES['L'].engagements} engagements, {SIZES['L'].sessions} sessions); "
        f"S = {SIZES['S'].mentors}/{SIZES['S'].engagements}/{SIZES['S'].sessions}"
    )
    print(f"queries and cold ms: one page rendered in this process, median of {COLD_RUNS}.")
    if note:
        print(f"NOTE: {note}")
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(slots)
    print(sweep)
    if "MISSED" in slots:
        missed.append("slots")
    if "MISSED" in sweep:
        missed.append("reminder sweep")
    print()
    if missed:
        print("MISSED targets:")
        for item in missed:
            print(f"  MISSED {item}")
    else:
        print("All targets met.")


# Main -------------------------------------------------------------------------------------------


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed. On Debian/Ubuntu: sudo apt-get install wrk", file=sys.stderr)
        return 1
    sys.path.insert(0, str(BASE_DIR))
    configure_environment(bench_database_url())
    redis = urlsplit(os.environ["REDIS_URL"])
    try:
        socket.create_connection((redis.hostname or "127.0.0.1", redis.port or 6379), timeout=2).close()
    except OSError:
        print(f"bench: Redis is not reachable at {os.environ['REDIS_URL']}; start it (see README)", file=sys.stderr)
        return 1
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    print(f"bench: database {DATABASE_NAME}: migrating", flush=True)
    call_command("migrate", interactive=False, verbosity=0)

    sweeps: dict[str, Sweep] = {}
    pages: list[Page] = []
    probe = None
    for label, size in SIZES.items():
        print(f"bench: generating size {label} ({size})", flush=True)
        reset_database()
        probe = generate(size)
        fresh = pages_for(probe)
        if not pages:
            pages = fresh
        for page, current in zip(pages, fresh, strict=True):
            page.path = current.path  # the probe engagement's UUID differs between the sizes
        count_queries(probe, pages, label)
        sweeps[label] = measure_sweep()
    print("bench: timing free slots", flush=True)
    slots = slot_line()
    cookies = {page.role: session_cookie(probe, page.role) for page in pages}
    _, note = dashboard_path()
    connection.close()

    port = free_port()
    log = Path(tempfile.gettempdir()) / "mentorship-bench-gunicorn.log"
    print(f"bench: starting gunicorn on 127.0.0.1:{port} (log: {log})", flush=True)
    try:
        server = start_gunicorn(port, log)
    except RuntimeError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    try:
        for page in pages:
            status = status_of(port, page.path, cookies[page.role])
            if status != 200:
                print(f"bench: WARNING {page.label} {page.path} answers {status}, not 200", flush=True)
            wrk(f"http://127.0.0.1:{port}{page.path}", cookies[page.role], WARMUP_SECONDS)
        # Rounds over all pages, the trivial view included, so that a disturbance on the machine
        # (another process taking a core for a few seconds) lands on one round, not on one page.
        rounds: dict[str, list[LoadResult]] = {page.label: [] for page in pages}
        for number in range(1, ROUNDS + 1):
            print(f"bench: round {number} of {ROUNDS}: each page for {DURATION_SECONDS} s", flush=True)
            for page in pages:
                rounds[page.label].append(
                    wrk(f"http://127.0.0.1:{port}{page.path}", cookies[page.role], DURATION_SECONDS)
                )
        for page in pages:
            page.load = median_load(rounds[page.label])
    finally:
        stop_gunicorn(server)
    print_report(pages, port, note, slots, sweep_line(sweeps["S"], sweeps["L"]))
    print(f"(benchmark took {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
