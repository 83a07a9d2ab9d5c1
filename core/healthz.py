"""`/healthz`: is this process able to reach the database and the Celery broker?

For load balancers, container health checks and uptime monitors: no login, GET and HEAD only,
never cached. The answer names what failed and nothing else — no host names, URLs or error
texts (those go to the log).
"""

import logging
import os

from celery import current_app
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Seconds. A monitor calls this often; a dead broker must not hold a gunicorn worker for long.
BROKER_TIMEOUT = 2


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker() -> None:
    # The project's Celery app (mentorship/celery.py), which Django loads at start-up.
    with current_app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as broker:
        if broker.transport.driver_type == "filesystem":
            # Development's broker is a pair of folders; "connecting" to it would prove nothing.
            options = broker.transport_options
            for folder in {options.get("data_folder_in"), options.get("data_folder_out")}:
                if not folder or not os.path.isdir(folder) or not os.access(folder, os.W_OK):
                    raise OSError("broker folder missing or not writable")
            return
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)


CHECKS = {"database": _check_database, "broker": _check_broker}


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            # The type and message go to the log for operators; the response stays bare.
            logger.warning("Health check: %s unavailable (%s: %s)", name, type(error).__name__, error)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    response = JsonResponse(results, status=200 if healthy else 503)
    # The warning above says what failed. Without this, Django would also log each 503 as an
    # error, and with ADMINS set mail one report per probe for as long as the outage lasts.
    response._has_been_logged = True
    return response
