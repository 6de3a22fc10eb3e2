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
        event.council_name = _council_name(obj)
    event.save(force_insert=True)
    return event


def _council_name(obj: models.Model) -> str:
    """The council an object belongs to, found by shape (core knows no other app): a council
    itself, or anything with a ``council`` or a ``meeting.council``."""
    if obj._meta.label_lower == "councils.council":
        council = obj
    else:
        council = getattr(obj, "council", None) or getattr(
            getattr(obj, "meeting", None), "council", None
        )
        if council is None and hasattr(obj, "minutes_id"):
            council = getattr(getattr(obj.minutes, "meeting", None), "council", None)
    if council is None:
        return ""
    municipality = getattr(council, "municipality", None)
    return f"{council.name} ({municipality.name})"[:200] if municipality else str(council)[:200]
