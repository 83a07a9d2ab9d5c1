"""Sharing a team session's shared notes on purpose with members who joined after it.

By the roster rule a member reads the shared notes only of the team sessions held while they were
in the team. The session's mentor may open them to later joiners too (the members in the team
today, whenever they joined); turning it off closes them again. Private notes stay the mentor's.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from sessions import access
from sessions.models import MentoringSession


@transaction.atomic
def share_with_later_joiners(*, session: MentoringSession, actor: User, shared: bool) -> bool:
    """Set the session's choice; returns whether it changed (a repeated submit changes nothing)."""
    session = MentoringSession.objects.select_for_update().get(pk=session.pk)
    if not session.team_id:
        raise ValidationError(_("Only a team session's notes are shared with later joiners."), code="not_a_team")
    if not access.can_write_notes(actor, session):
        raise ValidationError(_("Only the session's mentor shares its notes."), code="not_allowed")
    if session.shared_with_later_joiners == shared:
        return False
    session.shared_with_later_joiners = shared
    session.save(update_fields=["shared_with_later_joiners", "updated_at"])
    return True
