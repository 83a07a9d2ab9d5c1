"""One-click unsubscribe links for optional emails (signed, so they need no sign-in)."""

from django.core import signing
from django.urls import reverse

from accounts.models import User

SALT = "accounts.unsubscribe"
PREFERENCES = ("email_session_reminders", "email_booking_nudges", "email_notes_nudges", "email_engagement_updates")


def make_token(user: User, preference: str) -> str:
    if preference not in PREFERENCES:
        raise ValueError(f"unknown email preference {preference!r}")
    return signing.dumps({"u": user.pk, "p": preference}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[User, str] | None:
    """The user and preference a token names, or None for a forged or mangled one."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("p") not in PREFERENCES:
        return None
    return user, data["p"]


def unsubscribe_path(user: User, preference: str) -> str:
    return reverse("accounts:unsubscribe", args=[make_token(user, preference)])
