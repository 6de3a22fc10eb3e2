from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Handlingsplaner")

    def ready(self) -> None:
        from actionplans import selectors, services
        from councils import tools
        from minutes import integrity, item_tools, signals

        tools.register(_("Handlingsplaner och verksamhetsberättelser"), "plans:list")
        tools.register_public(_("Handlingsplaner och verksamhetsberättelser"), "plans_public:list")
        tools.register_public_documents(
            _("Handlingsplaner och verksamhetsberättelser"), selectors.public_documents
        )
        item_tools.register(_("Handlingsplan eller verksamhetsberättelse"), "plans:item_link")
        integrity.register(selectors.stored_reports)
        signals.minutes_approved.connect(
            services.minutes_approved, dispatch_uid="actionplans.minutes_approved"
        )
        signals.minutes_corrected.connect(
            services.minutes_corrected, dispatch_uid="actionplans.minutes_corrected"
        )
