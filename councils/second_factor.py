"""The second factor: a TOTP authenticator app (django-otp), which chairs, vice chairs and
administrators enrol in from their profile page, and which approval and the admin require when
``OTP_REQUIRED`` is on (the default unless DEBUG)."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from councils.models import Membership
from councils.terms import COUNCIL_TERMS, Terms

NEEDED_ROLES = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR)
NAME = "Autentiseringsapp"


def for_user(user) -> TOTPDevice | None:
    """The user's confirmed device, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_needed(user, memberships=None) -> bool:
    """Chairs, vice chairs and administrators approve or administer: they need one."""
    if user.is_staff or user.is_superuser:
        return True
    memberships = memberships if memberships is not None else []
    return any(m.role in NEEDED_ROLES for m in memberships)


def pending(user) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per user, made on first sight."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=NAME, confirmed=False)
    return device


def verify(request, device: TOTPDevice | None, code: str) -> bool:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if device is None or len(code) != 6:
        return False
    ok = device.verify_token(code)
    if not ok:
        audit.record("otp.failed", request=request, obj=request.user)
    return ok


def confirm(request, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit.record("otp.enrolled", request=request, obj=request.user)


def remove(request, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=request.user).delete()
    audit.record("otp.removed", request=request, obj=request.user)


def readable_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data URI (no external service, no script)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def require_for_approval(request, code: str, *, terms: Terms = COUNCIL_TERMS) -> str | None:
    """None when the approver may go on; otherwise the Swedish reason, in the council's
    ``terms``. With OTP_REQUIRED, the session must be verified, or the code given with the
    password must verify it now."""
    if not settings.OTP_REQUIRED:
        return None
    user = request.user
    if user.is_verified():
        return None
    device = for_user(user)
    if device is None:
        return (
            "Att justera kräver tvåstegsverifiering. Aktivera den under Mina uppdrag "
            "och försök igen."
        )
    if verify(request, device, code):
        otp_login(request, device)
        return None
    return str(terms.wrong_code)
