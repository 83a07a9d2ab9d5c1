from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.timezones import time_zone_choices


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user: User) -> None:
        from accounts.signup import SIGNUP_NAME_SESSION_KEY

        if hasattr(request, "session"):
            request.session.pop(SIGNUP_NAME_SESSION_KEY, None)
        user.full_name = self.cleaned_data["full_name"].strip()
        language = getattr(request, "LANGUAGE_CODE", "")
        if language in ("sv", "en"):
            user.language = language
        user.save(update_fields=["full_name", "language"])


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["full_name", "time_zone", "language"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_session_reminders", "email_booking_nudges", "email_notes_nudges", "email_engagement_updates"]
