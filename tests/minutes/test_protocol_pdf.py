"""A nämnd's protokoll as PDF and as the public page (issue 18, point 5): the front page, the
table of contents whose pages are the pages the §§ start on, the parts of a § in order, the
"Justerandes signatur" on every page, the närvaro- och omröstningslista agreeing with the §'s
vote, a confidential § that leaks nothing, the PDF still tagged PDF/A-2a, and search."""

from __future__ import annotations

import io
import itertools
import re
import subprocess

import pytest

from minutes import search, services
from minutes.models import ApprovedRevision
from minutes.pdf import build_html, render_minutes_pdf
from minutes.snapshot import build_snapshot
from tests import factories
from tests.minutes import committee_fixtures as cf
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.minutes.services.test_deliberation import NO, YES, full
from tests.pages import page_text

pytestmark = pytest.mark.django_db

D = services.DeliberationInput
V = services.VoteInput
M = services.MotionInput
HEADER = "Socialnämnden Sammanträdesdatum 2026-03-09"
SECRET = "Bistånd beviljas enligt ansökan från Hemlig Person."


def socialnamnden(cast) -> cf.Committee:
    cast.council.name = "Socialnämnden"
    cast.council.save(update_fields=["name"])
    return cf.committee(cast)


@pytest.fixture
def c(cast):
    return socialnamnden(cast)


@pytest.fixture
def minutes(c):
    return protocol_meeting(c)


def protocol_meeting(c: cf.Committee):
    """Four §§: § 2 with every part, a 6–4–1 vote, reservations and a jäv; § 3 confidential,
    with motions and a vote of its own."""
    minutes = cf.meeting(c)
    meeting = minutes.meeting
    meeting.secretary = factories.person("Kim Åberg")
    meeting.save(update_fields=["secretary"])
    cf.save(
        cf.item_at(minutes, 2),
        full(c),
        body="<p>Förvaltningen redovisar nämndens ekonomiska utfall till och med februari.</p>",
        parts=services.PartsInput(
            case_number="SN 2026/14",
            basis="Tjänsteskrivelse, 2026-02-20\nEkonomisk rapport februari",
            proposal="Förvaltningen föreslår att nämnden godkänner uppföljningen.",
            decision_points="Uppföljningen godkänns.\nFörvaltningen återkommer med en åtgärdsplan.",
            protocol_note="Eva Grön (V) låter anteckna att underlaget kom sent.",
            recipients="Socialförvaltningen\nEkonomienheten",
            immediate_adjustment=True,
        ),
    )
    serving = [n for n, _p, _r in cf.MEMBERS if n != "Jonas Lind"] + ["Karin Mark"]
    ballots = {c[n].pk: (NO if n in ("Cecilia Dahl", "Greta Ivarsson") else YES) for n in serving}
    cf.save(
        cf.item_at(minutes, 3),
        D(
            motions=(M(c["Hassan Jama"].pk, "bifall"), M(c["Cecilia Dahl"].pk, "avslag")),
            proposition="Ordföranden ställer proposition på det hemliga förslaget.",
            votes=(V("det hemliga förslaget", "Cecilia Dahls (S) avslagsyrkande", ballots),),
        ),
        body="<p>Hemlig Person ansöker om bistånd.</p>",
        is_public=False,
        confidentiality_ground="26 kap. 1 § OSL",
        parts=services.PartsInput(case_number="SN 2026/20", decision_points=SECRET),
    )
    return minutes


def page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)$", info.stdout.decode(), re.MULTILINE).group(1))


def page(pdf: bytes, number: int) -> list[str]:
    """``pdftotext -raw -f N -l N``: one page's lines."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [line for line in text.replace("\f", "").splitlines() if line.strip()]


def in_order(lines: list[str], expected: list[str]) -> bool:
    """Every expected string is found, each after the one before, in the joined lines."""
    text, at = "\n".join(lines), 0
    for want in expected:
        at = text.find(want, at)
        if at < 0:
            return False
        at += len(want)
    return True


def table_of_contents(pdf: bytes) -> dict[int, tuple[str, int]]:
    """§ number → (title, page), from the page that says "Innehållsförteckning"."""
    for number in range(1, page_count(pdf) + 1):
        lines = page(pdf, number)
        if "Innehållsförteckning" in lines:
            rows = (re.fullmatch(r"§ (\d+) (.+) (\d+)", line) for line in lines)
            return {int(m[1]): (m[2], int(m[3])) for m in rows if m}
    raise AssertionError("no table of contents")


def heading_pages(pdf: bytes) -> dict[int, int]:
    """§ number → the page whose lines start with its heading ("SN § 2 …")."""
    found = {}
    for number in range(1, page_count(pdf) + 1):
        for line in page(pdf, number):
            match = re.match(r"SN § (\d+) ", line)
            if match:
                found.setdefault(int(match[1]), number)
    return found


def section_votes(lines: list[str]) -> dict[str, str]:
    """Name → "Ja"/"Nej"/"Avstår" from a § page's votering ("Ja (6) Anna Ek (S), …")."""
    text = " ".join(lines)
    votes = {}
    for choice, names in re.findall(
        r"\b(Ja|Nej|Avstår) \(\d+\) (.+?)(?= (?:Nej|Avstår) \(\d+\) | Med \d)", text
    ):
        for name in names.split(", "):
            votes[name.strip()] = choice
    return votes


ROLL_ROW = re.compile(
    r"(.+?) (S|M|V|KD|C|SD|L) (ordförande|vice ordförande|ledamot|ersättare) "
    r"(Tjänstgör(?:, jäv)?(?: §§? [\d–]+)?|Närvarande|Frånvarande)((?: (?:Ja|Nej|Avstår))*)"
)


def roll(pdf: bytes) -> tuple[list[str], dict[str, list[str]]]:
    """The närvaro- och omröstningslista: its vote columns, and per "Name (Party)" the votes."""
    last = page(pdf, page_count(pdf))
    assert "Närvaro- och omröstningslista" in last
    header = last.index("Ledamot Parti Roll Närvaro Omröstning")
    columns = re.findall(r"§ \d+(?::\d+)?", last[header + 1])
    rows = {}
    for line in last[header + 2 :]:
        match = ROLL_ROW.fullmatch(line)
        if match:
            rows[f"{match[1]} ({match[2]})"] = match[5].split()
    return columns, rows


def test_the_front_page_lists_the_attendance_the_justerare_and_the_paragraphs(minutes):
    pdf = render_minutes_pdf(build_snapshot(minutes))
    first = page(pdf, 1)
    assert first[:2] == ["Protokoll", "9 mars 2026"]
    assert in_order(
        first,
        [
            "Plats och tid Sessionssalen kl 13.00 – 16.00",
            "Beslutande Anna Ek (S), ordförande",
            "Bo Berg (M), vice ordförande",
            "Karin Mark (L), ersätter Jonas Lind (L)",
            "Ersättare Lars Olsson (S), tjänstgör § 2",
            "Övriga närvarande Maria Svensson, Socialchef",
            "Kim Åberg, nämndsekreterare",
            "Utses att justera Bo Berg (M), Eva Grön (V)",
            "Justeringens plats och tid Socialkontoret, 2026-03-16 kl 10.00",
            "Underskrifter Sekreterare Kim Åberg Paragrafer 1–4",
            "Ordförande Anna Ek",
            "Justerare Bo Berg Eva Grön",
        ],
    ), first
    # one deciding member a line, in the order of the attendance
    assert first[first.index("Bo Berg (M), vice ordförande") + 1] == "Cecilia Dahl (S)"


def test_the_table_of_contents_gives_the_pages_the_paragraphs_start_on(minutes):
    pdf = render_minutes_pdf(build_snapshot(minutes))
    contents = table_of_contents(pdf)
    assert {n: title for n, (title, _) in contents.items()} == {
        1: "Val av justerare",
        2: "Ekonomisk uppföljning",
        3: "Sekretessbelagt ärende",  # the public version keeps the number, not the title
        4: "Delegationsbeslut",
    }
    assert {n: p for n, (_, p) in contents.items()} == heading_pages(pdf)
    assert len(set(heading_pages(pdf).values())) == 4  # each § starts a page
    # and the § page carries the anchor the contents link to
    assert 'id="paragraf-2"' in build_html(build_snapshot(minutes))


def test_a_paragraph_shows_its_parts_in_the_order_of_the_protokoll(minutes):
    pdf = render_minutes_pdf(build_snapshot(minutes))
    start = heading_pages(pdf)[2]
    lines = page(pdf, start) + page(pdf, start + 1)
    assert in_order(
        lines,
        [
            "SN § 2 Ekonomisk uppföljning",
            "Dnr SN 2026/14",
            "Ärendebeskrivning",
            "Förvaltningen redovisar",
            "Beslutsunderlag",
            "Tjänsteskrivelse, 2026-02-20",
            "Förslag till beslut",
            "Yrkanden",
            "Cecilia Dahl (S) yrkar bifall till förslaget.",
            "Hassan Jama (C) yrkar att ärendet återremitteras",
            "Propositionsordning",
            "Votering",
            "Ja-röst för förslaget, nej-röst för Bo Bergs (M)",
            "Ja (6) Anna Ek (S)",
            "Nej (4) Bo Berg (M)",
            "Avstår (1) Hassan Jama (C)",
            "Med 6 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt",
            "Beslut",
            "1. Uppföljningen godkänns.",
            "2. Förvaltningen återkommer med en åtgärdsplan.",
            "Reservationer",
            "Bo Berg (M) reserverar sig mot beslutet till förmån för eget yrkande.",
            "Ida Karlsson (SD) reserverar sig mot beslutspunkt 2.",
            "Protokollsanteckning",
            "Jäv",
            "David Falk (S) anmäler jäv",
            "Beslutet skickas till",
            "Socialförvaltningen",
            "Omedelbar justering",
            "Paragrafen justeras omedelbart.",
        ],
    ), lines
    # a § without parts shows no empty headings
    lone = page(pdf, heading_pages(pdf)[4])
    assert not {"Beslut", "Yrkanden", "Votering", "Ärendebeskrivning"} & set(lone)


def test_every_page_has_the_justerandes_signatur_field_and_the_running_header(minutes):
    doc = build_snapshot(minutes)
    for pdf in (render_minutes_pdf(doc), render_minutes_pdf(doc, draft=True)):
        pages = page_count(pdf)
        assert pages >= 6
        for number in range(1, pages + 1):
            lines = page(pdf, number)
            assert HEADER in lines, (number, lines)
            assert f"Justerandes signatur Sida {number} av {pages}" in lines, (number, lines)


def test_the_roll_call_appendix_agrees_with_the_vote_on_the_paragraphs_page(minutes):
    doc = build_snapshot(minutes)
    pdf = render_minutes_pdf(doc)
    columns, rows = roll(pdf)
    assert columns == ["§ 2"]  # the confidential § 3's vote is not a column of the public list
    start = heading_pages(pdf)[2]
    votes = section_votes(page(pdf, start) + page(pdf, start + 1))
    assert len(votes) == 11 and list(votes.values()).count("Ja") == 6
    assert {name: v[0] for name, v in rows.items() if v} == votes
    # everyone on the list, serving or not; the absent member has no vote
    assert len(rows) == len(doc.roll) and rows["Jonas Lind (L)"] == []
    assert "Summa ja / nej / avstår 6 / 4 / 1" in page(pdf, page_count(pdf))


def test_the_internal_copy_shows_the_confidential_paragraph_and_its_vote(minutes):
    pdf = render_minutes_pdf(build_snapshot(minutes), internal=True)
    columns, rows = roll(pdf)
    assert columns == ["§ 2", "§ 3"]
    assert rows["Cecilia Dahl (S)"] == ["Ja", "Nej"] and rows["David Falk (S)"] == ["Ja"]
    start = heading_pages(pdf)[3]
    assert section_votes(page(pdf, start))["Cecilia Dahl (S)"] == "Nej"
    assert SECRET in " ".join(page(pdf, start))


def test_a_confidential_paragraph_with_a_vote_leaks_nothing(client, c, cast, minutes):
    doc = build_snapshot(minutes)
    pdf = render_minutes_pdf(doc)
    text = " ".join(line for p in pdftext.raw_lines(pdf) for line in p)
    assert "SN § 3 Sekretessbelagt ärende – utelämnat enligt 26 kap. 1 § OSL" in text
    for secret in (
        "Hemlig",
        "hemliga",
        "Bistånd",
        "SN 2026/20",
        "Cecilia Dahls (S) avslag",
        "§ 3:",
    ):
        assert secret not in text
    assert "Med 9 ja-röster" not in text  # the result of § 3's vote

    submit_and_approve(minutes, cast)
    response = client.get("/arboga/forebyggande-radet/2026-03-09/")
    html, words = response.content.decode(), page_text(response)
    assert response.status_code == 200
    for secret in ("Hemlig", "hemliga", "Bistånd", "SN 2026/20", "Med 9 ja-röster"):
        assert secret not in words
    assert 'id="paragraf-3"' in html and "Sekretessbelagt ärende" in words
    # the public list has § 2's column only
    table = html[html.index('class="table table-sm table-bordered roll-table"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r"<abbr title=\"Votering ([^\"]+)\"", table) == ["§ 2"]


def test_the_public_page_shows_the_paragraphs_parts_the_vote_and_the_roll(client, c, cast, minutes):
    submit_and_approve(minutes, cast)
    response = client.get("/arboga/forebyggande-radet/2026-03-09/")
    html, words = response.content.decode(), page_text(response)
    section = html[html.index('id="paragraf-2"') : html.index('id="paragraf-3"')]
    for heading in (
        "Ärendebeskrivning",
        "Beslutsunderlag",
        "Förslag till beslut",
        "Yrkanden",
        "Propositionsordning",
        "Votering",
        "Beslut",
        "Reservationer",
        "Protokollsanteckning",
        "Jäv",
        "Beslutet skickas till",
        "Omedelbar justering",
    ):
        assert f">{heading}</h3>" in section, heading
    bare = re.sub(r"\s+", "", words)  # page_text joins a <dt> and its <dd>
    assert in_order(
        [bare],
        [
            re.sub(r"\s+", "", expected)
            for expected in (
                "Beslutande Anna Ek (S), ordförande",
                "Ersättare Lars Olsson (S), tjänstgör § 2",
                "Utses att justera Bo Berg (M), Eva Grön (V)",
                "Justeringens plats och tid Socialkontoret, 2026-03-16 kl 10.00",
                "Paragrafer 1–4",
                "Ja (6) Anna Ek (S), Cecilia Dahl (S)",
                "Bo Berg (M) reserverar sig mot beslutet",
                "Kim Åberg Sekreterare Justerat elektroniskt",
                "Anna Ek Ordförande Justerat elektroniskt",
                "Närvaro- och omröstningslista",
            )
        ],
    )
    assert '<th scope="row" class="fw-normal">Hassan Jama</th>' in html
    assert 'id="punkt-' not in html  # a råd's anchors, not a nämnd's


def test_the_draft_has_no_signatures_but_names_its_paragraphs(minutes):
    pdf = render_minutes_pdf(build_snapshot(minutes), draft=True)
    first = page(pdf, 1)
    assert "UTKAST" in first
    assert "Paragrafer 1–4" in first
    assert not any(line.startswith("Underskrifter") for line in first)


def test_the_signed_line_is_shown_under_the_signatory(minutes):
    doc = build_snapshot(minutes, signed={"Ordförande": "Justerat elektroniskt 2026-03-16"})
    first = page(render_minutes_pdf(doc), 1)
    assert in_order(first, ["Ordförande Anna Ek", "Justerat elektroniskt 2026-03-16", "Justerare"])


def test_the_protokoll_is_tagged_pdf_a_with_headings_in_order_and_table_headers(minutes):
    pdf = render_minutes_pdf(build_snapshot(minutes))
    meta = subprocess.run(
        ["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="A"' in meta
    assert pdftext.untagged_content(pdf) == []  # the footer field is page furniture too
    assert pdftext.artifacts(pdf) == {"/Pagination"}
    tags = pdftext.structure(pdf)
    assert tags["H1"] == 1
    assert tags["H2"] == 1 + 4 + 1  # the contents, the four §§, the list
    assert tags["Table"] == 5  # the front page's two, the contents, the vote, the list
    assert tags["TH"] >= 5 + 13 and tags["Link"] >= 4  # the contents link to the §§
    assert headings_in_order(pdf)


def headings_in_order(pdf: bytes) -> bool:
    """No heading level is skipped going down (H1, H2, H3 …), read from the structure tree."""
    import pikepdf

    levels: list[int] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:

        def walk(node) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
                return
            if not isinstance(node, pikepdf.Dictionary):
                return
            tag = str(node.get("/S", ""))
            if re.fullmatch(r"/H\d", tag):
                levels.append(int(tag[2:]))
            if "/K" in node:
                walk(node.K)

        walk(document.Root.StructTreeRoot)
    return levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_search_finds_motions_votes_reservations_and_jav_of_public_paragraphs_only(
    c, cast, minutes
):
    revision = submit_and_approve(minutes, cast)
    meeting = minutes.meeting
    entries = search.entries_for(
        ApprovedRevision.objects.get(pk=revision.pk),
        council_id=meeting.council_id,
        meeting_id=meeting.pk,
        date=meeting.date,
    )
    # the public §§, and the anslagsbevis of the justering (its own row, without a number)
    assert [e.number for e in entries] == ["SN § 1", "SN § 2", "SN § 4", ""]
    assert "anslag" in entries[-1].text.lower()
    text = entries[1].text
    for words in (
        "Bo Berg (M) yrkar avslag på förslaget.",
        "Ordföranden ställer proposition på förslaget",
        "Med 6 ja-röster mot 4 nej-röster",
        "Ida Karlsson (SD) reserverar sig mot beslutspunkt 2.",
        "David Falk (S) anmäler jäv",
        "Uppföljningen godkänns.",
    ):
        assert words in text, words
    everything = " ".join(e.folded for e in entries)
    assert "hemlig" not in everything and "cecilia dahls (s) avslag" not in everything
    # and a hit links to the § on the meeting's page
    assert search.anchor("SN § 12", 3) == "paragraf-12" and search.anchor("3", 3) == "punkt-3"


def test_two_votes_at_one_paragraph_are_two_columns_of_the_list(c, minutes):
    serving = [n for n, _p, _r in cf.MEMBERS if n != "Jonas Lind"] + ["Karin Mark"]
    first = {c[n].pk: YES for n in serving}
    second = {**first, c["Anna Ek"].pk: NO, c["Bo Berg"].pk: NO}
    cf.save(
        cf.item_at(minutes, 4),
        D(
            votes=(
                V("att avgöra ärendet i dag", "återremiss", first),
                V("förslaget", "avslag", second),
            )
        ),
    )
    pdf = render_minutes_pdf(build_snapshot(minutes))
    columns, rows = roll(pdf)
    assert columns == ["§ 2", "§ 4:1", "§ 4:2"]
    assert rows["Anna Ek (S)"] == ["Ja", "Ja", "Nej"]
    lines = page(pdf, heading_pages(pdf)[4])
    assert in_order(lines, ["Votering 1", "Ja (11)", "Votering 2", "Ja (9)", "Nej (2)"])


def test_a_search_hit_links_to_the_paragraph(client, c, cast, minutes):
    submit_and_approve(minutes, cast)
    html = client.get("/sok/", {"q": "återremitteras"}).content.decode()
    assert 'href="/arboga/forebyggande-radet/2026-03-09/#paragraf-2"' in html


def test_without_a_secretary_the_paragraphs_are_named_on_the_front_page_still(minutes):
    meeting = minutes.meeting
    meeting.secretary = None
    meeting.save(update_fields=["secretary"])
    first = page(render_minutes_pdf(build_snapshot(minutes)), 1)
    assert in_order(first, ["Paragrafer 1–4", "Underskrifter Ordförande Anna Ek"])
