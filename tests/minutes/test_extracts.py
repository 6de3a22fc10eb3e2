"""What a justerat protokoll and its protokollsutdrag look like and how they reach people: the
anslagsbevis on the front page, the § justerad at once marked, the extract PDF (PDF/A, tagged),
its public download with the hash the page states, the staff's list, expediering by e-mail, the
feed, and the withdrawal that takes the extracts down."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from minutes import publication, services
from minutes.models import AgendaItem, ApprovedRevision, Extract, ExtractDispatch
from minutes.services import justering
from tests.minutes import pdftext
from tests.minutes.services.test_justering import (  # noqa: F401 (the fixture)
    SIGNERS,
    immediate,
    protokoll,
    sign,
    submit,
)
from tests.minutes.test_protocol_pdf import headings_in_order, in_order, page
from tests.pages import page_text

IMMEDIATE_DAY = datetime.datetime(2026, 3, 9, 17, 0, tzinfo=datetime.UTC)


def text(pdf: bytes) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    out = out.replace("\f", "\n").replace("\u00a0", " ")
    return [line for line in out.splitlines() if line.strip()]


def in_text(lines: list[str], expected: list[str]) -> bool:
    """Every expected string is found, each after the one before, in the lines joined by
    spaces (a narrow signature line breaks before its date)."""
    return in_order([" ".join(lines)], expected)


def keep(name: str, pdf: bytes) -> None:
    """With KEEP_PDFS=<dir>, the PDFs a test made are written there to be looked at."""
    folder = os.environ.get("KEEP_PDFS")
    if folder:
        Path(folder, name).write_bytes(pdf)


def justera(c) -> ApprovedRevision:
    submit(c)
    revision = None
    for who in SIGNERS:
        revision = sign(c, who)
    return revision


def justera_with_extracts(c) -> ApprovedRevision:
    revision = justera(c)
    justering.render_extracts(revision.pk)
    return ApprovedRevision.objects.get(pk=revision.pk)


def archived(name: str, storage=None) -> bytes:
    with (storage or default_storage).open(name, "rb") as f:
        return f.read()


@pytest.fixture
def c(protokoll):  # noqa: F811 (the fixture of tests/minutes/services/test_justering.py)
    return protokoll


def adjust_at_once(c, position: int = 3) -> Extract:
    item = immediate(c, position)
    record = None
    with mock.patch("django.utils.timezone.now", return_value=IMMEDIATE_DAY):
        justering.paragraph_submit(item=item, actor=c.users["Sekreterare"])
        for who in SIGNERS:
            record = justering.paragraph_sign(item=item, actor=c.users[who])
    return record


# --- the justerat protokoll ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_front_page_carries_the_filled_in_anslagsbevis_and_every_signature(c):
    revision = justera(c)
    pdf = archived(revision.pdf_name)
    keep("c.pdf", pdf)
    # the front page, with the box at its foot
    front = [line.replace("\u00a0", " ") for line in page(pdf, 1)]
    joined = "\n".join(front)
    # two justerare, each with their own line under their own name
    assert in_text(
        front,
        [
            "Sekreterare Sara Sekreterare",
            "Justerat elektroniskt 2026-03-16 kl. 11.00",
            "Ordförande Anna Ek",
            "Justerat elektroniskt 2026-03-16 kl. 11.00",
            "Justerare Bo Berg",
            "Justerat elektroniskt 2026-03-16 kl. 11.00",
            "Eva Grön",
            "Justerat elektroniskt 2026-03-16 kl. 11.00",
        ],
    ), joined
    assert joined.count("Justerat elektroniskt") == 4
    assert in_text(
        front,
        [
            "ANSLAGSBEVIS",
            "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
            "Organ Sammanträdesdatum Förvaringsplats för protokollet",
            "Förebyggande rådet 2026-03-09 Förebyggande rådet, Arboga kommun",
            "Datum då anslaget sätts upp Datum då anslaget tas ned Sista dag att överklaga",
            "2026-03-16 2026-04-08 2026-04-07",
            "Underskrift",
            "Sara Sekreterare, anslaget elektroniskt 2026-03-16",
        ],
    ), joined


@pytest.mark.django_db
def test_a_paragraph_justerad_at_once_is_marked_in_the_protokoll(c):
    adjust_at_once(c)
    revision = justera(c)
    pdf = archived(revision.pdf_name)
    lines = text(pdf)
    assert in_order(lines, ["SN § 3", "Paragrafen justerades omedelbart 2026-03-09."])
    assert sum("justerades omedelbart" in line for line in lines) == 1


# --- the protokollsutdrag -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_extract_reads_header_facts_paragraph_signatures_and_certification(c):
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=2)
    pdf = archived(extract.pdf_name)
    keep("utdrag.pdf", pdf)
    assert hashlib.sha256(pdf).hexdigest() == extract.pdf_sha256
    lines = text(pdf)
    joined = "\n".join(lines)
    assert in_text(
        lines,
        [
            "Protokollsutdrag",
            "9 mars 2026",
            "Plats och tid",
            "Beslutande",
            "Utses att justera",
            "Justeringens plats och tid",
            "SN § 2",
            "Beslut",
            "Nämnden beslutar.",
            "Justering",
            "Sekreterare Sara Sekreterare",
            "Justerat elektroniskt 2026-03-16",
            "Paragraf 2",
            "Ordförande Anna Ek",
            "Justerare Bo Berg",
            "Eva Grön",
            "ANSLAGSBEVIS",
            "Utdragsbestyrkande",
            "Utdraget överensstämmer med originalprotokollet.",
            "Sara Sekreterare",
            "Bestyrkt elektroniskt 2026-03-16",
        ],
    ), joined
    # the running header names the organ and the sammanträdesdatum
    assert "Förebyggande rådet Sammanträdesdatum 2026-03-09" in lines
    # one §: no contents, no other §, no roll
    assert "Innehållsförteckning" not in joined
    assert "SN § 1" not in joined and "SN § 3" not in joined
    assert "Närvaro- och omröstningslista" not in joined


@pytest.mark.django_db
def test_the_extract_is_tagged_pdf_a(c):
    revision = justera_with_extracts(c)
    pdf = archived(Extract.objects.get(revision=revision, paragraph=1).pdf_name)
    meta = subprocess.run(
        ["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="A"' in meta
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert "Protokollsutdrag Förebyggande rådet 2026-03-09 SN § 1" in info.stdout.decode()
    assert pdftext.untagged_content(pdf) == []
    assert pdftext.artifacts(pdf) == {"/Pagination"}
    tags = pdftext.structure(pdf)
    assert tags["H1"] == 1
    assert tags["H2"] == 1 + 3  # the §, Justering, Anslagsbevis, Utdragsbestyrkande
    assert headings_in_order(pdf)


@pytest.mark.django_db
def test_the_extract_of_a_paragraph_justerad_at_once_is_its_own_record(c):
    record = adjust_at_once(c)
    lines = text(archived(record.pdf_name))
    keep("omedelbart.pdf", archived(record.pdf_name))
    assert in_text(
        lines,
        [
            "Protokollsutdrag",
            "SN § 3",
            "Justerat elektroniskt 2026-03-09 kl. 18.00",
            "Datum då anslaget sätts upp Datum då anslaget tas ned Sista dag att överklaga",
            "2026-03-09 2026-03-31 2026-03-30",
            "Utdragsbestyrkande",
            "Bestyrkt elektroniskt 2026-03-09",
        ],
    ), "\n".join(lines)


# --- the public page, the downloads and the withdrawal --------------------------------------------

PAGE = "/arboga/forebyggande-radet/2026-03-09/"


def confidential(c, position: int = 4) -> None:
    AgendaItem.objects.filter(minutes=c.minutes, position=position).update(
        is_public=False, confidentiality_ground="OSL 26 kap. 1 §"
    )


def published(extract: Extract) -> str:
    return publication.url_for(publication.extract_published_name(extract))


@pytest.mark.django_db
def test_the_public_page_offers_each_public_paragraphs_extract_with_its_hash(client, c):
    confidential(c)
    adjust_at_once(c, 3)
    justera_with_extracts(c)
    response = client.get(PAGE)
    html = response.content.decode()
    text = page_text(response)
    # the anslagsbevis as a definition list, the § justerad at once marked
    assert "Anslagsbevis" in text
    assert "Protokollet är justerat. Justeringen har tillkännagivits genom anslag." in text
    assert "Datum då anslaget sätts upp 2026-03-16" in text
    assert "Sista dag att överklaga 2026-04-07" in text
    assert "Datum då anslaget tas ned 2026-04-08" in text
    assert "Paragrafen justerades omedelbart 2026-03-09." in text
    extracts = {e.paragraph: e for e in Extract.objects.filter(minutes=c.minutes)}
    assert set(extracts) == {1, 2, 3, 4}
    for number in (1, 2, 3):
        extract = extracts[number]
        assert f'href="{published(extract)}"' in html
        assert f"Protokollsutdrag § {number} (PDF," in text
        assert extract.pdf_sha256 in text
        # the link is in the § it extracts
        section = html.split(f'id="paragraf-{number}"')[1].split("</section>")[0]
        assert published(extract) in section
        download = client.get(published(extract))
        assert download.status_code == 200
        body = b"".join(download.streaming_content)
        assert hashlib.sha256(body).hexdigest() == extract.pdf_sha256
    # the confidential § has no public extract, only the internal one
    assert not extracts[4].pdf_name and extracts[4].internal_pdf_name
    assert "Protokollsutdrag § 4" not in text


@pytest.mark.django_db
def test_a_missing_published_extract_is_published_again_on_request(client, c):
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=1)
    name = publication.extract_published_name(extract)
    storage = storages[publication.STORAGE]
    if storage.exists(name):
        storage.delete(name)
    response = client.get(published(extract))
    assert response.status_code == 200
    assert storage.exists(name)
    # a name no extract has is not found
    wrong = published(extract).replace("paragraf-1", "paragraf-9")
    assert client.get(wrong).status_code == 404


@pytest.mark.django_db
def test_a_withdrawal_takes_the_public_extracts_down(
    client, c, cast, django_capture_on_commit_callbacks
):
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=2)
    name = publication.extract_published_name(extract)
    storage = storages[publication.STORAGE]
    publication.publish_extract(extract)
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(
            revision=revision, actor=cast.admin, reason="Personuppgifter i § 2."
        )
    assert not storage.exists(name)
    text = page_text(client.get(PAGE))
    assert "Personuppgifter i § 2." in text and "Protokollsutdrag" not in text
    assert client.get(published(extract)).status_code == 404  # and not published again
    assert not storage.exists(name)


@pytest.mark.django_db
def test_sync_publishes_missing_extracts_and_removes_withdrawn_ones(c, cast):
    revision = justera_with_extracts(c)
    storage = storages[publication.STORAGE]
    names = [
        publication.extract_published_name(e)
        for e in Extract.objects.filter(revision=revision).select_related(
            "minutes__meeting__council__municipality"
        )
    ]
    for name in names:
        if storage.exists(name):
            storage.delete(name)
    publication.sync()
    assert all(storage.exists(name) for name in names)
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Fel.")
    publication.sync()
    assert not any(storage.exists(name) for name in names)


# --- the staff page and the expediering ------------------------------------------------------------


def staff_url(c, name: str, *extra, council=None) -> str:
    meeting = c.minutes.meeting
    council = council or meeting.council
    return reverse(
        f"drafting:{name}", args=[council.municipality.slug, council.slug, meeting.pk, *extra]
    )


def with_recipients(c, position: int = 2) -> None:
    AgendaItem.objects.filter(minutes=c.minutes, position=position).update(
        recipients=["Socialförvaltningen", "ekonomi@arboga.example"]
    )


@pytest.mark.django_db
def test_the_staff_page_lists_the_extracts_and_those_still_being_made(client, c, cast):
    revision = justera(c)
    client.force_login(cast.secretary)
    text = page_text(client.get(staff_url(c, "meeting")))
    assert "Protokollsutdrag" in text and "Utdraget görs…" in text
    assert "Utdragen görs just nu (SN § 1, SN § 2, SN § 3, SN § 4)" in text
    justering.render_extracts(revision.pk)
    response = client.get(staff_url(c, "meeting"))
    text = page_text(response)
    assert "Utdraget görs…" not in text and "Offentligt utdrag (PDF)" in text
    extract = Extract.objects.get(revision=revision, paragraph=1)
    assert staff_url(c, "extract_pdf", extract.pk) in response.content.decode()


@pytest.mark.django_db
def test_members_download_the_internal_extract_of_a_confidential_paragraph(client, c, cast):
    confidential(c)
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=4)
    url = staff_url(c, "extract_pdf", extract.pk)
    assert client.get(url).status_code == 302  # to the login
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.member)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == extract.internal_pdf_sha256
    assert "OSL 26 kap. 1 §" not in " ".join(text(body))  # the § in full, not its ground


@pytest.mark.django_db
def test_the_secretary_sends_the_extract_to_the_paragraphs_recipients(
    client, c, cast, django_capture_on_commit_callbacks
):
    with_recipients(c)
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=2)
    url = staff_url(c, "extract_send", extract.pk)
    client.force_login(cast.secretary)
    form = client.get(url)
    html = form.content.decode()
    assert form.status_code == 200
    assert "Socialförvaltningen" in html
    assert 'value="ekonomi@arboga.example"' in html  # prefilled: the recipient is an address
    mail.outbox.clear()
    cast.secretary.email = "sara@arboga.example"
    cast.secretary.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email_0": "sf@arboga.example", "email_1": "ekonomi@arboga.example"}
        )
    assert response.status_code == 302 and response["Location"].endswith("#utdrag")
    assert sorted(m.to[0] for m in mail.outbox) == ["ekonomi@arboga.example", "sf@arboga.example"]
    message = mail.outbox[0]
    assert message.subject == "Protokollsutdrag Förebyggande rådet 2026-03-09 SN § 2"
    assert message.reply_to == ["sara@arboga.example"]  # a reply reaches the secretary
    ((name, pdf, kind),) = message.attachments
    assert name == extract.file_name and kind == "application/pdf"
    assert hashlib.sha256(pdf).hexdigest() == extract.pdf_sha256
    dispatches = list(ExtractDispatch.objects.filter(extract=extract).order_by("id"))
    assert [(d.recipient, d.email, d.internal) for d in dispatches] == [
        ("Socialförvaltningen", "sf@arboga.example", False),
        ("ekonomi@arboga.example", "ekonomi@arboga.example", False),
    ]
    assert dispatches[0].sent_by == cast.secretary
    text_ = page_text(client.get(staff_url(c, "meeting")))
    assert re.search(
        r"Skickat till Socialförvaltningen \(sf@arboga\.example\) 2026-\d\d-\d\d kl\. \d\d\.\d\d "
        r"av Sara Sekreterare",
        text_,
    )
    # delivered once: a retry of the task sends nothing more
    assert all(d.delivered_at is not None for d in dispatches)
    from minutes.tasks import send_extract

    assert send_extract.call(dispatches[0].pk) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_dispatch_the_mail_server_has_not_taken_says_so(client, c, cast):
    with_recipients(c)
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=2)
    client.force_login(cast.secretary)
    # no on_commit run: the task has not sent it yet
    client.post(
        staff_url(c, "extract_send", extract.pk),
        {"email_0": "sf@arboga.example", "email_1": "ekonomi@arboga.example"},
    )
    page = page_text(client.get(staff_url(c, "meeting")))
    assert "Väntar på att skickas till Socialförvaltningen (sf@arboga.example)" in page
    assert "Skickat till Socialförvaltningen" not in page


@pytest.mark.django_db
def test_a_bad_address_sends_nothing_and_says_which(client, c, cast):
    with_recipients(c)
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=2)
    client.force_login(cast.secretary)
    mail.outbox.clear()
    response = client.post(
        staff_url(c, "extract_send", extract.pk),
        {"email_0": "inte en adress", "email_1": "ekonomi@arboga.example"},
    )
    assert response.status_code == 400
    text_ = page_text(response)
    assert (
        "inte giltiga e-postadresser; inget har skickats: Socialförvaltningen (inte en adress)"
        in (text_)
    )
    assert 'value="inte en adress"' in response.content.decode()  # nothing typed is lost
    assert not ExtractDispatch.objects.exists() and not mail.outbox
    empty = client.post(staff_url(c, "extract_send", extract.pk), {"email_0": "", "email_1": ""})
    assert empty.status_code == 400 and "minst en mottagare" in page_text(empty)


@pytest.mark.django_db
def test_a_confidential_paragraphs_extract_is_sent_as_the_internal_pdf(
    client, c, cast, django_capture_on_commit_callbacks
):
    confidential(c)
    with_recipients(c, 4)
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=4)
    client.force_login(cast.secretary)
    assert "sekretessbelagd" in page_text(client.get(staff_url(c, "extract_send", extract.pk)))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(staff_url(c, "extract_send", extract.pk), {"email_0": "sf@arboga.example"})
    (message,) = mail.outbox
    assert "sekretessbelagda uppgifter" in message.body
    ((_name, pdf, _kind),) = message.attachments
    assert hashlib.sha256(pdf).hexdigest() == extract.internal_pdf_sha256
    assert ExtractDispatch.objects.get().internal


@pytest.mark.django_db
def test_who_may_send_an_extract(client, c, cast):
    with_recipients(c)
    revision = justera_with_extracts(c)
    extract = Extract.objects.get(revision=revision, paragraph=2)
    url = staff_url(c, "extract_send", extract.pk)
    response = client.get(url)
    assert (response.status_code == 302 and "/login" in response["Location"]) or "konto" in (
        response["Location"]
    )
    client.force_login(cast.outsider)  # another council's secretary
    assert client.get(url).status_code == 404
    client.force_login(cast.secretary)
    wrong = staff_url(c, "extract_send", extract.pk, council=cast.other_council)
    assert client.get(wrong).status_code == 404
    client.force_login(cast.member)  # a member, not the secretary
    assert client.get(url).status_code == 403
    assert client.post(url, {"email_0": "sf@arboga.example"}).status_code == 403
    assert not ExtractDispatch.objects.exists()


@pytest.mark.django_db
def test_an_extract_not_yet_made_says_so(client, c, cast):
    justera(c)  # the extracts are made by the task worker after the commit
    client.force_login(cast.secretary)
    response = client.get(staff_url(c, "extract_send", 999999))
    assert response.status_code == 404
    assert "Utdragen görs strax efter justeringen" in page_text(response)


# --- the feed --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_councils_feed_entry_links_the_extracts(client, c, django_assert_max_num_queries):
    from xml.etree import ElementTree as ET

    revision = justera(c)
    url = "/arboga/forebyggande-radet/minnesanteckningar.atom"
    before = client.get(url)
    justering.render_extracts(revision.pk)
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200  # the extracts changed the feed
    with django_assert_max_num_queries(4):  # the council, the state, the entries, the extracts
        response = client.get(url)
    atom = "{http://www.w3.org/2005/Atom}"
    (entry,) = ET.fromstring(response.content).findall(f"{atom}entry")  # noqa: S314
    related = [link for link in entry.findall(f"{atom}link") if link.get("rel") == "related"]
    assert [link.get("title") for link in related] == [
        f"Protokollsutdrag § {n}" for n in range(1, 5)
    ]
    extract = Extract.objects.get(revision=revision, paragraph=1)
    assert related[0].get("href").endswith(published(extract))
    assert related[0].get("type") == "application/pdf"


@pytest.mark.django_db
def test_a_search_hit_on_a_paragraph_leads_to_the_paragraph_and_its_extract(client, c):
    from minutes import search

    AgendaItem.objects.filter(minutes=c.minutes, position=2).update(
        proposal="Nämnden godkänner budgetuppföljningen för kvartalet."
    )
    revision = justera_with_extracts(c)
    search.index_meeting(c.minutes.meeting_id)
    html = client.get("/sok/", {"q": "budgetuppföljningen"}).content.decode()
    assert f'href="{PAGE}#paragraf-2"' in html
    page_html = client.get(PAGE).content.decode()
    section = page_html.split('id="paragraf-2"')[1].split("</section>")[0]
    assert published(Extract.objects.get(revision=revision, paragraph=2)) in section


@pytest.mark.django_db
def test_the_extract_of_a_paragraph_with_a_vote_keeps_the_vote_and_leaves_out_the_roll(cast):
    """The vote's lines (who voted how, the result) are in the § itself; the närvaro- och
    omröstningslista of the whole meeting is not part of an extract."""
    from minutes.pdf import render_minutes_pdf
    from minutes.snapshot import build_snapshot, extract_snapshot
    from tests.minutes.test_protocol_pdf import protocol_meeting, socialnamnden

    minutes = protocol_meeting(socialnamnden(cast))
    doc = build_snapshot(minutes, signed={"Ordförande": "Justerat elektroniskt 2026-03-16"})
    extract = extract_snapshot(
        doc, 1, certified_by="Kim Åberg", certified_on=datetime.date(2026, 3, 16)
    )
    pdf = render_minutes_pdf(extract)
    keep("utdrag-votering.pdf", pdf)
    lines = text(pdf)
    joined = " ".join(lines)
    assert in_text(lines, ["SN § 2", "Votering", "Ja (6)", "Nej (4)", "Avstår (1)", "Beslut"])
    assert "Närvaro- och omröstningslista" not in joined
    assert in_text(lines, ["Utdragsbestyrkande", "Kim Åberg", "Bestyrkt elektroniskt 2026-03-16"])
    # the confidential § 3's extract, public copy, names only its ground
    secret = render_minutes_pdf(
        extract_snapshot(doc, 2, certified_by="Kim Åberg", certified_on=datetime.date(2026, 3, 16))
    )
    secret_text = " ".join(text(secret))
    assert "SN § 3 Sekretessbelagt ärende – utelämnat enligt" in secret_text
    assert "Hemlig" not in secret_text and "Votering" not in secret_text


def test_a_signature_stamp_keeps_its_date_and_time_together():
    from core.templatetags.typography import nobreak_stamp

    assert nobreak_stamp("Justerat elektroniskt 2026-03-16 kl. 11.05") == (
        "Justerat elektroniskt 2026-03-16\u00a0kl.\u00a011.05"
    )
    assert (
        nobreak_stamp("<b>2026-03-16 kl. 9.05</b>")
        == "&lt;b&gt;2026-03-16\u00a0kl.\u00a09.05&lt;/b&gt;"
    )
    assert nobreak_stamp("") == ""


@pytest.mark.django_db
def test_a_paragraph_justerad_at_once_is_public_before_the_protokoll(client, c):
    """The anslagstavla links the meeting's page: before the rest of the protokoll is
    justerat, the page offers the § justerad at once as its extract (the English page too)."""
    item = immediate(c)
    page_url = "/arboga/forebyggande-radet/2026-03-09/"
    assert "Omedelbart justerade paragrafer" not in page_text(client.get(page_url))
    justering.paragraph_submit(item=item, actor=c.users["Sekreterare"])
    for who in SIGNERS:
        record = justering.paragraph_sign(item=item, actor=c.users[who])
    publication.publish_extract(record)
    response = client.get(page_url)
    words = page_text(response)
    assert "Protokollet är inte justerat ännu." in words
    assert "Omedelbart justerade paragrafer" in words and "SN § 3 " in words
    url = publication.url_for(publication.extract_published_name(record))
    assert f'href="{url}"' in response.content.decode() and record.pdf_sha256 in words
    english = page_text(client.get("/en" + page_url))
    assert (
        "Paragraphs confirmed at the meeting" in english and "Certified extract SN § 3" in english
    )
    # once the protokoll is justerat, the § stands in it with its extract link
    submit(c)
    for who in SIGNERS:
        sign(c, who)
    assert "Omedelbart justerade paragrafer" not in page_text(client.get(page_url))


@pytest.mark.django_db
def test_the_justerat_protokolls_page_runs_four_queries_and_reads_no_extracts_text(
    client, c, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    revision = justera(c)
    Extract.objects.filter(revision=revision).delete()
    with django_assert_num_queries(4):  # council, meeting, revisions, extracts (none)
        assert client.get(PAGE).status_code == 200
    justering.render_extracts(revision.pk)
    assert Extract.objects.filter(revision=revision, is_public=True).count() == 4
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    assert len(queries) == 4  # whatever the number of extracts
    extracts = [q["sql"] for q in queries if 'FROM "minutes_extract"' in q["sql"]]
    assert len(extracts) == 1
    assert '"minutes_extract"."snapshot"' not in extracts[0]
