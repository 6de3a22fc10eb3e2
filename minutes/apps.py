from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Möten och protokoll")

    def ready(self) -> None:
        from minutes import checks  # noqa: F401  (registers the system checks)
