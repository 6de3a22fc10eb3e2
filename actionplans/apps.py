from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Handlingsplaner")

    def ready(self) -> None:
        from councils import tools

        tools.register(_("Handlingsplaner"), "plans:list")
        tools.register_public(_("Handlingsplaner"), "plans_public:list")
