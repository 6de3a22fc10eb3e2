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
