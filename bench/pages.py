"""Pages rendered cold in this process: each page as its person sees it, built afresh on every
request (there is no page cache), median and p95 of RUNS renders after WARMUP, and the SQL
queries of one render. Also the CSV exports (first byte and time per row), free slots and the
reminder sweep."""

import contextlib
import dataclasses
import datetime
import statistics
import time

from data import Probe, sweep_instant

RUNS = 15
WARMUP = 2
EXPORT_RUNS = 3


@dataclasses.dataclass
class Page:
    label: str
    role: str  # "anonymous", "admin", "mentor" or "mentee"
    path: str
    fixed_target_ms: float | None = None  # a cold median the page must stay under at XL


@dataclasses.dataclass
class Timing:
    median_ms: float
    p95_ms: float
    queries: int | str  # a count, or what went wrong


def pages_for(probe: Probe) -> list[Page]:
    engagement, session, organisation = probe.engagement_uuid, probe.session_uuid, probe.organisation_uuid
    return [
        Page("trivial view", "anonymous", "/bench/ping"),
        Page("health dashboard", "admin", "/health/", fixed_target_ms=60),
        Page("at-risk list", "admin", "/health/at-risk/", fixed_target_ms=60),
        Page("overdue list", "admin", "/health/overdue/"),
        Page("reviews list", "admin", "/health/reviews/"),
        Page("admin home", "admin", "/", fixed_target_ms=60),
        Page("admin queue, all overdue", "admin", "/attention/overdue/", fixed_target_ms=60),
        Page("engagement list (admin)", "admin", "/engagements/"),
        Page("session list (mentor)", "mentor", "/sessions/"),
        Page("mentee home", "mentee", "/"),
        Page("mentor home", "mentor", "/"),
        Page("booking page", "mentee", f"/engagements/{engagement}/book/"),
        Page("agenda (mentor)", "mentor", "/agenda/"),
        Page("session detail", "mentor", f"/sessions/{session}/"),
        Page("engagement detail", "mentee", f"/engagements/{engagement}/"),
        Page("sponsor report", "admin", f"/organisations/{organisation}/sponsor-report/"),
    ]


def client_for(email: str | None):
    """A test client signed in as `email` (the admin has an authenticator app, so no page sends
    them to set one up)."""
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def email_for(probe: Probe, role: str) -> str | None:
    return None if role == "anonymous" else getattr(probe, f"{role}_email")


def _percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_page(probe: Probe, page: Page) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(email_for(probe, page.role))
    try:
        for _ in range(WARMUP):
            client.get(page.path)  # compiles templates, fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        count = len(queries)
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(page.path)
            timings.append((time.perf_counter() - started) * 1000)
    except Exception as error:  # a failing page is part of the report
        return Timing(float("nan"), float("nan"), f"error: {type(error).__name__}")
    if response.status_code != 200:
        return Timing(float("nan"), float("nan"), f"HTTP {response.status_code}")
    return Timing(statistics.median(timings), _percentile_95(timings), count)


@dataclasses.dataclass
class Export:
    label: str
    rows: int
    first_byte_ms: float
    total_ms: float

    @property
    def per_row_us(self) -> float:
        return self.total_ms * 1000 / max(self.rows, 1)


def measure_exports(probe: Probe) -> list[Export]:
    """The CSV exports as the admin downloads them: time to the first chunk, and to the last."""
    client = client_for(probe.admin_email)
    results = []
    for label, path in (("CSV engagements", "/reports/engagements.csv"), ("CSV sessions", "/reports/sessions.csv")):
        firsts, totals, rows = [], [], 0
        for _ in range(EXPORT_RUNS):
            started = time.perf_counter()
            response = client.get(path)
            chunks = iter(response.streaming_content)
            first = next(chunks)
            firsts.append((time.perf_counter() - started) * 1000)
            rows = first.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks) - 1  # less the header
            totals.append((time.perf_counter() - started) * 1000)
        results.append(Export(label, rows, statistics.median(firsts), statistics.median(totals)))
    return results


def measure_slots(probe: Probe) -> Timing:
    """Free slots for the probe's engagement (the booking page's 8 weeks)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentorship.models import Engagement
    from sessions.booking.selectors import free_slots_for_engagement

    engagement = Engagement.objects.select_related("mentor").get(uuid=probe.engagement_uuid)
    free_slots_for_engagement(engagement)
    with CaptureQueriesContext(connection) as queries:
        free_slots_for_engagement(engagement)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        free_slots_for_engagement(engagement)
        timings.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(timings), _percentile_95(timings), len(queries))


class _Rollback(Exception):
    """Undoes a measured sweep, so the next run finds the same."""


def measure_sweep() -> tuple[Timing, int]:
    """The whole reminder sweep (what is due, what is new, recording it) at sweep_instant(), in a
    transaction rolled back each time so every run finds the same; nothing is queued (sends are
    queued on commit). Returns the timing and how many reminders were due."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from sessions.reminders.sweep import due_reminders, sweep

    instant = sweep_instant()
    due = len(due_reminders(instant))
    timings, count = [], 0
    for run in range(WARMUP + RUNS):
        with contextlib.suppress(_Rollback), transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            sweep(instant)
            elapsed = (time.perf_counter() - started) * 1000
            count = len(queries)
            raise _Rollback
        if run >= WARMUP:
            timings.append(elapsed)
    return Timing(statistics.median(timings), _percentile_95(timings), count), due


def instant_label() -> str:
    return sweep_instant().astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
