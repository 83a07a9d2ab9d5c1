"""Who may see billing: consultancy admins only (drafts, invoices, exports, mentor hours hold
money). Everybody else gets 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from mentorship.access import contracts_visible_to, is_consultancy_admin
from mentorship.models import Contract


def may_bill(user: User) -> bool:
    return is_consultancy_admin(user)


def require_billing(user: User) -> None:
    """404 for everybody but consultancy admins."""
    if not may_bill(user):
        raise Http404


def get_contract_for_billing(user: User, contract_uuid) -> Contract:
    """A contract to bill, for admins; 404 for everybody else."""
    require_billing(user)
    return get_object_or_404(contracts_visible_to(user).select_related("organisation"), uuid=contract_uuid)
