"""A draft or invoice as CSV: one row per line, then the totals; safe against spreadsheet formula
injection (core.csvsafe). Dates, names, durations and money only, with labels, separator and
decimal mark in the reader's language (`;` and 1234,50 for Swedish)."""

from collections.abc import Iterator

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from billing.invoices.lines import Draft, Line
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
LABELS = {
    "invoice": _("Invoice"),
    "organisation": _("Organisation"),
    "contract_reference": _("Contract reference"),
    "month": _("Month"),
    "date": _("Date"),
    "kind": _("Kind"),
    "mentor": _("Mentor"),
    "engagement_or_team": _("Engagement or team"),
    "hours": pgettext_lazy("number of hours", "Hours"),
    "quantity": _("Quantity"),
    "unit_price": _("Unit price"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "note": _("Note"),
}


def draft_csv(draft: Draft) -> Iterator[str]:
    contract = draft.contract
    number = draft.invoice.number if draft.invoice else gettext("draft")
    common = [number, contract.organisation.name, contract.reference, f"{draft.month:%Y-%m}"]
    currency = draft.invoice.currency if draft.invoice else contract.currency

    def rows():
        for line in draft.lines:
            yield [
                *common,
                line.date or "",
                line.kind_label if isinstance(line, Line) else line.get_kind_display(),
                line.mentor_name,
                line.subject,
                "" if line.hours is None else line.hours,
                line.quantity,
                line.unit_price,
                line.amount,
                currency,
                line.note,
            ]
        totals = ((gettext("Subtotal"), draft.subtotal), (gettext("VAT"), draft.vat), (gettext("Total"), draft.total))
        for label, amount in totals:
            yield [*common, "", label, "", "", "", "", "", amount, currency, ""]

    return csv_lines([LABELS[column] for column in COLUMNS], rows())
