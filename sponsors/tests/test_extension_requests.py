"""A sponsor asks for an extension of one engagement: one lead (an Inquiry of kind "extension"
linked to the engagement and the sponsor), an email to each admin, shown in the admins' leads
list with the engagement linked; a double submit or a race makes one."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from core.models import OutboxEmail
from core.tests.helpers import messages_of
from demo.factories import make_user
from mentorship.models import Inquiry, InquiryKind
from sponsors.extensions import services

pytestmark = pytest.mark.django_db


def _url(engagement) -> str:
    return reverse("sponsors:extension-request", args=[engagement.uuid])


def test_a_sponsor_asks_for_an_extension_and_the_admins_are_told(
    sponsor_client, sponsor, engagement, consultancy_admin, django_capture_on_commit_callbacks
):
    other_admin = make_user(roles=("consultancy_admin",))
    assert sponsor_client.get(_url(engagement)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = sponsor_client.post(_url(engagement), {"message": "Six more months, please."})
    assert response.status_code == 302
    assert response.url == reverse("sponsors:engagement", args=[engagement.uuid])
    lead = Inquiry.objects.get()
    assert (lead.kind, lead.engagement, lead.requested_by) == (InquiryKind.EXTENSION, engagement, sponsor)
    assert (lead.email, lead.company, lead.message) == (sponsor.email, "Alder Freight AB", "Six more months, please.")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([consultancy_admin.email, other_admin.email])
    assert "extend the mentorship of Dave Mentee" in mail.outbox[0].body
    assert not any(sponsor.email in message.to for message in mail.outbox)


def test_the_admin_sees_the_request_with_the_engagement_linked(client, sponsor, engagement, consultancy_admin):
    services.request_extension(engagement=engagement, sponsor=sponsor, message="Six more months, please.")
    client.force_login(consultancy_admin)
    content = client.get(reverse("mentorship:inquiry-list")).content.decode()
    assert "Six more months, please." in content
    assert reverse("overview:engagement-detail", args=[engagement.uuid]) in content


def test_a_double_submit_makes_one_request(
    sponsor_client, engagement, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sponsor_client.post(_url(engagement), {"message": "More, please."})
        response = sponsor_client.post(_url(engagement), {"message": "More, please."}, follow=True)
    assert Inquiry.objects.count() == 1
    assert OutboxEmail.objects.count() == 1  # one admin, told once
    assert "already with the consultancy" in " ".join(messages_of(response))
    assert "the consultancy has your request" in sponsor_client.get(_url(engagement)).content.decode()


def test_a_new_request_may_follow_once_the_admin_handled_the_first(sponsor, engagement, consultancy_admin):
    first, _ = services.request_extension(engagement=engagement, sponsor=sponsor, message="One")
    Inquiry.objects.filter(pk=first.pk).update(handled_at="2026-11-20T10:00Z")
    second, created = services.request_extension(engagement=engagement, sponsor=sponsor, message="Two")
    assert created
    assert second.pk != first.pk


@pytest.mark.django_db(transaction=True)
def test_two_submits_racing_make_one_request(sponsor, engagement, consultancy_admin):
    results, barrier = [], threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            results.append(services.request_extension(engagement=engagement, sponsor=sponsor, message="Race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Inquiry.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]


@pytest.mark.parametrize("message", ["", "   ", "x" * 5001])
def test_a_bad_message_is_a_form_error(sponsor_client, engagement, message):
    response = sponsor_client.post(_url(engagement), {"message": message})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "aria-describedby" in response.content.decode() or "field-error" in response.content.decode()
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("person", ["mentee", "mentor", "consultancy_admin", "other_sponsor"])
def test_nobody_but_the_organisations_sponsor_may_ask(client, request, engagement, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(_url(engagement)).status_code == 404
    assert client.post(_url(engagement), {"message": "More"}).status_code == 404
    assert not Inquiry.objects.exists()


def test_the_public_contact_form_cannot_make_an_extension_request(client):
    form = client.get(reverse("mentorship:inquiry-create")).context["form"]
    assert InquiryKind.EXTENSION not in dict(form.fields["kind"].choices)
    data = {"name": "Bo", "email": "bo@example.org", "kind": "extension", "message": "More"}
    response = client.post(reverse("mentorship:inquiry-create"), data)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
