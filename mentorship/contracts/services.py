"""Writes for contracts: create, edit (with history), extend, close, and which contract an
engagement draws on.

Every change records a ContractEvent (who, what, when) in the same transaction, as engagements
record theirs. A contract is re-read under a row lock before a change is decided, so a double
submit or two admins at once cannot both pass a check only one of them should.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core.dates import local_format
from mentorship.models import Contract, ContractEvent, ContractStatus, ContractUnit, Engagement, EngagementEvent

# What an admin may change after creating a contract (all but the organisation and the status).
EDITABLE_FIELDS = (
    "reference",
    "start_date",
    "end_date",
    "unit",
    "quantity",
    "price",
    "currency",
    "vat_rate",
    "late_cancellation_billable",
    "no_show_billable",
    "overage",
)


def _record(contract: Contract, kind: str, actor: User | None, detail: str = "") -> ContractEvent:
    return ContractEvent.objects.create(contract=contract, kind=kind, actor=actor, detail=detail, at=timezone.now())


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _check_open(contract: Contract) -> None:
    if contract.status != ContractStatus.OPEN:
        raise ValidationError(gettext("This contract is closed; it can no longer change."), code="closed")


def _normalise(fields: dict) -> dict:
    # A fixed fee has no number of sessions or hours: a number typed before switching is dropped.
    if fields.get("unit") == ContractUnit.FIXED_FEE:
        fields["quantity"] = None
    if "currency" in fields:
        fields["currency"] = (fields["currency"] or "SEK").strip().upper()
    if "reference" in fields:
        fields["reference"] = fields["reference"].strip()
    return fields


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@transaction.atomic
def create_contract(*, organisation, actor: User, **fields) -> Contract:
    """Open a contract for the organisation. Raises ValidationError (per field) for a period that
    ends before it starts, a package without a number, a negative price or an impossible VAT rate."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not a contract field: {sorted(unknown)}")
    contract = Contract(organisation=organisation, created_by=actor, status=ContractStatus.OPEN, **_normalise(fields))
    contract.full_clean()
    contract.save()
    _record(contract, ContractEvent.Kind.CREATED, actor)
    return contract


@transaction.atomic
def update_contract(*, contract: Contract, actor: User, **fields) -> Contract:
    """Change a contract's details and record what changed, from what to what. A closed contract
    refuses changes. Nothing changed: nothing recorded."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current = _locked(contract)
    _check_open(current)
    fields = _normalise(fields)
    changes = [
        (name, getattr(current, name), value) for name, value in fields.items() if getattr(current, name) != value
    ]
    if not changes:
        return current
    for name, _old, value in changes:
        setattr(current, name, value)
    current.full_clean(exclude=["organisation", "created_by"])
    current.save()
    detail = "; ".join(
        f"{Contract._meta.get_field(name).verbose_name}: {_shown(old)} → {_shown(new)}" for name, old, new in changes
    )
    _record(current, ContractEvent.Kind.EDITED, actor, detail)
    return current


@transaction.atomic
def extend_contract(
    *, contract: Contract, actor: User, new_end: datetime.date, more_quantity: Decimal | None = None
) -> Contract:
    """Move the last day later and, for a package, optionally add sessions or hours. Raises
    ValidationError for a date not after the current last day, a closed contract, or more of a
    fixed fee."""
    current = _locked(contract)
    _check_open(current)
    if new_end <= current.end_date:
        raise ValidationError(
            {
                "new_end": ValidationError(
                    gettext("The new last day must come after the current one (%(date)s).")
                    % {"date": local_format(current.end_date, "DATE_FORMAT")},
                    code="not_later",
                )
            }
        )
    if more_quantity is not None and more_quantity <= 0:
        raise ValidationError(
            {"more_quantity": ValidationError(gettext("Add more than zero, or leave it empty."), code="not_positive")}
        )
    if more_quantity and not current.has_package:
        raise ValidationError(
            {
                "more_quantity": ValidationError(
                    gettext("A fixed fee has no sessions or hours to add."), code="fixed_fee_has_no_quantity"
                )
            }
        )
    parts = [gettext("Last day: %(old)s → %(new)s") % {"old": current.end_date.isoformat(), "new": new_end.isoformat()}]
    current.end_date = new_end
    if more_quantity:
        new_quantity = current.quantity + more_quantity
        parts.append(
            gettext("How many: %(old)s → %(new)s") % {"old": _shown(current.quantity), "new": _shown(new_quantity)}
        )
        current.quantity = new_quantity
    current.full_clean(exclude=["organisation", "created_by"])
    current.save()
    _record(current, ContractEvent.Kind.EXTENDED, actor, "; ".join(parts))
    return current


@transaction.atomic
def close_contract(*, contract: Contract, actor: User) -> tuple[Contract, bool]:
    """Close the contract: no more changes, and no engagement can be linked to it. Returns
    (contract, closed now); a repeated submit finds it closed and changes nothing."""
    current = _locked(contract)
    if current.status == ContractStatus.CLOSED:
        return current, False
    current.status = ContractStatus.CLOSED
    current.closed_at = timezone.now()
    current.save(update_fields=["status", "closed_at", "updated_at"])
    _record(current, ContractEvent.Kind.CLOSED, actor)
    return current, True


@transaction.atomic
def set_engagement_contract(*, engagement: Engagement, contract: Contract | None, actor: User) -> Engagement:
    """Let the engagement draw on `contract` (or on none). The contract must belong to the
    engagement's organisation and be open. Recorded in both histories."""
    current = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if contract is not None:
        if contract.organisation_id != current.organisation_id:
            raise ValidationError(
                {
                    "contract": ValidationError(
                        gettext("The contract belongs to another organisation."), code="other_organisation"
                    )
                }
            )
        if contract.pk != current.contract_id:
            _check_open(Contract.objects.get(pk=contract.pk))
    if current.contract_id == (contract.pk if contract else None):
        return current
    old = current.contract
    current.contract = contract
    current.save(update_fields=["contract", "updated_at"])
    EngagementEvent.objects.create(
        engagement=current,
        kind=EngagementEvent.Kind.CONTRACT_CHANGED,
        actor=actor,
        at=timezone.now(),
        detail=f"{_shown(old)} → {_shown(contract)}",
    )
    if old is not None:
        _record(old, ContractEvent.Kind.ENGAGEMENT_UNLINKED, actor, current.subject_name)
    if contract is not None:
        _record(contract, ContractEvent.Kind.ENGAGEMENT_LINKED, actor, current.subject_name)
    engagement.contract = contract
    return current
