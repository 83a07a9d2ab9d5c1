from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    label = "progress"
    verbose_name = _("Progress")

    def ready(self) -> None:
        from accounts.signals import person_erasing, personal_data_export
        from progress import own_data

        personal_data_export.connect(own_data.export_progress, dispatch_uid="progress_export")
        person_erasing.connect(own_data.erase_progress, dispatch_uid="progress_erase")
