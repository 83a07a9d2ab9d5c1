"""Logs say what happened without what people wrote; LOG_FORMAT=json; error reports to ADMINS hide
note text (core/logging.py)."""

import datetime
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import ResolverMatch, path
from django.views.debug import ExceptionReporter, get_default_exception_reporter_filter

from core.logging import JsonFormatter, NoteSafeExceptionReporterFilter
from core.tests.helpers import days_from_now
from demo.factories import make_availability, make_session, make_venue
from sessions.booking import selectors, services
from sessions.models import SessionStatus
from sessions.records import services as records
from sessions.reminders import sweep as reminders

BASE_DIR = Path(__file__).resolve().parents[2]
NOTE_SECRET = "SECRET-NOTE-77"
REASON_SECRET = "SECRET-REASON-78"
# Error reports show a few source lines around each frame, so the tests below name these
# constants rather than spell their values near a failing line.
SUMMARY_SECRET = "SECRET-SUMMARY-79"
INNOCENT = 31337


@pytest.fixture
def bookable(engagement, mentor):
    """The mentor is free 08:00–18:00 every day; a neutral venue to meet at."""
    make_availability(mentor=mentor)
    return selectors.free_slots_for_engagement(engagement), make_venue()


def _session_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "sessions.booking.services"]


def _everything_logged(caplog) -> str:
    formatter = JsonFormatter()
    return "\n".join([caplog.text, *(formatter.format(record) for record in caplog.records)])


# What the services log ---------------------------------------------------------------------------


def test_booking_moving_and_cancelling_log_a_line_with_the_session_id(
    caplog, engagement, mentee, mentor, bookable, django_capture_on_commit_callbacks
):
    slots, venue = bookable
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        session, _ = services.book_session(engagement=engagement, start=slots[0].start, venue=venue, booked_by=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_session(session=session, start=slots[-1].start, venue=venue, actor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=session, actor=mentee, reason=f"Family matters {REASON_SECRET}")

    booked, moved, cancelled = _session_lines(caplog)
    assert booked.startswith(f"Session {session.pk} booked")
    assert f"engagement {engagement.pk}" in booked
    assert f"user {mentee.pk}" in booked
    assert slots[0].start.isoformat() in booked
    assert moved.startswith(f"Session {session.pk} moved by user {mentor.pk}")
    assert slots[0].start.isoformat() in moved
    assert slots[-1].start.isoformat() in moved
    assert cancelled.startswith(f"Session {session.pk} at {slots[-1].start.isoformat()} cancelled by user {mentee.pk}")
    assert len(mail.outbox) == 6  # the emails went out, and their sending is logged too
    text = _everything_logged(caplog)
    assert REASON_SECRET not in text
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            assert mentee.email not in record.getMessage()
            assert mentor.email not in record.getMessage()


def test_confirming_a_requested_session_logs_it(caplog, engagement, mentor, mentee):
    session = make_session(
        engagement=engagement, start=days_from_now(5), status=SessionStatus.REQUESTED, booked_by=mentee
    )
    caplog.set_level(logging.INFO, logger="sessions.booking.services")
    services.confirm_session(session=session, actor=mentor)
    assert _session_lines(caplog) == [
        f"Session {session.pk} at {session.start.isoformat()} confirmed by user {mentor.pk}"
    ]


def test_no_log_record_during_a_note_and_a_reminder_send_holds_the_note_text(
    caplog, engagement, mentor, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    held = make_session(engagement=engagement, start=days_from_now(-2), status=SessionStatus.COMPLETED)
    upcoming = make_session(engagement=engagement, start=days_from_now(47 / 24), status=SessionStatus.CONFIRMED)
    records.create_note(session=held, author=mentor, visibility="private", body=f"Held notes {NOTE_SECRET}")
    records.create_note(session=upcoming, author=mentor, visibility="shared", body=f"Agenda {NOTE_SECRET}")
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep()

    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("Reminder sweep:") for message in messages)
    assert any(message.startswith("Reminder session") and message.endswith("sent") for message in messages), messages
    assert mail.outbox  # the reminders really went out
    assert NOTE_SECRET not in _everything_logged(caplog)


# LOG_FORMAT=json ---------------------------------------------------------------------------------


def _record(message: str, *args, exc_info=None, **extra) -> logging.LogRecord:
    record = logging.LogRecord("sessions.tasks", logging.WARNING, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    return record


def test_json_formatter_writes_one_object_per_line():
    try:
        raise ValueError("broken\nacross lines")
    except ValueError:
        exc_info = sys.exc_info()
    line = JsonFormatter().format(_record("Reminder %s failed:\n%s", "r-1", "SMTPDataError", exc_info=exc_info))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "sessions.tasks"
    assert entry["message"] == "Reminder r-1 failed:\nSMTPDataError"
    assert "ValueError: broken" in entry["exception"]
    assert datetime.datetime.fromisoformat(entry["time"]).utcoffset() == datetime.timedelta(0)


def test_json_formatter_keeps_extra_fields_and_stringifies_what_json_cannot_hold():
    entry = json.loads(JsonFormatter().format(_record("Booked", session_id=7, when=datetime.date(2026, 9, 1))))
    assert entry["session_id"] == 7
    assert entry["when"] == "2026-09-01"


def _run_django(code: str, **overrides: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Python process with Django set up, settings read from `overrides`."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_", "LOG_", "ADMINS"))
    }
    env.update(overrides, DJANGO_SETTINGS_MODULE="mentorship.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _log_from_a_django_process(log_format: str) -> subprocess.CompletedProcess:
    code = "import logging; logging.getLogger('sessions.booking.services').info('Session %s booked', 42)"
    return _run_django(code, LOG_FORMAT=log_format)


def test_log_format_json_makes_every_line_a_json_object():
    result = _log_from_a_django_process("json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert {"level": "INFO", "logger": "sessions.booking.services", "message": "Session 42 booked"}.items() <= lines[
        -1
    ].items()


def test_log_format_defaults_to_plain_text_and_refuses_unknown_formats():
    plain = _log_from_a_django_process("plain")
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.strip().endswith("INFO sessions.booking.services Session 42 booked")
    wrong = _log_from_a_django_process("xml")
    assert wrong.returncode != 0
    assert "LOG_FORMAT must be plain or json" in wrong.stderr


# Error reports (the emails to ADMINS) ------------------------------------------------------------


def _report_of(function, request=None) -> str:
    """The error report as the text email and the HTML page (only the HTML shows locals)."""
    try:
        function()
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info())
        return report.get_traceback_text() + "\n" + report.get_traceback_html()
    raise AssertionError("the function did not fail")


def _fails_while_saving():
    body = NOTE_SECRET  # noqa: F841 — what the report must not show
    reflection_text = NOTE_SECRET  # noqa: F841
    attempt_count = INNOCENT  # noqa: F841 — an innocent local, shown as usual
    raise RuntimeError("saving failed")


def test_the_configured_filter_is_ours():
    assert isinstance(get_default_exception_reporter_filter(), NoteSafeExceptionReporterFilter)


def test_a_report_of_an_exception_with_body_in_scope_does_not_contain_it():
    report = _report_of(_fails_while_saving)
    assert "saving failed" in report
    assert NOTE_SECRET not in report
    assert str(INNOCENT) in report  # other locals still help whoever reads the report


def test_every_local_of_a_frame_in_the_sessions_app_is_hidden():
    # A function compiled as if it lived in sessions/, with innocent-looking names.
    namespace = {"__name__": "sessions.records.views", "NOTE_SECRET": NOTE_SECRET, "INNOCENT": INNOCENT}
    exec(  # noqa: S102
        "def save():\n    summary = NOTE_SECRET\n    count = INNOCENT\n    raise RuntimeError('saving failed')\n",
        namespace,
    )
    text = _report_of(namespace["save"])
    assert "saving failed" in text
    assert NOTE_SECRET not in text
    assert str(INNOCENT) not in text


def _post(view_module: str):
    def view(request):
        raise RuntimeError("unexpected")

    view.__module__ = view_module
    request = RequestFactory().post(
        "/somewhere/", {"body": NOTE_SECRET, "comment": NOTE_SECRET, "summary": SUMMARY_SECRET, "count": INNOCENT}
    )
    request.resolver_match = ResolverMatch(view, (), {})
    return request


def test_post_values_of_a_sessions_or_data_view_are_all_hidden():
    for module in ("sessions.records.views", "privacy.views"):
        request = _post(module)
        text = _report_of(_raise, request)
        assert "unexpected" in text
        assert NOTE_SECRET not in text
        assert SUMMARY_SECRET not in text
        assert str(INNOCENT) not in text


def test_post_values_elsewhere_are_hidden_by_name():
    request = _post("mentorship.inquiries.views")
    text = _report_of(_raise, request)
    assert NOTE_SECRET not in text  # body and comment
    assert SUMMARY_SECRET in text  # other fields still help
    assert str(INNOCENT) in text


def _raise():
    raise RuntimeError("unexpected")


def test_locals_of_functions_named_after_notes_are_hidden():
    def write_note_draft():
        count = INNOCENT  # noqa: F841
        raise RuntimeError("draft failed")

    report = _report_of(write_note_draft)
    assert "draft failed" in report
    assert str(INNOCENT) not in report


def test_a_post_querydict_held_in_a_local_is_cleansed_by_name():
    request = _post("mentorship.inquiries.views")

    def handle():
        data = request.POST  # noqa: F841
        raise RuntimeError("handling failed")

    report = _report_of(handle, request)
    assert NOTE_SECRET not in report
    assert SUMMARY_SECRET in report


def _failing_view(request):
    body = NOTE_SECRET  # noqa: F841
    raise RuntimeError("the view failed while a note was loaded")


urlpatterns = [path("boom/", _failing_view)]


@pytest.mark.urls(__name__)
def test_admins_get_the_500_report_without_the_note(settings, db):
    settings.ADMINS = [("Ops", "ops@example.net")]
    client = Client(raise_request_exception=False)
    response = client.post("/boom/", {"body": NOTE_SECRET})
    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["ops@example.net"]
    assert "the view failed while a note was loaded" in message.body
    assert NOTE_SECRET not in message.body
    assert NOTE_SECRET not in message.subject


def test_admins_come_from_the_environment():
    code = "from django.conf import settings; print(settings.ADMINS)"
    result = _run_django(code, ADMINS='Ops <ops@example.net>, "Doe, Jane" <jane@example.net>,dev@example.net')
    assert result.returncode == 0, result.stderr
    expected = [("Ops", "ops@example.net"), ("Doe, Jane", "jane@example.net"), ("", "dev@example.net")]
    assert result.stdout.strip() == str(expected)
    assert _run_django(code).stdout.strip() == "[]"
    wrong = _run_django(code, ADMINS="ops team")
    assert wrong.returncode != 0
    assert "ADMINS must be email addresses" in wrong.stderr


@pytest.mark.urls(__name__)
def test_without_admins_no_error_email_is_sent(settings, db):
    settings.ADMINS = []
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert mail.outbox == []
