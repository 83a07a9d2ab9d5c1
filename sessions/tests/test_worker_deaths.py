"""Killed workers lose and double no email: a real Celery worker (prefork, one pool process),
real Redis (its own database, 11), the test database, and an SMTP server in this process that
holds its reply to a message until the test has killed the sender with SIGKILL — once the pool
process, once the main process (whose pool process dies with it). After the sweeps every reminder
and every one-off email has arrived exactly once.

Only the broker's visibility timeout is waited out for real (Redis keeps its own clock, shrunk to
a second here); the claim timeout is crossed by moving this process's clock to where the sweeps
run (the worker never compares it: it claims what the sweeps free).
"""

import datetime
import email
import os
import select
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import pools

from core import outbox
from core.emails import message_id
from core.models import OutboxEmail, OutboxStatus
from core.queueing import broker_breaker
from core.tests.helpers import xdist_worker_number
from demo.factories import make_session
from mentorship.celery import app
from mentorship.inquiries import services as inquiry_services
from mentorship.models import Engagement
from mentorship.organisations import services as organisation_services
from sessions.booking import selectors
from sessions.booking import services as booking_services
from sessions.models import ReminderLog, ReminderStatus
from sessions.reminders import sweep as reminders

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_DB = 11  # this test's own (less the xdist worker's number): it never touches another database
VISIBILITY_TIMEOUT = 1  # seconds; the broker redelivers a dead worker's message after this
WAIT = 60  # seconds at most for the worker to do something: a hang fails, it does not block

pytestmark = pytest.mark.redis


# The SMTP server ----------------------------------------------------------------------------------


class SlowSmtpServer:
    """Accepts every message, except that it holds its reply to the end of a message's DATA
    while `hold_next(prefix)` is armed for that Message-ID, until the client goes away (the test
    kills it). Like a real server, it takes a message only when it has answered 250 to a client
    still there; a held message whose sender died is dropped."""

    def __init__(self):
        self.delivered: list[str] = []  # Message-IDs, in order of arrival
        self.held = threading.Event()
        self._hold_prefix: str | None = None
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                sink._converse(self.request, self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hold_next(self, prefix: str) -> None:
        with self._lock:
            self.held.clear()
            self._hold_prefix = prefix

    def _should_hold(self, message_id: str) -> bool:
        with self._lock:
            if self._hold_prefix and message_id.startswith(self._hold_prefix):
                self._hold_prefix = None
                return True
            return False

    def _converse(self, sock, rfile, wfile):
        def reply(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        reply("220 sink.test ESMTP")
        while line := rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                reply("250 sink.test")
            elif verb == b"DATA":
                reply("354 go ahead")
                data = b"".join(iter(lambda: rfile.readline(), b".\r\n"))
                message_id = email.message_from_bytes(data)["Message-ID"]
                if self._should_hold(message_id):
                    self.held.set()
                    readable, _, _ = select.select([sock], [], [], WAIT)
                    if readable and not sock.recv(1, socket.MSG_PEEK):
                        return  # the sender died before our reply: the message is not ours
                with self._lock:
                    self.delivered.append(message_id)
                reply("250 accepted")
            elif verb == b"QUIT":
                reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                reply("250 ok")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# The worker -----------------------------------------------------------------------------------


def _test_database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or s["OPTIONS"].get("host", "")
    auth = quote(s["USER"]) + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    if host.startswith("/"):
        return f"postgres://{auth}@/{s['NAME']}?host={host}"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """`celery worker` with one pool process, restartable, its log in a file."""

    def __init__(self, env: dict, queue: str, log: Path):
        self.env, self.queue, self.log = env, queue, log
        self.process: subprocess.Popen | None = None
        self.log.write_text("")

    def start(self) -> None:
        offset = len(self.log.read_text())
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "mentorship", "worker", "-l", "info", "--pool=prefork",
                 "--concurrency=1", "-Q", self.queue, "-n", f"{self.queue}@%h", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"],
                cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(lambda: "ready." in self.log.read_text()[offset:], "the worker to start")
        wait_for(self.pool_process, "the worker's pool process")

    def pool_process(self) -> int | None:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        children = path.read_text().split() if path.exists() else []
        return int(children[0]) if children else None

    def kill_pool_process(self) -> None:
        child = self.pool_process()
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: self.pool_process() not in (None, child), "a new pool process")

    def kill_main_process(self) -> None:
        child = self.pool_process()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)
        # Celery's pool processes die with their parent (PR_SET_PDEATHSIG).
        wait_for(lambda: not Path(f"/proc/{child}").exists(), "the pool process to die with its parent")

    def count(self, text: str) -> int:
        return self.log.read_text().count(text)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def smtp():
    server = SlowSmtpServer()
    yield server
    server.close()


@pytest.fixture
def broker_url(redis_url) -> str:
    return urlparse(redis_url)._replace(path=f"/{REDIS_DB - xdist_worker_number()}").geturl()


@pytest.fixture
def worker(transactional_db, broker_url, smtp, tmp_path, monkeypatch):
    queue = f"faults-{uuid.uuid4().hex[:12]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "EMAIL_"))}
    env.update(
        {
            "DATABASE_URL": _test_database_url(),
            "DEBUG": "false",
            "SECRET_KEY": "test",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "10",
        }
    )
    # This process sends its tasks to that worker: the same broker database and queue. Celery
    # reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    for name, value in [
        ("broker_url", broker_url),
        ("broker_write_url", None),
        ("broker_transport_options", {"visibility_timeout": VISIBILITY_TIMEOUT}),
        ("task_default_queue", queue),
        ("task_always_eager", False),
    ]:
        monkeypatch.setitem(app.conf, name, value)
    app._pool = None  # the pool of the usual broker: kombu keeps it for when the configuration returns
    app.amqp._producer_pool = None
    broker_breaker.reset()  # an earlier test's unreachable broker must not keep tasks in this process
    worker = Worker(env, queue, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()  # before pytest-django drops the test database
    redis.Redis.from_url(broker_url).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    # Close this test's broker connections and empty kombu's registry of pools, so that no later
    # test (the next parameter of this one) is handed a closed pool for the same broker.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


# The test ---------------------------------------------------------------------------------------


def real_now() -> datetime.datetime:
    return datetime.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=datetime.UTC)


def emails_to_send(engagement, consultancy_admin, mentee, organisation, neutral_venue) -> None:
    """Booked (to the mentor and the mentee), an invitation, an inquiry (confirmation, and a
    notification to the one admin): five one-off emails, queued on commit."""
    later = timezone.now() + datetime.timedelta(hours=50)  # no reminder due for it during the test
    slot = next(slot for slot in selectors.free_slots_for_engagement(engagement) if slot.start > later)
    booking_services.book_session(engagement=engagement, start=slot.start, venue=neutral_venue, booked_by=mentee)
    organisation_services.invite_person(
        organisation=organisation, email="nora.new@example.org", full_name="Nora New", invited_by=consultancy_admin
    )
    inquiry_services.submit_inquiry(
        name="Frida", email="frida@juniper.example", company="Juniper AB", kind="company", message="Hi", language="en"
    )


def idle(broker_url: str, queue: str) -> bool:
    broker = redis.Redis.from_url(broker_url)
    return broker.llen(queue) == 0 and broker.hlen("unacked") == 0


def rows_to_send() -> list:
    return [*ReminderLog.objects.all(), *OutboxEmail.objects.all()]


def all_sent() -> bool:
    return all(row.status in (ReminderStatus.SENT, OutboxStatus.SENT) for row in rows_to_send())


@pytest.mark.parametrize("kill", ["pool process", "main process"])
def test_killed_mid_send_every_email_arrives_exactly_once(
    kill, worker, smtp, broker_url, engagement, consultancy_admin, mentee, organisation, open_availability,
    neutral_venue,
):  # fmt: skip
    def kill_the_sender() -> None:
        assert smtp.held.wait(WAIT), "no email reached the SMTP server"
        if kill == "pool process":
            worker.kill_pool_process()
        else:
            worker.kill_main_process()
            time.sleep(VISIBILITY_TIMEOUT + 0.5)  # Redis's own clock: then it hands the message out again
            worker.start()

    # The worker keeps real time; this process joins it for the test.
    with time_machine.travel(real_now(), tick=True):
        today = timezone.localdate()
        Engagement.objects.filter(pk=engagement.pk).update(
            start_date=today - datetime.timedelta(days=30), planned_end=today + datetime.timedelta(days=150)
        )
        open_availability(mentor=engagement.mentor)
        for hours in (47, 44):
            make_session(engagement=engagement, start=timezone.now() + datetime.timedelta(hours=hours))

        # Four session reminders; the sender of the first is killed mid-send.
        smtp.hold_next("<reminder.")
        assert reminders.sweep() == 4
        kill_the_sender()
        # Five one-off emails; the sender of the first is killed mid-send.
        smtp.hold_next("<email.")
        emails_to_send(engagement, consultancy_admin, mentee, organisation, neutral_venue)
        kill_the_sender()

        # The broker hands each killed task out again: it finds its row held and sends nothing.
        wait_for(lambda: worker.count("'already handled'") >= 1, "the reminder task to be redelivered")
        wait_for(lambda: worker.count("'held by another attempt'") >= 1, "the email task to be redelivered")
        wait_for(lambda: idle(broker_url, worker.queue), "the worker to finish")
        # The others are sent (a loaded machine may still be finishing the last of them); one
        # reminder and one email stay held by their dead senders.
        wait_for(
            lambda: len([row for row in rows_to_send() if row.status != "sent"]) == 2,
            "every email but the two held by dead senders to be sent",
        )
        unsent = [row for row in rows_to_send() if row.status != "sent"]
        assert len(unsent) == 2, unsent
        assert sorted(Counter(smtp.delivered).values()) == [1] * 7

        # After the claim timeout the sweeps hand them to new attempts.
        latest_claim = max(row.claimed_at for row in unsent)
        timeout = max(settings.REMINDER_CLAIM_TIMEOUT_SECONDS, settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
        with time_machine.travel(latest_claim + datetime.timedelta(seconds=timeout + 1), tick=True):
            assert reminders.sweep() == 1
            assert outbox.sweep() == 1
        wait_for(all_sent, "every email to be sent")
        wait_for(lambda: idle(broker_url, worker.queue), "the worker to finish")

    # Every recorded email arrived, and each one once.
    expected = [message_id("reminder", row.key) for row in ReminderLog.objects.all()]
    expected += [message_id("email", row.key) for row in OutboxEmail.objects.all()]
    assert len(expected) == 9
    assert Counter(smtp.delivered) == Counter(expected)
