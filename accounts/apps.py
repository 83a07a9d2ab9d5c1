from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # allauth registers its authenticators in the Django admin, where their secrets could be
        # read and changed; nobody needs that (an admin removes a lost authenticator through
        # the person's own account pages or the shell). Django's admin app, listed first, has
        # registered them by now.
        from allauth.mfa.models import Authenticator
        from django.contrib import admin

        if admin.site.is_registered(Authenticator):
            admin.site.unregister(Authenticator)
