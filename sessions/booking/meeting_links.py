"""A session's meeting link: each online session has its own private room (made when it is
saved, `models.new_meeting_url`); its mentor may paste their own Teams or Zoom link instead, or ask
for a new private room."""

import logging

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from sessions import access
from sessions.booking.services import lock_session, notify
from sessions.models import MentoringSession, new_meeting_url

logger = logging.getLogger(__name__)


@transaction.atomic
def set_meeting_link(*, session: MentoringSession, actor: User, url: str = "") -> MentoringSession:
    """The mentor's own meeting link (Teams, Zoom) for an upcoming online session, or with an
    empty `url` a new private room in place of the current one. Everyone gets the updated invite;
    the same link again changes nothing."""
    session = lock_session(session)
    if not access.can_set_meeting_link(actor, session):
        raise ValidationError(
            _("Only the mentor can change the meeting link of an upcoming online session."), code="not_allowed"
        )
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["https"])(url)
        except ValidationError:
            raise ValidationError(_("Use a secure link that starts with https://."), code="not_https") from None
        if len(url) > 500:
            raise ValidationError(_("That link is too long."), code="too_long")
    if url == session.meeting_url:
        return session
    session.meeting_url = url or new_meeting_url()
    session.sequence += 1
    session.save()
    notify(session, "link")
    logger.info(
        "Session %s got a %s meeting link from user %s, sequence %s",
        session.pk,
        "pasted" if url else "new private",
        actor.pk,
        session.sequence,
    )
    return session
