"""A Redis server of a test's own, to stop and freeze, and pointing Celery at a broker for one test.

Never the shared Redis on 6379: other tests and other people use it. The server is the
machine's `redis-server` binary on a free port, without persistence.
"""

import contextlib
import os
import runpy
import shutil
import signal
import socket
import subprocess
import time
from unittest import mock

from celery import Celery
from django.conf import settings

SETTINGS_FILE = settings.BASE_DIR / "mentorship" / "settings.py"


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = unused_port()
        self.process: subprocess.Popen | None = None
        self.frozen = False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """Gone: connections are refused."""
        if self.process is None:
            return
        self.thaw()
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections (the kernel does that), nothing answers."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.process is not None and self.frozen:
            os.kill(self.process.pid, signal.SIGCONT)
            self.frozen = False


def find_redis_server() -> str | None:
    return shutil.which("redis-server")


def point_celery_at(app: Celery, monkeypatch, url: str, transport_options: dict) -> None:
    """Use another broker for one test. Celery prefers the environment to its configuration, and
    keeps a connection pool for the broker it first published to: it forgets that one here
    (kombu keeps it, open, for when the configuration comes back); `close_celery_pool` closes
    the test's own in teardown, before monkeypatch restores the configuration."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    monkeypatch.setitem(app.conf, "broker_url", url)
    monkeypatch.setitem(app.conf, "broker_write_url", None)
    monkeypatch.setitem(app.conf, "broker_transport_options", transport_options)
    app._pool = None
    app.amqp._producer_pool = None


def close_celery_pool(app: Celery) -> None:
    if app._pool is not None:
        with contextlib.suppress(Exception):
            app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


def settings_for(**environment: str) -> dict:
    """What mentorship/settings.py makes of this environment (on top of the test's own), so that a
    test runs with the production configuration rather than a copy of it."""
    with mock.patch.dict(os.environ, environment):
        return runpy.run_path(str(SETTINGS_FILE))
