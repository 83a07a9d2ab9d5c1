"""`/healthz`: can this process serve pages, and which of its dependencies is degraded?

For load balancers, container health checks and uptime monitors: no login, GET and HEAD only,
never cached, an answer within about `DEADLINE` seconds whatever Redis does. The answer names
each dependency and its state and nothing else — no host names, URLs or error texts (those go
to the log).

Only the database decides the status code. Without the broker, tasks run in the web process
(core/queueing.py); without the cache, rate limits are off (core/cache.py); pages, logins and
bookings work either way. Answering 503 for those would make a load balancer take every web
process out of service over a Redis outage: the outage the fallbacks exist to avoid. So a
degraded Redis gives 200 with `"status": "degraded"`, for monitors to alert on.
"""

import functools
import logging
import os
import threading
import time

from celery import current_app
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Seconds for the Redis probes together (they run side by side). Each also has its own socket
# timeouts (REDIS_TIMEOUT_SECONDS); this bounds the answer even if one of them does not hold.
DEADLINE = 1.5
TIMED_OUT = "no answer within the health check's deadline"


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker(app) -> None:
    with app.connection_for_write(connect_timeout=DEADLINE) as broker:
        if broker.transport.driver_type == "filesystem":
            # Development's broker is a pair of folders; "connecting" to it would prove nothing.
            options = broker.transport_options
            for folder in {options.get("data_folder_in"), options.get("data_folder_out")}:
                if not folder or not os.path.isdir(folder) or not os.access(folder, os.W_OK):
                    raise OSError("broker folder missing or not writable")
            return
        # One try: a probe is asked again soon enough, and a frozen broker costs one socket timeout.
        broker.ensure_connection(max_retries=0, timeout=DEADLINE)


def _check_cache() -> None:
    # A backend of its own: past the fail-open backend's breaker, and not shared with requests.
    cache = caches.create_connection("default")
    try:
        if hasattr(cache, "ping"):
            cache.ping()  # core.cache.FailOpenRedisCache
        else:
            cache.get("healthz")  # development's per-process memory cache
    finally:
        cache.close()


def _run(name: str, check, results: dict[str, str]) -> None:
    try:
        check()
    except Exception as error:
        # The type and message go to the log for operators; the response stays bare.
        logger.warning("Health check: %s unavailable (%s: %s)", name, type(error).__name__, error)
        results[name] = "error"
    else:
        results[name] = "ok"


def _run_with_deadline(checks: dict, results: dict[str, str]) -> None:
    """Run `checks` side by side in threads; one still waiting at the deadline counts as failed
    (its thread finishes on its own socket timeout, and writes nothing into `results` then)."""
    pending: dict[str, str] = {}
    threads = [
        threading.Thread(target=_run, args=(name, check, pending), name=f"healthz-{name}", daemon=True)
        for name, check in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + DEADLINE
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    for name in checks:
        if name in pending:
            results[name] = pending[name]
        else:
            logger.warning("Health check: %s unavailable (%s)", name, TIMED_OUT)
            results[name] = "error"


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    _run("database", _check_database, results)  # in this thread: it uses the request's connection
    # The project's Celery app (mentorship/celery.py), looked up here: `current_app` is per thread.
    app = current_app._get_current_object()
    _run_with_deadline({"broker": functools.partial(_check_broker, app), "cache": _check_cache}, results)
    if results["database"] != "ok":
        status = "down"
    elif "error" in results.values():
        status = "degraded"
    else:
        status = "ok"
    response = JsonResponse({"status": status, **results}, status=503 if status == "down" else 200)
    # The warning above says what failed. Without this, Django would also log each 503 as an
    # error, and with ADMINS set mail one report per probe for as long as the outage lasts.
    response._has_been_logged = True
    return response
