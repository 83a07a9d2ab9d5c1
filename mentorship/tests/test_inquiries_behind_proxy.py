"""The contact form's limit (INQUIRY_RATE_LIMIT, five an hour per address) behind the TLS proxy:
per client (X-Forwarded-For, ALLAUTH_TRUSTED_PROXY_COUNT), not one limit for the whole internet."""

import pytest
from django.urls import reverse

from mentorship.models import Inquiry

VALID = {
    "name": "Frida Fjäll",
    "email": "frida@juniper.example",
    "company": "Juniper Logistics AB",
    "kind": "team",
    "message": "Our leadership team is merging with another.",
    "website": "",
}


def _post(client, client_address: str, number: int):
    data = {**VALID, "message": f"{VALID['message']} ({number})"}  # the same message twice is one lead
    return client.post(
        reverse("mentorship:inquiry-create"), data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_address
    )


@pytest.mark.django_db
def test_one_sender_using_up_the_limit_leaves_others_free_to_write(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        assert _post(client, "198.51.100.7", number).status_code == 302
    assert _post(client, "198.51.100.7", 5).status_code == 429
    assert _post(client, "203.0.113.9", 6).status_code == 302
    assert Inquiry.objects.count() == 6
