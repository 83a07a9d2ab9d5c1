"""A short-lived cache of whole rendered pages, per viewer, made stale by any write to the database.
(`read`/`write` also keep the signed-in user: accounts.middleware.CachedAuthenticationMiddleware.)

The heavy read pages (home, booking page, mentor agenda, health dashboard) are decorated with
`cached_page`. A cached copy is served only when all of these are the same as when it was made:

- the page (view, path and query string) and the viewer (user, language, time zone);
- the viewer's CSRF cookie, so the forms on the page carry a token that is valid for this browser;
- the *data generation*: a counter in the cache that goes up after every INSERT, UPDATE, DELETE or
  TRUNCATE through Django's database connection — ORM saves, bulk operations, `.update()` and raw
  SQL alike (see `watch_writes`, installed on every connection) — so the next request after any
  change renders afresh. Each entry keeps the number it was made under; one round trip (MGET)
  reads the counter and the entry together;
- the time bucket (`PAGE_CACHE_SECONDS`, 60 by default): pages also change with the clock ("in
  2 hours", slots that close 24 hours ahead), so no copy is older than one bucket.

The counter goes up twice for a write inside a transaction: at once (so the writing request sees
its change on its next page even before the commit, and tests inside a transaction see theirs) and
again after the commit (so a page another request rendered from the old data between the write
and the commit is not served under the new number).

Not cached: anything but a GET with status 200, a request that carries or a view that adds a
flash message, a response that sets cookies, anonymous visitors and first visits without a CSRF
cookie. If the cache is unreachable, pages are rendered as if there were no cache.

The counter must be shared by every process that writes (web and Celery workers), so the cache is
on by default only with Redis (`REDIS_URL`); `PAGE_CACHE_SECONDS=0` turns it off.
"""

import functools
import gzip
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PAGE_KEY_PREFIX = "pagecache:page:"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Per response, not per page: cookies are the middleware's; the length changes with gzip.
UNKEPT_HEADERS = ("set-cookie", "content-length", "content-encoding")
WRITE_KEYWORDS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
# Writes that no cached page shows, so they leave the kept copies alone: the session rows (a
# flash message in a session bypasses the cache anyway, see `_has_messages`) and the audit log,
# which is written when an admin merely opens an engagement page and is read only on its own,
# uncached page. A page that starts to show either must not be cached.
IGNORED_TABLES = ('"django_session"', '"mentorship_auditentry"')


# The data generation --------------------------------------------------------------------------


def bump_generation() -> None:
    """Make every cached page stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # Missing (first write, or evicted): start from the clock in milliseconds, so a restarted
        # counter never meets a number that a still-cached page was stored under.
        if not cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None):
            cache.incr(GENERATION_KEY)
    except Exception:  # the cache is down: pages are not served from it either
        logger.warning("page cache: could not bump the data generation", exc_info=True)


def current_generation() -> int | None:
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            bump_generation()
            generation = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("page cache: could not read the data generation", exc_info=True)
        return None
    return generation


def read(key: str) -> tuple[int | None, object]:
    """(the current generation, the entry at `key` if it was made under it, else None)."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:
        logger.warning("page cache: read failed", exc_info=True)
        return None, None
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return current_generation(), None
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return generation, stored[1]
    return generation, None


def write(key: str, generation: int | None, value, *, timeout: int) -> None:
    """Keep `value`, made from the data as it was at `generation` (read before making it)."""
    if generation is None:
        return
    try:
        cache.set(key, (generation, value), timeout=timeout)
    except Exception:
        logger.warning("page cache: write failed", exc_info=True)


def value_key(name: str) -> str:
    return f"pagecache:value:{name}"


def is_write(sql: str) -> bool:
    statement = sql.lstrip()[:8].upper()
    return statement.startswith(WRITE_KEYWORDS) and not any(table in sql[:200] for table in IGNORED_TABLES)


def watch_writes(execute, sql, params, many, context):
    """A database execute wrapper (installed on every connection by `install_write_watcher`)."""
    result = execute(sql, params, many, context)
    if settings.PAGE_CACHE_SECONDS > 0 and isinstance(sql, str) and is_write(sql):
        connection = context["connection"]
        bump_generation()
        if connection.in_atomic_block and not any(
            callback is bump_generation for _, callback, _ in connection.run_on_commit
        ):
            transaction.on_commit(bump_generation, using=connection.alias)
    return result


def install_write_watcher(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: every connection, in every process and thread, reports its writes."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# Cached pages -----------------------------------------------------------------------------------


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def page_key(request: HttpRequest, view_name: str) -> str | None:
    """The cache key of this page for this viewer now, or None when it must not be cached."""
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie or not request.user.is_authenticated:
        return None
    bucket = int(timezone.now().timestamp() // settings.PAGE_CACHE_SECONDS)
    parts = (
        view_name,
        request.get_full_path(),
        str(request.user.pk),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        csrf_cookie,
        str(bucket),
    )
    return PAGE_KEY_PREFIX + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _store(key: str, generation: int | None, response: HttpResponse) -> None:
    """Kept gzipped: a tenth of the bytes to move, and sent as it is to browsers that accept gzip.
    The random padding is Django's BREACH mitigation (as in GZipMiddleware)."""
    headers = [(name, value) for name, value in response.items() if name.lower() not in UNKEPT_HEADERS]
    body = compress_string(response.content, max_random_bytes=100)
    write(key, generation, (response.status_code, headers, body), timeout=settings.PAGE_CACHE_SECONDS)


def _from_stored(request: HttpRequest, stored) -> HttpResponse:
    status, headers, body = stored
    gzipped = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    response = HttpResponse(body if gzipped else gzip.decompress(body), status=status)
    for name, value in headers:
        response[name] = value
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    storage = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (storage is not None and (storage._queued_messages or storage.used))
    )


def cached_page(view):
    """Serve `view`'s GET pages from the page cache (see the module's text for when)."""
    view_name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET" or _has_messages(request):
            return view(request, *args, **kwargs)
        key = page_key(request, view_name)
        if key is None:
            return view(request, *args, **kwargs)
        generation, hit = read(key)
        if hit is not None:
            return _from_stored(request, hit)
        response = view(request, *args, **kwargs)
        if _cacheable(request, response):
            _store(key, generation, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

    return wrapper
