"""The golden test: legacy minutes imported and rendered give back their own words, and the PDF
is archival, tagged, Swedish and self-contained."""

import hashlib
import subprocess

import pytest
from django.core.management import call_command

from minutes.models import Meeting
from minutes.pdf import Renderer, build_html, render_minutes_pdf
from minutes.services import import_legacy_minutes
from minutes.snapshot import build_snapshot
from tests.minutes import pdftext

pytestmark = pytest.mark.django_db


def import_and_render(text: str, slug: str) -> tuple[Meeting, bytes]:
    report = import_legacy_minutes(text=text, council_slug=slug)
    return report.meeting, render_minutes_pdf(build_snapshot(report.minutes))


@pytest.mark.parametrize("which", ["seed", "own"])
def test_rendering_imported_minutes_gives_back_exactly_their_words(request, which):
    text = request.getfixturevalue(f"{which}_text")
    meeting, pdf = import_and_render(text, "radet")
    header = meeting.council.name
    title = ["Minnesanteckningar", *build_snapshot(meeting.minutes.get()).date_in_words.split()]
    assert pdftext.words(pdf, header=header, title_words=title) == pdftext.seed_words(text, header)
    # the running header and page numbers are pagination artifacts, the rest is in the tree
    assert len(pdftext.raw_lines(pdf)) > 1
    assert pdftext.untagged_content(pdf) == []
    assert pdftext.artifacts(pdf) == {"/Pagination"}


def test_the_seeds_item_five_has_seven_sub_sections(seed_text):
    meeting, _ = import_and_render(seed_text, "forebyggande-radet")
    item = meeting.minutes.get().items.get(number="5")
    assert item.sections.count() == 7


def test_the_pdf_is_tagged_pdf_a_2a_in_swedish_with_one_title(own_text):
    _meeting, pdf = import_and_render(own_text, "trygghetsradet")
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Tagged:          yes" in info
    assert "Title:           Minnesanteckningar Trygghetsrådet 2024-12-03" in info
    assert "Author:          Trygghetsrådet, Kristinehamn kommun" in info
    meta = subprocess.run(
        ["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="A"' in meta
    assert pdftext.catalog(pdf)["/Lang"] == "sv-SE"
    tags = pdftext.structure(pdf)
    assert tags["H1"] == 1
    assert tags["H2"] == 4  # the items
    assert tags["H3"] == 2  # the sub-sections of item 3
    assert tags["L"] == 1 and tags["LI"] == 3


def test_the_pdf_embeds_its_own_fonts_only(own_text):
    _, pdf = import_and_render(own_text, "trygghetsradet")
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows
    for row in rows:
        assert "+Liberation-" in row[0], row
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, unicode map


def test_swedish_letters_extract_correctly(own_text):
    _, pdf = import_and_render(own_text, "trygghetsradet")
    text = " ".join(" ".join(page) for page in pdftext.raw_lines(pdf))
    for word in ("Örjan", "Åkesson", "Träffarna", "Önnestad", "Åby", "Bränderna"):
        assert word in text


def test_the_closing_line_and_signatures_follow_the_seed(own_text):
    _, pdf = import_and_render(own_text, "trygghetsradet")
    last_page = pdftext.raw_lines(pdf)[-1]
    assert "Kristinehamn den 3/12- 2024" in last_page
    assert last_page.index("Birgitta Lind") + 1 == last_page.index("Ordförande")
    assert last_page.index("Kajsa Öberg") + 1 == last_page.index("Sekreterare")


def test_one_snapshot_always_renders_to_the_same_bytes(own_text):
    report = import_legacy_minutes(text=own_text, council_slug="trygghetsradet")
    snapshot = build_snapshot(report.minutes)
    first = render_minutes_pdf(snapshot)
    second = render_minutes_pdf(snapshot)
    assert first == second
    fresh = Renderer()  # another process, fonts loaded anew
    try:
        third = fresh.render_html(build_html(snapshot)).pdf
    finally:
        fresh.close()
    assert hashlib.sha256(third).hexdigest() == hashlib.sha256(first).hexdigest()


def test_render_minutes_command_writes_the_pdf(tmp_path, own_text):
    report = import_legacy_minutes(text=own_text, council_slug="trygghetsradet")
    out = tmp_path / "m.pdf"
    call_command("render_minutes", str(report.meeting.pk), str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert out.read_bytes().startswith(b"%PDF-1.7")
