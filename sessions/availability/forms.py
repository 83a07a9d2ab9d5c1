"""Forms for a mentor's availability (weekly windows, time off, booking rules) and the admins' venues."""

import datetime
import zoneinfo

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organisation
from sessions.models import AvailabilityWindow, BookingSettings, TimeOff, Venue, VenueKind

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
# The shortest session an engagement can have (Engagement.session_minutes' lower bound).
MIN_SESSION_MINUTES = 90


class AvailabilityWindowForm(forms.ModelForm):
    """A weekly window. Its time zone is not asked for: the view passes an instance carrying the
    mentor's own zone."""

    start_time = forms.TimeField(
        label=_("From"), input_formats=TIME_FORMATS, widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until"), input_formats=TIME_FORMATS, widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )

    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "start_time", "end_time"]

    def __init__(self, *args, session_minutes: int = MIN_SESSION_MINUTES, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_minutes = session_minutes  # the shortest session the mentor holds

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", _("The window must end after it starts (on the same day)."))
        elif start is not None and end is not None:
            minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            if minutes < self.session_minutes:
                self.add_error(
                    "end_time",
                    _(
                        "The window is %(window)d minutes long, shorter than a session (%(session)d minutes): "
                        "no session fits in it. Make it at least %(session)d minutes."
                    )
                    % {"window": minutes, "session": self.session_minutes},
                )
        return cleaned


class TimeOffForm(forms.ModelForm):
    """Whole days off, inclusive. Ranges entirely in the past are refused; one that started
    already and is still running is fine."""

    class Meta:
        model = TimeOff
        fields = ["start_date", "end_date", "note"]
        widgets = {
            "start_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "end_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        help_texts = {"note": _("Only you see the note, e.g. “Holiday” or “Conference”.")}

    def __init__(self, *args, time_zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate(timezone=zoneinfo.ZoneInfo(time_zone))

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start is not None and end is not None:
            if end < start:
                self.add_error("end_date", _("The last day cannot come before the first day."))
            elif end < self.today:
                self.add_error("end_date", _("This time off is already over: pick today or a later day."))
            elif end > self.today + datetime.timedelta(days=3 * 366):
                self.add_error("end_date", _("Enter time off for the next three years at most."))
        return cleaned


class BookingSettingsForm(forms.ModelForm):
    buffer_minutes = forms.IntegerField(
        label=_("Buffer between sessions (minutes)"),
        min_value=0,
        max_value=240,
        help_text=_("Free time kept before and after every session (0 to 240 minutes)."),
    )
    horizon_weeks = forms.IntegerField(
        label=_("How far ahead mentees may book (weeks)"),
        min_value=1,
        max_value=52,
        help_text=_("1 to 52 weeks."),
    )
    min_notice_hours = forms.IntegerField(
        label=_("Minimum notice (hours)"),
        min_value=0,
        max_value=24 * 14,
        help_text=_("Mentees cannot book a session starting sooner than this (0 to 336 hours)."),
    )
    change_cutoff_hours = forms.IntegerField(
        label=_("No changes later than (hours before)"),
        min_value=0,
        max_value=24 * 14,
        help_text=_(
            "Mentees cannot move or cancel a session later than this (0 to 336 hours); "
            "a later cancellation is recorded as late."
        ),
    )

    class Meta:
        model = BookingSettings
        fields = ["buffer_minutes", "horizon_weeks", "min_notice_hours", "change_cutoff_hours", "confirm_manually"]


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class VenueForm(forms.ModelForm):
    """A venue. An online venue has no link of its own: each session there gets its own private
    room. A client site must name its organisation: without one it would be offered to every
    client's engagements."""

    organisation = OrganisationChoiceField(
        label=_("Client organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for a client's own premises: offered only to that client's engagements."),
    )

    class Meta:
        model = Venue
        fields = ["name", "kind", "address", "city", "organisation", "notes", "is_active"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "notes": _("Directions, door codes, what to ask for at the reception."),
            "is_active": _("Untick to stop offering the venue for new bookings; booked sessions keep it."),
        }

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == VenueKind.CLIENT_SITE and not cleaned.get("organisation") and "organisation" not in self.errors:
            self.add_error("organisation", _("Choose the client whose premises these are."))
        if kind and kind != VenueKind.CLIENT_SITE and cleaned.get("organisation"):
            self.add_error("organisation", _("Only a venue at the client's premises belongs to a client."))
        return cleaned
