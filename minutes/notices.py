"""The notice (kallelse) of a meeting as a document: a frozen structure of what it says (council,
date, time, place, the numbered agenda with each item's documents), built from the draft
minutes when it is sent and stored with it, so that the page, the PDF and the e-mail say exactly
what was sent; and what changed between two notices."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from core.dates import long_date, time_span
from minutes import uploads as kinds
from minutes.models import AgendaItem, ItemDocument, Meeting, Minutes
from minutes.services.paragraphs import paragraph_label

SCHEMA = 1


@dataclass(frozen=True)
class NoticeDocument:
    id: int
    title: str
    is_public: bool
    content_type: str
    size: int

    @property
    def filename(self) -> str:
        return kinds.download_name(self.title, kinds.KINDS[self.content_type])

    @property
    def kind_label(self) -> str:
        return kinds.KINDS[self.content_type].label


@dataclass(frozen=True)
class NoticeItem:
    id: int  # the agenda item's: an item keeps it when renamed or moved
    number: str
    title: str
    is_public: bool
    documents: tuple[NoticeDocument, ...] = ()
    paragraph_label: str = ""  # a nämnd's "KS § 12"; a råd's items are numbered "3."
    case_number: str = ""  # a nämnd's diarienummer, "KS 2020/123"

    @property
    def public_documents(self) -> tuple[NoticeDocument, ...]:
        return tuple(d for d in self.documents if d.is_public) if self.is_public else ()

    @property
    def ref(self) -> str:
        """How the notice's changes name it: "3" or "KS § 12"."""
        return self.paragraph_label or self.number


@dataclass(frozen=True)
class NoticeSnapshot:
    schema: int
    municipality: str
    council: str
    meeting_date: str  # ISO
    date_in_words: str  # "24 februari 2020"
    place_and_time: str  # "Kommunstyrelsesalen kl 08.30 – 10.30"
    items: tuple[NoticeItem, ...]
    created: str  # ISO timestamp: when it was sent

    @property
    def title(self) -> str:
        return f"Kallelse {self.council} {self.meeting_date}"

    @property
    def numbers_paragraphs(self) -> bool:
        """A nämnd's notice: its items are §§, printed with their labels, not list numbers."""
        return any(item.paragraph_label for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NoticeSnapshot:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unknown notice schema {data.get('schema')!r}")
        items = tuple(
            NoticeItem(
                **{**item, "documents": tuple(NoticeDocument(**d) for d in item["documents"])}
            )
            for item in data["items"]
        )
        return cls(**{**data, "items": items})


def build_notice(minutes: Minutes, *, sent: datetime.datetime) -> NoticeSnapshot:
    """What the notice of ``minutes``' meeting says now: three queries."""
    meeting: Meeting = minutes.meeting
    council = meeting.council
    items = (
        AgendaItem.objects.filter(minutes=minutes)
        .order_by("position")
        .prefetch_related(
            Prefetch("documents", queryset=ItemDocument.objects.order_by("position", "id"))
        )
    )
    place_and_time = " ".join(
        part for part in (meeting.place, time_span(meeting.start_time, meeting.end_time)) if part
    )
    return NoticeSnapshot(
        schema=SCHEMA,
        municipality=council.municipality.name,
        council=council.name,
        meeting_date=meeting.date.isoformat(),
        date_in_words=long_date(meeting.date),
        place_and_time=place_and_time,
        items=tuple(
            NoticeItem(
                id=item.pk,
                number=item.number,
                title=item.title,
                is_public=item.is_public,
                documents=tuple(
                    NoticeDocument(d.pk, d.title, d.is_public, d.content_type, d.size)
                    for d in item.documents.all()
                ),
                paragraph_label=(
                    paragraph_label(council.paragraph_prefix, item.paragraph)
                    if item.paragraph is not None
                    else ""
                ),
                case_number=item.case_number if council.numbers_paragraphs else "",
            )
            for item in items
        ),
        created=sent.astimezone(datetime.UTC).replace(microsecond=0).isoformat(),
    )


def changes(before: NoticeSnapshot, after: NoticeSnapshot) -> list[str]:
    """What an updated notice says changed, in Swedish: the time or place, items added, struck,
    renamed or reordered, a §'s diarienummer, and documents added or removed."""
    out: list[str] = []
    if before.place_and_time != after.place_and_time:
        out.append(
            f"Plats och tid: {after.place_and_time or '–'} (tidigare {before.place_and_time or '–'})"
        )
    old = {item.id: item for item in before.items}
    new = {item.id: item for item in after.items}
    for item in after.items:
        earlier = old.get(item.id)
        if earlier is None:
            out.append(f"Ny punkt {item.ref}: {item.title}")
        elif earlier.title != item.title:
            out.append(f"Punkt {item.ref} heter nu ”{item.title}” (tidigare ”{earlier.title}”)")
        if earlier is not None and earlier.case_number != item.case_number:
            out.append(
                f"Diarienummer för {item.ref}: {item.case_number or '–'} "
                f"(tidigare {earlier.case_number or '–'})"
            )
    out += [f"Struken: {item.title}" for item in before.items if item.id not in new]
    kept_before = [item.id for item in before.items if item.id in new]
    kept_after = [item.id for item in after.items if item.id in old]
    if kept_before != kept_after:
        out.append("Punkterna har fått en ny ordning")
    elif (
        after.items
        and len(old) == len(new) == len(kept_after)
        and any(old[i].paragraph_label != new[i].paragraph_label for i in kept_after)
    ):
        out.append(f"Paragraferna har numrerats om och börjar på {after.items[0].paragraph_label}")
    before_docs = {d.id: d for item in before.items for d in item.documents}
    after_docs = {d.id: (item, d) for item in after.items for d in item.documents}
    for doc_id, (item, document) in after_docs.items():
        if doc_id not in before_docs:
            out.append(f"Ny handling till punkt {item.ref}: {document.title}")
    out += [
        f"Handlingen ”{document.title}” är borttagen"
        for doc_id, document in before_docs.items()
        if doc_id not in after_docs
    ]
    return out
