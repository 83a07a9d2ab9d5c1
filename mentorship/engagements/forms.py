"""Forms for engagements: intake by an admin, edit, list filters, status, extension, mentee intake."""

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import local_format
from mentorship.engagements.services import whole_months_between
from mentorship.models import (
    Engagement,
    EngagementStatus,
    FocusArea,
    IntakeResponse,
    LeadershipTeam,
    Organisation,
    TeamMembership,
    Trigger,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MenteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user.display_name} ({user.organisation_membership.organisation.name})"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, team: LeadershipTeam) -> str:
        return f"{team.name} ({team.organisation.name})"


class EngagementFieldsForm(forms.ModelForm):
    """What an admin records at intake and may edit later (all but who is mentored)."""

    triggers = forms.MultipleChoiceField(
        label=_("What brings this on?"),
        choices=Trigger.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every one that applies."),
        error_messages={"required": _("Choose at least one trigger.")},
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"),
        queryset=FocusArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one focus area.")},
    )
    planned_months = forms.IntegerField(
        label=_("Planned length (months)"),
        min_value=1,
        max_value=60,
        initial=6,
        help_text=_("The planned end is this many calendar months after the start."),
    )

    class Meta:
        model = Engagement
        fields = [
            "triggers",
            "trigger_other",
            "initiated_by",
            "focus_areas",
            "goals",
            "preferred_language",
            "start_date",
            "initial_phase_weeks",
            "initial_interval_days",
            "steady_interval_months",
            "session_minutes",
            "mentee_chooses",
        ]
        widgets = {
            "initiated_by": forms.RadioSelect,
            "goals": forms.Textarea(attrs={"rows": 5}),
            "start_date": DATE_WIDGET,
        }
        help_texts = {
            "trigger_other": _("Needed when you tick “Other”."),
            "session_minutes": _("Between 90 and 120 minutes."),
        }

    field_order = [
        "mentee",
        "team",
        "triggers",
        "trigger_other",
        "initiated_by",
        "focus_areas",
        "goals",
        "preferred_language",
        "start_date",
        "planned_months",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = Q(pk__in=self.instance.focus_areas.all()) if self.instance.pk else Q(pk__in=[])
        # Retired areas stay selectable on the engagements that already have them.
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(Q(is_active=True) | current)
        self.fields["initiated_by"].choices = self.fields["initiated_by"].choices[1:]  # no blank radio
        if self.initial.get("start_date") is None:
            self.initial["start_date"] = timezone.localdate()

    def clean_start_date(self) -> datetime.date:
        start = self.cleaned_data["start_date"]
        if not (datetime.date(2000, 1, 1) <= start <= datetime.date(2100, 12, 31)):
            raise forms.ValidationError(_("Choose a start date between 2000 and 2100."))
        return start

    def clean(self) -> dict:
        cleaned = super().clean()
        triggers = cleaned.get("triggers") or []
        other = (cleaned.get("trigger_other") or "").strip()
        if Trigger.OTHER in triggers and not other:
            self.add_error("trigger_other", _("Say what the other trigger is."))
        cleaned["trigger_other"] = other if Trigger.OTHER in triggers else ""
        return cleaned


class EngagementCreateForm(EngagementFieldsForm):
    """Intake: the fields above plus exactly one of a mentee or a leadership team."""

    mentee = MenteeChoiceField(
        label=_("One mentee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nobody —"),
    )
    team = TeamChoiceField(
        label=_("Or a whole leadership team"),
        queryset=LeadershipTeam.objects.none(),
        required=False,
        empty_label=_("— no team —"),
    )

    def __init__(self, *args, mentees: QuerySet[User], teams: QuerySet[LeadershipTeam], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = mentees.select_related("organisation_membership__organisation").order_by(
            "full_name", "email"
        )
        self.fields["team"].queryset = teams.select_related("organisation").order_by("organisation__name", "name")

    def clean(self) -> dict:
        cleaned = super().clean()
        if "mentee" in self.errors or "team" in self.errors:
            return cleaned
        if cleaned.get("mentee") and cleaned.get("team"):
            raise forms.ValidationError(_("Choose one mentee or one leadership team, not both."))
        if not cleaned.get("mentee") and not cleaned.get("team"):
            raise forms.ValidationError(_("Choose the mentee or the leadership team this engagement is for."))
        return cleaned


class EngagementEditForm(EngagementFieldsForm):
    coordinator = forms.ModelChoiceField(
        label=_("Team coordinator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— none: the mentor or an admin books —"),
        help_text=_(
            "A member of the team (often the CEO's assistant) who books, moves and cancels the team's sessions. "
            "Other members cannot book."
        ),
        error_messages={"invalid_choice": _("Choose a member of the team.")},
    )

    one_to_one_interval_months = forms.TypedChoiceField(
        label=_("One-to-ones with each member"),
        choices=[
            (0, _("No cadence: booked when wanted")),
            (1, _("Monthly")),
            (2, _("Every other month")),
            (3, _("Every three months")),
            (6, _("Every six months")),
        ],
        coerce=int,
        required=False,
        empty_value=0,
        initial=0,
        help_text=_(
            "Each member is reminded to book a one-to-one with the mentor this often, besides the team's sessions."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.team_id:
            self.fields["coordinator"].queryset = User.objects.filter(
                pk__in=TeamMembership.objects.current().filter(team_id=self.instance.team_id).values("user")
            ).order_by("full_name", "email")
            self.initial.setdefault("coordinator", self.instance.coordinator_id)
            self.initial.setdefault("one_to_one_interval_months", self.instance.one_to_one_interval_months)
        else:
            del self.fields["coordinator"]
            del self.fields["one_to_one_interval_months"]
        self.fields["planned_months"].initial = max(
            whole_months_between(self.instance.start_date, self.instance.planned_end), 1
        )
        self.fields["planned_months"].help_text = _(
            "Changing the start or the length moves the planned end. To move only the end, use “Extend”."
        )


SEARCH_WIDGET = forms.TextInput(attrs={"type": "search"})


class EngagementFilterForm(forms.Form):
    """Filters on the engagement list; organisation and mentor only for admins. Those two are
    searched for by part of a name, among the `organisations` and `mentors` given: a choice among
    every organisation and mentor put thousands of options on the page."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *EngagementStatus.choices], required=False
    )
    organisation = forms.CharField(
        label=_("Organisation"), required=False, max_length=100, widget=SEARCH_WIDGET, help_text=_("Part of the name.")
    )
    mentor = forms.CharField(
        label=_("Mentor"),
        required=False,
        max_length=100,
        widget=SEARCH_WIDGET,
        help_text=_("Part of the name or the email address."),
    )

    def __init__(self, *args, organisations: QuerySet[Organisation] | None, mentors: QuerySet[User] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations, self.mentors = organisations, mentors
        if organisations is None:
            del self.fields["organisation"]
        if mentors is None:
            del self.fields["mentor"]

    def filter(self, engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
        if not self.is_valid():
            return engagements
        data = self.cleaned_data
        if data.get("status"):
            engagements = engagements.filter(status=data["status"])
        if words := data.get("organisation"):
            engagements = engagements.filter(organisation__in=self.organisations.filter(name__icontains=words))
        if words := data.get("mentor"):
            found = self.mentors.filter(Q(full_name__icontains=words) | Q(email__icontains=words))
            engagements = engagements.filter(mentor__in=found)
        return engagements


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=EngagementStatus.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


LATEST_END = datetime.date(2100, 12, 31)


class ExtendForm(forms.Form):
    new_end = forms.DateField(label=_("New planned end"), widget=DATE_WIDGET)

    def __init__(self, *args, engagement: Engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.engagement = engagement

    def clean_new_end(self) -> datetime.date:
        new_end = self.cleaned_data["new_end"]
        if new_end <= self.engagement.planned_end:
            raise forms.ValidationError(
                _("Choose a date after the current planned end, %(date)s."),
                params={"date": local_format(self.engagement.planned_end, "DATE_FORMAT")},
            )
        if new_end > LATEST_END:  # as for start dates; year 9999 broke the date arithmetic on this page
            raise forms.ValidationError(
                _("Choose a date between %(earliest)s and %(latest)s."),
                params={
                    "earliest": local_format(self.engagement.planned_end + datetime.timedelta(days=1), "DATE_FORMAT"),
                    "latest": local_format(LATEST_END, "DATE_FORMAT"),
                },
            )
        return new_end


COMMITMENT_CHOICES = [
    (1, _("1 – hardly")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – fully")),
]


class IntakeForm(forms.ModelForm):
    commitment = forms.TypedChoiceField(
        label=_("How committed are you to this mentorship?"),
        choices=COMMITMENT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 means hardly, 5 means fully."),
    )

    class Meta:
        model = IntakeResponse
        fields = ["own_goals", "commitment", "wants_from_mentor"]
        widgets = {
            "own_goals": forms.Textarea(attrs={"rows": 5}),
            "wants_from_mentor": forms.Textarea(attrs={"rows": 4}),
        }
