"""The pages about one person read the sessions and engagements tables through indexes.

A query that reads a whole table gets slower with every session the consultancy ever held,
whatever the page shows. At a realistic size (the `population` fixture: 3,000 engagements,
20,000 sessions, ANALYZEd) every query of each page is EXPLAINed, and a sequential scan of
either table fails the test, with the query and its plan. About 15 s, most of it making the
data; run alone with `pytest -m query_plans`, leave out with `-m "not query_plans"`.

The planner chooses by cost: with these sizes and shares it uses indexes for these pages, and
an index plan at this size stays one at any larger size, where a whole-table read only costs
more. (A person with an unusual share of all engagements, a few percent, may rightly get a hash
join over a table this small.)
"""

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [pytest.mark.query_plans, pytest.mark.django_db]

WATCHED_TABLES = {"mentoring_sessions_mentoringsession", "mentorship_engagement"}


def seq_scans(plan: dict) -> list[str]:
    """The watched tables that a plan (EXPLAIN's JSON) reads with a sequential scan."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in WATCHED_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


def explain(sql: str, *options: str) -> str | list:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({', '.join(options) or 'FORMAT TEXT'}) {sql}")
        rows = cursor.fetchall()
    return rows[0][0] if options else "\n".join(row[0] for row in rows)


def whole_table_reads(client, user, url: str) -> list[str]:
    """Each query of the page (GET as `user`) that scans a watched table whole, with its plan."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    offenders = []
    for query in queries.captured_queries:
        sql = query["sql"]  # with its parameters in, as the database ran it
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        document = explain(sql, "FORMAT JSON")
        plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
        if scans := seq_scans(plan):
            offenders.append(f"{', '.join(sorted(set(scans)))} read whole by:\n{sql}\n{explain(sql)}")
    return offenders


def test_seq_scans_are_found_in_nested_plans():
    plan = {
        "Node Type": "Hash Join",
        "Plans": [
            {"Node Type": "Index Scan", "Relation Name": "mentoring_sessions_mentoringsession"},
            {"Node Type": "Hash", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "mentorship_engagement"}]},
            {"Node Type": "Seq Scan", "Relation Name": "accounts_user"},
        ],
    }
    assert seq_scans(plan) == ["mentorship_engagement"]


def test_person_pages_read_sessions_and_engagements_through_indexes(client, population):
    mentee, mentor = population.mentee, population.mentor
    engagement_list = reverse("mentorship:engagement-list")
    engagement_page = reverse("overview:engagement-detail", args=[population.engagement.uuid])
    held = population.engagement.sessions.filter(status="completed").order_by("-start").first()
    pages = [
        ("mentee engagement page", mentee, engagement_page),
        ("mentor engagement page", mentor, engagement_page),
        (
            "team engagement page, for a member",
            mentee,
            reverse("overview:engagement-detail", args=[population.team_engagement.uuid]),
        ),
        ("session page, for its mentor", mentor, reverse("mentoring_sessions:session-detail", args=[held.uuid])),
        *(
            (f"health: {name}", population.admin, reverse(f"reporting:health-{name}"))
            for name in ("dashboard", "at-risk", "overdue", "reviews")
        ),
        ("mentee home", mentee, reverse("overview:home")),
        ("mentor home", mentor, reverse("overview:home")),
        ("admin home: the needs-attention queue", population.admin, reverse("overview:home")),
        *(
            (f"admin queue, all {kind}", population.admin, reverse("overview:attention", args=[kind]))
            for kind in ("declines", "stuck-choices", "without-mentor", "overdue", "unbooked-kickoffs")
        ),
        ("mentee session list", mentee, reverse("mentoring_sessions:session-list")),
        ("mentor session list", mentor, reverse("mentoring_sessions:session-list")),
        ("booking page", mentee, reverse("mentoring_sessions:book", args=[population.engagement.uuid])),
        ("team booking page", mentor, reverse("mentoring_sessions:book", args=[population.team_engagement.uuid])),
        ("agenda", mentor, reverse("mentoring_sessions:agenda")),
        ("mentee engagement list", mentee, engagement_list),
        ("mentor engagement list", mentor, engagement_list),
        ("admin engagement list, a mentor searched", population.admin, f"{engagement_list}?mentor={mentor.email}"),
        (
            "admin engagement list, a client searched",
            population.admin,
            f"{engagement_list}?{urlencode({'organisation': population.engagement.organisation.name})}",
        ),
    ]
    failures = {name: reads for name, user, url in pages if (reads := whole_table_reads(client, user, url))}
    assert not failures, "\n\n".join(f"== {name}\n" + "\n\n".join(reads) for name, reads in failures.items())
