import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.access import has_any_role, role_required
from accounts.models import Role, User


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, []),
        ({"is_mentee": True}, ["mentee"]),
        ({"is_mentor": True, "is_consultancy_admin": True}, ["mentor", "consultancy_admin"]),
        (
            {"is_mentee": True, "is_mentor": True, "is_consultancy_admin": True},
            ["mentee", "mentor", "consultancy_admin"],
        ),
    ],
)
def test_roles_lists_every_role_held_in_fixed_order(flags, expected):
    user = User(email="x@example.org", **flags)
    assert user.roles == expected
    for role in Role.values:
        assert user.has_role(role) == (role in expected)


def test_add_and_remove_role():
    user = User(email="x@example.org")
    user.add_role(Role.MENTOR)
    user.add_role("consultancy_admin")
    assert user.roles == ["mentor", "consultancy_admin"]
    user.remove_role(Role.MENTOR)
    assert user.roles == ["consultancy_admin"]


def test_unknown_role_is_an_error():
    with pytest.raises(ValueError, match="superhero"):
        User(email="x@example.org").add_role("superhero")
    with pytest.raises(ValueError, match="superhero"):
        role_required("superhero")


def test_inactive_or_anonymous_users_hold_no_role():
    assert not has_any_role(AnonymousUser(), Role.MENTEE)
    assert not has_any_role(User(email="x@example.org", is_mentee=True, is_active=False), Role.MENTEE)
    assert has_any_role(User(email="x@example.org", is_mentee=True), Role.MENTOR, Role.MENTEE)


@role_required(Role.MENTOR)
def _mentor_only(request):
    return HttpResponse("ok")


def test_role_required_redirects_anonymous_to_login():
    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    response = _mentor_only(request)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_role_required_refuses_the_wrong_role_and_admits_the_right_one():
    request = RequestFactory().get("/x/")
    request.user = User(email="x@example.org", is_mentee=True)
    with pytest.raises(PermissionDenied):
        _mentor_only(request)
    request.user = User(email="y@example.org", is_mentor=True, is_consultancy_admin=True)
    assert _mentor_only(request).content == b"ok"
