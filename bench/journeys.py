"""Real use under gunicorn: CLIENTS distinct people at once, each going through what they come to
do, with writes mixed in, once with a pause between steps (as people do) and once without.

- a mentee: home, booking page, books one of the offered times, the session's page, cancels it
  again (so the calendar does not fill up run after run), their session list;
- a mentor: home, session list, one of their held sessions, writes a note on it, records its
  attendance, agenda;
- an admin: home, health dashboard, at-risk list, engagement list.

Client-side latency per request (p50, p95), requests per second and errors (an exception, a 5xx,
or any status a step does not expect) are measured here; the server-side time of each request
comes from gunicorn's access log (%(D)s, microseconds from the request read to the response
written), which leaves out the time a request waits for a free worker.
"""

import dataclasses
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from data import Probe

CLIENTS = 20
# As deployed (README, "Deploying"): gunicorn's sync workers, one request at a time each; the
# count is gunicorn's advice for the cores. (With threads, requests wait for the GIL inside a
# worker, and that wait would count as server time.)
GUNICORN_WORKERS = 2 * (os.cpu_count() or 1) + 1
GUNICORN_THREADS = 1
PAUSE_SECONDS = 1.0
PACED_SECONDS = 40
UNPACED_SECONDS = 20
BASELINE_SECONDS = 5
ACCESS_LOG_FORMAT = "%(s)s %(D)s %(m)s %(U)s"


@dataclasses.dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int
    server_p95_ms: float
    error_samples: list[str]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, base_dir: Path, error_log: Path, access_log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "mentorship.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={GUNICORN_WORKERS}",
        f"--threads={GUNICORN_THREADS}",
        f"--error-logfile={error_log}",
        f"--access-logfile={access_log}",
        f"--access-logformat={ACCESS_LOG_FORMAT}",
    ]
    with error_log.open("ab") as output:  # the app's own log lines too
        server = subprocess.Popen(command, cwd=base_dir, env=os.environ.copy(), stdout=output, stderr=output)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/bench/ping")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(server)
    raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{port}; see {error_log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Person:
    """One browser: its own keep-alive connection, session cookie and CSRF token."""

    def __init__(self, port: int, session_cookie: str, cookie_name: str):
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret Django accepts as is
        self.cookie = f"{cookie_name}={session_cookie}; csrftoken={self.csrf}"
        self.connection = None
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def request(self, method: str, path: str, form: dict | None = None, expect=(200,)) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie, "Accept-Encoding": "identity"}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.errors.append(f"{method} {path}: {type(error).__name__}")
            return 0, "", ""
        self.latencies.append((time.perf_counter() - started) * 1000)
        if response.status not in expect:
            self.errors.append(f"{method} {_shown(path)}: HTTP {response.status}")
        return response.status, response.getheader("Location", ""), text


def _shown(path: str) -> str:
    return re.sub(r"[0-9a-f-]{36}", "<uuid>", path)


_START = re.compile(r'<input[^>]*name="start"[^>]*>')
_VENUE = re.compile(r'<input[^>]*name="venue"[^>]*value="(\d+)"')
_VALUE = re.compile(r'value="([^"]+)"')


def mentee_journey(person: Person, engagement_uuid, pause) -> None:
    person.request("GET", "/")
    pause()
    status, _, page = person.request("GET", f"/engagements/{engagement_uuid}/book/")
    starts = [_VALUE.search(tag).group(1) for tag in _START.findall(page) if _VALUE.search(tag)]
    venues = _VENUE.findall(page)
    pause()
    if starts and venues:
        form = {"start": random.choice(starts[:40]), "venue": venues[0]}
        # 302 to the new session; 200 when the time was taken meanwhile (the form says so).
        status, location, _ = person.request("POST", f"/engagements/{engagement_uuid}/book/", form, expect=(302, 200))
        pause()
        if status == 302 and location.startswith("/sessions/"):
            person.request("GET", location)
            pause()
            person.request("POST", f"{location}cancel/", {"reason": ""}, expect=(302,))
            pause()
    person.request("GET", "/sessions/")
    pause()


def mentor_journey(person: Person, held_sessions: list, pause) -> None:
    session = f"/sessions/{random.choice(held_sessions)}/"
    person.request("GET", "/")
    pause()
    person.request("GET", "/sessions/")
    pause()
    person.request("GET", session)
    pause()
    note = {"body": "Talked about what to delegate first.", "visibility": "private"}
    person.request("POST", f"{session}notes/new/", note, expect=(302,))
    pause()
    person.request("POST", f"{session}attendance/", {"outcome": random.choice(["held", "no_show"])}, expect=(302,))
    pause()
    person.request("GET", "/agenda/")
    pause()


def admin_journey(person: Person, pause) -> None:
    for path in ("/", "/health/", "/health/at-risk/", "/engagements/"):
        person.request("GET", path)
        pause()


def session_cookie(email: str) -> str:
    """A signed-in session for `email`, made in this process (shared SECRET_KEY and database)."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def cast(probe: Probe) -> list[tuple[str, str, object]]:
    """The CLIENTS people: (role, session cookie, what they work on)."""
    cast = [("mentee", session_cookie(email), engagement) for email, engagement in probe.journey_mentees]
    cast += [("mentor", session_cookie(email), sessions) for email, sessions in probe.journey_mentors]
    cast.append(("admin", session_cookie(probe.admin_email), None))
    return cast[:CLIENTS]


def run_load(port: int, people: list, seconds: float, paced: bool, access_log: Path) -> Load:
    from django.conf import settings

    offset = access_log.stat().st_size if access_log.exists() else 0
    deadline = time.monotonic() + seconds
    persons = [Person(port, cookie, settings.SESSION_COOKIE_NAME) for _, cookie, _ in people]

    def pause() -> None:
        if paced:
            time.sleep(PAUSE_SECONDS * random.uniform(0.5, 1.5))

    def work(person: Person, role: str, subject) -> None:
        time.sleep(random.uniform(0, PAUSE_SECONDS) if paced else 0)  # people do not arrive in step
        while time.monotonic() < deadline:
            if role == "mentee":
                mentee_journey(person, subject, pause)
            elif role == "mentor":
                mentor_journey(person, subject, pause)
            elif role == "admin":
                admin_journey(person, pause)
            else:
                person.request("GET", "/bench/ping")

    started = time.monotonic()
    threads = [
        threading.Thread(target=work, args=(person, role, subject))
        for person, (role, _, subject) in zip(persons, people, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = [ms for person in persons for ms in person.latencies]
    errors = [error for person in persons for error in person.errors]
    return Load(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=statistics.median(latencies),
        p95_ms=_p95(latencies),
        errors=len(errors),
        server_p95_ms=_p95(_server_times(access_log, offset)) if access_log.exists() else float("nan"),
        error_samples=sorted(set(errors))[:5],
    )


def _server_times(access_log: Path, offset: int) -> list[float]:
    time.sleep(0.5)  # gunicorn writes its access log line after the response
    with access_log.open("rb") as log:
        log.seek(offset)
        lines = log.read().decode("utf-8", "replace").splitlines()
    return [int(line.split()[1]) / 1000 for line in lines if len(line.split()) >= 2 and line.split()[1].isdigit()]


def _p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def baseline_people() -> list:
    return [("ping", "", None)] * CLIENTS
