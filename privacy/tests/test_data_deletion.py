"""Asking for deletion, the admins' list, and completing a deletion: what goes and what stays."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.urls import reverse

from accounts.models import DeletionRequest, User
from core.tests.helpers import messages_of
from demo.factories import (
    make_action_item,
    make_busy_calendar,
    make_busy_interval,
    make_event,
    make_feedback,
    make_inquiry,
    make_invitation,
    make_note,
    make_reflection,
    make_team_member,
)
from mentorship.models import (
    AuditEntry,
    Engagement,
    Inquiry,
    IntakeResponse,
    Invitation,
    OrganisationMember,
    TeamMembership,
)
from privacy.deletion import complete_deletion, request_deletion
from privacy.tests.fixtures import PRIVATE_SECRET
from sessions.models import (
    ActionItem,
    BusyCalendar,
    BusyInterval,
    CalendarFeed,
    Feedback,
    MentoringSession,
    NoteRevision,
    Reflection,
    SessionNote,
)


def ask(client, user, **data):
    client.force_login(user)
    return client.post(reverse("privacy:deletion-request"), {"confirm": "on", **data})


def complete(client, admin, deletion, **data):
    client.force_login(admin)
    return client.post(reverse("privacy:deletion-complete", args=[deletion.pk]), {"confirm": "on", **data})


# Asking ----------------------------------------------------------------------------------------


def test_mentee_asks_for_deletion_after_a_confirmation_step(client, mentee):
    client.force_login(mentee)
    page = client.get(reverse("privacy:deletion-request"))
    assert page.status_code == 200
    assert 'name="confirm"' in page.content.decode()

    response = ask(client, mentee, reason="Leaving the company")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    deletion = DeletionRequest.objects.get()
    assert (deletion.user, deletion.email, deletion.full_name, deletion.reason) == (
        mentee,
        mentee.email,
        "Dave Mentee",
        "Leaving the company",
    )
    assert deletion.completed_at is None
    entry = AuditEntry.objects.get(action="deletion_requested")
    assert (entry.actor, entry.target_id, entry.target_label) == (
        mentee,
        str(mentee.pk),
        f"deletion of user #{mentee.pk}",
    )
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "You asked for your data to be deleted" in profile
    assert reverse("privacy:deletion-request") + '"' not in profile


def test_without_the_confirmation_box_nothing_is_asked(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("privacy:deletion-request"), {"reason": "Please"})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    assert not DeletionRequest.objects.exists()


def test_an_overlong_reason_is_a_form_error(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("privacy:deletion-request"), {"confirm": "on", "reason": "x" * 2001})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not DeletionRequest.objects.exists()


def test_asking_twice_keeps_one_open_request(client, mentee):
    ask(client, mentee, reason="first")
    second = ask(client, mentee, reason="second")
    assert second.status_code == 302
    assert DeletionRequest.objects.filter(user=mentee).count() == 1
    assert DeletionRequest.objects.get().reason == "first"
    assert AuditEntry.objects.filter(action="deletion_requested").count() == 1
    again = client.get(reverse("privacy:deletion-request"), follow=True)
    assert "already asked" in " ".join(messages_of(again))


def test_the_service_returns_the_open_request_on_a_second_call(mentee):
    first, created = request_deletion(user=mentee, reason="")
    second, created_again = request_deletion(user=mentee, reason="again")
    assert (created, created_again, first.pk) == (True, False, second.pk)


def test_html_in_the_reason_is_stored_as_given_and_shown_escaped(client, mentee, consultancy_admin):
    ask(client, mentee, reason="<script>alert(1)</script>")
    assert DeletionRequest.objects.get().reason == "<script>alert(1)</script>"
    client.force_login(consultancy_admin)
    html = client.get(reverse("privacy:deletion-request-list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# The admins' list ------------------------------------------------------------------------------


def test_admin_sees_open_requests_and_completed_ones_without_names(client, consultancy_admin, mentee, user_factory):
    ask(client, mentee, reason="Leaving")
    gone = user_factory(email="gone@example.org", roles=("mentee",), full_name="Gone Person")
    old = DeletionRequest.objects.create(user=gone, email=gone.email, full_name=gone.full_name)
    complete_deletion(deletion_request=old, by=consultancy_admin)

    client.force_login(consultancy_admin)
    html = client.get(reverse("privacy:deletion-request-list")).content.decode()

    assert "Dave Mentee" in html
    assert "Leaving" in html
    assert reverse("privacy:deletion-complete", args=[DeletionRequest.objects.get(user=mentee).pk]) in html
    assert f"User #{gone.pk}" in html
    assert "Gone Person" not in html
    assert "gone@example.org" not in html


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_takes_the_same_number_of_queries_for_more_requests(
    client, consultancy_admin, second_admin, user_factory, django_assert_num_queries, size
):
    for index in range(size):
        person = user_factory(email=f"person{index}@example.org", roles=("mentee",))
        DeletionRequest.objects.create(user=person, email=person.email)
        done = user_factory(email=f"done{index}@example.org", roles=("mentee",))
        complete_deletion(deletion_request=DeletionRequest.objects.create(user=done, email=done.email), by=second_admin)
    client.force_login(consultancy_admin)
    client.get(reverse("privacy:deletion-request-list"))  # warm the session and caches
    with django_assert_num_queries(6):  # session, user, the two-factor check, and the page's own three
        response = client.get(reverse("privacy:deletion-request-list"))
    assert response.status_code == 200


# Completing ------------------------------------------------------------------------------------


@pytest.fixture
def rich_mentee(mentee, records, team_engagement, team, engagement, mentor, consultancy_admin, held_session):
    """The mentee also sits in the leadership team, has a calendar feed, an invitation and an inquiry,
    and an earlier shared note revision; an admin has viewed their engagement page."""
    make_team_member(team=team, user=mentee, title="Head of Sales")
    team_session = held_session(team_engagement)
    make_note(session=team_session, visibility="shared", body="Team note stays")
    make_reflection(session=team_session, author=mentee, timing="after", visibility="shared", body="x")
    make_feedback(session=team_session, mentee=mentee, usefulness=3, trust=3)
    make_action_item(engagement=team_engagement, text="Mentee's team task", owner=mentee)
    make_action_item(engagement=team_engagement, text="Mentor's team task", owner=mentor)
    NoteRevision.objects.create(note=records.shared, body="Earlier wording", edited_by=mentor)
    CalendarFeed.objects.create(user=mentee)
    make_invitation(
        email=mentee.email,
        full_name="Dave Mentee",
        organisation=engagement.organisation,
        expires_at=engagement.created_at,
    )
    make_inquiry(name="Dave Mentee", email="DAVE.mentee@example.org", kind="individual", message="Hello")
    make_event(engagement=engagement, kind="created", actor=consultancy_admin)
    from mentorship import audit

    audit.record(actor=consultancy_admin, action="viewed_engagement", target=engagement)
    return mentee


def test_completing_removes_the_mentees_data_and_every_note_written_about_them(
    client, rich_mentee, records, engagement, team_engagement, team, consultancy_admin
):
    mentee = rich_mentee
    ask(client, mentee)
    deletion = DeletionRequest.objects.get()
    private_id = records.private.pk

    page = client.force_login(consultancy_admin) or client.get(reverse("privacy:deletion-complete", args=[deletion.pk]))
    assert page.status_code == 200
    assert PRIVATE_SECRET not in page.content.decode()
    assert page.context["summary"]["sessions"] == 2
    assert page.context["summary"]["upcoming_sessions"] == 1

    response = complete(client, consultancy_admin, deletion)

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:deletion-request-list")
    # The private note about the mentee is gone from the database, not merely hidden.
    assert not SessionNote.objects.filter(pk=private_id).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM mentoring_sessions_sessionnote WHERE id = %s", [private_id])
        assert cursor.fetchone()[0] == 0
    assert not Engagement.objects.filter(pk=engagement.pk).exists()
    assert not MentoringSession.objects.filter(engagement_id=engagement.pk).exists()
    assert not NoteRevision.objects.exists()
    assert not Reflection.objects.filter(author=mentee).exists()
    assert not Feedback.objects.filter(mentee=mentee).exists()
    assert not IntakeResponse.objects.filter(mentee=mentee).exists()
    assert not ActionItem.objects.filter(owner=mentee).exists()
    assert not TeamMembership.objects.filter(user=mentee).exists()
    assert not OrganisationMember.objects.filter(user=mentee).exists()
    assert not CalendarFeed.objects.filter(user=mentee).exists()
    assert not EmailAddress.objects.filter(user=mentee).exists()
    assert not Invitation.objects.exists()
    assert not Inquiry.objects.exists()
    # The team's engagement goes on for the other members, with its notes and tasks.
    assert Engagement.objects.filter(pk=team_engagement.pk).exists()
    assert SessionNote.objects.filter(body__isnull=False, session__engagement=team_engagement).count() == 1
    assert list(ActionItem.objects.values_list("text", flat=True)) == ["Mentor's team task"]
    assert team.memberships.count() == 3
    # The account stays (other rows point at it) but says nothing about the person.
    mentee.refresh_from_db()
    assert mentee.email == f"deleted-{mentee.pk}@invalid"
    assert mentee.full_name == ""
    assert not mentee.has_usable_password()
    assert not mentee.is_active
    assert mentee.roles == []
    deletion.refresh_from_db()
    assert deletion.completed_at is not None
    assert deletion.completed_by == consultancy_admin
    assert (deletion.email, deletion.full_name, deletion.reason) == (f"deleted-{mentee.pk}@invalid", "", "")


def test_the_audit_log_records_the_deletion_by_user_id_and_forgets_the_name(
    client, rich_mentee, consultancy_admin, engagement
):
    mentee = rich_mentee
    ask(client, mentee)
    complete(client, consultancy_admin, DeletionRequest.objects.get())

    entry = AuditEntry.objects.get(action="deleted")
    assert (entry.actor, entry.target_type, entry.target_id) == (consultancy_admin, "accounts.User", str(mentee.pk))
    assert entry.target_label == f"data of user #{mentee.pk}"
    labels = " ".join(f"{row.actor_label} {row.target_label}" for row in AuditEntry.objects.all())
    assert "Dave" not in labels
    assert "dave.mentee@example.org" not in labels
    assert AuditEntry.objects.filter(action="viewed_engagement", target_id=str(engagement.pk)).exists()
    assert AuditEntry.objects.filter(action="deletion_requested").get().actor_label == f"user #{mentee.pk} (deleted)"


def test_the_deleted_person_can_no_longer_sign_in(client, mentee, consultancy_admin):
    from core.tests.helpers import TEST_PASSWORD

    ask(client, mentee)
    complete(client, consultancy_admin, DeletionRequest.objects.get())
    client.logout()
    assert not client.login(email="dave.mentee@example.org", password=TEST_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not User.objects.filter(email__iexact="dave.mentee@example.org").exists()


def test_without_the_confirmation_box_nothing_is_deleted(client, mentee, records, consultancy_admin):
    ask(client, mentee)
    client.force_login(consultancy_admin)
    deletion = DeletionRequest.objects.get()
    response = client.post(reverse("privacy:deletion-complete", args=[deletion.pk]), {})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    assert SessionNote.objects.filter(pk=records.private.pk).exists()
    mentee.refresh_from_db()
    assert mentee.is_active


def test_completing_twice_is_harmless(client, mentee, records, consultancy_admin, second_admin):
    ask(client, mentee)
    deletion = DeletionRequest.objects.get()
    complete(client, consultancy_admin, deletion)
    first = DeletionRequest.objects.get()

    again = complete(client, second_admin, deletion)

    assert again.status_code == 302
    assert "already completed" in " ".join(messages_of(client.get(again["Location"])))
    assert complete_deletion(deletion_request=deletion, by=second_admin) is False
    current = DeletionRequest.objects.get()
    assert (current.completed_at, current.completed_by) == (first.completed_at, consultancy_admin)
    assert AuditEntry.objects.filter(action="deleted").count() == 1


def test_an_admin_cannot_complete_their_own_request(client, consultancy_admin, second_admin):
    ask(client, consultancy_admin)
    deletion = DeletionRequest.objects.get()
    response = complete(client, consultancy_admin, deletion)
    assert response.status_code == 200
    assert "Another consultancy admin" in response.content.decode()
    consultancy_admin.refresh_from_db()
    assert consultancy_admin.is_active
    assert complete(client, second_admin, deletion).status_code == 302
    consultancy_admin.refresh_from_db()
    assert not consultancy_admin.is_active


def test_a_mentor_asking_for_deletion_keeps_the_engagements_they_mentor(
    client, mentor, mentee, records, engagement, consultancy_admin
):
    calendar = make_busy_calendar(mentor=mentor)
    make_busy_interval(
        calendar=calendar, start=engagement.created_at, end=engagement.created_at + datetime.timedelta(hours=1)
    )
    ask(client, mentor)
    complete(client, consultancy_admin, DeletionRequest.objects.get())

    engagement.refresh_from_db()
    assert engagement.mentor_id == mentor.pk  # the mentee's mentorship and shared notes stay
    assert SessionNote.objects.filter(pk=records.shared.pk).exists()
    # A private note was for its author only: with the author gone, nobody may read it.
    assert not SessionNote.objects.filter(pk=records.private.pk).exists()
    mentor.refresh_from_db()
    assert (mentor.is_active, mentor.is_mentor, mentor.full_name) == (False, False, "")
    # The links to the mentor's own calendars, and what was read from them, are gone.
    assert not BusyCalendar.objects.exists()
    assert not BusyInterval.objects.exists()


def test_a_request_whose_account_was_removed_can_still_be_closed(client, consultancy_admin, user_factory):
    person = user_factory(email="removed@example.org", roles=("mentee",))
    deletion = DeletionRequest.objects.create(user=person, email=person.email, full_name="Removed", reason="r")
    person.delete()
    response = complete(client, consultancy_admin, deletion)
    assert response.status_code == 302
    deletion.refresh_from_db()
    assert deletion.completed_at is not None
    assert (deletion.full_name, deletion.reason) == ("", "")


def test_other_mentees_data_is_untouched(client, mentee, records, outsider_records, outsider_mentee, consultancy_admin):
    ask(client, mentee)
    complete(client, consultancy_admin, DeletionRequest.objects.get())
    assert SessionNote.objects.filter(session=outsider_records.session).count() == 2
    assert Reflection.objects.filter(author=outsider_mentee).count() == 1
    outsider_mentee.refresh_from_db()
    assert outsider_mentee.is_active
    assert outsider_mentee.email == "erin.outsider@example.org"


def test_a_new_private_note_on_another_session_is_not_touched_by_an_unrelated_deletion(
    client, user_factory, consultancy_admin, engagement, records
):
    stranger = user_factory(email="stranger@example.org", roles=("mentee",))
    ask(client, stranger)
    complete(client, consultancy_admin, DeletionRequest.objects.get())
    assert SessionNote.objects.filter(pk=records.private.pk).exists()
    assert make_note(session=records.session, body="another").pk


def test_the_admin_home_partial_counts_open_requests(client, mentee, consultancy_admin):
    from django.template.loader import render_to_string

    from privacy.deletion import home_admin_context

    ask(client, mentee)
    context = home_admin_context(consultancy_admin)
    assert context == {"open_deletion_requests": 1}
    html = render_to_string("privacy/includes/home_data.html", context)
    assert "1 open deletion request" in html
    assert reverse("privacy:deletion-request-list") in html
    assert reverse("reporting:audit-log") in html
    assert home_admin_context(mentee) == {"open_deletion_requests": 0}


def test_completing_removes_the_outcome_of_the_mentees_own_engagement(client, mentee, engagement, consultancy_admin):
    from mentorship.models import EngagementOutcome

    EngagementOutcome.objects.create(engagement=engagement, mentee_words="About me.", recorded_by=consultancy_admin)
    request_deletion(user=mentee)
    assert complete_deletion(deletion_request=DeletionRequest.objects.get(), by=consultancy_admin)
    assert not EngagementOutcome.objects.exists()
