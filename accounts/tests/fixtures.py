"""The named people, one per role (registered in the root conftest): `consultancy_admin`,
`mentor`, `other_mentor`, and the operations staff. The mentees belong to an organisation, so
they live with the organisations in mentorship/tests/fixtures.py."""

import pytest

from demo import factories


@pytest.fixture
def user_factory(db):
    """factories.make_user: user_factory(email=..., roles=("mentor",), ...)."""
    return factories.make_user


@pytest.fixture
def consultancy_admin(db):
    return factories.make_user(email="alice.admin@example.org", roles=("consultancy_admin",), full_name="Alice Admin")


@pytest.fixture
def mentor(db):
    return factories.make_user(email="bob.mentor@example.org", roles=("mentor",), full_name="Bob Mentor")


@pytest.fixture
def other_mentor(db):
    return factories.make_user(email="carol.mentor@example.org", roles=("mentor",), full_name="Carol Mentor")


@pytest.fixture
def superuser(db):
    """Operations staff: Django superuser, no role in the product."""
    return factories.make_user(email="root@example.org", full_name="Root Operator", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_admin(db):
    """A superuser who is also a consultancy admin."""
    return factories.make_user(
        email="ops.admin@example.org",
        roles=("consultancy_admin",),
        full_name="Ops Admin",
        is_staff=True,
        is_superuser=True,
    )
