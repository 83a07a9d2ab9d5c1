import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User
from accounts.timezones import validate_time_zone


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/New_York", "UTC", "Asia/Kolkata"])
def test_known_time_zones_are_valid(zone):
    validate_time_zone(zone)


@pytest.mark.parametrize("zone", ["Europe/Gothenburg", "CET+1", "", "<script>", "Stockholm"])
def test_unknown_time_zones_are_refused(zone):
    with pytest.raises(ValidationError):
        validate_time_zone(zone)


@pytest.mark.django_db
def test_full_clean_refuses_a_bad_time_zone_and_language():
    user = User(email="x@example.org", time_zone="Mars/Olympus", language="de")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert set(excinfo.value.message_dict) >= {"time_zone", "language"}


@pytest.mark.django_db
def test_email_is_stored_lower_case_and_unique_regardless_of_case():
    User.objects.create_user("Someone@Example.ORG", "pw-123456789")
    assert User.objects.filter(email="someone@example.org").exists()
    with pytest.raises(IntegrityError):
        User.objects.create(email="SOMEONE@example.org")


@pytest.mark.django_db
def test_create_superuser_is_staff():
    admin = User.objects.create_superuser("root@example.org", "pw-123456789")
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.roles == []
