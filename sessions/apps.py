from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "sessions"
    # The plain label "sessions" clashes with django.contrib.sessions, which allauth needs.
    label = "mentoring_sessions"
    verbose_name = _("Mentoring sessions")
