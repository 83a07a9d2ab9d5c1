"""allauth's emails (address verification, password reset) in the recipient's language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """A password reset asked for from an English browser still reaches a Swedish account holder
    in Swedish: the email is rendered in the language saved on the account it goes to; an address
    without an account gets the language of the page that sent it."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).only("language").first()
        language = user.language if user is not None and user.language else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
