"""Session emails (booked, moved, cancelled, confirmed) are recorded in the outbox in the
transaction that changes the session, one per participant, and sent once."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import OutboxEmail, OutboxStatus
from sessions.booking import selectors, services
from sessions.booking.tasks import send_session_email

pytestmark = pytest.mark.clock


def book(engagement, venue, by):
    slot = selectors.free_slots_for_engagement(engagement)[0]
    return services.book_session(engagement=engagement, start=slot.start, venue=venue, booked_by=by)[0]


def test_a_booking_records_one_email_per_participant_with_the_session(ready, mentee, neutral_venue):
    session = book(ready, neutral_venue, mentee)
    rows = OutboxEmail.objects.filter(sender="sessions.session_email")
    assert sorted(row.payload["recipient_id"] for row in rows) == sorted([ready.mentor_id, mentee.pk])
    assert {(row.payload["session_id"], row.payload["kind"], row.status) for row in rows} == {
        (session.pk, "booked", OutboxStatus.PENDING)
    }


def test_a_booking_rolled_back_records_and_sends_nothing(
    ready, mentee, neutral_venue, django_capture_on_commit_callbacks
):
    @transaction.atomic
    def book_then_fail():
        book(ready, neutral_venue, mentee)
        raise RuntimeError("the request failed after booking")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        book_then_fail()
    assert (OutboxEmail.objects.count(), mail.outbox) == (0, [])


def test_booking_emails_whose_broker_message_was_lost_go_out_with_the_sweep(
    ready, mentee, neutral_venue, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker loses the queued tasks
        book(ready, neutral_venue, mentee)
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS + 1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 2
        assert outbox.sweep() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ready.mentor.email, mentee.email])


def test_a_move_records_its_own_emails_and_the_old_ones_are_not_resent(
    ready, mentee, neutral_venue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = book(ready, neutral_venue, mentee)
    later = selectors.free_slots_for_engagement(ready, ignore_session=session)[-1].start
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_session(session=session, start=later, venue=neutral_venue, actor=mentee)
    assert sorted(OutboxEmail.objects.values_list("payload__kind", "status")) == [
        ("booked", OutboxStatus.SENT),
        ("booked", OutboxStatus.SENT),
        ("moved", OutboxStatus.SENT),
        ("moved", OutboxStatus.SENT),
    ]
    assert len(mail.outbox) == 4


def test_a_message_queued_by_the_previous_release_joins_the_outbox_once(ready, mentee, neutral_venue):
    session = book(ready, neutral_venue, mentee)  # recorded, not yet sent
    assert send_session_email(session.pk, "booked") == 2  # the old fan-out: finds the rows already there
    assert OutboxEmail.objects.count() == 2
    assert send_session_email(session.pk, "booked", mentee.pk, session.sequence) == 1
    assert send_session_email(session.pk, "booked", mentee.pk, session.sequence) == 0  # redelivered
    assert [m.to for m in mail.outbox] == [[mentee.email]]


def test_failed_emails_are_listed_for_admins_on_the_reminders_report(
    ready, mentee, neutral_venue, client, consultancy_admin, django_capture_on_commit_callbacks
):
    refused = smtplib.SMTPRecipientsRefused({mentee.email: (550, b"no such user")})
    with mock.patch.object(EmailMessage, "send", side_effect=refused), django_capture_on_commit_callbacks(execute=True):
        book(ready, neutral_venue, mentee)
    client.force_login(consultancy_admin)
    html = client.get(reverse("mentoring_sessions:reminder-report")).content.decode()
    assert "The last 30 days: 0 sent, 2 failed, 0 waiting to be sent." in html
    assert html.count("Session booked, moved, cancelled or confirmed") == 2
    assert "SMTPRecipientsRefused" in html
