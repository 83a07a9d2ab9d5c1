"""Encryption at rest (Fernet, from `cryptography`): one key ring for every secret text the
database holds — session notes, reflections and mentors' calendar links
(`sessions.crypto.EncryptedTextField`) and two-factor secrets (`accounts.mfa.MFAAdapter`).

NOTES_ENCRYPTION_KEYS holds one or more Fernet keys, comma-separated, newest first: new text is
encrypted with the first, every listed key can decrypt. To rotate: put a new key first, keep the
old ones, run `python manage.py rotate_note_keys` (it re-encrypts notes, reflections, calendar
links and two-factor secrets), then drop the old keys. A database dump alone shows only ciphertext.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.NOTES_ENCRYPTION_KEYS))


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not is_encrypted(stored):
        raise ValueError("not an encrypted value")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ValueError("cannot decrypt: the key that encrypted this value is not configured") from error


def rotate(stored: str) -> str:
    """Re-encrypt with the newest key (a no-op for values already under it, apart from the IV)."""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()
