from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    # An app of its own for one table, the email outbox; core still imports no other app.
    name = "core"
    verbose_name = _("Platform")
