"""Invitation, inquiry and matching emails are recorded in the outbox with the change that calls
for them, and sent once: a lost broker message is picked up by the sweep."""

import contextlib
import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.models import OutboxEmail, OutboxStatus
from mentorship.inquiries import services as inquiry_services
from mentorship.matching import services as matching_services
from mentorship.matching.tasks import send_assignment_request
from mentorship.models import Invitation
from mentorship.organisations import services as organisation_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_the_timeout(settings, django_capture_on_commit_callbacks):
    """Later than OUTBOX_CLAIM_TIMEOUT_SECONDS, with queued tasks running."""

    @contextlib.contextmanager
    def travel():
        later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS + 1)
        with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
            yield

    return travel


def invite(organisation, consultancy_admin, email="nora.new@example.org"):
    return organisation_services.invite_person(
        organisation=organisation, email=email, full_name="Nora New", invited_by=consultancy_admin
    )


def test_an_invitation_whose_message_was_lost_is_sent_once_by_the_sweep(
    organisation, consultancy_admin, after_the_timeout, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invite(organisation, consultancy_admin)
    (row,) = OutboxEmail.objects.all()
    assert (row.sender, row.payload, row.status) == (
        "mentorship.invitation",
        {"invitation_id": invitation.pk},
        "pending",
    )
    with after_the_timeout():
        assert outbox.sweep() == 1
        assert outbox.sweep() == 0
    assert [m.to for m in mail.outbox] == [["nora.new@example.org"]]
    invitation.refresh_from_db()
    assert invitation.send_count == 1  # counted in the transaction that marks it sent


def test_an_invitation_rolled_back_records_no_email(
    organisation, consultancy_admin, django_capture_on_commit_callbacks
):
    @transaction.atomic
    def invite_then_fail():
        invite(organisation, consultancy_admin)
        raise RuntimeError("the request failed after inviting")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        invite_then_fail()
    assert (Invitation.objects.count(), OutboxEmail.objects.count(), mail.outbox) == (0, 0, [])


def test_each_resend_is_an_email_of_its_own(organisation, consultancy_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(organisation, consultancy_admin)
    an_hour_later = timezone.now() + datetime.timedelta(hours=1)
    with time_machine.travel(an_hour_later, tick=False), django_capture_on_commit_callbacks(execute=True):
        organisation_services.resend_invitation(invitation=invitation)
    assert list(OutboxEmail.objects.values_list("status", flat=True)) == [OutboxStatus.SENT] * 2
    invitation.refresh_from_db()
    assert (invitation.send_count, len(mail.outbox)) == (2, 2)


def test_a_lead_records_a_confirmation_and_a_notification_for_each_admin(consultancy_admin, user_factory):
    other_admin = user_factory(email="olle.admin@example.org", roles=("consultancy_admin",))
    inquiry, _created = inquiry_services.submit_inquiry(
        name="Frida", email="frida@juniper.example", company="Juniper AB", kind="company", message="Hi", language="en"
    )
    assert sorted(OutboxEmail.objects.values_list("key", flat=True)) == [
        f"inquiry:{inquiry.pk}:confirmation",
        f"inquiry:{inquiry.pk}:notification:{consultancy_admin.pk}",
        f"inquiry:{inquiry.pk}:notification:{other_admin.pk}",
    ]


def test_an_assignment_request_is_recorded_with_the_request_and_sent_once(
    engagement_factory, mentee, mentor, consultancy_admin, mentor_profile_factory, django_capture_on_commit_callbacks
):
    mentor_profile_factory(user=mentor)
    proposed = engagement_factory(mentee=mentee, focus=["leadership"])
    with django_capture_on_commit_callbacks(execute=True):
        assignment = matching_services.assign_mentor(engagement=proposed, mentor=mentor, assigned_by=consultancy_admin)
    assert OutboxEmail.objects.get().key == f"assignment-request:{assignment.pk}"
    assert send_assignment_request(assignment.pk) is False  # the previous release's task, redelivered
    assert [m.to for m in mail.outbox] == [[mentor.email]]
