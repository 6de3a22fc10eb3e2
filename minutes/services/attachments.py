"""The documents attached to a draft item (bilagor, handlingar): added, renamed, made public or
internal, removed. Public documents live in the archive, internal ones in the private storage;
a correction's copy shares the approved revision's file."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from core import audit
from minutes import uploads
from minutes.models import AgendaItem, ItemDocument
from minutes.services.drafting import lock_draft_item
from minutes.services.errors import InvalidInput
from minutes.services.files import file_storage, record_digest
from minutes.services.text import check_text


def _file_digest(upload) -> tuple[str, int]:
    """The upload's SHA-256 and size; its SHA-512 is kept beside them (``record_digest``)."""
    digest, long_digest, size = hashlib.sha256(), hashlib.sha512(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        long_digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    record_digest(digest.hexdigest(), long_digest.hexdigest(), size)
    return digest.hexdigest(), size


DOCUMENT_COPIED = (
    "position", "title", "is_public", "storage", "file_name", "original_name", "content_type",
    "size", "sha256", "uploaded_by_id",
)  # fmt: skip


def _storage_of(is_public: bool) -> str:
    return ItemDocument.Storage.DEFAULT if is_public else ItemDocument.Storage.PRIVATE


@transaction.atomic
def document_add(
    *, item: AgendaItem, upload, title: str, is_public: bool, actor, request=None
) -> ItemDocument:
    """Attach an uploaded file to a draft item. Its type is judged from its content
    (``minutes.uploads``); the size limit is ``DOCUMENT_MAX_BYTES``. Public documents go to
    the archive, internal ones to the private storage, under a name of their own."""
    check_text(title, upload.name or "")
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            f"Filen är för stor ({filesizeformat(upload.size)}); en handling får vara högst "
            f"{filesizeformat(limit)}."
        )
    if not upload.size:
        raise InvalidInput("Filen är tom.")
    try:
        kind = uploads.detect(upload, upload.name or "")
    except uploads.Refused as refusal:
        raise InvalidInput(str(refusal)) from None
    original = uploads.display_name(upload.name)
    title = (title or "").strip() or original.rsplit(".", 1)[0]
    if len(title) > 200:
        raise InvalidInput("Titeln är för lång (högst 200 tecken).")
    minutes = lock_draft_item(item)
    digest, size = _file_digest(upload)
    alias = _storage_of(is_public)
    with file_storage():
        name = storages[alias].save(uploads.storage_name(original, kind), upload)
    # the file is written before the row commits: if the row fails, the file goes again
    try:
        last = (
            ItemDocument.objects.filter(item=item)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        document = ItemDocument.objects.create(
            item=item,
            position=(last or 0) + 1,
            title=title,
            is_public=is_public,
            storage=alias,
            file_name=name,
            original_name=original,
            content_type=kind.content_type,
            size=size,
            sha256=digest,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            "document.added",
            request=request,
            actor=actor,
            obj=minutes.meeting,
            item=item.pk,
            title=title,
            sha256=digest,
            public=is_public,
        )
    except BaseException:
        storages[alias].delete(name)
        raise
    return document


def _delete_file_unless_shared(storage: str, name: str) -> None:
    """A correction's copy of a document shares the file with the approved one."""
    if not ItemDocument.objects.filter(storage=storage, file_name=name).exists():
        storages[storage].delete(name)


@transaction.atomic
def document_update(
    *, document: ItemDocument, title: str, is_public: bool, actor, request=None
) -> ItemDocument:
    """A draft item's document renamed, or made public or internal (its file moves between
    the archive and the private storage)."""
    check_text(title)
    title = title.strip()
    if not title or len(title) > 200:
        raise InvalidInput("Ge handlingen en titel (högst 200 tecken).")
    lock_draft_item(document.item)
    document = ItemDocument.objects.select_for_update().get(pk=document.pk)
    old_storage, old_name = document.storage, document.file_name
    document.title = title
    if is_public != document.is_public:
        new_storage = _storage_of(is_public)
        with file_storage(), storages[old_storage].open(old_name, "rb") as source:
            name = storages[new_storage].save(old_name, source)
        document.storage, document.file_name, document.is_public = new_storage, name, is_public
        transaction.on_commit(lambda: _delete_file_unless_shared(old_storage, old_name))
    document.save(update_fields=["title", "is_public", "storage", "file_name"])
    audit.record(
        "document.updated",
        request=request,
        actor=actor,
        obj=document.item.minutes.meeting,
        document=document.pk,
        public=document.is_public,
    )
    return document


@transaction.atomic
def document_delete(*, document: ItemDocument, actor, request=None) -> None:
    lock_draft_item(document.item)
    storage, name = document.storage, document.file_name
    audit.record(
        "document.deleted",
        request=request,
        actor=actor,
        obj=document.item.minutes.meeting,
        title=document.title,
        sha256=document.sha256,
    )
    document.delete()
    transaction.on_commit(lambda: _delete_file_unless_shared(storage, name))
