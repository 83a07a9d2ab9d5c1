"""Benchmark of real use: every main page cold at four data sizes, the exports, free slots, the
reminder sweep, and 20 distinct people at once under gunicorn with writes mixed in.

    make bench            # or: python bench/run.py;  SIZES=S,L python bench/run.py for fewer

One run:
1. creates (if missing) and migrates its own database `mentorship_bench` on the server that
   `scripts/devdb.py test` finds (never the development or test database);
2. for each size (bench/data.py: S, C, L, XL) fills it with invented data from
   demo/factories.py (fixed seed), then renders every page cold in this process (bench/pages.py:
   median and p95 of 15 renders, the SQL queries of one), streams both CSV exports (first byte,
   time per row), and times free slots and the reminder sweep;
3. with the L data (generated last), starts gunicorn (DEBUG off, production settings) and runs
   bench/journeys.py: 20 people with 1 s between steps, then with no pauses, next to the trivial
   view under the same load;
4. prints one table with each target marked met or MISSED. The exit status is 0 (it is a report);
   1 only when the benchmark cannot run (no Redis, gunicorn does not start).

Needs Redis on 127.0.0.1:6379 (its database 14 is the benchmark's own and is emptied; REDIS_URL
overrides), as production has.
"""

import base64
import hashlib
import importlib.util
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR), str(BASE_DIR)]

import data  # noqa: E402
import journeys  # noqa: E402
import pages  # noqa: E402

DATABASE_NAME = "mentorship_bench"
REDIS_DB = 14
RATIO_TARGET = 1.5  # XL / S
FIRST_BYTE_TARGET_MS = 200
PACED_P95_TARGET_MS = 250
UNPACED_SERVER_P95_TARGET_MS = 150
LOAD_SIZE = "L"


def _load(name: str, path: Path):
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
    """Production-like settings for this process and gunicorn (both share SECRET_KEY, so that
    the session cookies made here are valid there)."""
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
        # Production's Redis for the cache (rate limits) and as the broker: the emails the
        # journeys' bookings and cancellations queue wait there (no worker runs), emptied next run.
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


def reset_database() -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    cache.clear()  # the benchmark's own Redis database: rate limits, queued tasks


def measure_size(label: str) -> dict:
    from django.db import connection

    size = data.SIZES[label]
    started = time.monotonic()
    reset_database()
    probe = data.generate(size)
    with connection.cursor() as cursor:
        # What autovacuum does to freshly loaded tables: statistics, and the visibility map that
        # index-only scans need.
        cursor.execute("VACUUM ANALYZE")
    generated = time.monotonic() - started
    print(f"bench: size {label} ({size}) generated in {generated:.0f} s; measuring", flush=True)
    result = {"probe": probe, "generated_s": generated, "pages": {}}
    for page in pages.pages_for(probe):
        result["pages"][page.label] = (page, pages.measure_page(probe, page))
    result["exports"] = pages.measure_exports(probe)
    result["slots"] = pages.measure_slots(probe)
    result["sweep"], result["due"] = pages.measure_sweep()
    return result


# Report ------------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def _ratio_verdict(small: float, large: float, fixed: float | None, large_value: float) -> tuple[str, str]:
    if math.isnan(small) or math.isnan(large):
        return "-", "MISSED"
    ratio = large / small
    met = ratio <= RATIO_TARGET and (fixed is None or large_value <= fixed)
    return f"{ratio:.2f}", "met" if met else "MISSED"


def report(results: dict, load: dict | None) -> list[str]:
    sizes = list(results)
    first, last = sizes[0], sizes[-1]
    missed = []
    print()
    print("Sizes: " + "; ".join(f"{label} = {data.SIZES[label]}" for label in sizes))
    print(
        f"Pages: rendered cold in this process, median / p95 ms of {pages.RUNS} renders, SQL queries of one. "
        f"Targets: {last} ≤ {RATIO_TARGET}× {first}; dashboard, at-risk list, admin home ≤ 60 ms at {last}."
    )
    header = ["page", *(f"{s} ms" for s in sizes), *(f"q {s}" for s in sizes), f"{last}/{first}", "target"]
    rows = []
    for label, (page, _) in results[first]["pages"].items():
        timings = [results[s]["pages"][label][1] for s in sizes]
        ratio, verdict = _ratio_verdict(
            timings[0].median_ms, timings[-1].median_ms, page.fixed_target_ms, timings[-1].median_ms
        )
        if page.role == "anonymous":
            verdict = "baseline"
        elif verdict != "met":
            missed.append(f"{label}: {last}/{first} {ratio}, {last} {_ms(timings[-1].median_ms)} ms")
        rows.append(
            [
                label,
                *(f"{_ms(t.median_ms)} / {_ms(t.p95_ms)}" for t in timings),
                *(str(t.queries) for t in timings),
                ratio,
                verdict,
            ]
        )
    for name, key in (("free slots, 8 weeks", "slots"), ("reminder sweep", "sweep")):
        timings = [results[s][key] for s in sizes]
        ratio, verdict = _ratio_verdict(timings[0].median_ms, timings[-1].median_ms, None, 0)
        if verdict != "met":
            missed.append(f"{name}: {last}/{first} {ratio}")
        rows.append(
            [
                name,
                *(f"{_ms(t.median_ms)} / {_ms(t.p95_ms)}" for t in timings),
                *(str(t.queries) for t in timings),
                ratio,
                verdict,
            ]
        )
    _table(header, rows)
    print(
        f"Reminder sweep at {pages.instant_label()}; due then: "
        + ", ".join(f"{s} {results[s]['due']}" for s in sizes)
        + " (the same handful at every size, as when the sweep runs every few minutes)."
    )
    print()
    print(
        f"Exports, streamed: first byte and time per row. Targets: per row {last} ≤ {RATIO_TARGET}× {first}, first byte ≤ {FIRST_BYTE_TARGET_MS} ms at {last}."
    )
    header = ["export", *(f"{s} rows / first ms / µs per row" for s in sizes), "target"]
    rows = []
    for index, export in enumerate(results[first]["exports"]):
        figures = [results[s]["exports"][index] for s in sizes]
        per_row_ratio = figures[-1].per_row_us / figures[0].per_row_us
        met = per_row_ratio <= RATIO_TARGET and figures[-1].first_byte_ms <= FIRST_BYTE_TARGET_MS
        if not met:
            missed.append(
                f"{export.label}: per row ×{per_row_ratio:.2f}, first byte {figures[-1].first_byte_ms:.0f} ms"
            )
        rows.append(
            [
                export.label,
                *(f"{f.rows} / {f.first_byte_ms:.1f} / {f.per_row_us:.1f}" for f in figures),
                "met" if met else "MISSED",
            ]
        )
    _table(header, rows)
    if load:
        print()
        print(
            f"Real use at {LOAD_SIZE} under gunicorn ({journeys.GUNICORN_WORKERS} workers × {journeys.GUNICORN_THREADS} threads, "
            f"DEBUG off): {journeys.CLIENTS} distinct people (mentees booking and cancelling, mentors writing notes and "
            "recording attendance, an admin); client-side latency, server-side p95 from gunicorn's access log."
        )
        header = ["load", "requests", "req/s", "p50 ms", "p95 ms", "server p95 ms", "errors", "target"]
        rows = []
        for name, result, target in (
            ("trivial view, no pauses", load["baseline"], None),
            (f"journeys, {journeys.PAUSE_SECONDS:.0f} s pauses", load["paced"], "paced"),
            ("journeys, no pauses", load["unpaced"], "unpaced"),
        ):
            if target == "paced":
                met = result.p95_ms <= PACED_P95_TARGET_MS and result.errors == 0
                note = f"p95 ≤ {PACED_P95_TARGET_MS} ms, 0 errors"
            elif target == "unpaced":
                met = result.server_p95_ms <= UNPACED_SERVER_P95_TARGET_MS and result.errors == 0
                note = f"server p95 ≤ {UNPACED_SERVER_P95_TARGET_MS} ms, 0 errors"
            else:
                met, note = True, "baseline"
            if not met:
                missed.append(
                    f"{name}: {note} (p95 {result.p95_ms:.0f}, server p95 {result.server_p95_ms:.0f}, errors {result.errors} {result.error_samples})"
                )
            rows.append(
                [
                    name,
                    str(result.requests),
                    f"{result.per_second:.1f}",
                    _ms(result.p50_ms),
                    _ms(result.p95_ms),
                    _ms(result.server_p95_ms),
                    str(result.errors),
                    note if target is None else ("met" if met else "MISSED") + f" ({note})",
                ]
            )
        _table(header, rows)
    print()
    print(
        "Stored health equals a fresh computation: checked by reporting/tests/test_health_store.py (hypothesis), not here."
    )
    print("Data generated in: " + ", ".join(f"{s} {results[s]['generated_s']:.0f} s" for s in sizes))
    return missed


def run_load(probe) -> dict:
    port = journeys.free_port()
    error_log = Path(tempfile.gettempdir()) / "mentorship-bench-gunicorn.log"
    access_log = Path(tempfile.gettempdir()) / "mentorship-bench-access.log"
    access_log.unlink(missing_ok=True)
    people = journeys.cast(probe)
    from django.db import connection

    connection.close()
    print(f"bench: gunicorn on 127.0.0.1:{port} (log {error_log}); {len(people)} people", flush=True)
    server = journeys.start_gunicorn(port, BASE_DIR, error_log, access_log)
    try:
        load = {
            "baseline": journeys.run_load(
                port, journeys.baseline_people(), journeys.BASELINE_SECONDS, False, access_log
            )
        }
        print(f"bench: journeys with pauses for {journeys.PACED_SECONDS} s", flush=True)
        load["paced"] = journeys.run_load(port, people, journeys.PACED_SECONDS, True, access_log)
        print(f"bench: journeys without pauses for {journeys.UNPACED_SECONDS} s", flush=True)
        load["unpaced"] = journeys.run_load(port, people, journeys.UNPACED_SECONDS, False, access_log)
    finally:
        journeys.stop_gunicorn(server)
    return load


def main() -> int:
    labels = [s.strip() for s in os.environ.get("SIZES", ",".join(data.SIZES)).split(",") if s.strip()]
    unknown = [s for s in labels if s not in data.SIZES]
    if unknown or not labels:
        print(f"bench: unknown SIZES {unknown}; choose from {', '.join(data.SIZES)}", file=sys.stderr)
        return 1
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

    started = time.monotonic()
    print(f"bench: database {DATABASE_NAME}: migrating", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    # The load test runs on the L data: measure L last, so that it is in the database then.
    order = sorted(labels, key=lambda s: (s == LOAD_SIZE, list(data.SIZES).index(s)))
    measured = {label: measure_size(label) for label in order}
    results = {label: measured[label] for label in labels}
    load = None
    if LOAD_SIZE in measured:
        try:
            load = run_load(measured[LOAD_SIZE]["probe"])
        except RuntimeError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 1
    missed = report(results, load)
    print()
    if missed:
        print("MISSED targets:")
        for item in missed:
            print(f"  MISSED {item}")
    else:
        print(f"All targets met (at {labels[-1]}).")
    print(f"(benchmark took {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
