"""The form a mentor adds one of their own calendars with."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BusyCalendarForm(forms.Form):
    url = forms.CharField(
        label=_("Calendar link (ICS)"),
        max_length=2000,
        help_text=_(
            "In Outlook: Settings → Calendar → Shared calendars → Publish a calendar, then copy the ICS link. "
            "In Google Calendar: Settings → your calendar → Secret address in iCal format."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
    )
