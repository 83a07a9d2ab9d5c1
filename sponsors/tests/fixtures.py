"""Client sponsors (registered in the root conftest): `sponsor` at `organisation` (Alder),
`other_sponsor` at `other_organisation` (Birch). Thin wrappers around demo/factories.py."""

import pytest

from demo import factories


@pytest.fixture
def sponsor(organisation):
    """Alder's sponsor: no other role, a member of no organisation."""
    user = factories.make_user(email="sam.sponsor@example.org", full_name="Sam Sponsor")
    factories.make_sponsorship(organisation=organisation, user=user, title="HR partner")
    return user


@pytest.fixture
def other_sponsor(other_organisation):
    user = factories.make_user(email="olga.othersponsor@example.org", full_name="Olga Othersponsor")
    factories.make_sponsorship(organisation=other_organisation, user=user)
    return user


@pytest.fixture
def sponsor_client(client, sponsor):
    client.force_login(sponsor)
    return client
