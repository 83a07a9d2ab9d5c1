"""The outbox: recorded with the change, sent once by a task that claims its row, picked up again
by the sweep when a broker message is lost or a worker dies mid-send."""

import datetime
import os
import smtplib
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import claims, outbox
from core.emails import message_id
from core.models import OutboxEmail, OutboxStatus
from core.queueing import broker_breaker
from core.tasks import deliver_email

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]

built: list[dict] = []
counted: list[dict] = []


@outbox.sender("tests.hello", label="Hello", after_sent=lambda **payload: counted.append(payload))
def hello(*, to: str, skip: bool = False) -> EmailMessage | None:
    built.append({"to": to})
    return None if skip else EmailMessage(subject="Hello", body="Hello there", to=[to])


@pytest.fixture(autouse=True)
def _clean():
    built.clear()
    counted.clear()
    broker_breaker.reset()
    yield
    broker_breaker.reset()  # the unreachable-broker tests trip it: later tests want the broker


@pytest.fixture
def timeout(settings) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)


def after(delta: datetime.timedelta):
    """Travel to `delta` from now (the clock stands still there)."""
    return time_machine.travel(timezone.now() + delta, tick=False)


def record(key="hello:1", to="ann@example.org", **payload) -> OutboxEmail:
    """A recorded email whose queued task never arrives (the broker lost it)."""
    with mock.patch("core.outbox.enqueue_on_commit"):
        return outbox.enqueue("tests.hello", key=key, to=to, **payload)


def test_the_email_is_recorded_in_the_transaction_and_sent_after_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued, transaction.atomic():
        email = outbox.enqueue("tests.hello", key="hello:1", to="ann@example.org")
    assert (email.status, mail.outbox, len(queued)) == (OutboxStatus.PENDING, [], 1)
    queued[0]()
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email.sent_at is not None
    (sent,) = mail.outbox
    assert sent.to == ["ann@example.org"]
    assert sent.extra_headers["Message-ID"] == message_id("email", "hello:1")
    assert counted == [{"to": "ann@example.org"}]


def test_a_rolled_back_transaction_records_nothing_and_sends_nothing(django_capture_on_commit_callbacks):
    @transaction.atomic
    def change_that_fails():
        outbox.enqueue("tests.hello", key="hello:1", to="ann@example.org")
        raise RuntimeError("the change failed after recording its email")

    with django_capture_on_commit_callbacks(execute=True) as queued, pytest.raises(RuntimeError):
        change_that_fails()
    assert (OutboxEmail.objects.count(), queued, mail.outbox) == (0, [], [])
    assert outbox.sweep() == 0


def test_the_same_key_is_recorded_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = outbox.enqueue("tests.hello", key="hello:1", to="ann@example.org")
        second = outbox.enqueue("tests.hello", key="hello:1", to="ann@example.org")
    assert first.pk == second.pk
    assert (len(queued), len(mail.outbox)) == (1, 1)


def test_an_unknown_sender_fails_in_the_request():
    with pytest.raises(LookupError):
        outbox.enqueue("tests.no-such-sender", key="x")


def test_a_redelivered_task_leaves_a_fresh_claim_alone(timeout):
    email = record()
    rows = OutboxEmail.objects.filter(pk=email.pk)
    # An attempt claimed the row and its worker died mid-send; the broker redelivers at once.
    assert claims.claim(rows, open_status=OutboxStatus.PENDING, timeout=timeout, task_id="task-1")
    assert deliver_email.apply(args=[email.pk], task_id="task-1").get() == "held by another attempt"
    with after(timeout - datetime.timedelta(seconds=1)):
        assert deliver_email.apply(args=[email.pk], task_id="task-2").get() == "held by another attempt"
    assert mail.outbox == []


def test_another_attempt_takes_over_once_the_claim_has_timed_out(timeout):
    email = record()
    rows = OutboxEmail.objects.filter(pk=email.pk)
    dead = claims.claim(rows, open_status=OutboxStatus.PENDING, timeout=timeout, task_id="task-1")
    with after(timeout + datetime.timedelta(seconds=1)):
        assert deliver_email.apply(args=[email.pk], task_id="task-1").get() == "sent"
    assert len(mail.outbox) == 1
    # The dead attempt cannot record anything over the new one.
    assert not claims.finish(rows, dead, OutboxStatus.FAILED)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)


def test_a_sent_email_is_never_sent_again(timeout):
    email = record()
    assert outbox.deliver(email.pk) == "sent"
    with after(timeout * 10):
        assert outbox.deliver(email.pk) == "already sent"
        assert outbox.sweep() == 0
    assert len(mail.outbox) == 1


def test_an_email_that_is_not_needed_any_more_is_skipped():
    email = record(skip=True)
    assert outbox.deliver(email.pk) == "not needed any more"
    email.refresh_from_db()
    assert (email.status, mail.outbox, counted) == (OutboxStatus.SKIPPED, [], [])


def test_a_temporary_smtp_failure_frees_the_row_for_the_retry():
    email = record()
    with (
        mock.patch.object(EmailMessage, "send", side_effect=smtplib.SMTPServerDisconnected("later")),
        pytest.raises(outbox.TemporaryFailure),
    ):
        outbox.deliver(email.pk)
    email.refresh_from_db()
    assert (email.status, email.claim_token, mail.outbox) == (OutboxStatus.PENDING, None, [])
    assert "SMTPServerDisconnected" in email.error
    assert outbox.deliver(email.pk) == "sent"  # the retry: same task id or not, the row is free
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 2, 1)


def test_a_refused_email_fails_for_good():
    email = record()
    refused = smtplib.SMTPRecipientsRefused({"ann@example.org": (550, b"no such user")})
    with mock.patch.object(EmailMessage, "send", side_effect=refused):
        assert outbox.deliver(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == OutboxStatus.FAILED
    assert "SMTPRecipientsRefused" in email.error
    assert outbox.deliver(email.pk) == "already handled"


def test_the_sweep_sends_an_email_whose_message_was_lost(timeout, django_capture_on_commit_callbacks):
    email = record()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 0  # it may still be on its way
    with after(timeout + datetime.timedelta(seconds=1)), django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 1
        assert outbox.sweep() == 0  # queued again once per timeout, not once per sweep
    email.refresh_from_db()
    assert (email.status, len(mail.outbox)) == (OutboxStatus.SENT, 1)


def test_the_sweep_takes_back_only_claims_that_have_timed_out(timeout, django_capture_on_commit_callbacks):
    held, dead = record(key="hello:held"), record(key="hello:dead")
    with after(-timeout - datetime.timedelta(seconds=1)):
        claims.claim(OutboxEmail.objects.filter(pk=dead.pk), open_status=OutboxStatus.PENDING, timeout=timeout)
    claims.claim(OutboxEmail.objects.filter(pk=held.pk), open_status=OutboxStatus.PENDING, timeout=timeout)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 1
    held.refresh_from_db()
    dead.refresh_from_db()
    assert (held.status, dead.status) == (OutboxStatus.PENDING, OutboxStatus.SENT)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message_id("email", "hello:dead")]


def test_an_email_that_every_attempt_crashes_on_is_given_up(timeout, django_capture_on_commit_callbacks):
    email = record()
    OutboxEmail.objects.filter(pk=email.pk).update(attempts=claims.MAX_ATTEMPTS)
    assert outbox.deliver(email.pk) == "out of attempts"
    with after(timeout + datetime.timedelta(seconds=1)), django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 0
    email.refresh_from_db()
    assert email.status == OutboxStatus.FAILED
    assert "Gave up" in email.error


def test_the_remaining_window_sends_twice_with_one_message_id(timeout, django_capture_on_commit_callbacks):
    """A crash between the SMTP server's "accepted" and the commit of the "sent" mark (here: the
    database fails just then). Documented in core.claims; both copies carry the same Message-ID."""
    email = record()
    with (
        mock.patch("core.outbox.claims.finish", side_effect=RuntimeError("database gone")),
        pytest.raises(outbox.NotRecorded),
    ):
        outbox.deliver(email.pk)
    email.refresh_from_db()
    assert (email.status, len(mail.outbox)) == (OutboxStatus.PENDING, 1)
    assert outbox.deliver(email.pk) == "held by another attempt"
    with after(timeout + datetime.timedelta(seconds=1)), django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 1
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message_id("email", "hello:1")] * 2


def test_an_unreachable_broker_delivers_in_process(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_email, "apply_async", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = outbox.enqueue("tests.hello", key="hello:1", to="ann@example.org")
    email.refresh_from_db()
    assert (email.status, len(mail.outbox)) == (OutboxStatus.SENT, 1)


def test_an_unreachable_broker_and_smtp_server_leave_the_email_to_the_sweep(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_email, "apply_async", side_effect=OperationalError("down")),
        mock.patch.object(EmailMessage, "send", side_effect=ConnectionRefusedError()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = outbox.enqueue("tests.hello", key="hello:1", to="ann@example.org")  # the request still succeeds
    email.refresh_from_db()
    assert (email.status, email.claim_token) == (OutboxStatus.PENDING, None)


@pytest.mark.django_db(False)
@pytest.mark.parametrize("name", ["OUTBOX_CLAIM_TIMEOUT_SECONDS", "REMINDER_CLAIM_TIMEOUT_SECONDS"])
def test_settings_refuse_a_claim_timeout_a_live_task_could_outlast(name):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    env.update({name: "60", "CELERY_TASK_TIME_LIMIT": "90"})
    result = subprocess.run(
        [sys.executable, "-c", "import mentorship.settings"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert f"{name} must be longer than CELERY_TASK_TIME_LIMIT (90 s)" in result.stderr
