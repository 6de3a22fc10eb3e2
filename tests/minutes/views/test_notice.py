"""The notice's pages and downloads: who may send it, what the public sees once it is sent,
the calendar, and the PDFs served from storage as they were rendered when sent."""

import datetime
import hashlib
import importlib

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse

from minutes import db_triggers, services
from minutes import pdf as minutes_pdf
from minutes.models import Minutes, Notice
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import PDF, attach
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]


def u(name, draft, *extra):
    return reverse(f"drafting:{name}", args=[*SLUGS, draft.meeting_id, *extra])


def test_the_notice_page_and_who_may_send(client, cast, draft, emails):
    client.force_login(cast.secretary)
    page = client.get(u("notice", draft))
    assert "Skicka kallelse" in page_text(page) and "Föregående minnesanteckningar" in page_text(
        page
    )
    response = client.post(u("notice_send", draft), follow=True)
    assert "Kallelsen är skickad till 4 mottagare." in page_text(response)
    assert "ingen e-postadress" in page_text(response)  # Rita
    editor = page_text(client.get(u("meeting", draft)))
    assert "Kallelsen skickades" in editor
    again = client.post(u("notice_send", draft), follow=True)
    assert "inte ändrats" in page_text(again)
    client.force_login(cast.member)
    member_page = client.get(u("notice", draft))
    assert member_page.status_code == 200 and "Skicka kallelse" not in page_text(member_page)
    assert client.post(u("notice_send", draft)).status_code == 403
    pdf = client.get(u("notice_pdf", draft))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.force_login(cast.outsider)
    for name in ("notice", "notice_pdf"):
        assert client.get(u(name, draft)).status_code == 404
    assert client.post(u("notice_send", draft)).status_code == 404
    client.logout()
    assert "/konto/" in client.post(u("notice_send", draft))["Location"]
    assert Notice.objects.count() == 1
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.APPROVED)
    client.force_login(cast.secretary)
    assert client.post(u("notice_send", draft)).status_code == 409


def test_the_public_sees_the_agenda_and_public_documents_once_the_notice_is_sent(
    client, cast, draft
):
    public = attach(draft.items.get(position=2))
    internal = attach(draft.items.get(position=2), "Intern karta", public=False)
    day = f"{draft.meeting.date:%Y-%m-%d}"
    page_url = f"/arboga/forebyggande-radet/{day}/"
    doc_url = f"{page_url}handlingar/{public.pk}/verksamhetsberattelse-2019.pdf"
    assert "Dagordning" not in page_text(client.get(page_url))
    assert client.get(doc_url).status_code == 404
    assert client.get(f"{page_url}kallelse.pdf").status_code == 404
    services.notice_send(meeting=draft.meeting, actor=None)
    page = client.get(page_url)
    assert "Kallelse och dagordning" in page_text(page)
    assert "Verksamhetsberättelse 2024 Handling: Verksamhetsberättelse 2019" in page_text(page)
    assert f'href="{doc_url}"' in page.content.decode()
    assert "Intern karta" not in page_text(page)
    download = client.get(doc_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.get(f"{page_url}handlingar/{internal.pk}/intern-karta.pdf").status_code == 404
    notice_pdf = client.get(f"{page_url}kallelse.pdf")
    text = " ".join(" ".join(p) for p in pdftext.raw_lines(b"".join(notice_pdf.streaming_content)))
    assert "Handling: Verksamhetsberättelse 2019" in text and "Intern karta" not in text
    # made internal after the notice: no longer public
    services.document_update(document=public, title=public.title, is_public=False, actor=None)
    assert client.get(doc_url).status_code == 404


def test_the_calendar_links_a_coming_meetings_notice(client, cast, draft):
    coming = services.meeting_create(
        council=cast.council, date=datetime.date.today() + datetime.timedelta(days=20),
        start_time=datetime.time(8, 30), end_time=None, place="Salen", actor=cast.secretary,
    )  # fmt: skip
    calendar = client.get("/arboga/forebyggande-radet/moten.ics").content.decode()
    assert "DESCRIPTION" not in calendar
    services.notice_send(meeting=coming, actor=None)
    calendar = (
        client.get("/arboga/forebyggande-radet/moten.ics").content.decode().replace("\r\n ", "")
    )
    assert (
        f"Kallelse och dagordning: http://testserver/arboga/forebyggande-radet/{coming.date:%Y-%m-%d}/"
        in calendar
    )


def test_the_notice_pdf_is_rendered_once_when_sent_and_served_from_storage(
    client, cast, draft, monkeypatch
):
    """A render on a public path would let anyone load the server: the notice's PDFs are
    rendered when it is sent, stored under their SHA-256, and every download serves the stored
    file with its ETag; a changed notice sent again stores a new one."""
    renderer = minutes_pdf.get_renderer()
    renders = []
    real = renderer.render_html

    def counting(html, *args, **kwargs):
        renders.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(renderer, "render_html", counting)
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    assert len(renders) == 2  # the public PDF and the members' one
    public = storages["default"].open(notice.pdf_name).read()
    assert hashlib.sha256(public).hexdigest() == notice.pdf_sha256
    assert notice.pdf_size == len(public)
    internal = storages["private"].open(notice.internal_pdf_name).read()
    assert hashlib.sha256(internal).hexdigest() == notice.internal_pdf_sha256

    url = f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/kallelse.pdf"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == public
        assert response["ETag"] == f'"{notice.pdf_sha256}"'
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(url, headers={"If-None-Match": f'"{notice.pdf_sha256}"'}).status_code == 304
    client.force_login(cast.member)
    members = client.get(u("notice_pdf", draft))
    assert b"".join(members.streaming_content) == internal
    assert members["Cache-Control"] == "private, no-store"
    assert len(renders) == 2  # every download served the stored bytes

    item = draft.items.get(position=2)
    services.item_save(
        item=item, version=item.version, title="Ny rubrik", body="", decision="",
        is_public=True, confidentiality_ground="", sections=[], actor=None,
    )  # fmt: skip
    update = services.notice_send(meeting=draft.meeting, actor=None)
    assert len(renders) == 4 and update.pdf_sha256 != notice.pdf_sha256
    client.logout()
    assert client.get(url)["ETag"] == f'"{update.pdf_sha256}"'
    assert storages["default"].exists(notice.pdf_name)  # the first notice's PDF stays


def test_the_notices_sent_before_they_were_stored_get_their_pdfs_when_migrating(client, draft):
    """Migration 0010 renders and stores what earlier notices sent, so no download renders."""
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    stored = Notice.objects.values("pdf_name", "pdf_sha256", "pdf_size").get(pk=notice.pk)
    # a notice as sent before 0010, when no trigger guarded sent notices yet
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in db_triggers.record_drop_statements(vendor):
            cursor.execute(statement, ())  # () formats "%%" as migrations do
        Notice.objects.filter(pk=notice.pk).update(
            pdf_name="", pdf_sha256="", pdf_size=None, internal_pdf_name="", internal_pdf_sha256=""
        )
        for statement in db_triggers.record_statements(vendor):  # 0012 leaves the backfill
            cursor.execute(statement, ())
    url = f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/kallelse.pdf"
    assert client.get(url).status_code == 404  # never a render on a public path
    migration = importlib.import_module("minutes.migrations.0010_notice_pdfs")
    migration.store_sent_notices(django_apps, None)
    notice.refresh_from_db()
    assert {k: getattr(notice, k) for k in stored} == stored  # the same bytes as when sent
    assert notice.internal_pdf_name and client.get(url)["ETag"] == f'"{notice.pdf_sha256}"'


def test_a_lost_notice_file_is_a_404_not_a_503(client, draft):
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    storages["default"].delete(notice.pdf_name)
    response = client.get(f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/kallelse.pdf")
    assert response.status_code == 404


def test_a_notice_whose_pdf_cannot_be_rendered_is_not_sent(client, cast, draft, monkeypatch):
    def fail(*args, **kwargs):
        raise minutes_pdf.RenderError("PDF:en tog för lång tid att skapa.")

    monkeypatch.setattr(minutes_pdf.get_renderer(), "render_html", fail)
    client.force_login(cast.secretary)
    response = client.post(u("notice_send", draft), follow=True)
    assert "Kallelsens PDF kunde inte skapas, så kallelsen är inte skickad" in page_text(response)
    assert not Notice.objects.exists()
    assert not mail.outbox


def test_the_database_keeps_a_sent_notice_as_it_was_sent(cast, draft):
    """Whatever writes, a sent notice is not changed or deleted; only a deleted account's link
    becomes empty (and 0010's backfill of PDFs, above, fills what a notice never had)."""
    from django.db import DatabaseError, transaction

    notice = services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    for change in (
        {"snapshot": {}},
        {"changes": ["ändrad"]},
        {"pdf_sha256": "0" * 64},
        {"pdf_name": ""},
        {"sent_at": notice.sent_at - datetime.timedelta(days=1)},
        {"sent_by": cast.chair},
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            Notice.objects.filter(pk=notice.pk).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic():
        Notice.objects.filter(pk=notice.pk).delete()
    for statement in ("UPDATE minutes_notice SET number = 7", "DELETE FROM minutes_notice"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    cast.secretary.delete()
    notice.refresh_from_db()
    assert notice.sent_by is None and notice.number == 1 and notice.pdf_name
