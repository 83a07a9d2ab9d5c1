"""The sweep's roster reads: every seat of some teams in one query, and a day's members of them."""

import datetime
from collections import defaultdict

from accounts.models import User
from mentorship.models import TeamMembership


def team_members(team_ids: set[int]) -> dict[int, list[TeamMembership]]:
    """Every seat of these teams, in one query; `on_roster` picks a day's members."""
    members: dict[int, list[TeamMembership]] = defaultdict(list)
    if team_ids:
        for membership in TeamMembership.objects.filter(team_id__in=team_ids).select_related("user"):
            members[membership.team_id].append(membership)
    return members


def on_roster(seats: list[TeamMembership], day: datetime.date) -> list[User]:
    """The members on `day` (the roster rule of `MentoringSession.roster`)."""
    return [seat.user for seat in seats if seat.is_on(day)]
