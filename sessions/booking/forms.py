"""Forms for booking and moving a session (one slot + venue picker) and for cancelling one."""

import contextlib
import datetime
import uuid
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.models import Engagement, MentorProfile
from sessions import access
from sessions.booking import tokens
from sessions.models import NEUTRAL_KINDS, Venue, VenueKind

# No slot is offered further ahead than the longest booking horizon (52 weeks, BookingSettings).
# A start beyond it is refused here, before the service's arithmetic on it overflows near the
# calendar's end ("9999-12-31T23:59:59+00:00").
FURTHEST_AHEAD = datetime.timedelta(weeks=53)

# Where the picker shows a service's ValidationError, by its code; anything else goes on top.
FIELD_FOR_ERROR_CODE = {
    "taken": "start",
    "mentor_busy": "start",
    "holiday": "start",
    "venue_required": "venue",
    "venue_not_allowed": "venue",
    "room_taken": "venue",
    "client_site_unconfirmed": "client_site_confirmed",
}


def _city_key(city: str) -> str:
    return " ".join(city.casefold().split())


def preferred_cities(engagement: Engagement) -> set[str]:
    """Cities near the people meeting: the mentor's home region (when their profile says) and the
    client organisation's city. Compared case-insensitively."""
    cities = {engagement.organisation.city}
    with contextlib.suppress(AttributeError, MentorProfile.DoesNotExist):  # no profile (yet)
        cities.add(engagement.mentor.mentor_profile.region)
    return {_city_key(city) for city in cities if city}


@dataclass
class VenueGroups:
    """Venues in the order the interview asks for: neutral ground first (nearest first), online
    next, the client's own premises last."""

    neutral: list[Venue] = field(default_factory=list)
    online: list[Venue] = field(default_factory=list)
    client_site: list[Venue] = field(default_factory=list)

    @property
    def ordered(self) -> list[Venue]:
        return [*self.neutral, *self.online, *self.client_site]


def venue_groups(engagement: Engagement) -> VenueGroups:
    cities = preferred_cities(engagement)
    venues = sorted(access.venues_for(engagement), key=lambda venue: venue.name.casefold())
    groups = VenueGroups()
    for venue in venues:
        if venue.kind in NEUTRAL_KINDS:
            groups.neutral.append(venue)
        elif venue.kind == VenueKind.ONLINE:
            groups.online.append(venue)
        else:
            groups.client_site.append(venue)
    # Stable sort: nearby neutral venues first, each part still by name.
    groups.neutral.sort(key=lambda venue: _city_key(venue.city) not in cities)
    for venue in groups.neutral:
        venue.is_nearby = _city_key(venue.city) in cities
    return groups


class VenueField(forms.ModelChoiceField):
    widget = forms.RadioSelect


class SlotVenueForm(forms.Form):
    """A start time (posted as an ISO UTC timestamp, one of the offered slots) and a venue.

    Whether the time is still free, and whether the venue is allowed, is for the service to say:
    it decides inside the transaction, and its messages are put on the matching field.
    """

    start = forms.CharField(
        label=_("Time"), max_length=40, error_messages={"required": _("Pick a time for the session.")}
    )
    venue = VenueField(
        label=_("Where to meet"),
        queryset=Venue.objects.none(),
        error_messages={
            "required": _("Choose where to meet."),
            "invalid_choice": _("That venue is not available for this mentorship — pick one of those shown."),
        },
    )
    client_site_confirmed = forms.BooleanField(label=_("Yes, meet at the client's premises"), required=False)
    # The form's one-time token (sessions.booking.tokens): a new one each time the form is shown.
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def __init__(
        self,
        *args,
        engagement: Engagement,
        now: datetime.datetime | None = None,
        user: User | None = None,
        token_kind: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        self.now = now
        self.user = user
        self.token_kind = token_kind
        if user is not None and token_kind is not None and not self.is_bound:
            self.initial["form_token"] = tokens.new_token(user=user, engagement=engagement, kind=token_kind)
        if self.is_bound and self.data.get("suggested"):
            # "Book the suggested time" posts its time under its own name: it wins over a chip.
            self.data = self.data.copy()
            self.data["start"] = self.data["suggested"]
        self.venue_groups = venue_groups(engagement)
        self.fields["venue"].queryset = access.venues_for(engagement)
        if not self.initial.get("venue") and self.venue_groups.neutral:
            self.initial["venue"] = self.venue_groups.neutral[0].pk  # neutral ground, nearest first

    def clean_start(self) -> datetime.datetime:
        value = self.cleaned_data["start"].strip()
        try:
            start = datetime.datetime.fromisoformat(value)
            # The calendar's far ends ("0001-01-01T00:00+14:00") overflow when converted.
            start = start.astimezone(datetime.UTC) if start.tzinfo is not None else None
        except (ValueError, OverflowError):
            start = None
        now = self.now or timezone.now()
        if start is None or start > now + FURTHEST_AHEAD:
            raise forms.ValidationError(_("That is not one of the offered times — pick one of those shown."))
        if start <= now:
            raise forms.ValidationError(_("That time has already passed — pick another."))
        return start

    @property
    def token(self) -> uuid.UUID | None:
        """The posted one-time token, when it is this person's for this form (None otherwise)."""
        if not self.is_bound or self.user is None or self.token_kind is None:
            return None
        return tokens.read_token(
            self.data.get("form_token"), user=self.user, engagement=self.engagement, kind=self.token_kind
        )

    def add_service_error(self, error: forms.ValidationError) -> None:
        """Show a service's refusal next to the field it is about."""
        items = error.error_list if hasattr(error, "error_list") else [forms.ValidationError(m) for m in error.messages]
        for item in items:
            name = FIELD_FOR_ERROR_CODE.get(item.code)
            self.add_error(name if name in self.fields else None, item)

    @property
    def selected_start(self) -> str:
        """The posted (or initial) start, as the radio value to mark checked."""
        value = self["start"].value()
        return value.isoformat() if isinstance(value, datetime.datetime) else str(value or "")

    @property
    def selected_venue(self) -> str:
        value = self["venue"].value()
        return str(value.pk if isinstance(value, Venue) else value or "")


class MeetingLinkForm(forms.Form):
    """The mentor's own meeting link for an online session (Teams, Zoom); empty for a new private
    room from the provider. Whether the mentor may set it is for the service to say."""

    meeting_url = forms.URLField(
        label=_("Your own meeting link (Teams, Zoom …)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        help_text=_("Leave it empty to get a new private room instead of the current one."),
    )

    def clean_meeting_url(self) -> str:
        url = self.cleaned_data["meeting_url"]
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Use a secure link that starts with https://."), code="not_https")
        return url


class StopEngagementForm(forms.Form):
    """Pausing or completing an engagement: what happens to its future sessions, when it has any."""

    CANCEL, KEEP = "cancel", "keep"

    future_sessions = forms.ChoiceField(
        label=_("Its sessions still to come"),
        choices=[
            (CANCEL, _("Cancel them: everyone is told by email, with a calendar cancellation")),
            (KEEP, _("Keep them: they stay booked, without reminders while the engagement is not active")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note on the change (optional, in the cancellation emails too)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, has_future_sessions: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not has_future_sessions:
            del self.fields["future_sessions"]
            self.fields["note"].label = _("Note on the change (optional)")

    @property
    def cancel_future_sessions(self) -> bool:
        return self.cleaned_data.get("future_sessions") == self.CANCEL


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, shared with the other participants)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
