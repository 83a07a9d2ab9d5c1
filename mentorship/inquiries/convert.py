"""A lead becomes a client in one step: the organisation, its first engagement and an invitation
for the person who wrote, all or nothing; the lead is marked handled and links to what it became.

A team lead gets its leadership team and the team's engagement at once (the writer is invited
into the team). A lead for one person gets the engagement when that person accepts the invitation
and has an account: its fields wait on the invitation (`Invitation.engagement_plan`) and
`open_planned_engagement` opens it then."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.engagements import services as engagements
from mentorship.models import Engagement, FocusArea, Inquiry, Invitation, LeadershipTeam, Organisation


def _plan_of(fields: dict[str, Any]) -> dict[str, Any]:
    """The engagement form's cleaned fields as JSON, to keep on the invitation."""
    plan = dict(fields)
    plan["focus_areas"] = [area.pk for area in fields["focus_areas"]]
    plan["start_date"] = fields["start_date"].isoformat()
    return plan


def _fields_of(plan: dict[str, Any]) -> dict[str, Any]:
    fields = dict(plan)
    fields["focus_areas"] = list(FocusArea.objects.filter(pk__in=plan["focus_areas"]))
    # Not before the day the person joins: the cadence counts from the start.
    fields["start_date"] = max(datetime.date.fromisoformat(plan["start_date"]), timezone.localdate())
    return fields


@transaction.atomic
def convert_inquiry(
    *,
    inquiry: Inquiry,
    organisation_name: str,
    city: str = "",
    team_name: str = "",
    title: str = "",
    engagement_fields: dict[str, Any],
    actor: User,
) -> tuple[Organisation, Engagement | None, Invitation]:
    """Make the lead a client. The lead's row is locked and checked first, so a second submit
    makes nothing more; a taken organisation (or team) name is an error on that field."""
    from mentorship.organisations import services as organisations  # which opens the planned engagement

    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if locked.client_organisation_id is not None:
        raise ValidationError(_("This inquiry has already become a client."), code="already_converted")
    organisation = organisations.save_organisation(
        organisation=Organisation(
            name=organisation_name.strip(), city=city.strip(), contact_name=locked.name, contact_email=locked.email
        )
    )
    team, engagement, plan = None, None, {}
    if locked.kind == Inquiry.Kind.TEAM:
        team = organisations.save_team(team=LeadershipTeam(organisation=organisation, name=team_name.strip()))
        engagement = engagements.create_engagement(actor=actor, team=team, **engagement_fields)
    else:
        plan = _plan_of(engagement_fields)
    try:
        invitation = organisations.invite_person(
            organisation=organisation,
            email=locked.email,
            full_name=locked.name,
            title=title,
            team=team,
            invited_by=actor,
        )
    except ValidationError as error:
        # The writer belongs to another client already: say so on the page, not on a field.
        raise ValidationError(
            _("%(email)s cannot be invited: %(reason)s") % {"email": locked.email, "reason": " ".join(error.messages)},
            code="cannot_invite",
        ) from None
    invitation.engagement_plan, invitation.inquiry = plan, locked
    invitation.save(update_fields=["engagement_plan", "inquiry"])
    locked.client_organisation, locked.first_engagement = organisation, engagement
    locked.handled_at, locked.handled_by = locked.handled_at or timezone.now(), locked.handled_by or actor
    locked.save(update_fields=["client_organisation", "first_engagement", "handled_at", "handled_by"])
    return organisation, engagement, invitation


def open_planned_engagement(*, invitation: Invitation, mentee: User) -> Engagement | None:
    """Called as the invitation is accepted (inside its transaction): open the individual
    engagement planned with it, for the person who accepted, and link it to the lead. Once: the
    plan is emptied."""
    if not invitation.engagement_plan:
        return None
    engagement = engagements.create_engagement(
        actor=invitation.invited_by or mentee, mentee=mentee, **_fields_of(invitation.engagement_plan)
    )
    invitation.engagement_plan = {}
    invitation.save(update_fields=["engagement_plan"])
    if invitation.inquiry_id is not None:
        Inquiry.objects.filter(pk=invitation.inquiry_id, first_engagement__isnull=True).update(
            first_engagement=engagement
        )
    return engagement
