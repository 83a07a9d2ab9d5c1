"""CSV exports of engagements and sessions: columns and rows read back with csv.reader, filters,
formula-injection escaping, no confidential text, an audit entry per export, a constant number of
queries, and bad filter input answered with the form and its errors (never a 500)."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_feedback, make_note, make_organisation, make_reflection, make_team, make_venue
from mentorship.cadence import CadenceRules
from mentorship.models import AuditEntry, Engagement, FocusArea
from reporting.reports import exports
from reporting.reports.exports import (
    ENGAGEMENT_COLUMNS,
    SESSION_COLUMNS,
    ExportFilters,
    engagement_rows,
    filtered_engagements,
    safe_cell,
)
from reporting.reports.periods import Period, adherence_of, held_dates_by_engagement
from reporting.reports.views import SPONSOR_REPORTS_LISTED
from sessions.models import MentoringSession, NoteRevision, SessionStatus, held_condition

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

ENGAGEMENTS = reverse("reporting:export-engagements")
SESSIONS = reverse("reporting:export-sessions")


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the file as UTF-8
    text = body[1:]
    # Swedish spreadsheets want ";" between cells, English ones ",": the header line tells.
    return list(csv.reader(io.StringIO(text), delimiter=";" if text.startswith("ID;") else ","))


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def started(engagement):
    """The individual engagement, started 60 days ago."""
    engagement.start_date = timezone.localdate() - datetime.timedelta(days=60)
    engagement.planned_end = engagement.start_date + datetime.timedelta(days=182)
    engagement.save()
    engagement.focus_areas.set(FocusArea.objects.filter(slug__in=["leadership"]))
    return engagement


# Columns and rows -------------------------------------------------------------------------------


def test_engagements_export_has_the_columns_and_one_row_per_engagement(
    admin_client, started, team_engagement, past_session, session_factory
):
    # The kickoff is due on day 7 and on time within a week of it; day 12 is clear of that edge
    # at every test clock (a session at 23:50 in winter lands on the next day in summer time).
    past_session(started, days_ago=48)  # day 12: on time
    past_session(started, days_ago=20)  # due on day 26, held on day 40: late
    past_session(started, days_ago=10, status=SessionStatus.NO_SHOW)
    past_session(started, days_ago=5, status=SessionStatus.CANCELLED, late_cancellation=True)
    past_session(started, days_ago=4, status=SessionStatus.CANCELLED)  # in time: not counted
    session_factory(started, hours_from_now=5 * 24)  # not held yet
    response = admin_client.get(ENGAGEMENTS)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="engagements-')
    header, *rows = _rows(response)
    assert header == [
        "ID",
        "Organisation",
        "Mentee or team",
        "Mentor",
        "Status",
        "Triggers",
        "Initiated by",
        "Focus areas",
        "Start date",
        "Planned end",
        "Sessions held",
        "No-shows",
        "Late cancellations",
        "Adherence (%)",
    ]
    by_uuid = {row[0]: dict(zip(ENGAGEMENT_COLUMNS, row, strict=True)) for row in rows}
    assert set(by_uuid) == {str(started.uuid), str(team_engagement.uuid)}
    row = by_uuid[str(started.uuid)]
    assert row == {
        "uuid": str(started.uuid),
        "organisation": "Alder Freight AB",
        "mentee_or_team": "Dave Mentee",
        "mentor": "Bob Mentor",
        "status": "Active",
        "triggers": "new_in_role",
        "initiated_by": "The mentee",
        "focus_areas": "leadership",
        "start_date": started.start_date.isoformat(),
        "planned_end": started.planned_end.isoformat(),
        "sessions_held": "2",
        "no_shows": "1",
        "late_cancellations": "1",
        "adherence_percent": "50",
    }
    team_row = by_uuid[str(team_engagement.uuid)]
    assert team_row["mentee_or_team"] == "Alder leadership team"
    assert (team_row["sessions_held"], team_row["adherence_percent"]) == ("0", "")


def test_a_swedish_reader_gets_semicolons_swedish_labels_and_local_times(
    admin_client, consultancy_admin, started, past_session
):
    consultancy_admin.language = "sv"
    consultancy_admin.time_zone = "America/New_York"
    consultancy_admin.save(update_fields=["language", "time_zone"])
    held = past_session(started, days_ago=3)
    header, row = _rows(admin_client.get(SESSIONS))
    assert header[:5] == ["ID", "Mentorskaps-ID", "Organisation", "Start (America/New_York)", "Slut (America/New_York)"]
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert row[3] == held.start.astimezone(new_york).strftime("%Y-%m-%d %H:%M")
    assert row[6:] == ["Genomförd", "nej"]
    engagement_header, engagement_row = _rows(admin_client.get(ENGAGEMENTS))
    assert engagement_header[:5] == ["ID", "Organisation", "Adept eller team", "Mentor", "Status"]
    assert engagement_row[4] == "Aktivt"


def test_sessions_export_has_the_columns_and_local_times(admin_client, started, team_engagement, past_session):
    venue = make_venue(name="Riverside Rooms", city="Göteborg")
    held = past_session(started, days_ago=3, venue=venue)
    cancelled = past_session(started, days_ago=2, status=SessionStatus.CANCELLED, late_cancellation=True)
    team_session = past_session(team_engagement, days_ago=1)
    response = admin_client.get(SESSIONS)
    assert response["Content-Disposition"].startswith('attachment; filename="sessions-')
    header, *rows = _rows(response)
    assert header == [
        "ID",
        "Engagement ID",
        "Organisation",
        "Start (Europe/Stockholm)",
        "End (Europe/Stockholm)",
        "Venue",
        "Status",
        "Late cancellation",
    ]
    assert [row[0] for row in rows] == [str(held.uuid), str(cancelled.uuid), str(team_session.uuid)]
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    assert dict(zip(SESSION_COLUMNS, rows[0], strict=True)) == {
        "uuid": str(held.uuid),
        "engagement_uuid": str(started.uuid),
        "organisation": "Alder Freight AB",
        "start": held.start.astimezone(stockholm).strftime("%Y-%m-%d %H:%M"),
        "end": held.end.astimezone(stockholm).strftime("%Y-%m-%d %H:%M"),
        "venue": "Riverside Rooms, Göteborg",
        "status": "Held",
        "late_cancellation": "no",
    }
    assert rows[1][6:] == ["Cancelled", "yes"]
    assert rows[2][5] == ""  # no venue


# Filters ----------------------------------------------------------------------------------------


@pytest.fixture
def world(started, team_engagement, outsider_engagement, past_session):
    past_session(started, days_ago=30)
    past_session(team_engagement, days_ago=20)
    past_session(outsider_engagement, days_ago=10)
    outsider_engagement.status = Engagement.Status.PAUSED
    outsider_engagement.save()
    return {"started": started, "team": team_engagement, "outsider": outsider_engagement}


def _engagement_uuids(client, **params) -> set[str]:
    return {row[0] for row in _rows(client.get(ENGAGEMENTS, params))[1:]}


def _session_engagements(client, **params) -> set[str]:
    return {row[1] for row in _rows(client.get(SESSIONS, params))[1:]}


def test_filter_by_organisation(admin_client, world, other_organisation):
    expected = {str(world["outsider"].uuid)}
    assert _engagement_uuids(admin_client, organisation=other_organisation.uuid) == expected
    assert _session_engagements(admin_client, organisation=other_organisation.uuid) == expected


def test_filter_by_mentor(admin_client, world, mentor):
    expected = {str(world["started"].uuid), str(world["team"].uuid)}
    assert _engagement_uuids(admin_client, mentor=mentor.pk) == expected
    assert _session_engagements(admin_client, mentor=mentor.pk) == expected


def test_the_organisation_and_the_mentor_are_typed_by_part_of_the_name(admin_client, world):
    assert _engagement_uuids(admin_client, organisation="birch") == {str(world["outsider"].uuid)}
    expected = {str(world["started"].uuid), str(world["team"].uuid)}
    assert _engagement_uuids(admin_client, mentor="bob") == expected
    assert _engagement_uuids(admin_client, mentor="bob.mentor@") == expected


def test_a_name_that_matches_several_asks_for_more_and_lists_some(admin_client, world, other_mentor):
    response = admin_client.get(ENGAGEMENTS, {"mentor": "mentor"})
    assert response.status_code == 400
    error = response.context["form"].errors["mentor"][0]
    assert "Bob Mentor" in error
    assert "Carol Mentor" in error


def test_an_exact_name_wins_over_longer_names_that_contain_it(admin_client, world, organisation):
    make_organisation(name="Alder Freight AB Holding")
    assert _engagement_uuids(admin_client, organisation="alder freight ab") == {
        str(world["started"].uuid),
        str(world["team"].uuid),
    }


def test_the_export_filters_render_no_list_of_every_organisation_or_mentor(admin_client, world):
    content = admin_client.get(reverse("reporting:reports")).content.decode()
    for name in ("organisation", "mentor"):
        assert re.search(rf'<input type="search" name="{name}"', content)
        assert not re.search(rf'<select[^>]*name="{name}"', content)
    assert ">Birch Power AB</option>" not in content
    assert ">Bob Mentor</option>" not in content


def test_filter_by_engagement_status(admin_client, world):
    expected = {str(world["outsider"].uuid)}
    assert _engagement_uuids(admin_client, status="paused") == expected
    assert _session_engagements(admin_client, status="paused") == expected


def test_filter_by_period(admin_client, world):
    today = timezone.localdate()
    params = {"date_from": today - datetime.timedelta(days=25), "date_to": today - datetime.timedelta(days=15)}
    assert _session_engagements(admin_client, **params) == {str(world["team"].uuid)}
    rows = {row[0]: row for row in _rows(admin_client.get(ENGAGEMENTS, params))[1:]}
    # Every engagement runs in the period; only the sessions in it are counted.
    assert set(rows) == {str(world[key].uuid) for key in ("started", "team", "outsider")}
    held = ENGAGEMENT_COLUMNS.index("sessions_held")
    assert {key: rows[str(world[key].uuid)][held] for key in world} == {"started": "0", "team": "1", "outsider": "0"}


def test_a_period_before_an_engagement_started_leaves_it_out(admin_client, world):
    day = world["started"].start_date - datetime.timedelta(days=1)
    assert str(world["started"].uuid) not in _engagement_uuids(admin_client, date_from=day, date_to=day)


# Formula injection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+46 70 123", "'+46 70 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Ann-Sofie", "Ann-Sofie"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_names_that_look_like_formulas_are_escaped_in_the_file(
    admin_client, engagement, organisation, mentor, engagement_factory, past_session
):
    engagement.mentee.full_name = '=HYPERLINK("http://evil.example","x")'
    engagement.mentee.save()
    organisation.name = "@Alder"
    organisation.save()
    team = make_team(organisation=organisation, name="+Leaders")
    engagement_factory(team=team, mentor=mentor)
    mentor.full_name = "-Bob"
    mentor.save()
    past_session(engagement)
    rows = _rows(admin_client.get(ENGAGEMENTS))[1:]
    cells = {cell for row in rows for cell in row}
    assert {'\'=HYPERLINK("http://evil.example","x")', "'@Alder", "'+Leaders", "'-Bob"} <= cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    session_rows = _rows(admin_client.get(SESSIONS))[1:]
    assert session_rows[0][2] == "'@Alder"


# Confidentiality --------------------------------------------------------------------------------

SECRETS = [
    "PRIVATE-NOTE-9d2c",
    "SHARED-NOTE-9d2c",
    "OLD-NOTE-TEXT-9d2c",
    "REFLECTION-9d2c",
    "FEEDBACK-COMMENT-9d2c",
]


@pytest.fixture
def confidential(started, mentor, mentee, past_session):
    session = past_session(started, days_ago=3)
    make_note(session=session, author=mentor, visibility="private", body=SECRETS[0])
    shared = make_note(session=session, author=mentor, visibility="shared", body=SECRETS[1])
    NoteRevision.objects.create(note=shared, body=SECRETS[2], edited_by=mentor)
    make_reflection(session=session, author=mentee, timing="after", visibility="shared", body=SECRETS[3])
    make_feedback(session=session, mentee=mentee, usefulness=5, trust=5, comment=SECRETS[4])
    return session


@pytest.mark.parametrize("url", [ENGAGEMENTS, SESSIONS])
def test_exports_contain_no_note_reflection_or_feedback_text(admin_client, confidential, url):
    body = _body(admin_client.get(url))
    assert str(confidential.uuid) in body or str(confidential.engagement.uuid) in body
    for secret in SECRETS:
        assert secret not in body
    assert "9d2c" not in body


# Audit ------------------------------------------------------------------------------------------


def test_every_export_is_audited(admin_client, consultancy_admin, started, organisation):
    _body(admin_client.get(ENGAGEMENTS))
    _body(admin_client.get(SESSIONS, {"organisation": organisation.uuid, "status": "active"}))
    first, second = AuditEntry.objects.order_by("pk")
    assert (first.actor, first.action, first.target_id) == (consultancy_admin, "exported", "")
    assert first.target_label == "engagements CSV (everything)"
    assert (second.action, second.target_type, second.target_id) == (
        "exported",
        "mentorship.Organisation",
        str(organisation.pk),
    )
    assert second.target_label == "sessions CSV (Alder Freight AB, active)"


# Query counts -----------------------------------------------------------------------------------


def _grow(engagement_factory, past_session, mentee, mentor, team, count, offset=0):
    focus = list(FocusArea.objects.all()[:2])
    for index in range(offset, offset + count):
        engagement = engagement_factory(
            mentee=mentee if index % 2 else None,
            team=None if index % 2 else team,
            mentor=mentor,
            status=Engagement.Status.ACTIVE,
            start_date=timezone.localdate() - datetime.timedelta(days=200 + index),
        )
        engagement.focus_areas.set(focus)
        for days_ago in (150, 100, 50):
            past_session(engagement, days_ago=days_ago + index * 0.25)  # 6 hours apart: no overlap


@pytest.mark.parametrize("url", [ENGAGEMENTS, SESSIONS])
def test_query_count_does_not_grow_with_data(
    admin_client, django_assert_num_queries, engagement_factory, mentee, mentor, team, url, past_session
):
    _grow(engagement_factory, past_session, mentee, mentor, team, 2)
    with CaptureQueriesContext(connection) as small:
        assert len(_rows(admin_client.get(url))) > 2
    _grow(engagement_factory, past_session, mentee, mentor, team, 12, offset=2)
    with django_assert_num_queries(len(small)):
        rows = _rows(admin_client.get(url))
    assert len(rows) == 1 + (14 if url == ENGAGEMENTS else 42)


# Streaming --------------------------------------------------------------------------------------


def _all_at_once(user, filters: ExportFilters) -> list[list]:
    """The engagement rows as the export computed them before it streamed: every engagement with
    its counts in one aggregate query, the held dates of all of them in another. The streamed
    rows must be these, in this order."""
    now = timezone.now()
    in_period = filters.period.session_filter("sessions__")
    engagements = filtered_engagements(user, filters)
    found = list(
        engagements.select_related("organisation", "mentee", "team", "mentor")
        .prefetch_related(Prefetch("focus_areas", queryset=FocusArea.objects.only("slug").order_by("slug")))
        .annotate(
            held=Count("sessions", filter=held_condition(now, "sessions__") & in_period),
            no_shows=Count("sessions", filter=Q(sessions__status=SessionStatus.NO_SHOW) & in_period),
            late=Count(
                "sessions",
                filter=Q(sessions__status=SessionStatus.CANCELLED, sessions__late_cancellation=True) & in_period,
            ),
        )
        .order_by("organisation__name", "start_date", "pk")
    )
    dates = held_dates_by_engagement(engagements, filters.period.end)
    adherence = {e.pk: adherence_of(CadenceRules.of(e), dates.get(e.pk, ()), filters.period) for e in found}
    return [
        [
            e.uuid,
            e.organisation.name,
            e.team.name if e.team_id else e.mentee.display_name,
            e.mentor.display_name if e.mentor_id else "",
            e.get_status_display(),
            ", ".join(e.triggers),
            e.get_initiated_by_display(),
            ", ".join(area.slug for area in e.focus_areas.all()),
            e.start_date,
            e.planned_end,
            e.held,
            e.no_shows,
            e.late,
            "" if adherence[e.pk].percent is None else adherence[e.pk].percent,
        ]
        for e in found
    ]


@pytest.fixture
def many(world, engagement_factory, past_session, session_factory, mentee, mentor, team):
    """The world, and seven more engagements of the mentee and the team with held, missed and
    cancelled sessions and one ahead."""
    _grow(engagement_factory, past_session, mentee, mentor, team, 7)
    engagement = Engagement.objects.filter(mentee=mentee).order_by("pk").last()
    past_session(engagement, days_ago=3, status=SessionStatus.NO_SHOW)
    past_session(engagement, days_ago=2, status=SessionStatus.CANCELLED, late_cancellation=True)
    session_factory(engagement, hours_from_now=30)
    return world


@pytest.mark.parametrize("batch_size", [1, 2, 3, 500])
@pytest.mark.parametrize("days", [None, (160, 40), (60, 0)])
def test_streamed_rows_are_the_rows_computed_all_at_once(many, consultancy_admin, batch_size, days):
    today = timezone.localdate()
    period = Period(*(today - datetime.timedelta(days=day) for day in days)) if days else Period()
    filters = ExportFilters(period=period)
    with time_machine.travel(timezone.now(), tick=False):
        expected = _all_at_once(consultancy_admin, filters)
        streamed = list(engagement_rows(consultancy_admin, filters, batch_size=batch_size))
    assert len(expected) == 10
    assert any(row[10] for row in expected)  # held sessions counted
    assert any(row[-1] != "" for row in expected)  # and adherence
    assert streamed == expected


def test_the_first_rows_come_before_the_later_ones_are_read(many, consultancy_admin):
    rows = engagement_rows(consultancy_admin, ExportFilters(), batch_size=4)
    with CaptureQueriesContext(connection) as first:
        first_rows = [next(rows) for _index in range(4)]
    # The cursor over the engagements with their counts, then the first four's focus areas.
    assert len(first) == 2
    assert first.captured_queries[0]["sql"].startswith("DECLARE")
    first_ids = {str(Engagement.objects.get(uuid=row[0]).pk) for row in first_rows}
    focus_ids = re.findall(r"IN \(([\d, ]+)\)", first.captured_queries[1]["sql"])[0].split(", ")
    assert set(focus_ids) == first_ids
    with CaptureQueriesContext(connection) as later:
        assert len(list(rows)) == 6
    assert len(later) == 2  # the focus areas of two more batches; the cursor is read on


def test_the_response_sends_its_header_before_any_row_is_read(admin_client, many, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_BATCH_SIZE", 4)
    response = admin_client.get(ENGAGEMENTS)
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as header:
        assert next(chunks).decode("utf-8").startswith("\ufeffID,Organisation,")
    assert len(header) == 0
    with CaptureQueriesContext(connection) as first_row:
        next(chunks)
    assert len(first_row) == 2
    assert len(list(chunks)) == 9


def test_streamed_rows_count_in_the_viewers_zone_after_the_view_returned(admin_client, started, past_session):
    # 00:30 in Stockholm is 23:30 UTC the day before: the period of that one day counts the session
    # only in the viewer's zone, which is no longer active while the response streams.
    day = timezone.localdate() - datetime.timedelta(days=5)
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    start = datetime.datetime.combine(day, datetime.time(0, 30), tzinfo=stockholm)
    MentoringSession.for_engagement(started, start=start, status=SessionStatus.COMPLETED).save()
    header, row = _rows(admin_client.get(ENGAGEMENTS, {"date_from": day, "date_to": day}))
    assert dict(zip(ENGAGEMENT_COLUMNS, row, strict=True))["sessions_held"] == "1"


def test_streamed_adherence_counts_local_days_after_the_view_returned(admin_client, started):
    # The first session on day 14 at 00:30 in Stockholm (23:30 UTC on day 13) sets the next due
    # date; the second, on day 35, is on time by 21 days in Stockholm and a day late by UTC dates.
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    first = datetime.datetime.combine(started.start_date + datetime.timedelta(days=14), datetime.time(0, 30))
    second = datetime.datetime.combine(started.start_date + datetime.timedelta(days=35), datetime.time(12))
    for start in (first, second):
        MentoringSession.for_engagement(
            started, start=start.replace(tzinfo=stockholm), status=SessionStatus.COMPLETED
        ).save()
    header, row = _rows(admin_client.get(ENGAGEMENTS))
    assert dict(zip(ENGAGEMENT_COLUMNS, row, strict=True))["adherence_percent"] == "100"


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ENGAGEMENTS, SESSIONS])
@pytest.mark.parametrize(
    "params",
    [
        {"organisation": "not-a-uuid"},
        {"organisation": "00000000-0000-0000-0000-000000000000"},
        {"mentor": "abc"},
        {"mentor": "99999999999999999999999"},
        {"status": "deleted"},
        {"date_from": "2026-13-45"},
        {"date_to": "yesterday"},
        {"date_from": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "2026-06-01", "date_to": "2026-05-01"},
        {"date_from": "2026-06-01\x00"},
    ],
)
def test_bad_filters_show_the_form_with_errors(admin_client, started, url, params):
    response = admin_client.get(url, params)
    assert response.status_code == 400
    assert not response.streaming
    assert response.context["form"].errors
    assert "field-error" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_mentee_is_no_mentor_filter(admin_client, started, mentee):
    assert admin_client.get(ENGAGEMENTS, {"mentor": mentee.pk}).status_code == 400


def test_the_reports_page_offers_both_downloads_and_the_sponsor_reports(admin_client, organisation, other_organisation):
    content = admin_client.get(reverse("reporting:reports")).content.decode()
    assert f'formaction="{ENGAGEMENTS}"' in content
    assert f'formaction="{SESSIONS}"' in content
    assert reverse("sponsors:report", args=[organisation.uuid]) in content
    assert reverse("sponsors:report", args=[other_organisation.uuid]) in content


def test_a_sponsor_report_is_opened_by_typing_part_of_the_organisations_name(admin_client, organisation):
    response = admin_client.get(reverse("reporting:reports"), {"sponsor_organisation": "alder"})
    assert response.status_code == 302
    assert response.url == reverse("sponsors:report", args=[organisation.uuid])


@pytest.mark.parametrize(
    ("typed", "error"), [("", "Type part of"), ("zzz", "Nothing matches"), ("AB", "Several match")]
)
def test_a_sponsor_report_name_that_names_none_or_several_says_so(
    admin_client, organisation, other_organisation, typed, error
):
    response = admin_client.get(reverse("reporting:reports"), {"sponsor_organisation": typed})
    assert response.status_code == 400
    assert error in response.context["finder"].errors["sponsor_organisation"][0]


def test_the_reports_page_lists_the_first_sponsor_reports_by_name_and_no_more(admin_client):
    for number in range(SPONSOR_REPORTS_LISTED + 5):
        make_organisation(name=f"Client {number:02d} AB")
    content = admin_client.get(reverse("reporting:reports")).content.decode()
    assert content.count("Sponsor report for ") == SPONSOR_REPORTS_LISTED
    assert "type a name above for the others" in content


def test_only_admins_find_sponsor_reports(client, mentor, organisation):
    client.force_login(mentor)
    assert client.get(reverse("reporting:reports"), {"sponsor_organisation": "alder"}).status_code == 403
