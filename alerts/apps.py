from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Bevakning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from alerts import receivers  # noqa: F401  (connects the signals)
        from councils import tools

        tools.register_follow("alerts/_follow.html")
