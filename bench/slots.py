"""Benchmark: free slots for 8 weeks, for a mentor with 10 and with 1000 existing sessions.

    DATABASE_URL=... python bench/slots.py

Creates its data inside a transaction that is rolled back, so it can run against any database.
Prints the median time of several runs and the SQL query count for both sizes; the target is a
ratio of at most 1.5 with equal query counts.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo import factories  # noqa: E402
from mentorship.models import Engagement  # noqa: E402
from sessions.booking.selectors import free_slots_for_engagement  # noqa: E402
from sessions.models import MentoringSession  # noqa: E402

RUNS = 15


class Rollback(Exception):
    pass


def make_mentor_with_sessions(label: str, count: int) -> Engagement:
    """An active engagement whose mentor is free 08:00–18:00 every day and has `count` sessions
    (demo/factories.py, the sessions in bulk)."""
    mentor = factories.make_user(email=f"bench-mentor-{label}@example.invalid", roles=("mentor",), password=None)
    mentee = factories.make_user(
        email=f"bench-mentee-{label}@example.invalid",
        roles=("mentee",),
        password=None,
        organisation=factories.make_organisation(name=f"Bench {label}"),
    )
    engagement = factories.make_engagement(
        mentee=mentee,
        mentor=mentor,
        status="active",
        goals="bench",
        start_date=datetime.date.today() - datetime.timedelta(days=800),
        planned_end=datetime.date.today() + datetime.timedelta(days=400),
    )
    factories.make_availability(mentor=mentor, time_zone="Europe/Stockholm")
    # Sessions every 17 hours, ending 8 weeks ahead: most in the past, some within the horizon.
    end_of_horizon = timezone.now() + datetime.timedelta(weeks=8)
    MentoringSession.objects.bulk_create(
        factories.build_session(
            engagement=engagement, start=end_of_horizon - datetime.timedelta(hours=17 * (index + 1))
        )
        for index in range(count)
    )
    return Engagement.objects.select_related("mentor", "mentee").get(pk=engagement.pk)


def measure(engagement: Engagement) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        slots = free_slots_for_engagement(engagement)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        free_slots_for_engagement(engagement)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(queries), len(slots)


def main() -> int:
    results = {}
    try:
        with transaction.atomic():
            for count in (10, 1000):
                results[count] = measure(make_mentor_with_sessions(str(count), count))
            raise Rollback
    except Rollback:
        pass
    small, large = results[10], results[1000]
    ratio = large[0] / small[0]
    print(f"{'sessions':>10} {'median ms':>10} {'queries':>8} {'slots':>6}")
    for count, (seconds, queries, slots) in results.items():
        print(f"{count:>10} {seconds * 1000:>10.2f} {queries:>8} {slots:>6}")
    ok = ratio <= 1.5 and small[1] == large[1]
    print(
        f"ratio 1000/10 = {ratio:.2f} (target <= 1.5), queries equal: {small[1] == large[1]} -> {'OK' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
