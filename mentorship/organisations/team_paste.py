"""A leadership team with all its members in one step: the admin pastes rows of "name, email,
title" (comma, semicolon or tab separated), sees each row's result or error, and confirms. The
team and one invitation per row are made in one transaction, or nothing is."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.models import Invitation, LeadershipTeam, Organisation, OrganisationMember
from mentorship.organisations import services

MAX_ROWS = 60
NAME_MAX, TITLE_MAX = 150, 150


@dataclass
class PastedRow:
    line: int  # 1-based, as the admin sees the paste
    name: str
    email: str
    title: str
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _split(line: str) -> list[str]:
    separator = "\t" if "\t" in line else ";" if ";" in line else ","
    return [part.strip() for part in line.split(separator)]


def parse_rows(text: str) -> list[PastedRow]:
    """Each non-empty line a row: name, email and an optional title. Rows with the wrong number
    of parts, no name or a bad address carry their error; nothing is looked up yet."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = _split(line)
        name, email, title = (parts + ["", "", ""])[:3]
        row = PastedRow(line=number, name=name, email=email.lower(), title=title)
        if len(parts) not in (2, 3):
            row.errors.append(_("Write name, email and title, separated by commas, semicolons or tabs."))
        if not name:
            row.errors.append(_("The name is missing."))
        elif len(name) > NAME_MAX or len(title) > TITLE_MAX:
            row.errors.append(_("The name and the title may be at most 150 characters."))
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("“%(email)s” is not an email address.") % {"email": email})
        rows.append(row)
    return rows


def check_rows(*, organisation: Organisation, rows: list[PastedRow]) -> None:
    """Add each row's errors against the paste and the database: a duplicate in the paste, an
    open invitation, already a member here or of another client. Two queries for any number."""
    emails = {row.email for row in rows}
    invited = set(
        Invitation.objects.unanswered()
        .filter(organisation=organisation)
        .annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    members = dict(
        OrganisationMember.objects.annotate(address=Lower("user__email"))
        .filter(address__in=emails)
        .values_list("address", "organisation_id")
    )
    seen: dict[str, int] = {}
    for row in rows:
        if row.email in seen:
            row.errors.append(_("The same address as row %(line)d.") % {"line": seen[row.email]})
        seen.setdefault(row.email, row.line)
        if row.email in invited:
            row.errors.append(_("Already has an open invitation: resend or revoke it on the organisation page."))
        if members.get(row.email) == organisation.pk:
            row.errors.append(_("Already a member of this organisation: add them on the team page."))
        elif row.email in members:
            row.errors.append(_("Already belongs to another client organisation."))


def preview(*, organisation: Organisation, text: str) -> list[PastedRow]:
    rows = parse_rows(text)
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Paste at most %(count)d people at a time.") % {"count": MAX_ROWS}, code="too_many")
    check_rows(organisation=organisation, rows=rows)
    return rows


@transaction.atomic
def create_team_with_invitations(
    *, organisation: Organisation, name: str, text: str, invited_by: User
) -> tuple[LeadershipTeam, list[Invitation]]:
    """The team and an invitation (with its email) for every row, all or nothing. The rows are
    checked again here, so what was true at the preview must still be true; a second submit of
    the same form finds the team's name taken and makes nothing more."""
    rows = preview(organisation=organisation, text=text)
    if not rows:
        raise ValidationError({"rows": ValidationError(_("Paste at least one person."), code="empty")})
    if not all(row.ok for row in rows):
        raise ValidationError(_("Some rows have errors: correct them and preview again."), code="row_errors")
    team = services.save_team(team=LeadershipTeam(organisation=organisation, name=name.strip()))
    invitations = [
        services.invite_person(
            organisation=organisation,
            email=row.email,
            full_name=row.name,
            title=row.title,
            team=team,
            invited_by=invited_by,
        )
        for row in rows
    ]
    return team, invitations
