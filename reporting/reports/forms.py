"""Forms for reports: the review at the planned end, export filters, the sponsor report period."""

import datetime
import re
import uuid

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import local_format
from mentorship.cadence import add_months
from mentorship.models import OUTCOME_WORDS_MAX_LENGTH, Engagement, EngagementStatus, Organisation
from reporting.reports.exports import ExportFilters
from reporting.reports.periods import Period

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Dates outside these years are typing mistakes; they would also overflow date arithmetic.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MAX_EXTENSION_YEARS = 5
WORDS_MAX_LENGTH = OUTCOME_WORDS_MAX_LENGTH


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _check_range(day: datetime.date | None) -> datetime.date | None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            params={"earliest": local_format(EARLIEST, "DATE_FORMAT"), "latest": local_format(LATEST, "DATE_FORMAT")},
        )
    return day


class ReviewExtendForm(forms.Form):
    new_end = forms.DateField(label=_("New planned end"), widget=DATE_WIDGET)
    switch_to_monthly = forms.BooleanField(
        label=_("Switch to monthly sessions now"),
        required=False,
        help_text=_(
            "Ends the every-other-week phase today; from now on the next session is due a month after the last."
        ),
    )

    def __init__(self, *args, engagement: Engagement, offer_switch: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        if not offer_switch:
            del self.fields["switch_to_monthly"]

    def clean_new_end(self) -> datetime.date:
        new_end = _check_range(self.cleaned_data["new_end"])
        planned_end = self.engagement.planned_end
        if new_end <= planned_end:
            raise forms.ValidationError(
                _("Choose a date after the current planned end, %(date)s."),
                params={"date": local_format(planned_end, "DATE_FORMAT")},
            )
        if new_end > add_months(planned_end, 12 * MAX_EXTENSION_YEARS):
            raise forms.ValidationError(
                _("Extend by at most %(years)d years at a time."), params={"years": MAX_EXTENSION_YEARS}
            )
        return new_end


class ReviewCompleteForm(forms.Form):
    mentee_words = forms.CharField(
        label=_("Goals reached, in the mentee's words"),
        max_length=WORDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the mentee says they reached.")},
    )
    mentor_words = forms.CharField(
        label=_("Goals reached, in the mentor's words"),
        max_length=WORDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the mentor says was reached.")},
    )
    final_feedback = forms.CharField(
        label=_("Final feedback (optional)"),
        max_length=WORDS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The outcome is shown on the engagement page to its mentor and mentee(s) too."),
    )

    def __init__(self, *args, future_sessions: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if future_sessions:  # the engagement still has sessions to come: cancel or keep them
            self.fields["future_sessions"] = forms.ChoiceField(
                label=_("Its sessions still to come"),
                choices=[
                    ("cancel", _("Cancel them: everyone is told by email, with a calendar cancellation")),
                    ("keep", _("Keep them: they stay booked, without reminders while the engagement is not active")),
                ],
                widget=forms.RadioSelect,
            )

    @property
    def outcome(self) -> dict:
        """The words for `complete_with_outcome`."""
        return {name: self.cleaned_data[name] for name in ("mentee_words", "mentor_words", "final_feedback")}

    @property
    def cancel_future_sessions(self) -> bool:
        return self.cleaned_data.get("future_sessions") == "cancel"


class PeriodCheckMixin:
    """Checks for a form's `date_from` and `date_to`: each within the allowed range, the end not
    before the start."""

    def clean_date_from(self) -> datetime.date | None:
        return _check_range(self.cleaned_data["date_from"])

    def clean_date_to(self) -> datetime.date | None:
        return _check_range(self.cleaned_data["date_to"])

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period cannot come before its start."))
        return cleaned


SEARCH_WIDGET = forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
# How many of the names that match too loosely an error lists.
MATCHES_SHOWN = 5


def _one_named(candidates: QuerySet, words: str, name_filters: list[str], key_filter: dict | None):
    """The one row of `candidates` that `words` name: by key (a link or bookmark), or the one whose
    name is exactly `words` (any case), or the only one whose name contains them. A form error
    when no row matches, or several do (naming up to MATCHES_SHOWN of them)."""
    found = []
    if key_filter is not None:
        found = list(candidates.filter(**key_filter)[:1])
    else:
        for lookup in ("iexact", "icontains"):
            query = Q()
            for field in name_filters:
                query |= Q(**{f"{field}__{lookup}": words})
            found = list(candidates.filter(query)[: MATCHES_SHOWN + 1])
            if found:
                break
    if not found:
        raise forms.ValidationError(_("Nothing matches “%(words)s”."), params={"words": words})
    if len(found) > 1:
        names = ", ".join(str(row) for row in found[:MATCHES_SHOWN])
        more = "…" if len(found) > MATCHES_SHOWN else ""
        raise forms.ValidationError(
            _("Several match “%(words)s” (%(names)s%(more)s): type more of the name."),
            params={"words": words, "names": names, "more": more},
        )
    return found[0]


class ExportFilterForm(PeriodCheckMixin, forms.Form):
    """Filters shared by both CSV exports. The status is the engagement's status.

    The organisation and the mentor are typed, not chosen among every one of them (thousands of
    options at a large consultancy): part of a name (or of the mentor's email) that names one."""

    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        widget=SEARCH_WIDGET,
        help_text=_("Part of the name; empty for every organisation."),
    )
    mentor = forms.CharField(
        label=_("Mentor"),
        required=False,
        max_length=200,
        widget=SEARCH_WIDGET,
        help_text=_("Part of the name or the email address; empty for every mentor."),
    )
    status = forms.ChoiceField(
        label=_("Engagement status"), choices=[("", _("Any status")), *EngagementStatus.choices], required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Engagements running in the period; sessions (and their counts) starting in it. Both ends count."),
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], mentors: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations.order_by("name")
        self.mentors = mentors.order_by("full_name", "email")

    def _resolve(self, name: str, candidates: QuerySet, name_filters: list[str], key_filter: dict | None):
        words = self.cleaned_data[name].strip()
        return _one_named(candidates, words, name_filters, key_filter) if words else None

    def clean_organisation(self) -> Organisation | None:
        words = self.cleaned_data["organisation"].strip()
        key = _uuid_or_none(words)
        return self._resolve("organisation", self.organisations, ["name"], {"uuid": key} if key else None)

    def clean_mentor(self) -> User | None:
        words = self.cleaned_data["mentor"].strip()
        key = {"pk": int(words)} if re.fullmatch(r"[0-9]{1,9}", words) else None  # not str.isdigit: "²" is a digit
        return self._resolve("mentor", self.mentors, ["full_name", "email"], key)

    def export_filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(
            organisation=data.get("organisation"),
            mentor=data.get("mentor"),
            status=data.get("status") or "",
            period=Period(start=data.get("date_from"), end=data.get("date_to")),
        )


class SponsorPeriodForm(PeriodCheckMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), widget=DATE_WIDGET)

    def period(self, default: Period) -> Period:
        """The chosen period, or `default` when the input is missing or invalid."""
        if self.is_bound and self.is_valid():
            return Period(start=self.cleaned_data["date_from"], end=self.cleaned_data["date_to"])
        return default


class SponsorReportFinderForm(forms.Form):
    """Open one organisation's sponsor report by typing part of its name (GET): a link for each
    of thousands of client organisations is no page to read."""

    sponsor_organisation = forms.CharField(
        label=_("Client organisation"),
        max_length=200,
        widget=SEARCH_WIDGET,
        help_text=_("Part of the name."),
        error_messages={"required": _("Type part of the organisation's name.")},
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations.order_by("name")

    def clean_sponsor_organisation(self) -> Organisation:
        return _one_named(self.organisations, self.cleaned_data["sponsor_organisation"].strip(), ["name"], None)
