"""Reads of the municipality's digital anslagstavla (Kommunallagen 8 kap. 9–12 §§).

Whether an announcement is up is computed from its dates, never kept by a job: it is current on
``day`` when ``posted_on <= day < down_on`` and its publication is not withdrawn. A withdrawal
(``PublicationWithdrawal``) of the protokoll's revision takes its announcement down; one of any
approved revision of the meeting takes down the announcements of the §§ justerade at once (their
extracts go down with the protokoll, ``publication.extract_is_withdrawn``). A kungörelse is not
withdrawn that way. Taken-down and withdrawn announcements stay readable in the archive.

Each list is one query whatever its length: the links are built from the joined rows.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from councils.models import Municipality
from minutes import publication
from minutes.models import Announcement, ApprovedRevision, PublicationWithdrawal

ARCHIVE_PAGE_SIZE = 25
ARCHIVE_ON_PAGE = 10  # the latest taken down, below the current ones
Kind = Announcement.Kind


def paragraphs_label(prefix: str, paragraphs: str) -> str:
    """ "SN §§ 1–7", "§ 4", or "" when the announcement names no paragraphs (a kungörelse)."""
    if not paragraphs:
        return ""
    sign = "§§" if any(mark in paragraphs for mark in "–-,") else "§"
    return f"{prefix} {sign} {paragraphs}" if prefix else f"{sign} {paragraphs}"


def _withdrawals(field: str):
    """The reason and the moment of the withdrawal that takes an announcement down, if any."""
    own = PublicationWithdrawal.objects.filter(revision=OuterRef("revision"))
    # a § justerad at once goes down with the meeting's current justerat protokoll
    # (publication.extract_is_withdrawn): not with an earlier revision a correction replaced
    current = ApprovedRevision.objects.filter(minutes__meeting=OuterRef(OuterRef("meeting")))
    of_meeting = PublicationWithdrawal.objects.filter(
        revision=Subquery(current.order_by("-minutes__revision").values("pk")[:1])
    )
    output = CharField() if field == "reason" else DateTimeField()
    return Case(
        When(kind=Kind.PROTOCOL, then=Subquery(own.values(field)[:1])),
        When(kind=Kind.PARAGRAPH, then=Subquery(of_meeting.values(field)[:1])),
        default=None,
        output_field=output,
    )


def announcements(municipality: Municipality) -> QuerySet[Announcement]:
    """The municipality's announcements with what their lines need, and the withdrawal's
    reason (``withdrawal_reason``, None when not withdrawn) and moment (``withdrawn_at``)."""
    return (
        Announcement.objects.filter(municipality=municipality)
        .select_related(
            "council",
            "meeting",
            "extract__minutes__meeting__council__municipality",
        )
        .annotate(
            withdrawal_reason=_withdrawals("reason"),
            withdrawn_at=_withdrawals("withdrawn_at"),
            pdf_size=Case(
                When(kind=Kind.PROTOCOL, then=F("revision__pdf_size")),
                When(kind=Kind.PARAGRAPH, then=F("extract__pdf_size")),
                When(kind=Kind.NOTICE, then=F("notice__pdf_size")),
                default=None,
            ),
        )
    )


def _current_q(day: datetime.date) -> Q:
    return Q(posted_on__lte=day, down_on__gt=day, withdrawal_reason__isnull=True)


def current(municipality: Municipality, day: datetime.date) -> QuerySet[Announcement]:
    """The announcements up on ``day``, newest first."""
    return announcements(municipality).filter(_current_q(day)).order_by("-posted_on", "-id")


def current_count(municipality: Municipality, day: datetime.date) -> int:
    return announcements(municipality).filter(_current_q(day)).count()


def archived(municipality: Municipality, day: datetime.date) -> QuerySet[Announcement]:
    """The announcements taken down by ``day`` (their last day shown was before it) or
    withdrawn, the latest taken down first. Not yet posted ones are in neither list."""
    return (
        announcements(municipality)
        .filter(posted_on__lte=day)
        .exclude(_current_q(day))
        .order_by("-down_on", "-posted_on", "-id")
    )


@dataclass(frozen=True)
class Line:
    """An announcement as the anslagstavla shows it."""

    announcement: Announcement
    kind: str  # "Justerat protokoll"
    paragraphs: str  # "SN §§ 1–7"
    meeting_url: str
    pdf_url: str  # "" when there is no public PDF (a confidential §)
    pdf_label: str
    pdf_size: int | None
    withdrawal_reason: str | None
    withdrawn_at: datetime.datetime | None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawal_reason is not None


def pdf_url(announcement: Announcement, *, council_url: str) -> str:
    """The public PDF an announcement is about: the meeting's protokoll (its readable address),
    the § justerad at once's published extract, or the kungörelse (the meeting's notice)."""
    meeting, council = announcement.meeting, announcement.council
    day = f"{meeting.date:%Y-%m-%d}"
    if announcement.kind == Kind.PROTOCOL:
        return publication.readable_url(
            council.municipality.slug, council.slug, meeting.date, council_url=council_url
        )
    if announcement.kind == Kind.PARAGRAPH:
        extract = announcement.extract
        if extract is None or not extract.pdf_name:
            return ""
        return publication.url_for(publication.extract_published_name(extract))
    return f"{council_url}{day}/kallelse.pdf"


def lines(municipality: Municipality, rows) -> list[Line]:
    """The lines of ``rows`` (from :func:`announcements`), each council's address reversed once."""
    bases: dict[int, str] = {}
    out = []
    for row in rows:
        row.council.municipality = municipality
        base = bases.get(row.council_id)
        if base is None:
            base = bases[row.council_id] = reverse(
                "minutes:council", args=[municipality.slug, row.council.slug]
            )
        labels = {
            Kind.PROTOCOL: _("Protokollet (PDF)"),
            Kind.PARAGRAPH: _("Protokollsutdraget (PDF)"),
            Kind.NOTICE: _("Kungörelsen (PDF)"),
        }
        withdrawn = row.withdrawal_reason is not None
        out.append(
            Line(
                announcement=row,
                kind=row.get_kind_display(),
                paragraphs=paragraphs_label(row.council.paragraph_prefix, row.paragraphs),
                meeting_url=f"{base}{row.meeting.date:%Y-%m-%d}/",
                pdf_url="" if withdrawn else pdf_url(row, council_url=base),
                pdf_label=labels[row.kind],
                pdf_size=row.pdf_size,
                withdrawal_reason=row.withdrawal_reason,
                withdrawn_at=row.withdrawn_at,
            )
        )
    return out


def archive_page(municipality: Municipality, day: datetime.date, number) -> Page:
    """One page of the archive: two queries (the count and the rows)."""
    paginator = Paginator(archived(municipality, day), ARCHIVE_PAGE_SIZE)
    page = paginator.get_page(number)
    page.object_list = lines(municipality, page.object_list)
    return page


# Rendering an announcement's card through the template engine cost about 2 ms a card (ten
# date formats each), most of the anslagstavla's time. Its HTML is remembered per process under
# a digest of everything the card shows, so a changed announcement (a withdrawal, its day of
# coming down passing, a new PDF address) is a new key and can never be shown stale.
CARD_TEMPLATE = "minutes/_announcement.html"
CARD_SECONDS = 24 * 3600


def card_key(line: Line, today: datetime.date, level: int = 3) -> str:
    """The cache key of ``line``'s card: a digest of what the card shows, in this language."""
    a = line.announcement
    shown = (
        get_language(),
        level,
        a.pk,
        a.kind,
        a.organ,
        a.meeting_date,
        a.posted_on,
        a.last_day_to_appeal,
        a.down_on,
        a.down_on > today,
        a.kept_at,
        a.note,
        line.kind,
        line.paragraphs,
        line.meeting_url,
        line.pdf_url,
        line.pdf_label,
        line.pdf_size,
        line.withdrawal_reason,
        line.withdrawn_at,
    )
    return "announcement-card-1:" + hashlib.sha256(repr(shown).encode()).hexdigest()


def cards(rows: list[Line], today: datetime.date) -> list[str]:
    """The HTML of each line's card, rendered once per process and what it shows."""
    keys = [card_key(line, today) for line in rows]
    known = cache.get_many(keys)
    out = []
    for key, line in zip(keys, rows, strict=True):
        html = known.get(key)
        if html is None:
            html = render_to_string(CARD_TEMPLATE, {"line": line, "today": today})
            cache.set(key, html, CARD_SECONDS)
        out.append(mark_safe(html))  # noqa: S308 - our own template's output
    return out
