"""OParl 1.1 rules, written from the specification (OParl/spec: schema/*.json of the 1.1 era and
the prose chapters on URLs, JSON output, lists and paging, deleted objects), independently of the
API they check.

A property's rule is a short string:

    string, boolean, integer, object      JSON types (object = free JSON such as GeoJSON)
    strings                               array of strings
    date, datetime                        "YYYY-MM-DD"; date-time with a UTC offset
    url                                   a URL that is not an OParl object (licence, website)
    link                                  a file or page URL (accessUrl, downloadUrl, web):
                                          recorded by the crawler, never followed
    ref:X / refs:X                        URL / array of URLs of objects of type X
    list:X                                URL of an external list of objects of type X
    embed:X / embeds:X                    embedded object / array of embedded objects of type X
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

TYPE_BASE = "https://schema.oparl.org/1.1/"

COMMON = {
    "id": "url",
    "type": "string",
    "created": "datetime",
    "modified": "datetime",
    "deleted": "boolean",
    "web": "link",
    "license": "url",
    "keyword": "strings",
}

# required: the schema's "required" plus created/modified, which the 1.1 change notes make
# mandatory for every object. backrefs: properties the spec prints only when the object is
# fetched on its own, not embedded; standalone: those of them it says must then be printed.
# fmt: off
TYPES: dict[str, dict] = {
    "System": {
        "required": ("oparlVersion", "body"),
        "props": {
            "oparlVersion": "string", "otherOparlVersions": "strings", "body": "list:Body",
            "name": "string", "contactEmail": "string", "contactName": "string",
            "website": "url", "vendor": "url", "product": "url",
        },
    },
    "Body": {
        "required": ("name", "organization", "person", "meeting", "paper", "legislativeTerm"),
        "props": {
            "system": "ref:System", "shortName": "string", "name": "string", "website": "url",
            "licenseValidSince": "datetime", "oparlSince": "datetime", "ags": "string",
            "rgs": "string", "equivalent": "strings", "contactEmail": "string",
            "contactName": "string", "organization": "list:Organization",
            "person": "list:Person", "meeting": "list:Meeting", "paper": "list:Paper",
            "legislativeTerm": "embeds:LegislativeTerm", "agendaItem": "list:AgendaItem",
            "consultation": "list:Consultation", "file": "list:File",
            "locationList": "list:Location", "legislativeTermList": "list:LegislativeTerm",
            "membership": "list:Membership", "classification": "string",
            "location": "embed:Location",
        },
    },
    "LegislativeTerm": {
        "props": {"body": "ref:Body", "name": "string", "startDate": "date", "endDate": "date"},
        "backrefs": ("body",),
    },
    "Organization": {
        "props": {
            "body": "ref:Body", "name": "string", "membership": "refs:Membership",
            "meeting": "list:Meeting", "consultation": "list:Consultation",
            "shortName": "string", "post": "strings", "subOrganizationOf": "ref:Organization",
            "organizationType": "string", "classification": "string", "startDate": "date",
            "endDate": "date", "website": "url", "location": "embed:Location",
            "externalBody": "ref:Body",
        },
    },
    "Person": {
        "props": {
            "body": "ref:Body", "name": "string", "familyName": "string", "givenName": "string",
            "formOfAddress": "string", "affix": "string", "title": "strings", "gender": "string",
            "phone": "strings", "email": "strings", "location": "ref:Location",
            "locationObject": "embed:Location", "status": "strings",
            "membership": "embeds:Membership", "life": "string", "lifeSource": "string",
        },
    },
    "Membership": {
        "props": {
            "person": "ref:Person", "organization": "ref:Organization", "role": "string",
            "votingRight": "boolean", "startDate": "date", "endDate": "date",
            "onBehalfOf": "ref:Organization",
        },
        "backrefs": ("person",),
        "standalone": ("person",),
    },
    "Meeting": {
        "props": {
            "name": "string", "meetingState": "string", "cancelled": "boolean",
            "start": "datetime", "end": "datetime", "location": "embed:Location",
            "organization": "refs:Organization", "participant": "refs:Person",
            "invitation": "embed:File", "resultsProtocol": "embed:File",
            "verbatimProtocol": "embed:File", "auxiliaryFile": "embeds:File",
            "agendaItem": "embeds:AgendaItem",
        },
    },
    "AgendaItem": {
        "props": {
            "meeting": "ref:Meeting", "number": "string", "order": "integer", "name": "string",
            "public": "boolean", "consultation": "ref:Consultation", "result": "string",
            "resolutionText": "string", "resolutionFile": "embed:File",
            "auxiliaryFile": "embeds:File", "start": "datetime", "end": "datetime",
        },
        "backrefs": ("meeting",),
        "standalone": ("meeting",),
    },
    "File": {
        "required": ("accessUrl",),
        "props": {
            "name": "string", "fileName": "string", "mimeType": "string", "date": "date",
            "size": "integer", "sha1Checksum": "string", "sha512Checksum": "string",
            "text": "string", "accessUrl": "link", "downloadUrl": "link",
            "externalServiceUrl": "link", "masterFile": "ref:File", "derivativeFile": "refs:File",
            "fileLicense": "url", "meeting": "refs:Meeting", "agendaItem": "refs:AgendaItem",
            "paper": "refs:Paper",
        },
        "backrefs": ("meeting", "agendaItem", "paper"),
    },
    "Location": {
        "props": {
            "description": "string", "geojson": "object", "streetAddress": "string",
            "room": "string", "postalCode": "string", "subLocality": "string",
            "locality": "string", "bodies": "refs:Body", "organizations": "refs:Organization",
            "persons": "refs:Person", "meetings": "refs:Meeting", "papers": "refs:Paper",
        },
        "backrefs": ("bodies", "organizations", "persons", "meetings", "papers"),
    },
    "Paper": {
        "props": {
            "body": "ref:Body", "name": "string", "reference": "string", "date": "date",
            "paperType": "string", "relatedPaper": "refs:Paper",
            "superordinatedPaper": "refs:Paper", "subordinatedPaper": "refs:Paper",
            "mainFile": "embed:File", "auxiliaryFile": "embeds:File",
            "location": "embeds:Location", "originatorPerson": "refs:Person",
            "underDirectionOf": "refs:Organization", "originatorOrganization": "refs:Organization",
            "consultation": "embeds:Consultation",
        },
    },
    "Consultation": {
        "props": {
            "paper": "ref:Paper", "agendaItem": "ref:AgendaItem", "meeting": "ref:Meeting",
            "organization": "refs:Organization", "authoritative": "boolean", "role": "string",
        },
        "backrefs": ("paper",),
    },
}
# fmt: on
for _name, _rules in TYPES.items():
    _rules["url"] = TYPE_BASE + _name
    _rules["props"] = COMMON | _rules["props"]
    _rules["required"] = ("id", "type", "created", "modified", *_rules.get("required", ()))
    _rules.setdefault("backrefs", ())
    _rules.setdefault("standalone", ())

DELETED_KEEPS = {"id", "type", "created", "modified", "deleted"}
PAGINATION_KEYS = ("totalElements", "elementsPerPage", "currentPage", "totalPages")
LINK_KEYS = ("first", "prev", "self", "next", "last", "web")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def is_url(value: object) -> bool:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_date(value: object) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse_datetime(value: object) -> datetime | None:
    """The date-time, or None unless it is a full date-time with an offset (RFC 3339)."""
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def type_name(obj: dict) -> str | None:
    """The short type name ("Meeting") of an object whose `type` is an OParl 1.1 type URL."""
    value = obj.get("type")
    if isinstance(value, str) and value.startswith(TYPE_BASE):
        name = value.removeprefix(TYPE_BASE)
        return name if name in TYPES else None
    return None


def _value_problem(rule: str, value: object) -> str | None:
    kind = rule.split(":")[0]
    simple = {"string": str, "boolean": bool, "object": dict}
    if kind in simple:
        ok = isinstance(value, simple[kind])
    elif kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "strings":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif kind == "refs":
        ok = isinstance(value, list) and all(is_url(v) for v in value)
    elif kind in ("url", "link", "ref", "list"):
        ok = is_url(value)
    elif kind == "date":
        ok = is_date(value)
    elif kind == "datetime":
        ok = parse_datetime(value) is not None
    else:  # embed / embeds are checked by the caller
        return None
    if ok:
        return None
    wanted = {
        "strings": "an array of strings",
        "refs": "an array of absolute http(s) URLs",
        "url": "an absolute http(s) URL",
        "link": "an absolute http(s) URL",
        "ref": "an absolute http(s) URL",
        "list": "an absolute http(s) URL of an external list",
        "date": "a date YYYY-MM-DD",
        "datetime": "a date-time with offset, e.g. 2014-01-04T08:00:00+01:00",
    }.get(kind, f"a JSON {kind}")
    return f"should be {wanted}, got {value!r}"


def check_object(
    obj: object, expected_type: str | None = None, embedded: bool = False, where: str = ""
) -> list[str]:
    """Every way `obj` breaks OParl 1.1's rules for its type, as readable messages."""
    if not isinstance(obj, dict):
        return [f"{where or 'object'}: is not a JSON object but {type(obj).__name__}"]
    where = where or str(obj.get("id", "object without id"))
    problems: list[str] = []
    name = type_name(obj)
    if name is None:
        problems.append(
            f"{where}: type {obj.get('type')!r} is not an OParl 1.1 type URL ({TYPE_BASE}<Type>)"
        )
        name = expected_type
    elif expected_type and name != expected_type:
        problems.append(f"{where}: type is {name}, expected {expected_type}")
    if name is None:
        return problems
    rules = TYPES[name]
    props = rules["props"]
    deleted = obj.get("deleted") is True
    required = DELETED_KEEPS - {"deleted"} if deleted else rules["required"]
    if not deleted and not embedded:
        required = (*required, *rules["standalone"])
    for key in required:
        if key not in obj or obj[key] is None:
            problems.append(f"{where}: {name} misses required property {key!r}")
    if deleted:
        extra = sorted(set(obj) - DELETED_KEEPS)
        if extra:
            problems.append(f"{where}: deleted {name} must drop every other property, has {extra}")
    lowered = {p.lower(): p for p in props}
    for key, value in obj.items():
        rule = props.get(key)
        if rule is None:
            if key.lower() in lowered:
                problems.append(f"{where}: {key!r} is a misspelling of {lowered[key.lower()]!r}")
            continue
        if value is None:
            problems.append(f"{where}: {key!r} is null; leave the property out instead")
            continue
        if key == "type":
            continue
        kind, _, target = rule.partition(":")
        if kind == "embed":
            problems += check_object(value, target, True, f"{where}.{key}")
        elif kind == "embeds":
            if not isinstance(value, list):
                problems.append(f"{where}: {key!r} should be an array of {target} objects")
            else:
                for i, item in enumerate(value):
                    problems += check_object(item, target, True, f"{where}.{key}[{i}]")
        elif problem := _value_problem(rule, value):
            problems.append(f"{where}: {key!r} {problem}")
    created, modified = parse_datetime(obj.get("created")), parse_datetime(obj.get("modified"))
    if created and modified and modified < created:
        problems.append(f"{where}: modified {obj['modified']} is before created {obj['created']}")
    return problems


def check_list_page(
    page: object, expected_type: str | None = None, where: str = "list page"
) -> list[str]:
    """Every way `page` breaks the rules for a page of an external object list."""
    if not isinstance(page, dict):
        return [f"{where}: is not a JSON object"]
    problems = [
        f"{where}: misses required property {key!r}"
        for key in ("data", "pagination", "links")
        if key not in page
    ]
    data = page.get("data", [])
    if not isinstance(data, list):
        problems.append(f"{where}: 'data' should be an array of objects")
    else:
        for i, item in enumerate(data):
            problems += check_object(item, expected_type, where=f"{where}.data[{i}]")
    pagination = page.get("pagination", {})
    if not isinstance(pagination, dict):
        problems.append(f"{where}: 'pagination' should be an object")
        pagination = {}
    for key in PAGINATION_KEYS:
        value = pagination.get(key)
        if key in pagination and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            problems.append(f"{where}: pagination.{key} should be a non-negative integer")
    links = page.get("links", {})
    if not isinstance(links, dict):
        problems.append(f"{where}: 'links' should be an object")
        links = {}
    for key in LINK_KEYS:
        if key in links and not is_url(links[key]):
            problems.append(
                f"{where}: links.{key} should be an absolute http(s) URL, got {links[key]!r}"
            )
    current, total = pagination.get("currentPage"), pagination.get("totalPages")
    if (
        isinstance(current, int)
        and isinstance(total, int)
        and current < total
        and "next" not in links
    ):
        problems.append(f"{where}: page {current} of {total} has no links.next")
    return problems


@dataclass
class Crawl:
    objects: dict[str, dict[str, dict]] = field(default_factory=dict)  # type -> id -> object
    violations: list[str] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # url -> status other than 200
    fetched: list[str] = field(default_factory=list)  # every URL requested, in order
    links: set[str] = field(default_factory=set)  # accessUrl, downloadUrl, web: not followed
    lists: dict[str, list[str]] = field(default_factory=dict)  # first page URL -> ids
    # (id, how it was seen, the representation, embedded?) to compare with the object itself
    copies: list[tuple[str, str, dict, bool]] = field(default_factory=list)
    expected: list[tuple[str, str, str]] = field(default_factory=list)  # (url, type, from)
    embedded_in: list[tuple[str, str, str, str]] = field(default_factory=list)

    def by_id(self) -> dict[str, dict]:
        return {oid: obj for objs in self.objects.values() for oid, obj in objs.items()}


def crawl(get: Callable[[str], tuple[int, dict]], start_url: str) -> Crawl:
    """Fetch the whole API from its System object, each URL once, checking everything seen.

    `get(url)` returns (HTTP status, parsed JSON).
    """
    result = Crawl()
    queue: deque[tuple[str, str, str, str]] = deque([(start_url, "object", "System", "start")])
    queued = {start_url}

    def follow(url: object, kind: str, target: str, source: str) -> None:
        if is_url(url) and url not in queued:
            queued.add(url)
            queue.append((url, kind, target, source))

    def visit(obj: dict, name: str, where: str, embedded: bool, parent: str | None) -> None:
        """Queue everything `obj` points at; `obj` itself has been checked already."""
        oid = obj.get("id")
        if not isinstance(oid, str):
            return
        if embedded:
            result.copies.append((oid, where, obj, True))
            if parent:
                result.embedded_in.append((oid, name, parent, where))
            follow(oid, "object", name, where)
        rules = TYPES.get(type_name(obj) or name)
        if rules is None:
            return
        for key, value in obj.items():
            kind, _, target = rules["props"].get(key, "").partition(":")
            if kind == "ref":
                result.expected.append((value, target, f"{oid}.{key}"))
                follow(value, "object", target, oid)
            elif kind == "refs" and isinstance(value, list):
                for url in value:
                    result.expected.append((url, target, f"{oid}.{key}"))
                    follow(url, "object", target, oid)
            elif kind == "list":
                follow(value, "list", target, oid)
            elif kind == "link" and is_url(value):
                result.links.add(value)
            elif kind == "embed" and isinstance(value, dict):
                visit(value, target, f"{oid}.{key}", True, oid)
            elif kind == "embeds" and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        visit(item, target, f"{oid}.{key}[{i}]", True, oid)

    while queue:
        url, kind, target, source = queue.popleft()
        result.fetched.append(url)
        status, body = get(url)
        if status != 200:
            result.failures[url] = status
            result.violations.append(f"{url} (linked from {source}): HTTP {status}")
            continue
        if not isinstance(body, dict):
            result.violations.append(f"{url}: answered {type(body).__name__}, not an object")
            continue
        if kind == "list":
            first = result.lists.setdefault(source + "->" + target, [])
            result.violations += check_list_page(body, target, where=url)
            for i, item in enumerate(body.get("data") or []):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    first.append(item["id"])
                    result.copies.append((item["id"], f"{url} data[{i}]", item, False))
                    follow(item["id"], "object", target, url)
                    visit(item, target, item["id"], False, None)
            follow((body.get("links") or {}).get("next"), "list", target, source)
            continue
        result.violations += check_object(body, target)
        if body.get("id") != url:
            result.violations.append(f"{url}: id is {body.get('id')!r}, not the URL it answered at")
        name = type_name(body) or target
        result.objects.setdefault(name, {})[url] = body
        visit(body, name, url, False, None)

    result.violations += check_back_references(result)
    result.violations = list(dict.fromkeys(result.violations))
    return result


def _without(obj: dict, keys: tuple[str, ...]) -> dict:
    return {k: v for k, v in obj.items() if k not in keys}


def check_back_references(result: Crawl) -> list[str]:
    """What the spec lets us check across objects once everything has been fetched."""
    problems: list[str] = []
    everything = result.by_id()
    for url, target, where in result.expected:
        obj = everything.get(url)
        if obj is not None and type_name(obj) != target:
            problems.append(f"{where}: {url} should be a {target}, is {obj.get('type')!r}")
    for oid, where, copy, embedded in result.copies:
        own = everything.get(oid)
        if own is None:
            continue
        backrefs = TYPES.get(type_name(own) or "", {}).get("backrefs", ())
        if embedded:
            own, copy = _without(own, backrefs), _without(copy, backrefs)
        if own != copy:
            differing = sorted(k for k in set(own) | set(copy) if own.get(k) != copy.get(k))
            problems.append(f"{where}: differs from {oid} fetched on its own in {differing}")
    # An embedded object fetched on its own points back at the object it was embedded in
    # (AgendaItem and Membership must; LegislativeTerm and Consultation may).
    parent_key = {
        "AgendaItem": "meeting",
        "Membership": "person",
        "LegislativeTerm": "body",
        "Consultation": "paper",
    }
    for oid, name, parent, where in result.embedded_in:
        own = everything.get(oid)
        if own is None or own.get("deleted") is True:
            continue
        key = parent_key.get(name)
        if key and (key in own or key in TYPES[name]["standalone"]) and own.get(key) != parent:
            problems.append(
                f"{where}: {oid} fetched on its own has {key}={own.get(key)!r}, expected {parent}"
            )
        if name == "File":
            back = [own.get(k) for k in ("meeting", "agendaItem", "paper")]
            listed = [u for urls in back if isinstance(urls, list) for u in urls]
            if any(isinstance(u, list) for u in back) and parent not in listed:
                problems.append(
                    f"{where}: File {oid} does not list {parent} among its "
                    "meeting/agendaItem/paper back references"
                )
    for membership in result.objects.get("Membership", {}).values():
        org = membership.get("organization")
        if org and type_name(everything.get(org, {})) != "Organization":
            problems.append(f"{membership['id']}: organization {org} is not a fetched Organization")
    for org in result.objects.get("Organization", {}).values():
        for url in org.get("membership") or []:
            member = everything.get(url)
            if member and member.get("organization") != org["id"]:
                problems.append(
                    f"{org['id']}.membership: {url} points at organization "
                    f"{member.get('organization')!r}"
                )
    meetings_of = {
        src.split("->")[0]: ids for src, ids in result.lists.items() if src.endswith("->Meeting")
    }
    for meeting in result.objects.get("Meeting", {}).values():
        for url in meeting.get("organization") or []:
            org = everything.get(url)
            if org and org["id"] in meetings_of and meeting["id"] not in meetings_of[org["id"]]:
                problems.append(
                    f"{meeting['id']}: not in the meeting list of its organization {url}"
                )
    for body in result.objects.get("Body", {}).values():
        for list_key in ("organization", "person", "meeting", "paper"):
            for oid in result.lists.get(f"{body['id']}->{list_key.capitalize()}", []):
                owner = everything.get(oid, {}).get("body")
                if owner is not None and owner != body["id"]:
                    problems.append(f"{oid}: listed under {body['id']} but has body {owner}")
    return problems
