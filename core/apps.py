from django.apps import AppConfig
from django.contrib.admin import (
    apps as admin_apps,  # the module: its AdminConfig is no default here
)
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Gemensamt")

    def ready(self) -> None:
        from core import pagecache, signals  # noqa: F401  (connects the sign-in audit receivers)

        pagecache.install()  # every committed write forgets the remembered public pages


class ProtokolletAdminConfig(admin_apps.AdminConfig):
    """Django's admin with ``core.admin_site.ProtokolletAdminSite`` as ``admin.site``, so that
    every model registers on the site that asks for the second factor (OTP_REQUIRED). Here,
    not in admin_site.py: an app's config module is imported before any model may be."""

    default = False
    default_site = "core.admin_site.ProtokolletAdminSite"
