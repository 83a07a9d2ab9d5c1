"""Contracts (consultancy admins): a client organisation's list, create, edit, extend, close, and
the engagement's choice of contract. The contract page itself shows usage, read from the sessions,
so it is composed above both (`overview.views.contract_detail`)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorship import access
from mentorship.contracts import services
from mentorship.contracts.forms import ContractExtendForm, ContractForm, EngagementContractForm


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def contract_list(request: HttpRequest, organisation_uuid: uuid.UUID) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
    contracts = (
        access.contracts_visible_to(request.user)
        .filter(organisation=organisation)
        .annotate(engagement_count=Count("engagements"))
    )
    context = {"organisation": organisation, "contracts": contracts}
    return render(request, "mentorship/contracts/list.html", context)


@login_required
def contract_create(request: HttpRequest, organisation_uuid: uuid.UUID) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, organisation_uuid)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(organisation=organisation, actor=request.user, **form.service_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The contract was added."))
            return redirect(contract.get_absolute_url())
    return render(request, "mentorship/contracts/form.html", {"form": form, "organisation": organisation})


@login_required
def contract_edit(request: HttpRequest, contract_uuid: uuid.UUID) -> HttpResponse:
    contract = access.get_contract_for_admin(request.user, contract_uuid)
    form = ContractForm(request.POST or None, instance=contract)
    if not contract.is_open:
        messages.error(request, _("This contract is closed; it can no longer change."))
        return redirect(contract.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contract(contract=contract, actor=request.user, **form.service_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The contract was saved."))
            return redirect(contract.get_absolute_url())
    context = {"form": form, "organisation": contract.organisation, "contract": contract}
    return render(request, "mentorship/contracts/form.html", context)


@login_required
def contract_extend(request: HttpRequest, contract_uuid: uuid.UUID) -> HttpResponse:
    contract = access.get_contract_for_admin(request.user, contract_uuid)
    form = ContractExtendForm(request.POST or None, contract=contract)
    if request.method == "POST" and contract.is_open and form.is_valid():
        try:
            services.extend_contract(contract=contract, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The contract was extended."))
            return redirect(contract.get_absolute_url())
    return render(request, "mentorship/contracts/extend.html", {"form": form, "contract": contract})


@login_required
def contract_close(request: HttpRequest, contract_uuid: uuid.UUID) -> HttpResponse:
    contract = access.get_contract_for_admin(request.user, contract_uuid)
    # Method checked after the fetch, so that a GET from a non-admin is a 404 like a POST.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _contract, closed_now = services.close_contract(contract=contract, actor=request.user)
    if closed_now:
        messages.success(request, _("The contract was closed."))
    return redirect(contract.get_absolute_url())


@login_required
def engagement_contract(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = access.get_engagement_for_admin(request.user, engagement_uuid)
    form = EngagementContractForm(request.POST or None, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_engagement_contract(
                engagement=engagement, contract=form.cleaned_data["contract"], actor=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The engagement's contract was saved."))
            return redirect("overview:engagement-detail", engagement_uuid=engagement.uuid)
    return render(request, "mentorship/contracts/engagement_contract.html", {"form": form, "engagement": engagement})
