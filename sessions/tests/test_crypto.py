import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from core import crypto
from core.tests.helpers import days_from_now
from demo.factories import make_busy_calendar, make_note, make_reflection, make_session
from sessions.models import BusyCalendar, SessionNote

SECRET = "The mentee is afraid the CFO will leave"


@pytest.fixture
def session(engagement):
    return make_session(engagement=engagement, start=days_from_now(-2), minutes=120, status="completed")


def raw_body(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT body FROM "{table}" WHERE id = %s', [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_private_note_is_ciphertext_in_the_database_row(session):
    note = make_note(session=session, author=session.mentor, visibility="private", body=SECRET)
    stored = raw_body("mentoring_sessions_sessionnote", note.pk)
    assert SECRET not in stored
    assert "CFO" not in stored
    assert stored.startswith("fernet:")
    assert SessionNote.objects.get(pk=note.pk).body == SECRET


@pytest.mark.django_db
def test_reflections_are_encrypted_too(session):
    reflection = make_reflection(
        session=session, author=session.mentee, timing="after", visibility="private", body=SECRET
    )
    assert SECRET not in raw_body("mentoring_sessions_reflection", reflection.pk)


@pytest.mark.django_db
def test_key_rotation_re_encrypts_with_the_new_key_and_old_key_can_go(session, settings):
    old_key = settings.NOTES_ENCRYPTION_KEYS[0]
    note = make_note(session=session, author=session.mentor, visibility="private", body=SECRET)
    new_key = Fernet.generate_key().decode()
    settings.NOTES_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_note_keys", stdout=io.StringIO())
    settings.NOTES_ENCRYPTION_KEYS = [new_key]
    assert SessionNote.objects.get(pk=note.pk).body == SECRET
    settings.NOTES_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(ValueError, match="cannot decrypt"):
        SessionNote.objects.get(pk=note.pk)


@pytest.mark.django_db
def test_key_rotation_re_encrypts_mentors_calendar_links(mentor, settings):
    old_key = settings.NOTES_ENCRYPTION_KEYS[0]
    url = "https://calendar.example.net/owa/secret-token-4711/calendar.ics"
    calendar = make_busy_calendar(mentor=mentor, url=url)
    settings.NOTES_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    out = io.StringIO()
    call_command("rotate_note_keys", stdout=out)
    assert "calendar links" in out.getvalue()
    settings.NOTES_ENCRYPTION_KEYS = settings.NOTES_ENCRYPTION_KEYS[:1]  # the old key is gone
    assert BusyCalendar.objects.get(pk=calendar.pk).url == url


def test_round_trip_and_refusal_of_plain_values():
    assert crypto.decrypt(crypto.encrypt("å ä ö <b>")) == "å ä ö <b>"
    with pytest.raises(ValueError, match="not an encrypted value"):
        crypto.decrypt("plain text")


@pytest.mark.django_db
def test_note_string_never_contains_the_body(session):
    note = make_note(session=session, author=session.mentor, visibility="private", body=SECRET)
    assert SECRET not in str(note)
    assert SECRET not in repr(note)
