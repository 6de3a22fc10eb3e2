"""Atom feeds of approved minutes: for all councils and per council."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from councils import access
from councils.models import Council
from minutes import publication
from minutes.models import ApprovedRevision

ITEMS = 50


class ApprovedMinutesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(
        self, request, municipality: str | None = None, council: str | None = None
    ) -> Council | None:
        if municipality is None:
            return None
        return access.get_public_council(municipality, council)

    def title(self, obj: Council | None) -> str:
        if obj is None:
            return "Protokollet – godkända minnesanteckningar och protokoll"
        return f"{obj.name}, {obj.municipality.name} – godkända {obj.get_document_title_display().lower()}"

    def link(self, obj: Council | None) -> str:
        if obj is None:
            return reverse("councils:index")
        return reverse("minutes:council", args=[obj.municipality.slug, obj.slug])

    def subtitle(self, obj: Council | None) -> str:
        return "Nya godkända minnesanteckningar och protokoll, med länk till PDF-filen."

    def items(self, obj: Council | None):
        revisions = ApprovedRevision.objects.filter(withdrawal__isnull=True).select_related(
            "minutes__meeting__council__municipality", "withdrawal"
        )
        if obj is not None:
            revisions = revisions.filter(minutes__meeting__council=obj)
        return revisions.order_by("-approved_at", "-pk")[:ITEMS]

    def item_title(self, item: ApprovedRevision) -> str:
        meeting = item.minutes.meeting
        suffix = f" (rättad version {item.minutes.revision})" if item.minutes.revision > 1 else ""
        return f"{meeting.council.name} {meeting.date:%Y-%m-%d}{suffix}"

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
