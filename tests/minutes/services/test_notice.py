"""The notice service (kallelse): sent with the agenda and documents, e-mailed to everyone who
serves the council, recorded; an update says what changed; its PDF in the house style."""

import hashlib
import subprocess

import pytest
from django.core import mail

from core.models import AuditEvent
from minutes import pdf as minutes_pdf
from minutes import services
from minutes.notices import NoticeSnapshot
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import attach, submit_and_approve

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]


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
        "Ny punkt 4: Trygghetsvandring i centrum",
        "Ny handling till punkt 2: Karta",
    ]
    mail.outbox.clear()
    with after_commit():
        update = services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    assert update.number == 2 and update.changes == pending
    assert mail.outbox[0].subject.startswith("Kallelse (uppdaterad):")
    assert "- Ny punkt 4: Trygghetsvandring i centrum" in mail.outbox[0].body


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
    assert pdftext.untagged_content(pdf) == []  # header and page number: artifacts
    assert minutes_pdf.render_notice_pdf(doc, internal=True) == pdf
    fresh = minutes_pdf.Renderer()
    try:
        again = fresh.render_html(minutes_pdf.build_notice_html(doc, internal=True)).pdf
    finally:
        fresh.close()
    assert hashlib.sha256(again).digest() == hashlib.sha256(pdf).digest()
