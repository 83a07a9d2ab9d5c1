"""Finalising a month of a contract: its draft becomes a numbered invoice, frozen."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from billing.invoices.lines import draft_for, first_of_month
from billing.models import Invoice, InvoiceCounter, InvoiceLine
from mentorship.models import Contract
from sessions.usage import consultancy_today


def _next_number(year: int) -> str:
    # The counter row is locked until the transaction ends: numbers are handed out one at a time.
    InvoiceCounter.objects.bulk_create([InvoiceCounter(year=year)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:04d}"


@transaction.atomic
def finalise(*, contract: Contract, month: datetime.date, actor: User) -> tuple[Invoice, bool]:
    """Freeze the month's draft of the contract as a numbered invoice. Returns (invoice, created):
    a repeated submit finds the invoice made by the first. Raises ValidationError for a month that
    has not begun, or one with nothing to bill."""
    month = first_of_month(month)
    # The contract's row lock serialises finalising (and booking on) this contract, so the
    # draft frozen is the one the sessions give at this moment.
    Contract.objects.select_for_update().get(pk=contract.pk)
    existing = Invoice.objects.filter(contract=contract, month=month).first()
    if existing is not None:
        return existing, False
    if month > first_of_month(consultancy_today()):
        raise ValidationError(gettext("A month can be finalised once it has begun."), code="future_month")
    draft = draft_for(contract, month)
    if not draft.lines:
        raise ValidationError(gettext("There is nothing to invoice for this month."), code="nothing_to_invoice")
    now = timezone.now()
    invoice = Invoice.objects.create(
        number=_next_number(consultancy_today(now).year),
        organisation_id=contract.organisation_id,
        contract=contract,
        month=month,
        currency=contract.currency,
        vat_rate=contract.vat_rate,
        subtotal=draft.subtotal,
        vat=draft.vat,
        total=draft.total,
        finalised_at=now,
        finalised_by=actor,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            kind=line.kind,
            session=line.session,
            date=line.date,
            mentor_name=line.mentor_name[:150],
            subject=line.subject[:200],
            hours=line.hours,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            note=line.note[:300],
        )
        for position, line in enumerate(draft.lines, start=1)
    )
    return invoice, True
