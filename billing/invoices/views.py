"""The monthly billing run (consultancy admins): every contract's draft for a month, one draft
or invoice with its lines, finalising, CSV and a printable page."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from billing import access
from billing.invoices import exports, lines, services
from sessions.usage import consultancy_today


def parse_month(value: str | None) -> datetime.date | None:
    """ "2026-11" → 1 November 2026; None for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def _month_or_404(value: str) -> datetime.date:
    month = parse_month(value)
    if month is None or not 2000 <= month.year <= 2100:
        raise Http404
    return month


@login_required
def billing_run(request: HttpRequest) -> HttpResponse:
    access.require_billing(request.user)
    asked = parse_month(request.GET.get("month"))
    month = asked or lines.first_of_month(consultancy_today())
    context = {
        "month": month,
        "drafts": lines.drafts_for_month(month),
        "invalid": "month" in request.GET and asked is None,
    }
    return render(request, "billing/run.html", context)


@login_required
def invoice_detail(request: HttpRequest, contract_uuid: uuid.UUID, month: str) -> HttpResponse:
    contract = access.get_contract_for_billing(request.user, contract_uuid)
    draft = lines.draft_for(contract, _month_or_404(month))
    return render(request, "billing/invoice.html", {"draft": draft, "contract": contract})


@login_required
def invoice_finalise(request: HttpRequest, contract_uuid: uuid.UUID, month: str) -> HttpResponse:
    contract = access.get_contract_for_billing(request.user, contract_uuid)
    month_start = _month_or_404(month)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        invoice, created = services.finalise(contract=contract, month=month_start, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, _("Invoice %(number)s was finalised.") % {"number": invoice.number})
    return redirect("billing:invoice", contract.uuid, f"{month_start:%Y-%m}")


@login_required
def invoice_csv(request: HttpRequest, contract_uuid: uuid.UUID, month: str) -> HttpResponse:
    contract = access.get_contract_for_billing(request.user, contract_uuid)
    draft = lines.draft_for(contract, _month_or_404(month))
    name = draft.invoice.number if draft.invoice else f"draft-{contract.uuid}-{draft.month:%Y-%m}"
    response = HttpResponse("".join(exports.draft_csv(draft)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invoice-{name}.csv"'
    return response


@login_required
def invoice_print(request: HttpRequest, contract_uuid: uuid.UUID, month: str) -> HttpResponse:
    contract = access.get_contract_for_billing(request.user, contract_uuid)
    draft = lines.draft_for(contract, _month_or_404(month))
    return render(request, "billing/print.html", {"draft": draft, "contract": contract})


@login_required
def mentor_hours(request: HttpRequest) -> HttpResponse:
    access.require_billing(request.user)
    month = parse_month(request.GET.get("month")) or lines.first_of_month(consultancy_today())
    return render(request, "billing/mentor_hours.html", {"month": month, "mentors": lines.mentor_hours(month)})
