"""Who may see what of the sponsor portal. The one door for the sponsors app's views.

- A sponsor (an active `mentorship.Sponsorship`) sees the engagements of the organisations they
  sponsor, read-only; never another organisation's (404), and nothing once the seat is revoked.
- A mentee sees the sponsor's page of their own engagement (the preview), and of no other (404).
- Admins open the printable sponsor report of any organisation; nobody else does (404).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from mentorship import access as mentorship_access
from mentorship.models import Engagement, EngagementStatus, Organisation

PORTAL_RELATED = ("organisation", "mentee", "team", "mentor")


def sponsored_organisations(user: User):
    """The organisations the user sponsors now, by name."""
    return mentorship_access.sponsored_organisations(user).order_by("name")


def engagements_for_sponsor(user: User):
    """The engagements of the organisations the user sponsors (proposed ones not yet)."""
    return Engagement.objects.filter(organisation__in=mentorship_access.sponsored_organisations(user)).exclude(
        status=EngagementStatus.PROPOSED
    )


def get_engagement_for_sponsor(user: User, engagement_uuid) -> Engagement:
    """An engagement of an organisation the user sponsors; 404 for anything else."""
    return get_object_or_404(engagements_for_sponsor(user).select_related(*PORTAL_RELATED), uuid=engagement_uuid)


def get_engagement_for_preview(user: User, engagement_uuid) -> Engagement:
    """The mentee's own engagement (or their team's), for "what your sponsor sees"; 404 for the
    mentor, admins and everybody else: the preview is the mentee's."""
    engagement = get_object_or_404(
        mentorship_access.engagements_visible_to(user).select_related(*PORTAL_RELATED), uuid=engagement_uuid
    )
    if not mentorship_access.is_engagement_mentee(user, engagement):
        raise Http404
    return engagement


def get_organisation_for_report(user: User, organisation_uuid) -> Organisation:
    """The printable sponsor report: admins only; everybody else gets 404."""
    return mentorship_access.get_organisation_for_admin(user, organisation_uuid)
