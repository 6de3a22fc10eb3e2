"""The notice (kallelse): sent from the meeting with its agenda and documents, e-mailed to
everyone who serves the council, recorded; an update says what changed; the public sees the
agenda and public documents once it is sent; and the minutes state the next meeting."""

import datetime
import hashlib
import subprocess

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from minutes import pdf as minutes_pdf
from minutes import services
from minutes.models import Meeting, Minutes, Notice
from minutes.notices import NoticeSnapshot
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def emails(cast):
    for user in (cast.secretary, cast.chair, cast.member):
        person = user.person
        person.email = f"{user.username}@example.org"
        person.save()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def attach(item, title="Verksamhetsberättelse 2019", public=True):
    return services.document_add(
        item=item,
        upload=SimpleUploadedFile("berattelse.pdf", PDF),
        title=title,
        is_public=public,
        actor=None,
    )


def u(name, draft, *extra):
    return reverse(f"drafting:{name}", args=[*SLUGS, draft.meeting_id, *extra])


def test_the_notice_goes_to_everyone_who_serves_the_council_and_is_recorded(
    cast, draft, emails, after_commit
):
    attach(draft.items.get(position=2))
    with after_commit():
        notice = services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    doc = NoticeSnapshot.from_dict(notice.snapshot)
    assert [i.title for i in doc.items][:2] == [
        "Föregående minnesanteckningar",
        "Verksamhetsberättelse 2024",
    ]
    assert doc.items[1].documents[0].title == "Verksamhetsberättelse 2019"
    assert doc.place_and_time == "Kommunstyrelsesalen kl 08.30 – 10.30"
    recipients = {r.person.name: r for r in notice.recipients.select_related("person")}
    assert set(recipients) == {
        "Sara Sekreterare",
        "Olle Ordförande",
        "Lisa Ledamot",
        "Rita Representant",
    }
    assert (
        recipients["Rita Representant"].email == ""
        and recipients["Rita Representant"].emailed_at is None
    )
    assert all(r.emailed_at for name, r in recipients.items() if name != "Rita Representant")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ledamot@example.org", "ordforande@example.org", "sekreterare@example.org",
    ]  # fmt: skip
    message = mail.outbox[0]
    assert message.subject == "Kallelse: Förebyggande rådet 24 februari 2025"
    assert "2. Verksamhetsberättelse 2024" in message.body
    assert "Handling: Verksamhetsberättelse 2019" in message.body
    assert f"/arbete/arboga/forebyggande-radet/moten/{draft.meeting_id}/kallelse/" in message.body
    assert AuditEvent.objects.filter(action="notice.sent").exists()


def test_an_update_says_what_changed_and_nothing_changed_is_refused(
    cast, draft, emails, after_commit
):
    with after_commit():
        services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    with pytest.raises(services.InvalidInput, match="inte ändrats"):
        services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    assert services.notice_pending_changes(draft.meeting) == []
    services.item_create(minutes=draft, title="Trygghetsvandring i centrum", actor=None)
    attach(draft.items.get(position=2), "Karta", public=False)
    pending = services.notice_pending_changes(draft.meeting)
    assert pending == [
        "Ny punkt 5: Trygghetsvandring i centrum",
        "Ny handling till punkt 2: Karta",
    ]
    mail.outbox.clear()
    with after_commit():
        update = services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    assert update.number == 2 and update.changes == pending
    assert mail.outbox[0].subject.startswith("Kallelse (uppdaterad):")
    assert "- Ny punkt 5: Trygghetsvandring i centrum" in mail.outbox[0].body


def test_renamed_and_removed_items_are_named_as_such(cast, draft):
    services.notice_send(meeting=draft.meeting, actor=None)
    item = draft.items.get(position=4)
    services.item_save(
        item=item, version=item.version, title="Övrigt", body="", decision="", is_public=True,
        confidentiality_ground="", sections=[], actor=None,
    )  # fmt: skip
    services.item_delete(item=draft.items.get(position=3), actor=None)
    assert services.notice_pending_changes(draft.meeting) == [
        "Punkt 3 heter nu ”Övrigt” (tidigare ”Övriga frågor”)",
        "Struken: Aktuell information från verksamheterna",
    ]


def test_approved_minutes_get_no_notice(cast, draft):
    submit_and_approve(draft, cast)
    with pytest.raises(services.NotAllowed):
        services.notice_send(meeting=draft.meeting, actor=None)
    assert services.notice_pending_changes(draft.meeting) is None


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


def test_the_notice_pdf_is_archival_tagged_deterministic_and_says_its_words(cast, draft):
    attach(draft.items.get(position=2))
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    doc = NoticeSnapshot.from_dict(notice.snapshot)
    pdf = minutes_pdf.render_notice_pdf(doc, internal=True)
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Tagged:          yes" in info
    assert f"Title:           Kallelse Förebyggande rådet {draft.meeting.date:%Y-%m-%d}" in info
    meta = subprocess.run(
        ["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="A"' in meta
    assert pdftext.catalog(pdf)["/Lang"] == "sv-SE"
    tags = pdftext.structure(pdf)
    assert tags["H1"] == 1 and tags["H2"] == 1 and tags["L"] == 1 and tags["LI"] == len(doc.items)
    # golden: the document's words are exactly what the notice says, in order
    expected = ["Plats", "och", "tid", *doc.place_and_time.split(), "Dagordning"]
    for item in doc.items:
        expected += [f"{item.number}.", *item.title.split()]
        for d in item.documents:
            expected += ["Handling:", *d.title.split()]
    title = ["Kallelse", *doc.date_in_words.split()]
    assert pdftext.words(pdf, header="Förebyggande rådet", title_words=title) == expected
    assert minutes_pdf.render_notice_pdf(doc, internal=True) == pdf
    fresh = minutes_pdf.Renderer()
    try:
        again = fresh.render_html(minutes_pdf.build_notice_html(doc, internal=True)).pdf
    finally:
        fresh.close()
    assert hashlib.sha256(again).digest() == hashlib.sha256(pdf).digest()


def test_the_minutes_state_the_next_meeting_which_is_created(client, cast, draft):
    following = services.next_meeting_set(
        minutes=draft, date=datetime.date(2025, 5, 12), start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30), place="Kommunstyrelsesalen", actor=cast.secretary,
    )  # fmt: skip
    assert following.minutes.get().items.count() == 3  # the standing agenda, not the year's first
    draft.refresh_from_db()
    assert draft.next_meeting == following
    revision = submit_and_approve(draft, cast)
    line = "Nästa möte: måndag 12 maj 2025 kl 08.30 – 10.30, Kommunstyrelsesalen."
    assert revision.snapshot["next_meeting"] == line
    from django.core.files.storage import default_storage

    text = " ".join(
        " ".join(p) for p in pdftext.raw_lines(default_storage.open(revision.pdf_name).read())
    )
    assert line in text


def test_next_meeting_input_is_checked_and_the_page_works(client, cast, draft):
    with pytest.raises(services.InvalidInput, match="efter det här mötet"):
        services.next_meeting_set(
            minutes=draft, date=datetime.date(2025, 1, 1), start_time=None, end_time=None,
            place="", actor=None,
        )  # fmt: skip
    existing = Meeting.objects.get(date=datetime.date(2024, 11, 26))
    client.force_login(cast.secretary)
    response = client.post(u("next_meeting", draft), {"date": "2025-05-12", "start_time": "08:30", "end_time": "10:30", "place": "Salen"}, follow=True)  # fmt: skip
    assert "Nästa möte är den 12 maj 2025" in page_text(response)
    bad = client.post(u("next_meeting", draft), {"date": "igår"}, follow=True)
    assert "giltigt datum" in page_text(bad)
    client.post(u("next_meeting", draft), {"action": "clear"})
    draft.refresh_from_db()
    assert draft.next_meeting is None and Meeting.objects.filter(date="2025-05-12").exists()
    client.force_login(cast.member)
    assert client.post(u("next_meeting", draft), {"date": "2025-06-01"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(u("next_meeting", draft), {"date": "2025-06-01"}).status_code == 404
    assert existing.pk and not Meeting.objects.filter(date="2025-06-01").exists()


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


def test_a_notice_sent_before_notices_were_stored_is_stored_on_its_first_download(
    client, draft, monkeypatch
):
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    Notice.objects.filter(pk=notice.pk).update(
        pdf_name="", pdf_sha256="", pdf_size=None, internal_pdf_name="", internal_pdf_sha256=""
    )
    url = f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/kallelse.pdf"
    first = client.get(url)
    assert first.status_code == 200
    notice.refresh_from_db()
    assert notice.pdf_sha256 and first["ETag"] == f'"{notice.pdf_sha256}"'
    renders = []
    monkeypatch.setattr(
        minutes_pdf.get_renderer(), "render_html", lambda *a, **k: renders.append(a)
    )
    assert client.get(url)["ETag"] == f'"{notice.pdf_sha256}"' and not renders
