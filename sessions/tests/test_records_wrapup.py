"""The mentor's wrap-up after a session, on the session page: attendance, a note (private or
shared, told apart before saving), a next step and "book the next session", saved together."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import messages_of
from demo.factories import make_session, make_user
from sessions.models import ActionItem, MemberAttendance, SessionNote, SessionStatus
from sessions.records import wrapup

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)  # the pinned clock's day


@pytest.fixture
def started(engagement):
    """An individual session that started three hours ago, nothing recorded yet."""
    return make_session(engagement=engagement, start=timezone.now() - datetime.timedelta(hours=3))


def wrapup_url(session) -> str:
    return reverse("mentoring_sessions:session-wrapup", args=[session.uuid])


def everything(mentee, **extra) -> dict:
    return {
        "outcome": "held",
        "note_body": "Worked on delegating the weekly planning.",
        "note_visibility": "shared",
        "item_text": "Hand the Monday meeting to Sara.",
        "item_owner": mentee.pk,
        "item_due": "2026-12-02",
        "then": "stay",
        **extra,
    }


def test_one_submit_saves_attendance_note_and_next_step(client, mentor, mentee, started):
    client.force_login(mentor)
    response = client.post(wrapup_url(started), everything(mentee))
    assert response.status_code == 302
    assert response["Location"] == started.get_absolute_url() + "#wrap-up"
    started.refresh_from_db()
    assert started.status == SessionStatus.COMPLETED
    note = SessionNote.objects.get(session=started)
    assert (note.author, note.visibility, note.body) == (mentor, "shared", "Worked on delegating the weekly planning.")
    item = ActionItem.objects.get(engagement=started.engagement)
    assert (item.session, item.owner, item.due_date, item.created_by) == (
        started,
        mentee,
        datetime.date(2026, 12, 2),
        mentor,
    )
    assert messages_of(client.get(response["Location"])) == ["Wrap-up saved: attendance, the note, the next step."]


def test_attendance_alone_is_enough_and_the_note_stays_private_unless_told(client, mentor, mentee, started):
    client.force_login(mentor)
    data = everything(mentee, outcome="no_show", note_visibility="private", item_text="", item_due="")
    assert client.post(wrapup_url(started), data).status_code == 302
    started.refresh_from_db()
    assert started.status == SessionStatus.NO_SHOW
    assert SessionNote.objects.get().visibility == "private"
    assert not ActionItem.objects.exists()


def test_save_and_book_leads_to_the_booking_page(client, mentor, mentee, started):
    client.force_login(mentor)
    response = client.post(wrapup_url(started), everything(mentee, then="book"))
    assert response["Location"] == reverse("mentoring_sessions:book", args=[started.engagement.uuid])
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_part_saves_no_part(mentor, started):
    stranger = make_user(email="stranger@example.org", roles=("mentee",))
    parts = wrapup.WrapUp(outcome="held", note_body="A note.", item_text="Do it.", item_owner=stranger)
    with pytest.raises(ValidationError):
        wrapup.wrap_up(session=started, actor=mentor, parts=parts)
    started.refresh_from_db()
    assert started.status == SessionStatus.CONFIRMED
    assert not SessionNote.objects.exists()
    assert not ActionItem.objects.exists()


def test_a_due_date_in_the_past_is_refused_with_a_message_and_nothing_is_saved(client, mentor, mentee, started):
    client.force_login(mentor)
    response = client.post(wrapup_url(started), everything(mentee, item_due="2026-11-24"))
    assert response.status_code == 200
    form = response.context["wrapup_form"]
    assert form.errors["item_due"] == ["That day has passed: pick today or a later day for the next step."]
    html = response.content.decode()
    assert 'aria-describedby="id_item_due_error"' in html
    assert 'id="id_item_due_error"' in html
    assert 'min="2026-11-25"' in html
    started.refresh_from_db()
    assert started.status == SessionStatus.CONFIRMED
    assert not SessionNote.objects.exists()
    assert not ActionItem.objects.exists()
    # The service refuses it too, whatever the form.
    parts = wrapup.WrapUp(outcome="held", item_text="Late.", item_owner=mentee, item_due=TODAY - datetime.timedelta(1))
    with pytest.raises(ValidationError):
        wrapup.wrap_up(session=started, actor=mentor, parts=parts)
    assert client.post(wrapup_url(started), everything(mentee, item_due=TODAY.isoformat())).status_code == 302


def test_a_due_date_without_a_step_and_a_missing_attendance_are_refused(client, mentor, mentee, started):
    client.force_login(mentor)
    response = client.post(wrapup_url(started), {"item_due": "2026-12-01", "note_visibility": "private"})
    errors = response.context["wrapup_form"].errors
    assert errors["item_text"] == ["Write the next step, or leave its due date empty."]
    assert "outcome" in errors


def test_a_double_submit_saves_nothing_more(client, mentor, mentee, started):
    client.force_login(mentor)
    client.post(wrapup_url(started), everything(mentee))
    again = client.post(wrapup_url(started), everything(mentee))
    assert again.status_code == 302
    assert SessionNote.objects.count() == 1
    assert ActionItem.objects.count() == 1
    assert messages_of(client.get(again["Location"]))[-1] == "Nothing new to save: this wrap-up is already saved."


def test_private_and_shared_are_told_apart_in_words_before_saving(client, mentor, started, mentee):
    client.force_login(mentor)
    html = client.get(started.get_absolute_url()).content.decode()
    assert 'id="wrapup-heading"' in html
    assert "Shared with Dave Mentee" in html
    assert "When you save, this note is shared with Dave Mentee." in html
    assert "This note stays private: only you will read it." in html
    assert 'class="visibility-option visibility-private"' in html
    assert 'class="visibility-option visibility-shared"' in html
    assert 'id="note_visibility_private" checked' in html


def test_a_team_session_records_each_member_and_names_them_as_readers(client, mentor, members, team_engagement):
    session = make_session(engagement=team_engagement, start=timezone.now() - datetime.timedelta(hours=3))
    client.force_login(mentor)
    page = client.get(wrapup_url(session))
    html = page.content.decode()
    names = ", ".join(sorted(member.display_name for member in members))
    assert f"When you save, this note is shared with {names}." in html
    data = {f"member_{member.pk}": "absent" for member in members} | {"note_visibility": "private"}
    data[f"member_{members[0].pk}"] = "late"
    assert client.post(wrapup_url(session), data).status_code == 302
    assert MemberAttendance.objects.filter(session=session).count() == len(members)
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_only_the_sessions_mentor_wraps_it_up_once_it_started(
    client, mentor, mentee, started, other_mentor, engagement
):
    client.force_login(mentee)
    assert client.get(wrapup_url(started)).status_code == 403
    assert client.post(wrapup_url(started), everything(mentee)).status_code == 403
    client.force_login(other_mentor)  # another mentor, not of this engagement: the session is not theirs to see
    assert client.post(wrapup_url(started), everything(mentee)).status_code == 404
    client.force_login(mentor)
    upcoming = make_session(engagement=engagement, start=timezone.now() + datetime.timedelta(days=3))
    assert client.post(wrapup_url(upcoming), everything(mentee)).status_code == 403
    assert client.put(wrapup_url(started)).status_code == 405
    started.refresh_from_db()
    assert started.status == SessionStatus.CONFIRMED
    assert not SessionNote.objects.exists()
