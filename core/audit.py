"""The one helper that every change, sign-in, failed sign-in and denial calls."""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from.

    That is ``REMOTE_ADDR``, unless it is one of ``TRUSTED_PROXIES``: then the proxies' own
    X-Forwarded-For is read from the right (each proxy appends the address it was called from),
    past every trusted proxy, to the first address that is not one. What a client wrote into the
    header itself stands to the left of that and is never read, so nobody can choose the address
    they are logged and throttled under.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    trusted = _trusted_proxies(tuple(settings.TRUSTED_PROXIES))
    if address is None or not _is_in(address, trusted):
        return address
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = hop.strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not written by a proxy of ours: keep the last address we can vouch for
        address = hop
        if not _is_in(hop, trusted):
            break
    return address


@functools.lru_cache(maxsize=8)
def _trusted_proxies(networks: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(network) for network in networks)


def _is_in(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


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
