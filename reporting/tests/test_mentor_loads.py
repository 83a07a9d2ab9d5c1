"""The mentors' stored loads (`MentorLoadRecord`, kept by database triggers): after any sequence
of engagements made, moved between mentors, paused, finished or deleted and capacities changed,
however the change is made, each row equals a fresh count; and the utilisation chart reads the
fullest mentors from them."""

import contextlib

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from demo.factories import make_engagement, make_mentor_profile, make_user
from mentorship.models import Engagement, MentorProfile
from reporting.health.dashboard import mentor_utilisation
from reporting.models import MentorLoadRecord

pytestmark = pytest.mark.django_db

STATUSES = ["proposed", "active", "paused", "completed", "cancelled"]


def fresh_loads() -> dict[int, tuple]:
    """Per mentor with a profile or an engagement: active, paused, capacity — counted now."""
    counted = {
        row["mentor"]: (row["active"], row["paused"])
        for row in Engagement.objects.filter(mentor__isnull=False)
        .values("mentor")
        .annotate(active=Count("pk", filter=Q(status="active")), paused=Count("pk", filter=Q(status="paused")))
    }
    capacities = dict(MentorProfile.objects.values_list("user", "capacity"))
    return {
        mentor: (*counted.get(mentor, (0, 0)), capacities.get(mentor))
        for mentor in set(counted) | set(capacities)
        if counted.get(mentor, (0, 0)) != (0, 0) or mentor in capacities
    }


def stored_loads() -> dict[int, tuple]:
    return {
        row.mentor_id: (row.active, row.paused, row.capacity)
        for row in MentorLoadRecord.objects.all()
        if (row.active, row.paused) != (0, 0) or row.capacity is not None
    }


operation = st.one_of(
    st.tuples(st.just("make"), st.integers(0, 3), st.sampled_from(STATUSES)),  # mentor 3: none
    st.tuples(st.just("status"), st.integers(0, 9), st.sampled_from(STATUSES)),
    st.tuples(st.just("mentor"), st.integers(0, 9), st.integers(0, 3)),
    st.tuples(st.just("bulk status"), st.sampled_from(STATUSES), st.sampled_from(STATUSES)),
    st.tuples(st.just("delete"), st.integers(0, 9), st.just(None)),
    st.tuples(st.just("capacity"), st.integers(0, 2), st.integers(0, 6)),
    st.tuples(st.just("no profile"), st.integers(0, 2), st.just(None)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_stored_loads_equal_a_fresh_count_after_any_changes(operations):
    mentors = [make_user(roles=("mentor",)) for _ in range(3)]
    for person in mentors[:2]:  # the third has no profile until given a capacity
        make_mentor_profile(user=person, capacity=2)
    try:
        for kind, first, second in operations:
            engagements = list(Engagement.objects.order_by("pk"))
            chosen = engagements[first % len(engagements)] if engagements and isinstance(first, int) else None
            # A change the database refuses (a started engagement without a mentor) changes no load.
            with contextlib.suppress(IntegrityError), transaction.atomic():
                _apply(kind, first, second, chosen, mentors)
            assert stored_loads() == fresh_loads(), (kind, first, second)
    finally:
        Engagement.objects.all().delete()
        User.objects.filter(pk__in=[person.pk for person in mentors]).delete()


def _apply(kind: str, first, second, chosen: Engagement | None, mentors: list[User]) -> None:
    if kind == "make":
        make_engagement(mentor=mentors[first] if first < 3 else None, status=second)
    elif kind == "status" and chosen:
        chosen.status = second
        chosen.save()
    elif kind == "mentor" and chosen:
        chosen.mentor = mentors[second] if second < 3 else None
        chosen.save()
    elif kind == "bulk status":  # a queryset update sends no signals: the database still counts
        Engagement.objects.filter(status=first).update(status=second)
    elif kind == "delete" and chosen:
        chosen.delete()
    elif kind == "capacity":
        MentorProfile.objects.update_or_create(user=mentors[first], defaults={"capacity": second})
    elif kind == "no profile":
        MentorProfile.objects.filter(user=mentors[first]).delete()


def test_the_chart_shows_the_fullest_first_over_capacity_at_the_top():
    """Six mentors with work: two over capacity (one of them with none at all, so no share), shares
    of 1.0, 0.5 and 0.25, one with no profile; and one with nothing to do."""
    people = {}
    for name, capacity, active in (("Quarter", 4, 1), ("Full", 2, 2), ("Zero", 0, 1), ("Over", 1, 2), ("Half", 4, 2)):
        people[name] = make_user(roles=("mentor",), full_name=name)
        make_mentor_profile(user=people[name], capacity=capacity)
        for _ in range(active):
            make_engagement(mentor=people[name], status="active")
    people["Unprofiled"] = make_user(roles=("mentor",), full_name="Unprofiled")
    make_engagement(mentor=people["Unprofiled"], status="paused")
    idle = make_user(roles=("mentor",), full_name="Idle")
    make_mentor_profile(user=idle, capacity=3)

    utilisation = mentor_utilisation(User.objects.filter(is_mentor=True, is_active=True), shown=6)

    assert [row.mentor.full_name for row in utilisation.mentors] == [
        "Over",
        "Zero",
        "Full",
        "Half",
        "Quarter",
        "Unprofiled",
    ]
    assert (utilisation.total, utilisation.over_capacity) == (7, 2)
    assert [(row.active, row.paused, row.capacity) for row in utilisation.mentors][-1] == (0, 1, None)
    filled = mentor_utilisation(User.objects.filter(is_mentor=True, is_active=True), shown=8)
    assert filled.mentors[-1].mentor == idle  # mentors with nothing fill what is left
