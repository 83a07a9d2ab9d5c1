"""Encryption at rest for note bodies (Fernet, from `cryptography`), with key rotation.

NOTES_ENCRYPTION_KEYS holds one or more Fernet keys, comma-separated, newest first: new text is
encrypted with the first, every listed key can decrypt. To rotate: put a new key first, keep the
old ones, run `python manage.py rotate_note_keys`, then drop the old keys. A database dump alone
shows only ciphertext.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.NOTES_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ValueError("cannot decrypt: the key that encrypted this note is not configured") from error


def rotate(stored: str) -> str:
    """Re-encrypt with the newest key (a no-op for values already under it, apart from the IV)."""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored encrypted. It cannot be searched or filtered on in SQL, by design."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
