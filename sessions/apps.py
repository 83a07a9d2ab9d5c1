from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "sessions"
    # The plain label "sessions" clashes with django.contrib.sessions, which allauth needs.
    label = "mentoring_sessions"
    verbose_name = _("Mentoring sessions")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from mentorship.models import TeamMembership
        from sessions.one_to_ones.leaving import seat_changed

        # A member who leaves keeps no one-to-ones after their last day (sessions.one_to_ones.leaving).
        post_save.connect(seat_changed, sender=TeamMembership, dispatch_uid="one_to_ones_seat_saved")
        post_delete.connect(seat_changed, sender=TeamMembership, dispatch_uid="one_to_ones_seat_deleted")
