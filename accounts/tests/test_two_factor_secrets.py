"""Two-factor secrets are encrypted at rest with the notes key ring, migrate from plain text, and
rotate with `rotate_note_keys`."""

import importlib
import io

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core.tests.helpers import TEST_PASSWORD, TEST_TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db


def secret_of(authenticator: Authenticator) -> str:
    authenticator.refresh_from_db()
    return get_adapter().decrypt(authenticator.data["secret"])


def raw_data(authenticator: Authenticator) -> str:
    """The row as the database holds it (what a backup holds)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        return cursor.fetchone()[0]


def test_the_totp_secret_is_not_in_the_database_in_plain_text(consultancy_admin):
    authenticator = Authenticator.objects.get(user=consultancy_admin, type="totp")
    stored = raw_data(authenticator)
    assert TEST_TOTP_SECRET not in stored
    assert '"secret": "fernet:' in stored
    assert TOTP(authenticator).validate_code(totp_code())


def test_recovery_codes_keep_their_seed_encrypted(consultancy_admin):
    codes = RecoveryCodes.activate(consultancy_admin)
    stored = raw_data(codes.instance)
    assert '"seed": "fernet:' in stored
    assert not any(code in stored for code in codes.get_unused_codes())
    assert codes.validate_code(codes.get_unused_codes()[0])


def test_admin_sign_in_with_the_encrypted_secret(client, consultancy_admin):
    client.post(reverse("account_login"), {"login": consultancy_admin.email, "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == consultancy_admin.pk


def test_secrets_written_in_plain_text_before_are_encrypted_by_the_migration(consultancy_admin):
    authenticator = Authenticator.objects.get(user=consultancy_admin, type="totp")
    Authenticator.objects.filter(pk=authenticator.pk).update(data={"secret": TEST_TOTP_SECRET})
    migration = importlib.import_module("accounts.migrations.0004_encrypt_two_factor_secrets")

    migration.encrypt(apps, None)
    assert TEST_TOTP_SECRET not in raw_data(authenticator)
    assert secret_of(authenticator) == TEST_TOTP_SECRET

    migration.encrypt(apps, None)  # run twice: encrypts nothing twice
    assert secret_of(authenticator) == TEST_TOTP_SECRET

    migration.decrypt(apps, None)
    assert f'"secret": "{TEST_TOTP_SECRET}"' in raw_data(authenticator)


def test_rotating_the_keys_re_encrypts_two_factor_secrets(consultancy_admin, settings):
    authenticator = Authenticator.objects.get(user=consultancy_admin, type="totp")
    before = raw_data(authenticator)
    new_key = Fernet.generate_key().decode()
    settings.NOTES_ENCRYPTION_KEYS = [new_key, *settings.NOTES_ENCRYPTION_KEYS]

    out = io.StringIO()
    call_command("rotate_note_keys", stdout=out)
    assert "1 two-factor authenticators" in out.getvalue()

    settings.NOTES_ENCRYPTION_KEYS = [new_key]  # the old key is gone: the secret still opens
    assert raw_data(authenticator) != before
    assert secret_of(authenticator) == TEST_TOTP_SECRET
    assert TOTP(authenticator).validate_code(totp_code())
