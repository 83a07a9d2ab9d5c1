"""Who may see billing: consultancy admins only (drafts, invoices, exports, mentor hours hold
money). Everybody else gets 404."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from billing.models import Invoice
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


def invoices_of(user: User, contract: Contract) -> QuerySet[Invoice]:
    """The contract's finalised invoices, newest month first: admins only (none for anybody else)."""
    if not may_bill(user):
        return Invoice.objects.none()
    return Invoice.objects.filter(contract=contract).order_by("-month")
