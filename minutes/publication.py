"""Publication of approved PDFs as immutable, content-addressed files.

The archive (the default storage) keeps every approved PDF for ever, withdrawn ones included, and
is never served to the public directly. What the public may download is copied into the
``published`` storage under ``<sha256>/<readable name>.pdf``: the hash makes the address immutable
(the bytes behind it can never change, so it is cached for a year), the readable last segment is
the file name a browser saves. In production the front web server (or object storage) serves that
storage itself; in the embedded set-up ``minutes.views.public.published_file`` does.

A file is published after the approval commits and removed when its publication is withdrawn;
``manage.py publish_files`` brings the storage in line with the database after a restore or a
move, and a published address that is missing is published again on its first request.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from minutes.models import ApprovedRevision

STORAGE = "published"
logger = logging.getLogger(__name__)

# The query flags that choose how a file is given (OParl 1.1, 2.8 "Dateizugriffe": its
# downloadUrl is an attachment, its accessUrl never): a published PDF is shown unless
# ?download=1 asks to save it, an item's document saved unless ?inline=1 asks to show it.
DOWNLOAD = "download"
INLINE = "inline"


def file_name(municipality: str, council: str, day: datetime.date, revision: int = 1) -> str:
    """The readable file name: ``arboga-forebyggande-radet-2020-02-24.pdf`` (a correction adds
    ``-version-2``)."""
    suffix = f"-version-{revision}" if revision > 1 else ""
    return f"{municipality}-{council}-{day:%Y-%m-%d}{suffix}.pdf"


@dataclass(frozen=True)
class NamedRevision:
    day: datetime.date
    revision: int


_FILE_NAME = re.compile(r"-(\d{4}-\d{2}-\d{2})(?:-version-(\d+))?\.pdf$")


def parse_file_name(name: str) -> NamedRevision | None:
    """The meeting day and revision number that a readable file name states (the reverse of
    :func:`file_name`), or None for a name it cannot have made."""
    match = _FILE_NAME.search(name)
    if match is None:
        return None
    try:
        day = datetime.date.fromisoformat(match[1])
    except ValueError:
        return None
    return NamedRevision(day, int(match[2] or 1))


def readable_url(
    municipality: str, council: str, day: datetime.date, *, council_url: str = ""
) -> str:
    """The stable address of a meeting's current public PDF, which redirects to its immutable
    file: ``/arboga/forebyggande-radet/2020-02-24/arboga-forebyggande-radet-2020-02-24.pdf``.
    A page that lists many meetings passes the council page's address (``minutes:council``),
    reversed once: reversing costs more than the rest of a line."""
    base = council_url or reverse("minutes:council", args=[municipality, council])
    return f"{base}{day.isoformat()}/{file_name(municipality, council, day)}"


def name_for(
    sha256: str, municipality: str, council: str, day: datetime.date, revision: int
) -> str:
    """The name in the published storage: ``<sha256>/<readable file name>``."""
    return f"{sha256}/{file_name(municipality, council, day, revision)}"


def url_for(name: str) -> str:
    """The public address of a name in the published storage."""
    return storages[STORAGE].url(name)


def download_url_for(name: str) -> str:
    """The address that saves a published file rather than shows it (the front web server
    answers it with ``Content-Disposition: attachment``, as ``published_file`` does)."""
    url = url_for(name)
    return f"{url}{'&' if '?' in url else '?'}{DOWNLOAD}=1"


def stated_day(revision: ApprovedRevision) -> datetime.date:
    """The meeting date ``revision`` states: its meeting's, unless a later correction moved the
    meeting (the name of a file keeps the date its PDF states)."""
    stated = (revision.snapshot or {}).get("meeting_date")
    return datetime.date.fromisoformat(stated) if stated else revision.minutes.meeting.date


def published_name(revision: ApprovedRevision) -> str:
    """The name of ``revision``'s file; needs ``minutes__meeting__council__municipality``."""
    meeting = revision.minutes.meeting
    return name_for(
        revision.pdf_sha256,
        meeting.council.municipality.slug,
        meeting.council.slug,
        stated_day(revision),
        revision.minutes.revision,
    )


def published_url(revision: ApprovedRevision) -> str:
    return url_for(published_name(revision))


def is_withdrawn(revision: ApprovedRevision) -> bool:
    # a missing reverse one-to-one raises an AttributeError subclass
    return hasattr(revision, "withdrawal")


def publish(revision: ApprovedRevision) -> str:
    """Copy the archived PDF to its published name (once; the bytes never change)."""
    if is_withdrawn(revision):
        raise ValueError("a withdrawn revision is never published")
    storage = storages[STORAGE]
    name = published_name(revision)
    if not storage.exists(name):
        with default_storage.open(revision.pdf_name, "rb") as archived:
            saved = storage.save(name, ContentFile(archived.read()))
        if saved != name:  # a concurrent request published the same file first
            storage.delete(saved)
    return name


def unpublish(revision: ApprovedRevision) -> None:
    storage = storages[STORAGE]
    name = published_name(revision)
    if storage.exists(name):
        storage.delete(name)


def _revision(revision_id: int) -> ApprovedRevision:
    return ApprovedRevision.objects.select_related(
        "minutes__meeting__council__municipality", "withdrawal"
    ).get(pk=revision_id)


def publish_after_commit(revision: ApprovedRevision) -> None:
    """Publish once the approval has committed: a rolled-back approval publishes nothing."""

    def run() -> None:
        try:
            publish(_revision(revision.pk))
        except Exception:  # the first request for the address publishes it again
            logger.exception("Could not publish approved revision %s", revision.pk)

    transaction.on_commit(run)


def unpublish_after_commit(revision: ApprovedRevision) -> None:
    transaction.on_commit(lambda: unpublish(_revision(revision.pk)))


def extract_published_name(extract) -> str:
    """The name of a public extract's file: ``<sha256>/<kommun>-<organ>-<dag>-paragraf-<n>.pdf``;
    needs ``minutes__meeting__council__municipality``."""
    return f"{extract.pdf_sha256}/{extract.file_name}"


def extract_is_withdrawn(extract) -> bool:
    """An extract goes down with the publication of its protokoll: its own revision's, or for a
    § justerad at once (which has none) the meeting's current justerat protokoll, in which it
    stands. A withdrawal of an earlier revision does not take down a correction's extracts."""
    from minutes.models import PublicationWithdrawal

    if extract.revision_id is not None:
        return PublicationWithdrawal.objects.filter(revision_id=extract.revision_id).exists()
    current = (
        ApprovedRevision.objects.filter(minutes__meeting_id=extract.minutes.meeting_id)
        .order_by("-minutes__revision")
        .values_list("pk", flat=True)
        .first()
    )
    return current is not None and PublicationWithdrawal.objects.filter(revision=current).exists()


def public_extracts(revision: ApprovedRevision) -> list:
    """The published extracts of a justerat protokoll, by § (those of §§ justerade at once
    included): none once its publication is withdrawn, and none of a confidential §."""
    from minutes.models import Extract

    if is_withdrawn(revision):
        return []
    return list(
        Extract.objects.filter(
            Q(revision=revision)
            | Q(immediate=True, minutes__meeting_id=revision.minutes.meeting_id),
            is_public=True,
        )
        .exclude(pdf_name="")
        .select_related("minutes__meeting__council__municipality")
        # the links need none of the §s' frozen text: decoding sixty snapshots took half of a
        # 60-§ protokoll's page
        .defer("snapshot")
        .order_by("paragraph")
    )


def publish_extract(extract) -> str:
    """Copy the archived public extract to its published name (once)."""
    if not extract.pdf_name:
        raise ValueError("a confidential extract is never published")
    if extract_is_withdrawn(extract):
        raise ValueError("a withdrawn extract is never published")
    storage = storages[STORAGE]
    name = extract_published_name(extract)
    if not storage.exists(name):
        with default_storage.open(extract.pdf_name, "rb") as archived:
            saved = storage.save(name, ContentFile(archived.read()))
        if saved != name:
            storage.delete(saved)
    return name


def unpublish_extract(extract) -> None:
    if extract.pdf_name:
        name = extract_published_name(extract)
        storage = storages[STORAGE]
        if storage.exists(name):
            storage.delete(name)


def unpublish_extracts_after_commit(revision: ApprovedRevision) -> None:
    """Once a withdrawal commits, the meeting's public extracts go down with the protokoll (a
    § justerad at once too)."""
    from minutes.models import Extract

    def run() -> None:
        for extract in Extract.objects.filter(
            minutes__meeting=revision.minutes.meeting_id
        ).select_related("minutes__meeting__council__municipality"):
            unpublish_extract(extract)

    transaction.on_commit(run)


def publish_extract_after_commit(extract) -> None:
    def run() -> None:
        from minutes.models import Extract

        found = Extract.objects.select_related("minutes__meeting__council__municipality").get(
            pk=extract.pk
        )
        if extract_is_withdrawn(found):  # withdrawn before the extract was made: never public
            return
        try:
            publish_extract(found)
        except Exception:  # the first request for the address publishes it again
            logger.exception("Could not publish extract %s", extract.pk)

    transaction.on_commit(run)


def sync() -> tuple[int, int]:
    """Publish every approved revision and public extract that is not withdrawn and remove every
    withdrawn one: (published now, removed). Files the database does not know are left for a person to judge."""
    published = removed = 0
    storage = storages[STORAGE]
    revisions = ApprovedRevision.objects.select_related(
        "minutes__meeting__council__municipality", "withdrawal"
    ).order_by("pk")
    for revision in revisions.iterator(chunk_size=2000):
        name = published_name(revision)
        if is_withdrawn(revision):
            if storage.exists(name):
                storage.delete(name)
                removed += 1
        elif not storage.exists(name):
            publish(revision)
            published += 1
    from minutes.models import Extract, PublicationWithdrawal

    withdrawn_revisions = set(PublicationWithdrawal.objects.values_list("revision_id", flat=True))
    current: dict[int, int] = dict(  # each meeting's newest approved revision
        ApprovedRevision.objects.order_by("minutes__meeting_id", "minutes__revision").values_list(
            "minutes__meeting_id", "pk"
        )
    )

    def withdrawn(extract) -> bool:  # the rule of extract_is_withdrawn, without a query each
        revision_id = extract.revision_id or current.get(extract.minutes.meeting_id)
        return revision_id in withdrawn_revisions

    extracts = (
        Extract.objects.exclude(pdf_name="")
        .select_related("minutes__meeting__council__municipality")
        .order_by("pk")
    )
    for extract in extracts.iterator(chunk_size=2000):
        name = extract_published_name(extract)
        if withdrawn(extract):
            if storage.exists(name):
                storage.delete(name)
                removed += 1
        elif not storage.exists(name):
            publish_extract(extract)
            published += 1
    return published, removed
