"""Two-factor authentication: who must have it, and its secrets encrypted at rest.

allauth keeps each authenticator's secrets in `mfa_authenticator.data` (the TOTP key; the seed,
or older per-code values, of recovery codes) and passes them through its adapter's
encrypt/decrypt. Ours uses the key ring of notes (`core.crypto`, NOTES_ENCRYPTION_KEYS), so a
backup holds no second factor in the clear, and `rotate_note_keys` rotates these too.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db import transaction

from accounts.models import User
from core import crypto


def needs_second_factor(user: User) -> bool:
    """Everyone who can see admin data: consultancy admins (every client's data), and the staff
    and superusers of the Django admin."""
    return user.is_consultancy_admin or user.is_staff or user.is_superuser


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)


def map_secrets(data: dict, change) -> dict:
    """`data` of an authenticator with `change` applied to each secret in it: the TOTP `secret`,
    the recovery codes' `seed`, and the older `migrated_codes` list."""
    data = dict(data)
    for key in ("secret", "seed"):
        if isinstance(data.get(key), str):
            data[key] = change(data[key])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data


@transaction.atomic
def rotate_authenticator_secrets() -> int:
    """Re-encrypt every two-factor secret with the newest key. Returns how many authenticators."""
    count = 0
    for authenticator in Authenticator.objects.select_for_update().only("pk", "data"):
        authenticator.data = map_secrets(authenticator.data, crypto.rotate)
        authenticator.save(update_fields=["data"])
        count += 1
    return count
