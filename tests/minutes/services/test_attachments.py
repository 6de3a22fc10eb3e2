"""Documents on agenda items: judged by their bytes, stored under names of their own, served as
attachments after the checks, frozen with the minutes, named in the PDF."""

import errno
import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes import services, uploads
from minutes.models import ItemDocument, Minutes
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
DOCM = office(
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<d/>", "word/vbaProject.bin": b"x"}
)
ODT = office({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<c/>"})
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"This program cannot be run in DOS mode"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 120
UNIVERSAL = b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 120
SCRIPT = b"#!/bin/sh\nrm -rf ~\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PDF, uploads.PDF), (PNG, uploads.PNG), (b"\xff\xd8\xff\xe0" + b"\x00" * 20, uploads.JPEG),
     (b"GIF89a" + b"\x00" * 20, uploads.GIF), (DOCX, uploads.DOCX), (XLSX, uploads.XLSX),
     (ODT, uploads.ODT)],
)  # fmt: skip
def test_documents_are_known_by_their_bytes(data, kind):
    assert uploads.detect(io.BytesIO(data)) == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [(EXE, "körbart program"), (SVG, "SVG"), (DOCM, "makron"), (OLE, "Äldre Office"),
     (b"PK\x03\x04broken", "skadad"), (b"just text", "Filtypen tas inte emot")],
)  # fmt: skip
def test_anything_else_is_refused_with_a_reason(data, message):
    with pytest.raises(uploads.Refused, match=message):
        uploads.detect(io.BytesIO(data))


@pytest.mark.parametrize("data", [EXE, ELF, MACHO, UNIVERSAL, SCRIPT])
@pytest.mark.parametrize(
    ("name", "said"),
    [("arsredovisning.pdf", "Filen är ett körbart program, inte en PDF."),
     ("budget.DOCX", "Filen är ett körbart program, inte en fil av typen Word."),
     ("setup.exe", "Filen är ett körbart program, inte ett dokument."),
     ("", "Filen är ett körbart program, inte ett dokument.")],
)  # fmt: skip
def test_a_program_under_any_name_is_refused_as_what_it_is(data, name, said):
    with pytest.raises(uploads.Refused) as refusal:
        uploads.detect(io.BytesIO(data), name)
    assert str(refusal.value).startswith(said)
    assert "Filtypen tas inte emot" not in str(refusal.value)


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\system32\\x.pdf", "/abs/olle.pdf", "a/../../b.pdf",
     "", "....pdf", "x\x00y.pdf", "ond<script>.pdf"],
)  # fmt: skip
def test_stored_names_never_climb_out_or_collide(name):
    first = uploads.storage_name(name, uploads.PDF)
    second = uploads.storage_name(name, uploads.PDF)
    assert first != second
    folder, random, leaf = first.split("/")
    assert folder == "documents" and len(random) == 32
    assert leaf.endswith(".pdf") and all(c.isalnum() or c in "-." for c in leaf)
    assert ".." not in first and "\\" not in first


def test_a_swedish_name_reads_well():
    assert uploads.storage_name("Verksamhetsberättelse 2019.docx", uploads.PDF).endswith(
        "/verksamhetsberattelse-2019.pdf"
    )
    assert uploads.download_name("Verksamhetsberättelse 2019", uploads.DOCX) == (
        "verksamhetsberattelse-2019.docx"
    )


def upload(data=PDF, name="Verksamhetsberättelse 2019.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def add(item, data=PDF, name="berattelse.pdf", title="Verksamhetsberättelse 2019", public=True):
    return services.document_add(
        item=item, upload=upload(data, name), title=title, is_public=public, actor=None
    )


def test_public_documents_go_to_the_archive_and_internal_ones_to_private_storage(
    draft, django_capture_on_commit_callbacks
):
    item = draft.items.get(position=2)
    public = add(item)
    internal = add(item, PNG, "karta.png", title="Karta över otrygga platser", public=False)
    assert (public.storage, public.content_type, public.size) == (
        "default",
        "application/pdf",
        len(PDF),
    )
    assert public.sha256 == hashlib.sha256(PDF).hexdigest()
    assert storages["default"].open(public.file_name).read() == PDF
    assert internal.storage == "private" and storages["private"].exists(internal.file_name)
    assert not storages["default"].exists(internal.file_name)
    assert [d.position for d in item.documents.all()] == [1, 2]
    # made public: the file moves to the archive
    with django_capture_on_commit_callbacks(execute=True):
        services.document_update(document=internal, title="Karta", is_public=True, actor=None)
    internal.refresh_from_db()
    assert internal.storage == "default" and storages["default"].exists(internal.file_name)
    assert not storages["private"].exists(internal.file_name)


def test_bad_uploads_are_refused_and_leave_nothing(draft, settings):
    item = draft.items.get(position=2)
    settings.DOCUMENT_MAX_BYTES = 1000
    cases = [
        (upload(PDF + b"x" * 1000), "för stor"),
        (upload(b""), "tom"),
        (upload(EXE, "arsredovisning.pdf"), "Filen är ett körbart program, inte en PDF"),
        (upload(SVG, "logga.svg"), "SVG"),
        (upload(DOCM, "budget.docx"), "makron"),
    ]
    for file, message in cases:
        with pytest.raises(services.InvalidInput, match=message):
            services.document_add(item=item, upload=file, title="", is_public=True, actor=None)
    with pytest.raises(services.InvalidInput, match="NUL"):
        services.document_add(
            item=item, upload=upload(), title="a\x00b", is_public=True, actor=None
        )
    assert not ItemDocument.objects.exists()
    assert not storages["default"].exists("documents")


def test_the_title_defaults_to_the_file_name(draft):
    document = add(draft.items.get(position=2), title="")
    assert document.title == "berattelse"


def test_an_upload_named_to_climb_out_lands_in_its_own_folder(draft, settings):
    document = add(draft.items.get(position=2), name="../../../../etc/cron.d/evil.pdf", title="")
    assert document.file_name.startswith("documents/") and document.file_name.endswith("/evil.pdf")
    assert document.original_name == "evil.pdf"
    stored = storages["default"].path(document.file_name)
    assert stored.startswith(str(settings.MEDIA_ROOT))


def test_documents_of_minutes_that_are_not_a_draft_are_frozen(draft):
    item = draft.items.get(position=2)
    document = add(item)
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    with pytest.raises(services.NotEditable):
        add(item)
    with pytest.raises(services.NotEditable):
        services.document_update(document=document, title="X", is_public=False, actor=None)
    with pytest.raises(services.NotEditable):
        services.document_delete(document=document, actor=None)
    assert ItemDocument.objects.count() == 1


def test_a_correction_shares_the_files_and_deleting_its_copy_keeps_the_original(
    cast, draft, django_capture_on_commit_callbacks
):
    item = draft.items.get(position=2)
    document = add(item)
    revision = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=revision, actor=cast.chair, reason="Fel")
    copy = correction.items.get(position=2).documents.get()
    assert (copy.file_name, copy.sha256) == (document.file_name, document.sha256)
    with pytest.raises(services.NotEditable):  # the approved revision's document stays
        services.document_delete(document=document, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=copy, actor=None)
    assert storages["default"].exists(document.file_name)


def test_the_pdf_names_the_attachments_and_the_internal_copy_the_internal_ones(cast, draft):
    item = draft.items.get(position=2)
    add(item)
    add(item, PNG, "karta.png", title="Karta över otrygga platser", public=False)
    revision = submit_and_approve(draft, cast)
    public = " ".join(
        " ".join(p) for p in pdftext.raw_lines(storages["default"].open(revision.pdf_name).read())
    )
    assert "Bilaga: Verksamhetsberättelse 2019" in public and "Karta" not in public
    internal = " ".join(
        " ".join(p)
        for p in pdftext.raw_lines(storages["private"].open(revision.internal_pdf_name).read())
    )
    assert "Bilaga: Karta över otrygga platser (intern handling)" in internal


def item_url(name, item, *extra):
    return reverse(f"drafting:{name}", args=[*SLUGS, item.minutes.meeting_id, item.pk, *extra])


@pytest.mark.django_db(transaction=True)
def test_the_secretary_uploads_renames_and_deletes_on_the_item_page(client, cast, draft):
    item = draft.items.get(position=2)
    client.force_login(cast.secretary)
    page = client.get(item_url("item", item))
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(
        item_url("document_add", item),
        {
            "handling-file": upload(),
            "handling-title": "Verksamhetsberättelse 2019",
            "handling-is_public": "on",
        },
        follow=True,
    )
    assert "Handlingen ”Verksamhetsberättelse 2019” är bifogad." in page_text(response)
    document = ItemDocument.objects.get()
    bad = client.post(
        item_url("document_add", item), {"handling-file": upload(EXE, "x.pdf")}, follow=True
    )
    said = "Filen är ett körbart program, inte en PDF"
    assert said in page_text(bad) and ItemDocument.objects.count() == 1
    none = client.post(item_url("document_add", item), {"handling-title": "Utan fil"}, follow=True)
    assert "Detta fält måste fyllas i" in page_text(none)
    client.post(item_url("document_edit", item, document.pk), {"title": "Berättelsen"})
    document.refresh_from_db()
    assert document.title == "Berättelsen" and not document.is_public
    client.post(item_url("document_delete", item, document.pk))
    assert not ItemDocument.objects.exists()
    assert not storages["private"].exists(document.file_name)


def test_who_may_not_upload(client, cast, draft):
    item = draft.items.get(position=2)
    url = item_url("document_add", item)
    assert "/konto/" in client.post(url, {"handling-file": upload()})["Location"]
    for user, status in ((cast.outsider, 404), (cast.member, 403)):
        client.force_login(user)
        assert client.post(url, {"handling-file": upload()}).status_code == status
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    assert client.post(url, {"handling-file": upload()}).status_code == 409
    assert not ItemDocument.objects.exists()


def test_members_download_any_document_as_an_attachment(client, cast, draft):
    item = draft.items.get(position=2)
    document = add(item, public=False)
    url = reverse(
        "drafting:document",
        args=[*SLUGS, draft.meeting_id, document.pk, "verksamhetsberattelse-2019.pdf"],
    )
    client.force_login(cast.member)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="verksamhetsberattelse-2019.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(url.replace("2019.pdf", "2019.exe")).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_public_downloads_public_documents_of_approved_minutes_only(client, cast, draft):
    item = draft.items.get(position=2)
    public = add(item)
    internal = add(item, PNG, "karta.png", title="Karta", public=False)
    base = f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/handlingar/"
    public_url = f"{base}{public.pk}/verksamhetsberattelse-2019.pdf"
    assert client.get(public_url).status_code == 404  # a draft's
    submit_and_approve(draft, cast)
    page = client.get(f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/")
    assert f'href="{public_url}"' in page.content.decode()
    assert "Karta" not in page_text(page)
    response = client.get(public_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert client.get(f"{base}{internal.pk}/karta.png").status_code == 404
    assert client.get(f"{base}{public.pk}/annat-namn.pdf").status_code == 404
    assert client.get(f"{base}99999/x.pdf").status_code == 404


def test_a_full_disk_keeps_the_upload_out_and_says_so(client, cast, draft, monkeypatch):
    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    item = draft.items.get(position=2)
    client.force_login(cast.secretary)
    response = client.post(item_url("document_add", item), {"handling-file": upload()}, follow=True)
    assert "Filarkivet svarar inte just nu, så ingenting är sparat." in page_text(response)
    assert not ItemDocument.objects.exists()
