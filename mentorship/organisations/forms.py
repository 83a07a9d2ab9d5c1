from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.models import InvitationKind, LeadershipTeam, Organisation, TeamMembership
from mentorship.organisations import services


class OrganisationForm(forms.ModelForm):
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = Organisation
        fields = ["name", "city", "contact_name", "contact_email", "notes"]
        widgets = {"contact_email": forms.EmailInput(attrs={"autocomplete": "off"})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter a name."))
        duplicates = Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("An organisation with this name already exists."))
        return name


class LeadershipTeamForm(forms.ModelForm):
    class Meta:
        model = LeadershipTeam
        fields = ["name"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter a name."))
        duplicates = LeadershipTeam.objects.filter(organisation=self.instance.organisation, name__iexact=name)
        if duplicates.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This organisation already has a leadership team with this name."))
        return name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.email})"


class TeamMemberAddForm(forms.Form):
    """Add an existing member of the team's organisation; nobody else is a valid choice."""

    user = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Choose a member of this organisation who is not in the team yet.")},
    )
    title = forms.CharField(
        label=_("Title in the team"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use their title at the organisation."),
    )
    joined_on = forms.DateField(
        label=_("Member from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today. Sessions before this day are not theirs."),
    )

    def __init__(self, *args, team: LeadershipTeam, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        current = TeamMembership.objects.filter(team=team, left_on__isnull=True).values("user")
        self.fields["user"].queryset = (
            User.objects.filter(organisation_membership__organisation_id=team.organisation_id)
            .exclude(pk__in=current)
            .order_by("full_name", "email")
        )


class TeamMembershipForm(forms.ModelForm):
    """A seat's title and dates; `left_on` is the first day the person is no longer in the team."""

    class Meta:
        model = TeamMembership
        fields = ["title", "joined_on", "left_on"]
        labels = {"joined_on": _("Member from"), "left_on": _("No longer a member from")}
        help_texts = {
            "joined_on": _("Sessions before this day are not theirs."),
            "left_on": _(
                "Leave empty while they are in the team. From this day on they get no invitations or reminders."
            ),
        }
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        joined_on, left_on = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined_on and left_on and left_on <= joined_on:
            self.add_error("left_on", _("The last day must come after the first."))
        return cleaned


class InvitationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Invite as"),
        choices=InvitationKind.choices,
        initial=InvitationKind.MENTEE,
        required=False,  # a mentee unless told
        widget=forms.RadioSelect,
        help_text=_("A sponsor (CEO, HR) follows the organisation's mentoring read-only and is never a mentee."),
    )
    email = forms.EmailField(label=_("Email address"), max_length=254)
    full_name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    team = forms.ModelChoiceField(
        label=_("Leadership team"),
        queryset=LeadershipTeam.objects.none(),
        required=False,
        empty_label=_("No team"),
        help_text=_("Optional: the person also joins this leadership team."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["team"].queryset = LeadershipTeam.objects.filter(organisation=organisation).order_by("name")

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or InvitationKind.MENTEE

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        try:
            services.check_can_invite(
                organisation=self.organisation, email=email, kind=self.cleaned_data.get("kind", InvitationKind.MENTEE)
            )
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["email"]) from None
        return email

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter the person's name."))
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == InvitationKind.SPONSOR and cleaned.get("team"):
            self.add_error("team", _("A sponsor does not join a leadership team."))
        return cleaned


class TeamPasteForm(forms.Form):
    """A new leadership team and the rows of people to invite into it (organisations/team_paste.py)."""

    name = forms.CharField(label=_("Team name"), max_length=200)
    rows = forms.CharField(
        label=_("Members"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "One person a line: name, email, title — separated by commas, semicolons or tabs "
            "(paste straight from a spreadsheet). Each gets an invitation to the team."
        ),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter a name."))
        if LeadershipTeam.objects.filter(organisation=self.organisation, name__iexact=name).exists():
            raise forms.ValidationError(_("This organisation already has a leadership team with this name."))
        return name
