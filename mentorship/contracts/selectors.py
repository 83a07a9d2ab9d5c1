"""Reads about contracts, for admins' pages."""

from typing import Any

from accounts.models import User
from mentorship import access
from mentorship.models import Contract


def contract_page(user: User, contract: Contract) -> dict[str, Any]:
    """What the contract page shows of the contract itself: its engagements and its history. The
    contract must already be fetched for this user (`access.get_contract_for_admin`). Two queries."""
    engagements = list(
        access.engagements_visible_to(user)
        .filter(contract=contract)
        .select_related("mentee", "team", "mentor")
        .order_by("start_date", "pk")
    )
    events = list(access.contract_events_visible_to(user, contract).select_related("actor"))
    return {"contract": contract, "engagements": engagements, "events": events}
