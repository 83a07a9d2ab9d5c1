from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentorship.models import LeadershipTeam, Organisation, TeamMembership
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

    def __init__(self, *args, team: LeadershipTeam, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["user"].queryset = (
            User.objects.filter(organisation_membership__organisation_id=team.organisation_id)
            .exclude(team_memberships__team=team)
            .order_by("full_name", "email")
        )


class TeamMembershipTitleForm(forms.ModelForm):
    class Meta:
        model = TeamMembership
        fields = ["title"]


class InvitationForm(forms.Form):
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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        try:
            services.check_can_invite(organisation=self.organisation, email=email)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["email"]) from None
        return email

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter the person's name."))
        return name
