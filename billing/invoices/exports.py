"""A draft or invoice as CSV: one row per line, then the totals; safe against spreadsheet formula
injection (core.csvsafe). Dates, names, durations and money only."""

from collections.abc import Iterator

from billing.invoices.lines import Draft
from core.csvsafe import csv_lines

COLUMNS = [
    "invoice",
    "organisation",
    "contract_reference",
    "month",
    "date",
    "kind",
    "mentor",
    "engagement_or_team",
    "hours",
    "quantity",
    "unit_price",
    "amount",
    "currency",
    "note",
]


def draft_csv(draft: Draft) -> Iterator[str]:
    contract = draft.contract
    number = draft.invoice.number if draft.invoice else "draft"
    common = [number, contract.organisation.name, contract.reference, f"{draft.month:%Y-%m}"]
    currency = draft.invoice.currency if draft.invoice else contract.currency

    def rows():
        for line in draft.lines:
            yield [
                *common,
                line.date.isoformat() if line.date else "",
                line.kind,
                line.mentor_name,
                line.subject,
                "" if line.hours is None else line.hours,
                line.quantity,
                line.unit_price,
                line.amount,
                currency,
                line.note,
            ]
        for label, amount in (("subtotal", draft.subtotal), ("vat", draft.vat), ("total", draft.total)):
            yield [*common, "", label, "", "", "", "", "", amount, currency, ""]

    return csv_lines(COLUMNS, rows())
