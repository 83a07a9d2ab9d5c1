"""A private note never leaves through any channel: the Django admin (pages and search), session
emails, calendar feeds, other people's JSON exports, error pages, the audit log, logs — and the
database holds only ciphertext. Each test plants a distinctive private note and looks for it."""

import datetime
import logging

import pytest
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from core.tests.helpers import days_from_now
from demo.factories import make_note, make_reflection, make_session
from mentorship.urls import urlpatterns as project_urlpatterns
from sessions.booking import selectors, services
from sessions.models import CalendarFeed, MentoringSession, NoteRevision, Reflection, SessionNote, SessionStatus

SECRET = "PRIVATE-NOTE-SECRET-42"
REFLECTION_SECRET = "PRIVATE-REFLECTION-SECRET-43"


def plant(session) -> SessionNote:
    """A private note by the session's mentor, and the mentee's private reflection."""
    note = make_note(session=session, author=session.mentor, visibility="private", body=SECRET)
    if session.mentee_id:
        make_reflection(
            session=session, author=session.mentee, timing="after", visibility="private", body=REFLECTION_SECRET
        )
    return note


def assert_clean(text: str) -> None:
    assert SECRET not in text
    assert REFLECTION_SECRET not in text


def held(engagement, *, days_ago=3) -> MentoringSession:
    return make_session(engagement=engagement, start=days_from_now(-days_ago), status=SessionStatus.COMPLETED)


@pytest.fixture
def planted(engagement):
    session = held(engagement)
    note = plant(session)
    shared = make_note(session=session, author=session.mentor, visibility="shared", body="Shared")
    NoteRevision.objects.create(note=shared, body="Earlier shared text", edited_by=session.mentor)
    return note


# The Django admin --------------------------------------------------------------------------------


def test_no_admin_changelist_change_or_delete_page_shows_a_private_note(client, superuser, planted, team_engagement):
    plant(held(team_engagement, days_ago=4))
    client.force_login(superuser)
    visited = 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, model
        assert_clean(changelist.content.decode())
        if model_admin.search_fields:
            # The search box echoes the query itself; what matters is that nothing is found by it.
            search = client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": SECRET})
            assert search.status_code == 200, model
            assert search.context["cl"].result_count == 0, model
        for obj in model._default_manager.all()[:3]:
            change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            assert change.status_code == 200, model
            assert_clean(change.content.decode())
            visited += 1
    assert visited > 5
    # Deleting a session or a person lists what would go with it: never a note's text.
    for url in (
        reverse("admin:mentoring_sessions_mentoringsession_delete", args=[planted.session.pk]),
        reverse("admin:accounts_user_delete", args=[planted.author.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert_clean(page.content.decode())


def test_session_notes_and_reflections_are_not_in_the_admin_at_all(superuser):
    registered = set(admin.site._registry)
    assert SessionNote not in registered
    assert NoteRevision not in registered
    assert Reflection not in registered


def test_no_registered_admin_names_a_body_field(db):
    for model, model_admin in admin.site._registry.items():
        names = [
            *model_admin.list_display,
            *model_admin.search_fields,
            *(model_admin.fields or []),
            *model_admin.readonly_fields,
            *model_admin.list_filter,
        ]
        assert not any("body" in str(name) for name in names), model
        for inline in model_admin.inlines:
            assert inline.model not in (SessionNote, NoteRevision, Reflection), model


def test_admin_search_on_sessions_does_not_find_a_session_by_its_private_note(client, superuser, planted):
    client.force_login(superuser)
    response = client.get(reverse("admin:mentoring_sessions_mentoringsession_changelist"), {"q": SECRET})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert response.context["cl"].full_result_count == 1
    # (The page itself echoes the query in its search box and links; nothing else is found.)


# Emails ------------------------------------------------------------------------------------------


def _all_text(message) -> str:
    parts = [message.subject, message.body]
    parts += [content for content, _ in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1]
        parts.append(content.decode() if isinstance(content, bytes) else str(content))
    return "\n".join(parts)


def test_session_emails_never_carry_a_private_note(
    engagement, planted, mentee, mentor, open_availability, neutral_venue, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    open_availability(mentor=mentor)
    slots = selectors.free_slots_for_engagement(engagement)
    with django_capture_on_commit_callbacks(execute=True):
        session, _ = services.book_session(
            engagement=engagement, start=slots[0].start, venue=neutral_venue, booked_by=mentee
        )
    plant(session)  # the mentor's preparation note on the upcoming session itself
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_session(session=session, start=slots[-1].start, venue=neutral_venue, actor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=session, actor=mentor, reason="Travel")

    kinds = {message.subject for message in mail.outbox}
    assert len(mail.outbox) == 6, kinds  # booked, moved, cancelled: to the mentor and the mentee each
    for message in mail.outbox:
        assert_clean(_all_text(message))
    assert_clean("\n".join(record.getMessage() for record in caplog.records))


def test_reminder_emails_never_carry_a_private_note(engagement, planted, django_capture_on_commit_callbacks):
    from sessions.reminders import sweep as reminders

    soon = held(engagement, days_ago=0)
    soon.start = (timezone.now() + datetime.timedelta(hours=47)).replace(microsecond=0)
    soon.end = soon.start + datetime.timedelta(minutes=engagement.session_minutes)
    soon.status = SessionStatus.CONFIRMED
    soon.save()
    plant(soon)  # the mentor's preparation note on the session being reminded of
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep()
    recipients = {message.to[0] for message in mail.outbox}
    assert {engagement.mentor.email, engagement.mentee.email} <= recipients
    for message in mail.outbox:
        assert_clean(_all_text(message))


# Calendar feeds and invitations ------------------------------------------------------------------


def test_calendar_feeds_and_session_invites_never_carry_a_private_note(client, engagement, planted, mentor, mentee):
    upcoming = held(engagement, days_ago=-4)
    upcoming.status = SessionStatus.CONFIRMED
    upcoming.save()
    plant(upcoming)
    for person in (mentor, mentee):
        feed = CalendarFeed.objects.create(user=person)
        response = client.get(reverse("mentoring_sessions:calendar-feed", args=[feed.token]))
        assert response.status_code == 200
        assert upcoming.ical_uid in response.content.decode()
        assert_clean(response.content.decode())
        client.force_login(person)
        invite = client.get(reverse("mentoring_sessions:session-ics", args=[upcoming.uuid]))
        assert invite.status_code == 200
        assert_clean(invite.content.decode())


# Exports -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "name"),
    [
        ("mentee", "privacy:data-export"),
        ("outsider_mentee", "privacy:data-export"),
        ("consultancy_admin", "privacy:data-export"),
        ("other_mentor", "privacy:data-export"),
        ("other_mentor", "privacy:notes-export"),
        ("superuser", "privacy:data-export"),
    ],
)
def test_nobody_elses_export_holds_the_private_note(request, client, planted, person, name):
    client.force_login(request.getfixturevalue(person))
    response = client.post(reverse(name))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_only_the_authors_own_notes_export_holds_it(client, planted, mentor):
    client.force_login(mentor)
    assert SECRET in client.post(reverse("privacy:notes-export")).content.decode()


# Pages, error pages and the audit log -----------------------------------------------------------


def test_the_session_page_hides_it_from_everybody_but_its_author(client, planted, mentee, consultancy_admin, superuser):
    url = planted.session.get_absolute_url()
    for person in (mentee, consultancy_admin):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 404
    assert_clean(response.content.decode())


def test_the_404_page_does_not_show_it(client, planted, outsider_mentee, other_mentor):
    for person in (outsider_mentee, other_mentor):
        client.force_login(person)
        response = client.get(planted.session.get_absolute_url())
        assert response.status_code == 404
        assert_clean(response.content.decode())


def _failing_view(request):
    note = SessionNote.objects.filter(visibility="private").first()
    body = note.body  # noqa: F841 — a local holding the text when the view fails
    raise RuntimeError("the view failed while a note was loaded")


urlpatterns = [path("boom/", _failing_view), *project_urlpatterns]


@pytest.mark.urls(__name__)
def test_the_500_page_and_the_error_log_do_not_show_it(settings, planted, caplog):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert_clean(response.content.decode())
    assert_clean("\n".join(record.getMessage() for record in caplog.records))
    assert_clean("\n".join(caplog.text.splitlines()))
    assert mail.outbox == []  # no error email with a traceback (ADMINS is empty)


def test_the_audit_log_never_holds_it(client, planted, mentee, mentor, consultancy_admin, engagement):
    for person, name in ((mentee, "privacy:data-export"), (mentor, "privacy:notes-export")):
        client.force_login(person)
        client.post(reverse(name))
    client.force_login(consultancy_admin)
    client.get(engagement.get_absolute_url())
    response = client.get(reverse("reporting:audit-log"))
    assert len(response.context["page"]) == 3
    assert_clean(response.content.decode())


# The database itself -----------------------------------------------------------------------------


def test_the_raw_database_row_holds_no_plaintext(planted):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM mentoring_sessions_sessionnote WHERE id = %s", [planted.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("fernet:")
    assert SECRET not in raw
    assert SessionNote.objects.get(pk=planted.pk).body == SECRET  # and it still reads back


def test_no_column_of_any_table_holds_the_plaintext(planted):
    """What a database dump would show: search every text column of every table."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')
            """
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" WHERE "{column}"::text LIKE %s OR "{column}"::text LIKE %s',
                [f"%{SECRET}%", f"%{REFLECTION_SECRET}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    assert len(columns) > 20
    assert found == []
