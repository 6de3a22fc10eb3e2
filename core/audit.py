"""The one helper that every change, sign-in, failed sign-in and denial calls."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the web server saw it.

    Behind a TLS-terminating proxy the proxy is expected to set REMOTE_ADDR correctly (for
    example gunicorn's ``--forwarded-allow-ips``); a client-supplied X-Forwarded-For is not
    trusted here because anyone can write it.
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one event to the audit log.

    ``actor`` defaults to the request's authenticated user. ``data`` holds JSON-serialisable
    details (never passwords). Call it inside the same transaction as the change it records, so
    that the change and its audit row commit or roll back together.
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else str(data.pop("username", "")),
        action=action,
        ip_address=client_ip(request),
        data=data,
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
    event.save(force_insert=True)
    return event
