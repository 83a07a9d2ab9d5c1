import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_sessions_app_has_its_own_label():
    from django.apps import apps

    assert apps.get_app_config("mentoring_sessions").name == "sessions"
    assert apps.get_app_config("sessions").name == "django.contrib.sessions"
