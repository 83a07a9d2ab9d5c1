"""The admins' "needs attention" queue on their home page: what waits on the consultancy, each
kind from the app that owns it, the first few of each with its action and a "see all" page.

Every kind is a queryset ordered along an index; the home page reads `HOME_LIMIT + 1` rows of
each (and counts only a kind with more), so it costs the same number of queries whatever the
size of the database."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.inquiries import selectors as inquiries
from mentorship.matching import selectors as matching
from mentorship.organisations import selectors as organisations
from reporting.health import attention as health
from reporting.health import store

HOME_LIMIT = 5
PAGE_SIZE = 25


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    empty: str  # said on the "see all" page when the list is empty
    rows: Callable[[User], QuerySet]


# In the order the home page shows them: a person waiting on us first, then the engagements'
# progress, then new business.
KINDS = (
    Kind("declines", _("Mentors who declined"), _("No mentor has declined."), matching.declined_engagements),
    Kind(
        "stuck-choices",
        _("Mentees who have not chosen"),
        _("No mentee has been choosing for long."),
        matching.stuck_choices,
    ),
    Kind(
        "without-mentor",
        _("Engagements without a mentor"),
        _("Every engagement has a mentor or one asked."),
        matching.engagements_without_mentor,
    ),
    Kind("overdue", _("Overdue engagements"), _("No engagement is overdue."), health.overdue_records),
    Kind(
        "unbooked-kickoffs",
        _("Kickoffs not booked"),
        _("Every started engagement has its first session booked."),
        health.unbooked_kickoff_records,
    ),
    Kind(
        "invitations",
        _("Invitations not accepted"),
        _("No invitation waits for an answer."),
        organisations.invitations_waiting,
    ),
    Kind("inquiries", _("New inquiries"), _("No open inquiries."), inquiries.open_inquiries),
)
BY_SLUG = {kind.slug: kind for kind in KINDS}


@dataclass(frozen=True)
class Section:
    kind: Kind
    rows: list
    more: int  # how many were left off (the "see all" page has them)


def queue_for(user: User, *, limit: int = HOME_LIMIT) -> list[Section]:
    """The non-empty sections of the queue for an admin (an empty list: nothing needs doing, or
    not an admin). One query per kind, a count for a kind with more than `limit`."""
    if not user.is_consultancy_admin:
        return []
    store.refresh_due()
    sections = []
    for kind in KINDS:
        rows = kind.rows(user)
        first = list(rows[: limit + 1])
        if first:
            more = rows.count() - limit if len(first) > limit else 0
            sections.append(Section(kind=kind, rows=first[:limit], more=more))
    return sections


def page_of(user: User, slug: str, number) -> tuple[Kind, Page]:
    """One page of one kind, for its "see all" page; 404 for an unknown kind."""
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404
    store.refresh_due(timezone.now())
    return kind, Paginator(kind.rows(user), PAGE_SIZE).get_page(number)
