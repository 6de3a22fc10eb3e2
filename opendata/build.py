"""What the API says about the public record, as OParl 1.1 objects.

Two builders, each for one part of the source that changes together (its *scope*):

- :func:`build_body`: a municipality (``Body``), its mandate periods (``LegislativeTerm``), its
  councils, the parties and outside organisations its members sit for (``Organization``), the
  people on its councils (``Person``) and their memberships (``Membership``).
- :func:`build_meeting`: a meeting (``Meeting``), its place (``Location``), its agenda items
  (``AgendaItem``) and their files (``File``).

Only what the public pages show goes in: a meeting's record is its current approved revision's
public copy unless that publication was withdrawn, else the agenda of its latest notice; a
confidential item keeps its number and loses its title, text and files; no draft, internal PDF,
withdrawn copy or contact detail is ever read into an object. A builder returns plain data; the
store (``opendata.services``) decides what changed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.dates import long_date
from councils.models import Council, Membership, Municipality, Person
from minutes import publication
from minutes.models import (
    AgendaItem,
    ApprovedRevision,
    Attendance,
    Extract,
    FileDigest,
    ItemDocument,
    Meeting,
    Notice,
)
from minutes.notices import NoticeSnapshot
from minutes.snapshot import MinutesSnapshot
from minutes.uploads import KINDS, download_name

SCHEMA = "https://schema.oparl.org/1.1/"
TYPE = {
    "system": "System",
    "body": "Body",
    "legislativeterm": "LegislativeTerm",
    "organization": "Organization",
    "person": "Person",
    "membership": "Membership",
    "meeting": "Meeting",
    "agendaitem": "AgendaItem",
    "file": "File",
    "location": "Location",
    "paper": "Paper",
}
# the external lists of a body, by the Body property that links them and the kind they hold
BODY_LISTS = {
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "membership": "membership",
    "agendaItem": "agendaitem",
    "file": "file",
    "locationList": "location",
    "legislativeTermList": "legislativeterm",
}
CONFIDENTIAL_NAME = "Sekretessbelagt ärende"
# Swedish parties in the Riksdag by the letters the minutes give them; a local party keeps its
# letters as its name.
PARTIES = {
    "S": "Socialdemokraterna",
    "M": "Moderaterna",
    "SD": "Sverigedemokraterna",
    "C": "Centerpartiet",
    "V": "Vänsterpartiet",
    "KD": "Kristdemokraterna",
    "L": "Liberalerna",
    "MP": "Miljöpartiet de gröna",
}
# who votes in a nämnd: its ordinary members; an ersättare only when serving, a råd's
# representatives and the secretary never
VOTING_ROLES = {Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER}
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# Sweden's kommunfullmäktige are elected every four years, in September; a mandate period runs
# from 15 October of the election year to 14 October four years on (kommunallagen 5 kap. 5 §).
FIRST_ELECTION = 1994


@dataclass
class Built:
    """One object as the store keeps it."""

    kind: str
    key: str
    data: dict
    body_id: int
    organization_id: int | None = None
    # when the object came to be, where the source knows (else when the store first sees it)
    created: datetime.datetime | None = None


def site() -> str:
    return settings.SITE_URL.rstrip("/")


def api_url(kind: str, key: str = "", suffix: str = "") -> str:
    """An object's id: ``<SITE_URL>/oparl/v1/<kind>/<key>/``; ``kind="system"`` is the entry."""
    if kind == "system":
        return f"{site()}/oparl/v1/"
    return f"{site()}/oparl/v1/{kind}/{key}/{suffix}"


def absolute(url: str) -> str:
    return site() + url if url.startswith("/") else url


def etag_of(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def iso(moment: datetime.datetime) -> str:
    """A date-time with its offset, in Swedish time, to the second (OParl's ``date-time``)."""
    return moment.astimezone(STOCKHOLM).replace(microsecond=0).isoformat()


def local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=STOCKHOLM)


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=STOCKHOLM)


# --- Who: the body ------------------------------------------------------------------------------


def mandate_periods(first: datetime.date, last: datetime.date) -> list[tuple[int, str, str]]:
    """The mandate periods from the one ``first`` falls in to the one ``last`` falls in: (the
    election year, its first day, its last day)."""

    def period_of(day: datetime.date) -> int:
        year = FIRST_ELECTION + (day.year - FIRST_ELECTION) // 4 * 4
        return year if day >= datetime.date(year, 10, 15) else year - 4

    return [
        (year, f"{year}-10-15", f"{year + 4}-10-14")
        for year in range(max(period_of(first), FIRST_ELECTION), period_of(last) + 1, 4)
    ]


def person_key(body_id: int, person_id: int) -> str:
    """A person is one Person object per body: the same name on two municipalities' councils
    is two records, as OParl's ``body`` property has one value."""
    return f"{body_id}-{person_id}"


def _readable(text: str) -> str:
    """A key segment from a name: its slug, and a short hash of the name as written, so that
    two names with one slug ("S" and "s", or two long names alike at the start) stay apart."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{slugify(text)[:30] or 'x'}-{digest}"


def _party_key(body_id: int, party: str) -> str:
    return f"{body_id}-parti-{_readable(party)}"


def _organisation_key(body_id: int, name: str) -> str:
    return f"{body_id}-org-{_readable(name)}"


def build_body(municipality_id: int) -> list[Built]:
    """A municipality and who sits on its councils: four queries."""
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return []
    body_id = municipality.pk
    body_url = api_url("body", str(body_id))
    councils = list(Council.objects.filter(municipality=municipality).order_by("pk"))
    # the public page of each council, where its members are listed
    council_pages = {
        c.pk: absolute(reverse("minutes:council", args=[municipality.slug, c.slug]))
        for c in councils
    }
    municipality_page = absolute(reverse("minutes:municipality", args=[municipality.slug]))
    memberships = list(
        Membership.objects.filter(council__municipality=municipality)
        .select_related("person")
        .order_by("pk")
    )
    first_meeting = (
        Meeting.objects.filter(council__municipality=municipality)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    today = timezone.localdate()
    built: list[Built] = []

    # mandate periods: from the earliest membership or meeting to today
    starts = [m.start_date for m in memberships] + ([first_meeting] if first_meeting else [])
    terms = []
    for year, start, end in mandate_periods(min(starts, default=today), today):
        data = {
            "body": body_url,
            "name": f"Mandatperioden {year}–{year + 4}",
            "startDate": start,
            "endDate": end,
            "web": municipality_page,
        }
        built.append(Built("legislativeterm", f"{body_id}-{year}", data, body_id))
        terms.append(built[-1])

    # the parties and outside organisations the members sit for
    behalf: dict[str, Built] = {}
    for m in memberships:
        if m.party:
            key = _party_key(body_id, m.party)
            data = {
                "name": PARTIES.get(m.party.upper(), m.party),
                "shortName": m.party,
                "organizationType": "Parti",
                "classification": "Politiskt parti",
            }
        elif m.organisation:
            key = _organisation_key(body_id, m.organisation)
            data = {
                "name": m.organisation,
                "organizationType": "Extern organisation",
                "classification": "Myndighet eller organisation",
            }
        else:
            continue
        behalf.setdefault(key, Built("organization", key, {"body": body_url} | data, body_id))

    # memberships, embedded in their person too
    by_council: dict[int, list[str]] = {c.pk: [] for c in councils}
    by_person: dict[int, list[Built]] = {}
    people: dict[int, Person] = {}
    for m in memberships:
        url = api_url("membership", str(m.pk))
        by_council.setdefault(m.council_id, []).append(url)
        data = {
            "person": api_url("person", person_key(body_id, m.person_id)),
            "organization": api_url("organization", str(m.council_id)),
            "role": m.title or str(m.get_role_display()),
            "web": council_pages[m.council_id],
            "votingRight": m.role in VOTING_ROLES,
            "startDate": m.start_date.isoformat(),
        }
        if m.end_date:
            data["endDate"] = m.end_date.isoformat()
        if m.party:
            data["onBehalfOf"] = api_url("organization", _party_key(body_id, m.party))
        elif m.organisation:
            data["onBehalfOf"] = api_url("organization", _organisation_key(body_id, m.organisation))
        one = Built("membership", str(m.pk), data, body_id, organization_id=m.council_id)
        built.append(one)
        by_person.setdefault(m.person_id, []).append(one)
        people[m.person_id] = m.person

    for person_id, person in sorted(people.items()):
        # the page of the council they sit on (the first, when several)
        first = by_person[person_id][0].organization_id
        data = {"body": body_url, "name": person.name, "web": council_pages[first]}
        # OParl embeds a person's memberships, without the back reference to the person
        data["membership"] = [embed(one) for one in by_person[person_id]]
        built.append(Built("person", person_key(body_id, person_id), data, body_id))

    for council in councils:
        page = reverse("minutes:council", args=[municipality.slug, council.slug])
        data = {
            "body": body_url,
            "name": council.name,
            "organizationType": "Organ",
            "classification": str(council.get_kind_display()),
            "membership": by_council.get(council.pk, []),
            "meeting": api_url("organization", str(council.pk), "meeting/"),
            "web": absolute(page),
        }
        if council.paragraph_prefix:
            data["shortName"] = council.paragraph_prefix
        built.append(Built("organization", str(council.pk), data, body_id, council.pk))
    built.extend(behalf.values())

    lists = {prop: api_url("body", str(body_id), f"{kind}/") for prop, kind in BODY_LISTS.items()}
    body = {
        "system": api_url("system"),
        "name": municipality.name,
        "shortName": municipality.place_name,
        "classification": "Kommun",
        "license": municipality.license_url,
        **lists,
        "legislativeTerm": [embed(t) for t in terms],
        "web": municipality_page,
    }
    built.append(Built("body", str(body_id), body, body_id))
    return built


# --- What: a meeting ----------------------------------------------------------------------------


def _file(
    key: str,
    *,
    name: str,
    file_name: str,
    mime: str,
    size: int | None,
    sha256: str,
    digests: dict[str, str],
    day: datetime.date,
    url: str,
    download_url: str,
    meeting_url: str,
    item_urls: tuple[str, ...] = (),
    license_url: str,
    web: str,
    created: datetime.datetime | None,
    body_id: int,
    council_id: int,
) -> Built:
    data = {
        "name": name,
        "fileName": file_name,
        "mimeType": mime,
        "date": day.isoformat(),
        # shown, and saved (an attachment): OParl 1.1, 2.8 "Dateizugriffe"
        "accessUrl": absolute(url),
        "downloadUrl": absolute(download_url),
        "fileLicense": license_url,
        "web": web,
        "meeting": [meeting_url],
    }
    if size:  # unknown for a notice stored before its size was
        data["size"] = size
    if sha256 in digests:
        data["sha512Checksum"] = digests[sha256]
    if item_urls:
        data["agendaItem"] = list(item_urls)
    return Built("file", key, data, body_id, council_id, created=created)


# back references a File or an AgendaItem leaves out when it is embedded in its meeting
BACK_REFERENCES = {
    "file": ("meeting", "agendaItem"),
    "agendaitem": ("meeting",),
    "location": ("meetings",),
    "membership": ("person",),
    "legislativeterm": ("body",),
}


def embed(one: Built) -> dict:
    """``one`` as it appears inside another object: id and type first, no back references."""
    drop = BACK_REFERENCES.get(one.kind, ())
    return {"id": api_url(one.kind, one.key), "type": SCHEMA + TYPE[one.kind]} | {
        k: v for k, v in one.data.items() if k not in drop
    }


def _resolution_text(decision: str, points: tuple[str, ...] | list[str]) -> str:
    if len(points) == 1:
        return points[0]
    if points:
        return "\n".join(f"{n}. {p}" for n, p in enumerate(points, 1))
    return decision


def build_meeting(meeting_id: int) -> list[Built]:
    """A meeting and its public record, in a fixed number of queries (the meeting; its approved
    revisions; its notice; its participants, items, public extracts and documents; the files'
    SHA-512s)."""
    meeting = Meeting.objects.select_related("council__municipality").filter(pk=meeting_id).first()
    if meeting is None:
        return []
    council = meeting.council
    municipality = council.municipality
    body_id = municipality.pk
    license_url = municipality.license_url
    meeting_url = api_url("meeting", str(meeting.pk))
    page = reverse(
        "minutes:meeting", args=[municipality.slug, council.slug, meeting.date.isoformat()]
    )
    revisions = list(
        ApprovedRevision.objects.filter(minutes__meeting=meeting)
        .select_related("minutes", "withdrawal")
        .order_by("-minutes__revision")
    )
    current = revisions[0] if revisions else None
    if current is not None and publication.is_withdrawn(current):
        current = None  # nothing of a withdrawn copy is served; the meeting stays
    earlier = [r for r in revisions[1:] if not publication.is_withdrawn(r)]
    notice = Notice.objects.filter(meeting=meeting).order_by("-number").first()
    notice_doc = NoticeSnapshot.from_dict(notice.snapshot) if notice else None
    doc = MinutesSnapshot.from_dict(current.snapshot) if current else None

    participants: list[int] = []
    extracts: dict[str, Extract] = {}  # by the § as printed, "SN § 12"
    # the agenda items' ids: the rows the record was frozen from (a correction's are its own
    # copies), or those the notice names, so that an item keeps its id from notice to record
    item_ids: list[int] = []
    if current is not None:
        participants = list(
            Attendance.objects.filter(
                minutes_id=current.minutes_id,
                status__in=[Attendance.Status.PRESENT, Attendance.Status.SUBSTITUTE],
                person__memberships__council__municipality_id=body_id,
            )
            .order_by("position", "id")
            .values_list("person_id", flat=True)
            .distinct()
        )
        item_ids = list(
            AgendaItem.objects.filter(minutes_id=current.minutes_id)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        if council.numbers_paragraphs:
            extracts = {e.label: e for e in publication.public_extracts(current)}
    elif not revisions and council.numbers_paragraphs:
        # before the protokoll is justerat: its §§ justerade at once are public already
        extracts = {
            e.label: e
            for e in Extract.objects.filter(
                minutes__meeting=meeting, immediate=True, is_public=True
            )
            .exclude(pdf_name="")
            .select_related("minutes__meeting__council__municipality")
        }
    # the approved record's items; before any approval, the notice's agenda; after a
    # withdrawal, none (as the meeting's public page shows none)
    items = doc.items if doc else (notice_doc.items if notice_doc and not revisions else ())
    if doc is None:
        item_ids = [item.id for item in items]
    elif len(item_ids) != len(items):  # never for a frozen record; a readable key all the same
        item_ids = []
    document_ids = [d.id for item in items for d in item.public_documents]
    # a notice's documents name no SHA-256 of their own: the rows do
    documents = (
        {
            d.pk: d
            # as the download does: a document made internal, or removed, since is not served
            for d in ItemDocument.objects.filter(
                pk__in=document_ids, is_public=True, item__is_public=True
            ).only("pk", "sha256", "size", "content_type", "uploaded_at")
        }
        if document_ids
        else {}
    )
    hashes = {d.sha256 for d in documents.values()} | {e.pdf_sha256 for e in extracts.values()}
    hashes |= {r.pdf_sha256 for r in ([current] if current else []) + earlier}
    if notice is not None and notice.pdf_sha256:
        hashes.add(notice.pdf_sha256)
    digests = dict(FileDigest.objects.filter(sha256__in=hashes).values_list("sha256", "sha512"))

    built: list[Built] = []
    common = {
        "digests": digests,
        "meeting_url": meeting_url,
        "license_url": license_url,
        "web": absolute(page),
    }
    where = {"body_id": body_id, "council_id": council.pk}
    day = meeting.date

    def extract_file(extract: Extract, item_urls: tuple[str, ...]) -> Built:
        return _file(
            f"x{extract.pk}",
            name=f"Protokollsutdrag {extract.label}",
            file_name=extract.file_name,
            mime="application/pdf",
            size=extract.pdf_size,
            sha256=extract.pdf_sha256,
            day=timezone.localtime(extract.adjusted_at).date(),
            url=publication.url_for(publication.extract_published_name(extract)),
            download_url=publication.download_url_for(publication.extract_published_name(extract)),
            item_urls=item_urls,
            created=extract.created_at,
            **common,
            **where,
        )

    # the agenda items, in their order; their files
    agenda: list[Built] = []
    for order, item in enumerate(items, 1):
        key = str(item_ids[order - 1]) if item_ids else f"{meeting.pk}-{order}"
        url = api_url("agendaitem", key)
        number = item.paragraph_label or item.number
        data = {
            "meeting": meeting_url,
            "number": number,
            "order": order,
            "name": item.title if item.is_public else CONFIDENTIAL_NAME,
            "public": item.is_public,
        }
        anchor = (
            f"#paragraf-{item.paragraph or item.number}"
            if council.numbers_paragraphs and doc
            else (f"#punkt-{order}" if doc else "")
        )
        data["web"] = absolute(page + anchor)
        extract = extracts.pop(item.paragraph_label, None) if item.is_public else None
        if item.is_public and doc is not None:
            text = _resolution_text(item.decision, item.decision_points)
            if text:
                data["resolutionText"] = text
        elif extract is not None:  # a § justerad at once: its decision is public already
            (paragraph,) = MinutesSnapshot.from_dict(extract.snapshot).items
            text = _resolution_text(paragraph.decision, paragraph.decision_points)
            if text:
                data["resolutionText"] = text
        if extract is not None:
            resolution = extract_file(extract, (url,))
            built.append(resolution)
            data["resolutionFile"] = embed(resolution)
        files = []
        for d in item.public_documents:
            row = documents.get(d.id)
            if row is None:
                continue
            document_url = (
                f"{page}handlingar/{d.id}/{download_name(d.title, KINDS[row.content_type])}"
            )
            one = _file(
                f"d{d.id}",
                name=d.title,
                file_name=download_name(d.title, KINDS[row.content_type]),
                mime=row.content_type,
                size=row.size,
                sha256=row.sha256,
                day=timezone.localtime(row.uploaded_at).date(),
                url=f"{document_url}?{publication.INLINE}=1",
                download_url=document_url,
                item_urls=(url,),
                created=row.uploaded_at,
                **common,
                **where,
            )
            built.append(one)
            files.append(embed(one))
        if files:
            data["auxiliaryFile"] = files
        agenda.append(Built("agendaitem", key, data, body_id, council.pk))
    built.extend(agenda)

    title = "Protokoll" if council.numbers_paragraphs else "Minnesanteckningar"
    data: dict = {
        "name": f"{council.name} {long_date(day)}",
        # held once its record is approved, whether or not its public copy still stands
        "meetingState": "genomfört" if revisions else ("kallat" if notice else "planerat"),
        "organization": [api_url("organization", str(council.pk))],
    }
    if meeting.start_time:
        data["start"] = iso(local(day, meeting.start_time))
        if meeting.end_time:
            data["end"] = iso(local(day, meeting.end_time))
    if meeting.place:
        location = Built(
            "location",
            str(meeting.pk),
            {"description": meeting.place, "meetings": [meeting_url], "web": absolute(page)},
            body_id,
            council.pk,
            created=meeting.created_at,
        )
        built.append(location)
        data["location"] = embed(location)
    if current is not None:
        data["participant"] = [api_url("person", person_key(body_id, p)) for p in participants]
    if notice is not None and notice.pdf_name:
        # this notice's own address: the same bytes as long as it stands (kallelse.pdf comes
        # to mean an update)
        notice_url = reverse(
            "minutes:notice_sent_pdf",
            args=[municipality.slug, council.slug, day.isoformat(), notice.number],
        )
        invitation = _file(
            f"n{notice.pk}",
            name=f"Kallelse {council.name} {long_date(day)}"
            + (f" (uppdaterad {notice.number - 1})" if notice.number > 1 else ""),
            file_name=notice.download_name,
            mime="application/pdf",
            size=notice.pdf_size,
            sha256=notice.pdf_sha256,
            day=timezone.localtime(notice.sent_at).date(),
            url=notice_url,
            download_url=f"{notice_url}?{publication.DOWNLOAD}=1",
            created=notice.sent_at,
            **common,
            **where,
        )
        built.append(invitation)
        data["invitation"] = embed(invitation)
    for revision, prop in [(current, "resultsProtocol")] + [(r, "auxiliaryFile") for r in earlier]:
        if revision is None:
            continue
        version = revision.minutes.revision
        published = publication.published_name(_with(revision, meeting))
        one = _file(
            f"p{revision.pk}",
            name=f"{title} {council.name} {long_date(day)}"
            + (f", version {version}" if version > 1 else "")
            + (" (ersatt av en rättelse)" if prop == "auxiliaryFile" else ""),
            file_name=published.rsplit("/", 1)[1],
            mime="application/pdf",
            size=revision.pdf_size,
            sha256=revision.pdf_sha256,
            day=timezone.localtime(revision.approved_at).date(),
            url=publication.url_for(published),
            download_url=publication.download_url_for(published),
            created=revision.created_at,
            **common,
            **where,
        )
        built.append(one)
        if prop == "resultsProtocol":
            data[prop] = embed(one)
        else:
            data.setdefault(prop, []).append(embed(one))
    if agenda:
        data["agendaItem"] = [embed(one) for one in agenda]
    # a § justerad at once that no listed item is (no notice was sent): the meeting's own
    for extract in sorted(extracts.values(), key=lambda e: e.paragraph):
        one = extract_file(extract, ())
        built.append(one)
        data.setdefault("auxiliaryFile", []).append(embed(one))
    data["web"] = absolute(page)
    built.append(
        Built("meeting", str(meeting.pk), data, body_id, council.pk, created=meeting.created_at)
    )
    return built


def _with(revision: ApprovedRevision, meeting: Meeting) -> ApprovedRevision:
    """``revision`` with the meeting already loaded, for ``publication.published_name``."""
    revision.minutes.meeting = meeting
    return revision
