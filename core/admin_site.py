"""The admin site: with OTP_REQUIRED (the default unless DEBUG) only staff verified by their
authenticator app get in, and the admin's sign-in page asks for the code (django-otp)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class ProtokolletAdminSite(AdminSite):
    """The project's admin site (``core.apps.ProtokolletAdminConfig.default_site``), which reads
    OTP_REQUIRED per request."""

    site_header = _("Protokollet – administration")
    site_title = _("Protokollet")
    index_title = _("Systemförvaltning")

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.OTP_REQUIRED else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.OTP_REQUIRED else None

    def has_permission(self, request) -> bool:
        allowed = super().has_permission(request)
        return allowed and (not settings.OTP_REQUIRED or request.user.is_verified())
