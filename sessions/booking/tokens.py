"""One-time tokens for the booking forms (book and move).

Each rendered form carries a new token: a random UUID, signed together with the person, the
engagement and the kind of form, so a token only counts for the form it was made for. Nothing is
stored when a form is shown; the service records the token (`BookingFormUse`, unique) in the
transaction that books or moves a session, and a later submit of the same token finds that row.
"""

import uuid

from django.core import signing

from accounts.models import User
from mentorship.models import Engagement
from sessions.models import BookingFormUse, MentoringSession

SALT = "sessions.booking.form-token"


class FormAlreadyUsed(Exception):
    """This form already booked or moved a session: `session` is the one it made or moved."""

    def __init__(self, use: BookingFormUse) -> None:
        super().__init__(f"booking form {use.token} already used")
        self.session = use.session
        self.kind = use.kind


def new_token(*, user: User, engagement: Engagement, kind: str) -> str:
    return signing.dumps([uuid.uuid4().hex, user.pk, engagement.pk, kind], salt=SALT)


def read_token(value: str | None, *, user: User, engagement: Engagement, kind: str) -> uuid.UUID | None:
    """The token's UUID, or None when the value is missing, tampered with or made for another
    person, engagement or kind of form."""
    if not value:
        return None
    try:
        nonce, user_pk, engagement_pk, token_kind = signing.loads(value, salt=SALT)
        token = uuid.UUID(hex=nonce)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if (user_pk, engagement_pk, token_kind) != (user.pk, engagement.pk, kind):
        return None
    return token


def use_of(token: uuid.UUID | None) -> BookingFormUse | None:
    if token is None:
        return None
    return BookingFormUse.objects.filter(token=token).select_related("session").first()


def check_unused(token: uuid.UUID | None) -> None:
    """Raise FormAlreadyUsed when the token has booked or moved a session already."""
    if (use := use_of(token)) is not None:
        raise FormAlreadyUsed(use)


def record_use(token: uuid.UUID | None, *, kind: str, session: MentoringSession) -> None:
    """In the transaction that booked or moved the session. A racing submit of the same token
    that got past `check_unused` fails here on the unique token, and its transaction rolls back."""
    if token is not None:
        BookingFormUse.objects.create(token=token, kind=kind, session=session)
