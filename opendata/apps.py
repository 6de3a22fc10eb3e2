from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Öppna data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from councils import tools
        from opendata import receivers  # noqa: F401  (connects the signals)

        tools.register_public(_("Öppna data"), "opendata:council")
