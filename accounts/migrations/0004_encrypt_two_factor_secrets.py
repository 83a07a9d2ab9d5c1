"""Two-factor secrets written before MFA_ADAPTER encrypted them are encrypted now (and decrypted
again when migrating back)."""

from django.db import migrations


def _each(apps, change) -> None:
    # The secrets allauth keeps in `data` (as accounts.mfa.map_secrets, copied so that this
    # migration does not change when that module does).
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = dict(authenticator.data)
        for key in ("secret", "seed"):
            if isinstance(data.get(key), str):
                data[key] = change(data[key])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
        authenticator.data = data
        authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor) -> None:
    from core import crypto

    _each(apps, lambda value: value if crypto.is_encrypted(value) else crypto.encrypt(value))


def decrypt(apps, schema_editor) -> None:
    from core import crypto

    _each(apps, lambda value: crypto.decrypt(value) if crypto.is_encrypted(value) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_preferences"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
