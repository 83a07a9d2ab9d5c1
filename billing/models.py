"""Invoices: a month of a contract, frozen when an admin finalises it.

A draft is never stored: it is derived from the sessions each time it is read
(`billing.invoices.lines`). Finalising stores the invoice and its lines as they were; a later
change to one of its sessions (attendance corrected, a session recorded late) does not rewrite
it but shows as an adjustment line in the next draft. Lines hold dates, names, durations and
money — never anything from notes, reflections or feedback. Only consultancy admins see them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LineKind(models.TextChoices):
    HELD = "held", _("Held")
    LATE_CANCELLATION = "late_cancellation", _("Late cancellation")
    NO_SHOW = "no_show", _("No-show")
    EXTRA = "extra", _("Extra, beyond the package")
    FIXED_FEE = "fixed_fee", _("Fixed fee")
    ADJUSTMENT = "adjustment", _("Adjustment")


class Invoice(models.Model):
    """A finalised month of a contract: numbered, frozen."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=20, unique=True)
    organisation = models.ForeignKey("mentorship.Organisation", on_delete=models.PROTECT, related_name="invoices")
    contract = models.ForeignKey("mentorship.Contract", on_delete=models.PROTECT, related_name="invoices")
    month = models.DateField(_("month"), help_text="The month's first day.")
    currency = models.CharField(_("currency"), max_length=3)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    subtotal = models.DecimalField(_("subtotal"), max_digits=12, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    finalised_at = models.DateTimeField(_("finalised"))
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-month", "number"]
        constraints = [
            models.UniqueConstraint("contract", "month", name="billing_one_invoice_per_contract_and_month"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("billing:invoice", args=[self.contract.uuid, f"{self.month:%Y-%m}"])


class InvoiceLine(models.Model):
    """One line of a finalised invoice, as it was billed."""

    Kind = LineKind

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    session = models.ForeignKey(
        "mentoring_sessions.MentoringSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    date = models.DateField(_("date"), null=True, blank=True)
    mentor_name = models.CharField(_("mentor"), max_length=150, blank=True)
    subject = models.CharField(_("engagement or team"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        indexes = [models.Index(fields=["session"])]

    def __str__(self) -> str:
        return f"{self.invoice} #{self.position}"


class InvoiceCounter(models.Model):
    """The last invoice number given in a year; locked while the next one is taken, so two
    admins finalising at once never get the same number (the unique number is the safety net)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
