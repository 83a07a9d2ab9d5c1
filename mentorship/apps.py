from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentorship")

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up

        from mentorship import signals

        user_signed_up.connect(signals.accept_stashed_invitation, dispatch_uid="mentorship_accept_stashed_invitation")
