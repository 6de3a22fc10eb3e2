"""Atom feeds of approved minutes: for all councils and per council.

Each feed names its author (RFC 4287 4.1.1): the council, or Protokollet for the feed of all
councils; each entry names its council. Readers poll, so the feeds answer conditional GETs: one
aggregate query gives Last-Modified and the ETag, and an unchanged feed is a 304 without the
query of its entries.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.views.decorators.http import condition

from councils import access
from councils.models import Council
from minutes import ical, publication
from minutes.models import ApprovedRevision

ITEMS = 50
SITE_NAME = "Protokollet"
# Part of every ETag: raise it when the feed's form changes, so readers fetch it anew.
FORMAT = "3"  # 3: a justerat protokoll's entry links its extracts


@dataclass(frozen=True)
class FeedState:
    last_modified: datetime.datetime | None
    etag: str


def feed_state(council: Council | None) -> FeedState:
    """What the feed's content depends on, in one aggregate query: the newest approval and the
    newest withdrawal (which removes an entry), the counts of both, and the names in the texts.
    A council renamed without new minutes changes the ETag of its own feed, not the date."""
    revisions = ApprovedRevision.objects.all()
    if council is not None:
        revisions = revisions.filter(minutes__meeting__council=council)
    state = revisions.aggregate(
        # when it arrived, not when it was approved: minutes approved on paper and imported
        # later carry an old approval date, and a client that has the feed must still get them
        approved=Max("created_at"),
        withdrawn=Max("withdrawal__withdrawn_at"),
        revisions=Count("pk", distinct=True),
        withdrawals=Count("withdrawal", distinct=True),
        # a justerat protokoll's extracts are made after it, and its entry links them
        extracts=Count("minutes__extracts", distinct=True),
    )
    moments = [moment for moment in (state["approved"], state["withdrawn"]) if moment]
    names = (
        ()
        if council is None
        else (council.name, council.municipality.name, council.document_title, council.kind)
    )
    key = repr((FORMAT, sorted(state.items()), names))
    return FeedState(
        last_modified=max(moments) if moments else None,
        etag=hashlib.sha256(key.encode()).hexdigest()[:32],
    )


class MinutesAtomFeed(Atom1Feed):
    """Atom, with a ``related`` link to each public extract (protokollsutdrag) of an entry."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for title, url, length in item.get("extracts", ()):
            handler.addQuickElement(
                "link",
                "",
                {
                    "rel": "related",
                    "href": url,
                    "title": title,
                    "type": "application/pdf",
                    "length": str(length or 0),
                },
            )


def _absolute(url: str) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


class ApprovedMinutesFeed(Feed):
    feed_type = MinutesAtomFeed

    def __call__(self, request, *args, **kwargs):
        obj = self.get_object(request, *args, **kwargs)
        state = feed_state(obj)

        @condition(
            etag_func=lambda request: state.etag,
            last_modified_func=lambda request: state.last_modified,
        )
        def respond(request) -> HttpResponse:
            feed = self.get_feed(obj, request)
            response = HttpResponse(content_type=feed.content_type)
            feed.write(response, "utf-8")
            return response

        return respond(request)

    def get_object(
        self, request, municipality: str | None = None, council: str | None = None
    ) -> Council | None:
        if municipality is None:
            return None
        return access.get_public_council(municipality, council)

    def title(self, obj: Council | None) -> str:
        if obj is None:
            return "Protokollet – godkända minnesanteckningar och protokoll"
        return obj.terms.feed_title % {
            "council": obj.name,
            "municipality": obj.municipality.name,
            "document": obj.get_document_title_display().lower(),
        }

    def link(self, obj: Council | None) -> str:
        if obj is None:
            return reverse("councils:index")
        return reverse("minutes:council", args=[obj.municipality.slug, obj.slug])

    def author_name(self, obj: Council | None) -> str:
        return SITE_NAME if obj is None else f"{obj.name}, {obj.municipality.name}"

    def subtitle(self, obj: Council | None) -> str:
        return "Nya godkända minnesanteckningar och protokoll, med länk till PDF-filen."

    def items(self, obj: Council | None):
        revisions = ApprovedRevision.objects.filter(withdrawal__isnull=True).select_related(
            "minutes__meeting__council__municipality", "withdrawal"
        )
        if obj is not None:
            revisions = revisions.filter(minutes__meeting__council=obj)
        found = list(revisions.order_by("-approved_at", "-pk")[:ITEMS])
        # a nämnd's justerat protokoll links its public extracts: one query, and none for a
        # feed of råd only
        protocols = [r.minutes_id for r in found if r.minutes.meeting.council.numbers_paragraphs]
        extracts: dict[int, list] = {}
        if protocols:
            from minutes.models import Extract

            for extract in (
                Extract.objects.filter(minutes_id__in=protocols, is_public=True)
                .exclude(pdf_name="")
                .order_by("paragraph")
            ):
                extracts.setdefault(extract.minutes_id, []).append(extract)
        for revision in found:
            revision.public_extracts = extracts.get(revision.minutes_id, [])
            for extract in revision.public_extracts:
                extract.minutes = revision.minutes  # for its file name, read already
        return found

    def item_extra_kwargs(self, item: ApprovedRevision) -> dict:
        return {
            "extracts": [
                (
                    f"Protokollsutdrag § {e.paragraph}",
                    _absolute(publication.url_for(publication.extract_published_name(e))),
                    e.pdf_size,
                )
                for e in getattr(item, "public_extracts", ())
            ]
        }

    def item_title(self, item: ApprovedRevision) -> str:
        meeting = item.minutes.meeting
        suffix = f" (rättad version {item.minutes.revision})" if item.minutes.revision > 1 else ""
        return f"{meeting.council.name} {meeting.date:%Y-%m-%d}{suffix}"

    def item_author_name(self, item: ApprovedRevision) -> str:
        council = item.minutes.meeting.council
        return f"{council.name}, {council.municipality.name}"

    def item_description(self, item: ApprovedRevision) -> str:
        snapshot = item.snapshot
        return (
            f"{snapshot['document_title']} från {snapshot['council']}s möte den "
            f"{snapshot['date_in_words']}, {snapshot['municipality']}."
        )

    def item_link(self, item: ApprovedRevision) -> str:
        meeting = item.minutes.meeting
        council = meeting.council
        return reverse(
            "minutes:meeting",
            args=[council.municipality.slug, council.slug, f"{meeting.date:%Y-%m-%d}"],
        )

    def item_guid(self, item: ApprovedRevision) -> str:
        return f"urn:sha256:{item.pdf_sha256}"

    item_guid_is_permalink = False

    def item_updateddate(self, item: ApprovedRevision):
        return item.approved_at

    def item_pubdate(self, item: ApprovedRevision):
        return item.approved_at

    def item_enclosure_url(self, item: ApprovedRevision) -> str:
        return publication.published_url(item)  # the immutable file itself

    def item_enclosure_length(self, item: ApprovedRevision) -> int:
        return item.pdf_size

    item_enclosure_mime_type = "application/pdf"


class NoticeboardFeed(Feed):
    """The municipality's anslagstavla as an Atom feed: an entry for each announcement as it
    goes up (a justerat protokoll, a § justerad at once, a kungörelse), newest first; one
    whose publication was withdrawn leaves the feed. Its id is stable (the announcement's
    number and the day it was made), updated is the moment it was made."""

    feed_type = Atom1Feed

    def get_object(self, request, municipality: str):
        from django.shortcuts import get_object_or_404

        from councils.models import Municipality

        return get_object_or_404(Municipality, slug=municipality)

    def title(self, obj) -> str:
        return f"Anslagstavla – {obj.name}"

    def link(self, obj) -> str:
        return reverse("minutes:noticeboard", args=[obj.slug])

    def author_name(self, obj) -> str:
        return obj.name

    def subtitle(self, obj) -> str:
        return (
            f"Anslag på {obj.name}s digitala anslagstavla: justerade protokoll, omedelbart "
            "justerade paragrafer och kungörelser."
        )

    def items(self, obj):
        from minutes import noticeboard

        rows = (
            noticeboard.announcements(obj)
            .filter(posted_on__lte=timezone.localdate(), withdrawal_reason__isnull=True)
            .order_by("-created_at", "-id")[:ITEMS]
        )
        lines = noticeboard.lines(obj, rows)
        for line in lines:  # all of the one municipality: no query per entry for its name
            line.announcement.municipality = obj
        return lines

    def item_title(self, item) -> str:
        a = item.announcement
        what = f" {item.paragraphs}" if item.paragraphs else ""
        return f"{item.kind}: {a.organ} {a.meeting_date:%Y-%m-%d}{what}"

    def item_author_name(self, item) -> str:
        a = item.announcement
        return f"{a.organ}, {a.municipality.name}"

    def item_description(self, item) -> str:
        a = item.announcement
        parts = [f"{item.kind}, {a.organ}, sammanträdet {a.meeting_date:%Y-%m-%d}."]
        parts.append(f"Anslaget den {a.posted_on:%Y-%m-%d}.")
        if a.last_day_to_appeal:
            parts.append(f"Sista dag att överklaga {a.last_day_to_appeal:%Y-%m-%d}.")
        parts.append(f"Anslaget tas ned den {a.down_on:%Y-%m-%d}.")
        if a.kept_at and a.kind != a.Kind.NOTICE:
            parts.append(f"Protokollet förvaras: {a.kept_at}.")
        return " ".join(parts)

    def item_link(self, item) -> str:
        return item.meeting_url

    def item_guid(self, item) -> str:
        a = item.announcement
        return f"tag:{ical.uid_domain()},{a.created_at:%Y-%m-%d}:anslag/{a.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.announcement.created_at

    def item_pubdate(self, item):
        return item.announcement.created_at

    def item_enclosures(self, item) -> list[Enclosure]:
        if not item.pdf_url or not item.pdf_size:
            return []
        return [Enclosure(_absolute(item.pdf_url), str(item.pdf_size), "application/pdf")]
