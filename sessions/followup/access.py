"""Who may do what with the follow-up of sessions: an engagement's action items, and feedback on
a session. Built on the session rules in `sessions.access`."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from mentorship.access import is_consultancy_admin, is_engagement_mentee, is_engagement_mentor
from mentorship.models import Engagement
from sessions.access import is_session_mentee
from sessions.models import ActionItem, MentoringSession, SessionStatus


@dataclass(frozen=True)
class ActionItemRights:
    """What one person may do with one engagement's action items. Computed once per request
    (one query at most, for team membership), then asked per item without further queries.

    - see and add: the engagement's mentor, its mentee(s) and admins (a mentee adds items they
      own themselves); a mentor only asked to take the engagement sees none of them;
    - mark done/undone: the mentor and the mentee(s) — and an item's owner always;
    - edit: the item's creator, the engagement's mentor, admins;
    - delete: the item's creator and admins.
    """

    user_id: int | None
    is_admin: bool
    is_mentor: bool
    is_mentee: bool

    @classmethod
    def of(cls, user: User, engagement: Engagement) -> "ActionItemRights":
        return cls(
            user_id=user.pk if user.is_authenticated else None,
            is_admin=is_consultancy_admin(user),
            is_mentor=is_engagement_mentor(user, engagement),
            is_mentee=is_engagement_mentee(user, engagement),
        )

    @property
    def can_view(self) -> bool:
        return self.is_admin or self.is_mentor or self.is_mentee

    @property
    def can_add(self) -> bool:
        return self.can_view

    @property
    def chooses_owner(self) -> bool:
        """Mentors and admins pick the owner; a mentee's own items are always their own."""
        return self.is_admin or self.is_mentor

    def can_toggle(self, item: ActionItem) -> bool:
        return self.is_mentor or self.is_mentee or (self.user_id is not None and item.owner_id == self.user_id)

    def can_edit(self, item: ActionItem) -> bool:
        return self.is_admin or self.is_mentor or self._created(item)

    def can_delete(self, item: ActionItem) -> bool:
        return self.is_admin or self._created(item)

    def _created(self, item: ActionItem) -> bool:
        return self.user_id is not None and item.created_by_id == self.user_id


def can_give_feedback(user: User, session: MentoringSession) -> bool:
    """Only the session's mentee — each member on its day, for a team session — rates a session.
    Whether it was held yet is a separate question (`feedback_is_open`)."""
    return bool(user.is_authenticated and user.is_active and is_session_mentee(user, session))


def feedback_is_open(session: MentoringSession) -> bool:
    """Feedback is asked for once the session was held (recorded as such by the mentor)."""
    return session.status == SessionStatus.COMPLETED


def mentor_with_feedback_for_admin(user: User, mentor_pk: int) -> User:
    """A mentor (or former mentor with sessions) whose feedback an admin reads; 404 otherwise,
    and 404 for everybody but consultancy admins."""
    if not is_consultancy_admin(user):
        raise Http404
    led = MentoringSession.objects.filter(mentor=OuterRef("pk"))
    return get_object_or_404(User.objects.filter(Q(is_mentor=True) | Q(Exists(led))), pk=mentor_pk)
