"""Forms for contracts: create and edit, extend, and the engagement's choice of contract."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.models import Contract, ContractStatus, ContractUnit, Engagement

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
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
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "unit": forms.RadioSelect,
            "overage": forms.RadioSelect,
            "quantity": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
            "price": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            "vat_rate": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs.update({"size": 4, "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot come before the first day."))
        unit, quantity = cleaned.get("unit"), cleaned.get("quantity")
        if unit in (ContractUnit.SESSIONS, ContractUnit.HOURS) and quantity is None:
            self.add_error("quantity", _("Say how many sessions or hours were sold."))
        if unit == ContractUnit.SESSIONS and quantity is not None and quantity != quantity.to_integral_value():
            self.add_error("quantity", _("A package of sessions is a whole number."))
        return cleaned

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContractExtendForm(forms.Form):
    new_end = forms.DateField(label=_("New last day"), widget=DATE_WIDGET)
    more_quantity = forms.DecimalField(
        label=_("Add sessions or hours (optional)"),
        required=False,
        min_value=Decimal("0.5"),
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
    )

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        if not contract.has_package:
            del self.fields["more_quantity"]


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract: Contract) -> str:
        label = str(contract)
        return label if contract.is_open else f"{label} ({contract.get_status_display().lower()})"


class EngagementContractForm(forms.Form):
    contract = ContractChoiceField(
        label=_("Contract"),
        queryset=Contract.objects.none(),
        required=False,
        empty_label=_("No contract"),
        help_text=_("Only the open contracts of this engagement's organisation are offered."),
    )

    def __init__(self, *args, engagement: Engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(organisation_id=engagement.organisation_id).filter(
            status=ContractStatus.OPEN
        ) | Contract.objects.filter(pk=engagement.contract_id or 0)
        self.fields["contract"].initial = engagement.contract_id
