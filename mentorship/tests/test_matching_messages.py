"""The right messages when a mentor answers: the mentee (or every member of the team) is told the
mentorship has started, with a link to book the kickoff; every admin is told when a mentor
declines, with the reason. In the recipient's language, through the outbox, exactly once."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import outbox
from core.models import OutboxEmail
from demo.factories import make_assignment, make_user
from mentorship.engagements import services as engagement_services
from mentorship.matching import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(engagement_factory, mentee):
    return engagement_factory(mentee=mentee, focus=["leadership"])


def deliver_all() -> None:
    for email in OutboxEmail.objects.all():
        outbox.deliver(email.pk)


def test_accepting_tells_the_mentee_once_with_a_link_to_book_the_kickoff(
    proposed, mentee, mentor, django_capture_on_commit_callbacks
):
    assignment = make_assignment(engagement=proposed, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_assignment(assignment=assignment, mentor=mentor)
    deliver_all()  # a redelivered task: nothing more goes out
    started = [m for m in mail.outbox if m.to == [mentee.email]]
    assert len(started) == 1
    message = started[0]
    assert message.subject == "Your mentorship has started"
    assert mentor.display_name in message.body
    assert reverse("mentoring_sessions:book", args=[proposed.uuid]) in message.body
    assert "within 7 days" in message.body
    assert [m.to for m in mail.outbox] == [[mentee.email]]  # nobody else


def test_the_mentee_is_told_in_their_own_language(proposed, mentee, mentor, django_capture_on_commit_callbacks):
    mentee.language = "sv"
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_assignment(assignment=make_assignment(engagement=proposed, mentor=mentor), mentor=mentor)
    (message,) = mail.outbox
    assert message.subject == "Ditt mentorskap har börjat"
    assert "Boka ditt första möte, uppstarten, inom 7 dagar:" in message.body


def test_accepting_a_team_engagement_tells_every_member_that_the_mentor_books_the_kickoff(
    engagement_factory, team, mentor, django_capture_on_commit_callbacks
):
    proposed = engagement_factory(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_assignment(assignment=make_assignment(engagement=proposed, mentor=mentor), mentor=mentor)
    members = sorted(m.user.email for m in team.memberships.select_related("user"))
    assert sorted(m.to[0] for m in mail.outbox) == members
    for message in mail.outbox:
        assert "Your mentor books the team's first meeting" in message.body
        assert "/book/" not in message.body


def test_a_mentorship_paused_before_the_email_goes_out_sends_nothing(
    proposed, mentee, mentor, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker has not delivered yet
        services.accept_assignment(assignment=make_assignment(engagement=proposed, mentor=mentor), mentor=mentor)
    engagement_services.change_status(engagement=proposed, to_status="paused", actor=consultancy_admin)
    deliver_all()
    assert mail.outbox == []


def test_declining_tells_every_admin_once_with_the_reason_in_their_language(
    proposed, mentor, consultancy_admin, django_capture_on_commit_callbacks
):
    swedish_admin = make_user(email="sv.admin@example.org", roles=("consultancy_admin",), language="sv")
    make_user(email="gone.admin@example.org", roles=("consultancy_admin",), is_active=False)
    consultancy_admin.language = "en"
    consultancy_admin.save()
    assignment = make_assignment(engagement=proposed, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_assignment(assignment=assignment, mentor=mentor, reason="Full until March.")
    with pytest.raises(ValidationError):  # a second submit of the form
        services.decline_assignment(assignment=assignment, mentor=mentor, reason="Full until March.")
    deliver_all()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == sorted([consultancy_admin.email, swedish_admin.email])
    english, swedish = by_recipient[consultancy_admin.email], by_recipient[swedish_admin.email]
    assert english.subject == f"A mentor declined: {proposed.subject_name}"
    assert swedish.subject == f"En mentor tackade nej: {proposed.subject_name}"
    for message in (english, swedish):
        assert "Full until March." in message.body
        assert mentor.display_name in message.body
        assert reverse("mentorship:engagement-matching", args=[proposed.uuid]) in message.body
    assert "Their reason:" in english.body
    assert "Skälet:" in swedish.body


def test_the_mentor_is_not_told_of_their_own_answer(
    proposed, mentor, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_assignment(
            assignment=make_assignment(engagement=proposed, mentor=mentor), mentor=mentor, reason="No time."
        )
    assert mentor.email not in [m.to[0] for m in mail.outbox]
