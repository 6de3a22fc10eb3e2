"""A meeting's public page and its stable PDF address."""

import itertools

import pytest
from django.core.files.storage import default_storage

from minutes import services
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve, write_item
from tests.pages import page_text

pytestmark = pytest.mark.django_db
PAGE = "/arboga/forebyggande-radet/2025-02-24/"
PDF = PAGE + "arboga-forebyggande-radet-2025-02-24.pdf"


def test_a_draft_is_never_shown(client, draft):
    write_item(draft, 4, "<p>Hemligt utkast.</p>")
    text = page_text(client.get(PAGE))
    assert "Minnesanteckningarna är inte godkända ännu." in text
    assert "Hemligt utkast" not in text and "Övriga frågor" not in text
    assert client.get(PDF).status_code == 404


def test_approved_minutes_are_shown_with_the_pdf_its_size_and_hash(client, cast, draft):
    write_item(
        draft, 4, "<p>Känsligt.</p>", title="Personalärende", public=False, ground="OSL 39 kap. 3 §"
    )
    revision = submit_and_approve(draft, cast)
    response = client.get(PAGE)
    text = page_text(response)
    assert "1. Föregående minnesanteckningar" in text
    assert "4. Sekretessbelagt ärende – utelämnat enligt OSL 39 kap. 3 §" in text
    assert "Personalärende" not in text and "Känsligt" not in text
    assert revision.pdf_sha256 in text
    assert f'href="{PDF}"' in response.content.decode()
    stable = client.get(PDF)
    assert stable.status_code == 302 and stable["Cache-Control"] == "public, max-age=300"
    assert stable["Location"] == (
        f"/filer/{revision.pdf_sha256}/arboga-forebyggande-radet-2025-02-24.pdf"
    )
    download = client.get(stable["Location"])
    assert b"".join(download.streaming_content) == default_storage.open(revision.pdf_name).read()
    assert 'filename="arboga-forebyggande-radet-2025-02-24.pdf"' in download["Content-Disposition"]


def test_the_page_shows_the_signatures_as_the_pdf_does(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    signed = services.signed_text(revision.approved_at)
    assert signed.startswith("Justerat elektroniskt ")
    text = page_text(client.get(PAGE))
    signatories = revision.snapshot["signatories"]
    assert signatories
    for s in signatories:
        line = " ".join(part for part in (s["name"], s["role"], s["signed"]) if part)
        assert line in text
    assert any(s["signed"] == signed for s in signatories)
    pdf = default_storage.open(revision.pdf_name).read()
    assert signed in " ".join(line for page in pdftext.raw_lines(pdf) for line in page)


def test_a_meeting_not_yet_approved_shows_no_signatures(client, cast, draft):
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    assert "Justerat" not in page_text(client.get(PAGE))


def test_wrong_dates_and_file_names_are_404(client, cast, draft):
    submit_and_approve(draft, cast)
    assert client.get("/arboga/forebyggande-radet/2025-02-30/").status_code == 404
    assert client.get("/arboga/forebyggande-radet/2025-02-25/").status_code == 404
    assert client.get(PAGE + "annat-namn.pdf").status_code == 404


def test_a_correction_lists_the_superseded_version_and_withdrawal_hides_the_text(
    client, cast, draft
):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.chair, reason="Stavfel.")
    submit_and_approve(correction, cast)
    text = page_text(client.get(PAGE))
    assert "rättad version 2" in text and "Version 1 – ersatt av en rättad version" in text
    services.publication_withdraw(
        revision=correction.approved_revision, actor=cast.admin, reason="Personuppgifter."
    )
    text = page_text(client.get(PAGE))
    assert "har dragits tillbaka. Personuppgifter." in text
    assert "Föregående minnesanteckningar" not in text
    assert client.get(PDF).status_code == 410


def test_the_meeting_page_runs_three_queries(client, cast, draft, django_assert_num_queries):
    first = submit_and_approve(draft, cast)
    with django_assert_num_queries(3):
        assert client.get(PAGE).status_code == 200
    correction = services.correction_start(revision=first, actor=cast.chair, reason="Stavfel.")
    second = submit_and_approve(correction, cast)
    correction = services.correction_start(revision=second, actor=cast.chair, reason="Igen.")
    submit_and_approve(correction, cast)
    with django_assert_num_queries(3):  # whatever the number of earlier versions
        assert "Version 2 – ersatt" in page_text(client.get(PAGE))


def test_headings_descend_without_skipping_a_level(client, cast, draft):
    import re

    submit_and_approve(draft, cast)
    html = client.get(PAGE).content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_a_corrected_text_replaces_the_remembered_html(client, cast, draft):
    first = submit_and_approve(draft, cast)
    assert "Rättad mening." not in page_text(client.get(PAGE))  # the first version, remembered
    correction = services.correction_start(revision=first, actor=cast.chair, reason="Fel.")
    write_item(correction, 4, "<p>Rättad mening.</p>")
    submit_and_approve(correction, cast)
    assert "Rättad mening." in page_text(client.get(PAGE))


def test_the_remembered_record_links_its_documents_whatever_language_filled_it(client, cast, draft):
    """The record's HTML is cached once for every language's page: an English page that fills
    it first leaves no /en/ link in it, and the document links work in both languages."""
    from tests.minutes.services.test_attachments import add

    document = add(draft.items.get(position=2))
    submit_and_approve(draft, cast)
    link = f"{PAGE}handlingar/{document.pk}/verksamhetsberattelse-2019.pdf"
    english = client.get("/en" + PAGE).content.decode()
    swedish = client.get(PAGE).content.decode()
    for html in (english, swedish):
        assert f'href="{link}"' in html
        assert "/en/arboga/forebyggande-radet/2025-02-24/handlingar/" not in html
    assert client.get(link).status_code == 200
