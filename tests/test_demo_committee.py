"""The demo's nämnd (issue 18, point 7): Arboga kommun's Socialnämnd with two justerade
protokoll of 2026 whose §§ run on from the first meeting to the second, motions, a vote of 5–4
with one abstention and reservations, a jäv with a stepping-in substitute, and confidential §§,
shown on its public pages and in its PDFs."""

import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from councils.demo import DEMO_PASSWORD
from councils.models import Council
from minutes.models import AgendaItem, ApprovedRevision, Meeting
from minutes.snapshot import MinutesSnapshot
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return Council.objects.get(slug="socialnamnden")


def revision(day: str) -> ApprovedRevision:
    return ApprovedRevision.objects.get(
        minutes__meeting__council__slug="socialnamnden", minutes__meeting__date=day
    )


def test_the_nämnd_has_two_justerade_protokoll_with_paragraphs_running_on(demo):
    assert demo.kind == Council.Kind.COMMITTEE and demo.paragraph_prefix == "SN"
    meetings = list(Meeting.objects.filter(council=demo).order_by("date"))
    assert [str(m.date) for m in meetings] == ["2026-10-14", "2026-11-18"]
    numbers = [
        list(
            AgendaItem.objects.filter(minutes__meeting=m)
            .order_by("position")
            .values_list("paragraph", flat=True)
        )
        for m in meetings
    ]
    assert numbers == [[1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13]]
    assert all(m.latest_minutes().status == "approved" for m in meetings)


def test_the_first_protokoll_holds_a_vote_reservations_a_jäv_and_a_confidential_paragraph(demo):
    doc = MinutesSnapshot.from_dict(revision("2026-10-14").snapshot)
    by_title = {item.title: item for item in doc.items}
    guidelines = by_title["Riktlinjer för ekonomiskt bistånd 2027"]
    (vote,) = guidelines.votes
    assert (len(vote.yes), len(vote.no), len(vote.abstain)) == (5, 4, 1)
    assert vote.result == (
        "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget."
    )
    assert "Sofia Ekdahl (KD) yrkar bifall till Göran Bloms (M) yrkande." in guidelines.motions
    assert guidelines.reservations[0] == (
        "Göran Blom (M) reserverar sig mot beslutet till förmån för eget yrkande."
    )
    grant = by_title["Verksamhetsbidrag till Arboga brottsofferjour 2027"]
    assert grant.disqualifications == (
        "Leila Haddad (V) anmäler jäv och deltar inte i handläggningen av ärendet. "
        "Ulrika Fält (V) tjänstgör i stället.",
    )
    assert [i.is_public for i in doc.items].count(False) == 1
    assert doc.adjusters == ("Johan Fors (M)", "Leila Haddad (V)")
    assert doc.paragraphs == "1–7"
    assert {r.name: r.votes for r in doc.roll}["Anders Vik"] == ("Avstår",)


def test_the_second_protokoll_has_attendance_for_part_of_the_meeting(demo):
    doc = MinutesSnapshot.from_dict(revision("2026-11-18").snapshot)
    assert "Hanna Lövgren (L), närvarande §§ 8–11" in doc.deciding
    assert "Elin Roos (S), ersätter Nils Berglund (S)" in doc.deciding
    assert doc.paragraphs == "8–13"
    assert doc.roll == ()  # no vote at this meeting: no närvaro- och omröstningslista


def test_the_nämnd_logins_work(demo):
    user = authenticate(
        RequestFactory().get("/"), username="namndsekreterare", password=DEMO_PASSWORD
    )
    assert user.person.name == "Karin Holmqvist"
    chair = authenticate(
        RequestFactory().get("/"), username="namndordforande", password=DEMO_PASSWORD
    )
    assert chair.person.name == "Birgitta Sandberg"


def test_the_public_pages_and_pdf_of_the_nämnd(client, demo):
    text = page_text(client.get("/arboga/socialnamnden/"))
    assert "Socialnämnden" in text and "14 oktober 2026" in text
    html = client.get("/arboga/socialnamnden/").content.decode()
    pdf = re.search(r'href="(/arboga/socialnamnden/2026-10-14/[^"]+\.pdf)"', html)
    assert pdf, "the council page links the protokoll's PDF"
    response = client.get(pdf.group(1), follow=True)
    assert response["Content-Type"] == "application/pdf"
    page = page_text(client.get("/arboga/socialnamnden/2026-10-14/"))
    assert "Göran Blom (M) yrkar följande ändring" in page
    assert "ärende enligt socialtjänstlagen" not in page.casefold()


# --- the golden test of the demo's protokoll --------------------------------------------

# The words of the justerade protokoll of 14 October 2026, in the order pdftotext -raw gives
# them: the front page, the table of contents, the §§ with their parts, and the närvaro- och
# omröstningslista. A line is a run of words that must follow the line before.
GOLDEN = [
    "Protokoll",
    "14 oktober 2026",
    "Plats och tid Rådhussalen, Rådhuset kl 13.00 – 16.00",
    "Beslutande Birgitta Sandberg (S), ordförande",
    "Johan Fors (M), vice ordförande",
    "Leila Haddad (V), jäv § 5",
    "Hanna Lövgren (L)",
    "Ersättare Mats Hedlund (M)",
    "Ulrika Fält (V), tjänstgör § 5",
    "Övriga närvarande Jenny Åström, Socialchef",
    "Karin Holmqvist, nämndsekreterare",
    "Utses att justera Johan Fors (M), Leila Haddad (V)",
    "Justeringens plats och tid Socialkontoret, Rådhuset, 2026-10-21 kl 10.00",
    "Sekreterare Karin Holmqvist Paragrafer 1–7",
    "Ordförande Birgitta Sandberg",
    "Justerare Johan Fors Leila Haddad",
    "Socialnämnden Sammanträdesdatum 2026-10-14",  # each page's header and footer
    "Justerandes signatur Sida 1 av 12",
    # the anslagsbevis: justerat (on paper) and announced on 21 October, three weeks to appeal
    "ANSLAGSBEVIS Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
    "Organ Sammanträdesdatum Förvaringsplats för protokollet",
    "Socialnämnden 2026-10-14 Socialkontoret, Rådhuset, Arboga",
    "Datum då anslaget sätts upp Datum då anslaget tas ned Sista dag att överklaga",
    "2026-10-21 2026-11-12 2026-11-11",
    "Karin Holmqvist, anslaget elektroniskt 2026-10-21",
    "Justerandes signatur Sida 2 av 12",
    "Innehållsförteckning",
    "§ 1 Val av justerare",
    "§ 4 Riktlinjer för ekonomiskt bistånd 2027",
    "§ 6 Sekretessbelagt ärende",
    "§ 7 Delegationsbeslut och meddelanden",
    "Justerandes signatur Sida 3 av 12",
    "SN § 1 Val av justerare",
    "Johan Fors (M) och Leila Haddad (V) utses att justera protokollet.",
    "SN § 3 Ekonomisk uppföljning per september 2026",
    "Dnr SN 2026/41",
    "Socialnämnden godkänner den ekonomiska uppföljningen per september 2026.",
    "SN § 4 Riktlinjer för ekonomiskt bistånd 2027",
    "Yrkanden",
    "Marie Ljung (S) yrkar bifall till förslaget.",
    "Göran Blom (M) yrkar följande ändring: att riktnivån för hemutrustning sänks till 2 000 kronor.",
    "Sofia Ekdahl (KD) yrkar bifall till Göran Bloms (M) yrkande.",
    "Propositionsordning",
    "Ordföranden ställer proposition på förslaget och Göran Bloms (M) ändringsyrkande",
    "Votering",
    "Ja-röst för förslaget, nej-röst för Göran Bloms (M)",
    "Ja (5) Birgitta Sandberg (S), Marie Ljung (S), Tomas Åkesson (S), Leila Haddad (V),",
    "Nej (4) Johan Fors (M), Göran Blom (M), Sofia Ekdahl (KD), Peter Ström (SD)",
    "Avstår (1) Anders Vik (C)",
    "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget.",
    "Beslut",
    "1. Socialnämnden antar riktlinjer för ekonomiskt bistånd 2027",
    "2. Riktlinjerna gäller från och med den 1 januari 2027.",
    "Reservationer",
    "Göran Blom (M) reserverar sig mot beslutet till förmån för eget yrkande.",
    "Peter Ström (SD) reserverar sig mot beslutet.",
    "SN § 5 Verksamhetsbidrag till Arboga brottsofferjour 2027",
    "Socialnämnden beviljar Arboga brottsofferjour ett verksamhetsbidrag om 45 000 kronor",
    "Jäv",
    "Leila Haddad (V) anmäler jäv och deltar inte i handläggningen av ärendet.",
    "SN § 6 Sekretessbelagt ärende – utelämnat enligt",
    "SN § 7 Delegationsbeslut och meddelanden",
    "Närvaro- och omröstningslista",
    "Leila Haddad V ledamot Tjänstgör, jäv § 5 Ja",
    "Anders Vik C ledamot Tjänstgör Avstår",
    "Nils Berglund S ledamot Frånvarande",
    "Ulrika Fält V ersättare Tjänstgör § 5",
    "Summa ja / nej / avstår 5 / 4 / 1",
]


def test_the_demo_protokoll_reads_as_the_golden_text(demo):
    from django.core.files.storage import default_storage

    from tests.minutes import test_protocol_pdf as t

    with default_storage.open(revision("2026-10-14").pdf_name) as stored:
        pdf = stored.read()
    lines = [line for number in range(1, t.page_count(pdf) + 1) for line in t.page(pdf, number)]
    text, at = "\n".join(lines), 0
    for want in GOLDEN:
        found = text.find(want, at)
        assert found >= 0, f"{want!r} not found after {text[max(0, at - 200) : at]!r}"
        at = found + len(want)
    # nothing of the confidential § but its number and its ground
    assert "socialtjänstlagen" not in text and "Individärende" not in text
    # the table of contents gives the pages the §§ start on
    contents = t.table_of_contents(pdf)
    assert {n: p for n, (_title, p) in contents.items()} == t.heading_pages(pdf)
    assert sorted(contents) == [1, 2, 3, 4, 5, 6, 7]
    # the appendix's votes are the § page's
    start = t.heading_pages(pdf)[4]
    votes = t.section_votes(t.page(pdf, start) + t.page(pdf, start + 1))
    columns, rows = t.roll(pdf)
    assert columns == ["§ 4"]
    assert {name: v[0] for name, v in rows.items() if v} == votes
    assert list(votes.values()).count("Ja") == 5 and len(votes) == 10
