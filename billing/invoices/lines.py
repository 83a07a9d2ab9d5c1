"""What a month of a contract bills: its draft, derived from the sessions every time it is read.

- Months are the consultancy's calendar months (Europe/Stockholm): a session belongs to the
  month its start falls in there, across daylight-saving changes (`month_bounds`).
- One line per billable session that starts in the month and was not billed before: held, late
  cancellation or no-show (when the contract bills them, `sessions.usage.counted_condition`),
  or extra when it was booked beyond the package. Sessions are priced per session, or per hour
  of their own length; a fixed-fee contract lists its sessions at no charge and bills its fee in
  its first month.
- Adjustments: a session of an earlier, finalised month that changed since (attendance
  corrected, recorded late, its length changed) gets a line for the difference, at the price it
  was billed at; a price changed later does not reprice what was invoiced. Finalising the draft
  bills the adjustment, so it is never adjusted twice.

Nothing here reads notes, reflections or feedback: lines carry dates, names, durations and money.
"""

import dataclasses
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from billing.models import Invoice, InvoiceLine, LineKind
from mentorship.models import Contract, ContractUnit
from sessions.models import MentoringSession, SessionStatus, held_condition
from sessions.usage import (
    CONSULTANCY_TIME_ZONE,
    Usage,
    counted_condition,
    hours_of,
    local_midnight,
    sessions_of_contract,
    usage_by_contract,
)

CENT = Decimal("0.01")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first instant and the next month's, in the consultancy's time zone."""
    month = first_of_month(month)
    return local_midnight(month), local_midnight(next_month(month))


def month_of(instant: datetime.datetime) -> datetime.date:
    """The first day of the consultancy's month `instant` falls in."""
    return first_of_month(instant.astimezone(CONSULTANCY_TIME_ZONE).date())


@dataclasses.dataclass
class Line:
    kind: str
    amount: Decimal
    quantity: Decimal
    unit_price: Decimal
    session: MentoringSession | None = None
    date: datetime.date | None = None
    mentor_name: str = ""
    subject: str = ""
    hours: Decimal | None = None
    note: str = ""

    @property
    def kind_label(self) -> str:
        return LineKind(self.kind).label


@dataclasses.dataclass
class Draft:
    """A month of a contract: the lines to bill and the totals; `invoice` once finalised (then
    the lines are the frozen ones)."""

    contract: Contract
    month: datetime.date
    lines: list
    invoice: Invoice | None = None
    usage: Usage | None = None  # the contract's package as it stands now (the billing run shows it)

    @property
    def subtotal(self) -> Decimal:
        if self.invoice:
            return self.invoice.subtotal
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        if self.invoice:
            return self.invoice.vat
        return vat_of(self.subtotal, self.contract.vat_rate)

    @property
    def total(self) -> Decimal:
        return self.invoice.total if self.invoice else self.subtotal + self.vat

    @property
    def is_final(self) -> bool:
        return self.invoice is not None


def vat_of(subtotal: Decimal, rate: Decimal) -> Decimal:
    return (subtotal * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _kind(session: MentoringSession) -> str:
    if session.billing_extra:
        return LineKind.EXTRA
    if session.status == SessionStatus.NO_SHOW:
        return LineKind.NO_SHOW
    if session.status == SessionStatus.CANCELLED:
        return LineKind.LATE_CANCELLATION
    return LineKind.HELD


def _price(contract: Contract, hours: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(quantity, unit price, amount) of one billable session."""
    if contract.unit == ContractUnit.HOURS:
        return hours, contract.price, (contract.price * hours).quantize(CENT, rounding=ROUND_HALF_UP)
    if contract.unit == ContractUnit.SESSIONS:
        return Decimal(1), contract.price, contract.price
    return Decimal(1), Decimal("0.00"), Decimal("0.00")  # covered by the fixed fee


def _session_line(contract: Contract, session: MentoringSession, **overrides) -> Line:
    hours = hours_of(session.end - session.start)
    quantity, unit_price, amount = _price(contract, hours)
    line = Line(
        kind=_kind(session),
        amount=amount,
        quantity=quantity,
        unit_price=unit_price,
        session=session,
        date=session.start.astimezone(CONSULTANCY_TIME_ZONE).date(),
        mentor_name=session.mentor.display_name,
        subject=session.team.name if session.team_id else session.mentee.display_name,
        hours=hours,
    )
    return dataclasses.replace(line, **overrides)


@dataclasses.dataclass(frozen=True)
class Billed:
    """What finalised invoices billed for one session, adjustments included."""

    amount: Decimal
    quantity: Decimal
    unit_price: Decimal  # of its first (not adjusting) line


def _billed_by_session(contract: Contract) -> dict[int, Billed]:
    rows = (
        InvoiceLine.objects.filter(invoice__contract=contract, session__isnull=False)
        .values("session")
        .annotate(
            amount=Sum("amount"),
            quantity=Sum("quantity"),
            unit_price=Coalesce(Max("unit_price", filter=~Q(kind=LineKind.ADJUSTMENT)), Max("unit_price")),
        )
        .order_by()
    )
    return {row["session"]: Billed(row["amount"], row["quantity"], row["unit_price"]) for row in rows}


def _sessions(contract: Contract):
    return sessions_of_contract(contract).select_related("mentor", "mentee", "team").order_by("start", "pk")


def draft_for(contract: Contract, month: datetime.date, *, now: datetime.datetime | None = None) -> Draft:
    """The month's invoice if it was finalised, else its draft as the sessions say now."""
    month = first_of_month(month)
    invoice = Invoice.objects.filter(contract=contract, month=month).first()
    if invoice is not None:
        return Draft(contract, month, list(invoice.lines.select_related("session")), invoice)
    now = now or timezone.now()
    start, end = month_bounds(month)
    billed = _billed_by_session(contract)
    counted = counted_condition(contract, now)
    lines = [
        _session_line(contract, session)
        for session in _sessions(contract).filter(counted, start__gte=start, start__lt=end)
        if session.pk not in billed
    ]
    if contract.unit == ContractUnit.FIXED_FEE and first_of_month(contract.start_date) == month:
        lines.append(
            Line(kind=LineKind.FIXED_FEE, amount=contract.price, quantity=Decimal(1), unit_price=contract.price)
        )
    lines += _adjustments(contract, month, billed, now)
    return Draft(contract, month, lines)


def _adjustments(
    contract: Contract, month: datetime.date, billed: dict[int, Billed], now: datetime.datetime
) -> list[Line]:
    """Lines for what changed, since it was invoiced, in the sessions of earlier finalised months:
    a session no longer billable is credited, one billable again or never billed is charged, an
    hours session whose length changed is billed the difference — each at the price it was
    billed at (a never billed one at today's). A later price change alone adjusts nothing."""
    if contract.unit == ContractUnit.FIXED_FEE:
        return []  # its sessions are covered by the fee
    finalised = set(Invoice.objects.filter(contract=contract, month__lt=month).values_list("month", flat=True))
    if not finalised:
        return []
    start, _end = month_bounds(month)
    counted_ids = set(_sessions(contract).filter(counted_condition(contract, now)).values_list("pk", flat=True))
    lines = []
    for session in _sessions(contract).filter(start__lt=start):
        record = billed.get(session.pk)
        if record is None and month_of(session.start) not in finalised:
            continue  # its own month has not been invoiced yet: it belongs to that draft
        line = _adjustment(contract, session, record, now_billable=session.pk in counted_ids)
        if line is not None:
            lines.append(line)
    return lines


def _adjustment(contract: Contract, session: MentoringSession, record: Billed | None, *, now_billable: bool):
    current = _session_line(contract, session)
    if record is None:
        if not now_billable:
            return None
        note = gettext("Not billed in %(month)s") % {"month": f"{month_of(session.start):%Y-%m}"}
        return dataclasses.replace(current, kind=LineKind.ADJUSTMENT, note=note)
    if not now_billable:
        if record.quantity == 0:
            return None  # credited before
        note = gettext("No longer billable: %(status)s") % {"status": _status_label(session)}
        quantity, amount = -record.quantity, -record.amount
    elif record.quantity == 0:
        note = gettext("Billable again")
        quantity = current.quantity
        amount = (quantity * record.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    elif contract.unit == ContractUnit.HOURS and current.quantity != record.quantity:
        note = gettext("Length changed")
        quantity = current.quantity - record.quantity
        amount = (quantity * record.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        return None
    return dataclasses.replace(
        current, kind=LineKind.ADJUSTMENT, quantity=quantity, unit_price=record.unit_price, amount=amount, note=note
    )


def _status_label(session: MentoringSession) -> str:
    if session.status == SessionStatus.CANCELLED and not session.late_cancellation:
        return gettext("cancelled in time")
    return session.get_status_display().lower()


def contracts_for_month(month: datetime.date) -> list[Contract]:
    """The contracts a month may bill: those whose period overlaps it, and those with an invoice
    for it (a closed one among them), by organisation."""
    month = first_of_month(month)
    last_day = next_month(month) - datetime.timedelta(days=1)
    overlapping = Contract.objects.filter(start_date__lte=last_day, end_date__gte=month)
    invoiced = Contract.objects.filter(invoices__month=month)
    return list(
        (overlapping | invoiced).distinct().select_related("organisation").order_by("organisation__name", "start_date")
    )


def drafts_for_month(month: datetime.date) -> list[Draft]:
    """Every contract's draft or invoice for the month, leaving out the ones with nothing to bill,
    each with its contract's usage now."""
    drafts = [draft for draft in (draft_for(contract, month) for contract in contracts_for_month(month)) if draft.lines]
    usages = usage_by_contract([draft.contract for draft in drafts])
    for draft in drafts:
        draft.usage = usages[draft.contract.pk]
    return drafts


def mentor_hours(month: datetime.date) -> list[dict]:
    """Per mentor and client organisation: the sessions held in the month and their hours — what
    the consultancy pays its mentors from. Held only (`held_condition`), whatever the contract."""
    start, end = month_bounds(month)
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    rows = (
        MentoringSession.objects.filter(held_condition(timezone.now()), start__gte=start, start__lt=end)
        .values("mentor", "mentor__full_name", "mentor__email", "engagement__organisation__name")
        .annotate(sessions=Count("pk"), duration=Sum(duration))
        .order_by("mentor__full_name", "mentor__email", "engagement__organisation__name")
    )
    by_mentor: dict[int, dict] = defaultdict(lambda: {"clients": [], "sessions": 0, "hours": Decimal("0.00")})
    for row in rows:
        mentor = by_mentor[row["mentor"]]
        mentor["name"] = row["mentor__full_name"] or row["mentor__email"]
        hours = hours_of(row["duration"])
        mentor["clients"].append(
            {"organisation": row["engagement__organisation__name"], "sessions": row["sessions"], "hours": hours}
        )
        mentor["sessions"] += row["sessions"]
        mentor["hours"] += hours
    return list(by_mentor.values())
