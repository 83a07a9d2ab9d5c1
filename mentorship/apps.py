from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentorship")

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up
        from django.db import connections
        from django.db.backends.signals import connection_created

        from . import pagecache, signals

        connection_created.connect(pagecache.install_write_watcher, dispatch_uid="mentorship_pagecache_writes")
        for connection in connections.all(initialized_only=True):
            pagecache.install_write_watcher(sender=None, connection=connection)

        user_signed_up.connect(signals.accept_stashed_invitation, dispatch_uid="mentorship_accept_stashed_invitation")
