"""The OParl 1.1 API under ``/oparl/v1/``: read-only, anonymous, JSON.

Every answer comes from the stored objects (``opendata.models``): an object is one query, a list
page one, whatever the size of the archive, after one query that finds nothing pending
(``services.refresh_pending``) and, for a list, one that finds its owner. Lists run in the order
the objects were first stored; the next page starts after the last object of this one (a
cursor), so objects added while a client pages through appear on a later page and none is
skipped or repeated. Each answer has an ETag and a Last-Modified and answers 304 to a client
that has it already.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from urllib.parse import urlencode

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from councils.models import Council, Municipality
from opendata import build, services
from opendata.build import SCHEMA, TYPE, api_url
from opendata.models import OParlObject

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
FILTERS = {
    "created_since": "created__gte",
    "created_until": "created__lte",
    "modified_since": "modified__gte",
    "modified_until": "modified__lte",
}
CACHE = "public, max-age=60"
# the kinds a body lists (Body's list properties) and an organisation's meetings
LIST_KINDS = set(build.BODY_LISTS.values())


class BadRequest(Exception):
    pass


def _json(payload: dict | str, *, status: int = 200) -> HttpResponse:
    """A JSON answer: a dict, or text that is JSON already (the stored objects)."""
    text = (
        payload
        if isinstance(payload, str)
        else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    )
    response = HttpResponse(text, content_type="application/json; charset=utf-8", status=status)
    # open data: any web page may read it
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, message: str) -> HttpResponse:
    response = _json({"error": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _cacheable(request: HttpRequest, payload: dict | str, etag: str, modified) -> HttpResponse:
    """The answer, or 304 when the client's copy is this one."""
    etag = f'"{etag}"'
    last_modified = int(modified.timestamp()) if modified else None  # HTTP dates have seconds
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = not_modified or _json(payload)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _moment(name: str, value: str) -> datetime.datetime:
    # a "+" that the client did not encode arrives as a space
    text = value.strip().replace(" ", "+")
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment.astimezone(datetime.UTC)  # a year 1 or 9999 that no database holds
    except (ValueError, OverflowError):
        raise BadRequest(
            _("%(name)s måste vara en tidpunkt med tidszon, till exempel %(example)s.")
            % {"name": name, "example": "2026-01-31T12:00:00+01:00"}
        ) from None
    if moment.tzinfo is None:
        raise BadRequest(
            _("%(name)s saknar tidszon, till exempel +01:00 eller Z.") % {"name": name}
        )
    return moment


def _bound(lookup: str, moment: datetime.datetime) -> tuple[str, datetime.datetime]:
    """The filter for ``lookup`` at ``moment``. The objects print their times to the second
    and store them to the microsecond: an ``_until`` given to the second takes the whole of that
    second, so that an object whose printed ``modified`` is the bound is in the list (as
    ``_since`` at that second already finds it)."""
    if lookup.endswith("__lte") and moment.microsecond == 0:
        try:
            return lookup.removesuffix("__lte") + "__lt", moment + datetime.timedelta(seconds=1)
        except OverflowError:  # the last second of year 9999: nothing is later
            pass
    return lookup, moment


def _number(raw: str) -> int | None:
    """A whole number as ASCII digits, within what the database holds; else None."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 15:
        return int(raw)
    return None


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit") or request.GET.get("elementsPerPage") or ""
    if not raw:
        return PAGE_SIZE
    limit = _number(raw)
    if limit is None or limit < 1:
        raise BadRequest(_("limit måste vara ett heltal från 1."))
    return min(limit, MAX_PAGE_SIZE)


def _page(request: HttpRequest, base_url: str, rows_of) -> HttpResponse:
    """One page of an external list: ``rows_of(filters)`` gives the queryset of the list."""
    try:
        filters = dict(
            _bound(lookup, _moment(name, request.GET[name]))
            for name, lookup in FILTERS.items()
            if request.GET.get(name)
        )
        limit = _limit(request)
        after = request.GET.get("after", "")
        if after and _number(after) is None:
            raise BadRequest(_("after måste vara ett heltal."))
    except BadRequest as error:
        return _error(400, str(error))
    rows = rows_of().filter(**filters)
    if after:
        rows = rows.filter(pk__gt=int(after))
    # the stored text of each object, joined: nothing is decoded or encoded again
    page = list(rows.order_by("pk").values_list("pk", "document", "etag", "modified")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    kept = {name: request.GET[name] for name in FILTERS if request.GET.get(name)}
    if "limit" in request.GET or "elementsPerPage" in request.GET:
        kept["limit"] = str(limit)

    def link(**extra) -> str:
        query = urlencode(kept | extra)
        return f"{base_url}?{query}" if query else base_url

    links = {"first": link(), "self": link(**({"after": after} if after else {}))}
    if more:
        links["next"] = link(after=str(page[-1][0]))
    tail = json.dumps(
        {"pagination": {"elementsPerPage": limit}, "links": links},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    text = '{"data":[' + ",".join(document for _pk, document, _e, _m in page) + "]," + tail[1:]
    etag = hashlib.md5(
        ("|".join(f"{pk}:{e}:{m.timestamp()}" for pk, _d, e, m in page) + tail).encode(),
        usedforsecurity=False,
    ).hexdigest()
    # no Last-Modified: a page's newest object does not tell whether an object left the page,
    # its ETag (every object's and the links) does
    return _cacheable(request, text, etag, None)


@require_safe
def system(request: HttpRequest) -> HttpResponse:
    """The entry point: what this server is, and the list of its bodies."""
    services.refresh_pending()
    stamps = OParlObject.objects.filter(kind="body").aggregate(
        created=Min("created"), modified=Max("modified")
    )
    created = stamps["created"] or timezone.now().replace(microsecond=0)
    modified = stamps["modified"] or created
    payload = {
        "id": api_url("system"),
        "type": SCHEMA + "System",
        "oparlVersion": SCHEMA,
        "name": "Protokollet",
        "body": f"{build.site()}/oparl/v1/body/",
        "website": build.site() + "/",
        "web": build.site() + "/oppna-data/",
        "created": build.iso(created),
        "modified": build.iso(modified),
    }
    return _cacheable(request, payload, build.etag_of(payload), modified)


@require_safe
def bodies(request: HttpRequest) -> HttpResponse:
    services.refresh_pending()
    return _page(
        request,
        f"{build.site()}/oparl/v1/body/",
        lambda: OParlObject.objects.filter(kind="body"),
    )


@require_safe
def body_list(request: HttpRequest, key: str, kind: str) -> HttpResponse:
    """One of a body's external lists: its organisations, people, meetings, …"""
    if kind not in LIST_KINDS or _number(key) is None:
        return _error(404, _("Listan finns inte."))
    services.refresh_pending()
    if not Municipality.objects.filter(pk=int(key)).exists():
        return _error(404, _("Kommunen finns inte."))
    return _page(
        request,
        api_url("body", key, f"{kind}/"),
        lambda: OParlObject.objects.filter(body_id=int(key), kind=kind),
    )


@require_safe
def organization_meetings(request: HttpRequest, key: str) -> HttpResponse:
    """A council's meetings (Organization's ``meeting`` list)."""
    if _number(key) is None:
        return _error(404, _("Listan finns inte."))
    services.refresh_pending()
    if not Council.objects.filter(pk=int(key)).exists():
        return _error(404, _("Rådet eller nämnden finns inte."))
    return _page(
        request,
        api_url("organization", key, "meeting/"),
        lambda: OParlObject.objects.filter(organization_id=int(key), kind="meeting"),
    )


@require_safe
def detail(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """One object at its id; a withdrawn one as a tombstone (never a 404 or 410, as OParl
    asks)."""
    if kind not in TYPE or kind in ("system", "paper"):
        return _error(404, _("Objekttypen finns inte."))
    services.refresh_pending()
    row = (
        OParlObject.objects.filter(kind=kind, key=key)
        .values_list("document", "etag", "modified")
        .first()
    )
    if row is None:
        return _error(404, _("Objektet finns inte."))
    document, etag, modified = row
    return _cacheable(request, document, f"{etag}-{int(modified.timestamp())}", modified)
