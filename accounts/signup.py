"""allauth's signup page with the invited person's name filled in: whoever sends a visitor to
signup (the invitation link, `mentorship.organisations.views.invitation_accept`) may leave the
name in the session under SIGNUP_NAME_SESSION_KEY. It stays a suggestion the person can change,
and is dropped once they have signed up (`forms.SignupExtraForm.signup`)."""

from allauth.account.views import SignupView as AllauthSignupView

SIGNUP_NAME_SESSION_KEY = "accounts_signup_full_name"


class SignupView(AllauthSignupView):
    def get_initial(self) -> dict:
        initial = super().get_initial()
        name = self.request.session.get(SIGNUP_NAME_SESSION_KEY)
        if isinstance(name, str) and name.strip():
            initial.setdefault("full_name", name.strip())
        return initial


signup = SignupView.as_view()
