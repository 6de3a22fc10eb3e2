"""A nämnd's § page with its deliberation (issue 18): jäv, yrkanden, proposition, votering and
reservationer saved without JavaScript as formsets and by the editor's autosave as JSON, under
the item's one version check; happy path, anonymous, other council (404), wrong role (403),
wrong state (submitted)."""

import json

import pytest

from minutes import services
from minutes.models import Ballot, Disqualification, Motion, Reservation, Vote
from tests.minutes import committee_fixtures as cf
from tests.minutes.drafting_fixtures import attach, drafting_url

pytestmark = pytest.mark.django_db

url = drafting_url
YES_SIDE = ("Anna Ek", "Cecilia Dahl", "Lars Olsson", "Eva Grön", "Lena Nyberg")
NO_SIDE = ("Bo Berg", "Fredrik Holm", "Greta Ivarsson", "Ida Karlsson")


@pytest.fixture
def c(cast):
    return cf.committee(cast)


@pytest.fixture
def minutes(c):
    return cf.meeting(c)


@pytest.fixture
def item(minutes):
    return cf.item_at(minutes, 3)


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def plain_post(item, **rows) -> dict:
    """The § form as a browser without JavaScript posts it."""
    data = {
        "version": str(item.version),
        "title": item.title,
        "body": "",
        "is_public": "on",
        "confidentiality_ground": "",
        "proposition": "",
        **management("sections", 0),
        **management("jav", 0),
        **management("yrkanden", 0),
        **management("voteringar", 0),
        **management("reservationer", 0),
    }
    data.update(rows)
    return data


def json_payload(item, **changes) -> dict:
    return {
        "version": item.version,
        "title": item.title,
        "body": item.body,
        "is_public": True,
        "confidentiality_ground": "",
        "sections": [],
        "motions": [],
        "proposition": "",
        "votes": [],
        "reservations": [],
        "disqualifications": [],
    } | changes


def autosave(client, item, payload):
    return client.post(
        url("item_autosave", item.minutes, item), json.dumps(payload), content_type="application/json"
    )


def ballots(c, yes, no, abstain=()):
    out = {str(c[n].pk): "ja" for n in yes}
    out |= {str(c[n].pk): "nej" for n in no}
    out |= {str(c[n].pk): "avstar" for n in abstain}
    return out


def test_the_paragraph_page_offers_only_those_serving_at_the_paragraph(client, cast, c, item):
    client.force_login(cast.secretary)
    html = client.get(url("item", item.minutes, item)).content.decode()
    for part in ("Jäv", "Yrkanden", "Proposition", "Votering", "Reservationer"):
        assert f">{part}<" in html or f'">{part}</label>' in html
    assert "Föreslå text från yrkandena" in html
    motions = html[html.index('id="yrkanden"') : html.index('id="proposition"')]
    assert "Cecilia Dahl (S)" in motions and "Karin Mark (L)" in motions
    # absent, not serving (a substitute present without serving), an official
    for name in ("Jonas Lind", "Lars Olsson", "Maria Svensson"):
        assert f"{name} (" not in motions.split("<template")[0].split("Tjänstgör vid")[0]
    roll = json.loads(html.split('id="deliberation-roll" type="application/json">')[1].split("<")[0])
    assert str(c["Lars Olsson"].pk) in map(str, roll["stepIn"])
    assert len(roll["attending"]) == 11


def test_a_rad_item_page_has_no_deliberation(client, cast):
    from tests.minutes.drafting_fixtures import standing_agenda
    import datetime

    standing_agenda(cast.council)
    meeting = services.meeting_create(
        council=cast.council, date=datetime.date(2025, 2, 24), actor=cast.secretary,
        start_time=None, end_time=None, place="",
    )  # fmt: skip
    draft = meeting.minutes.get()
    client.force_login(cast.secretary)
    html = client.get(url("item", draft, draft.items.first())).content.decode()
    assert "Yrkanden" not in html and "deliberation-roll" not in html


def test_the_secretary_records_the_deliberation_without_javascript(client, cast, c, item):
    doc = attach(item, "Reservation från M")
    client.force_login(cast.secretary)
    votes = {f"voteringar-0-ballot_{p}": v for p, v in ballots(c, YES_SIDE, NO_SIDE, ["Hassan Jama"]).items()}
    data = plain_post(
        item,
        **management("jav", 1),
        **{"jav-0-person": c["David Falk"].pk, "jav-0-substitute": c["Lars Olsson"].pk},
        **management("yrkanden", 3),
        **{
            "yrkanden-0-person": c["Cecilia Dahl"].pk, "yrkanden-0-kind": "bifall",
            "yrkanden-1-person": c["Bo Berg"].pk, "yrkanden-1-kind": "avslag",
            "yrkanden-2-person": c["Fredrik Holm"].pk, "yrkanden-2-kind": "bifall",
            "yrkanden-2-supports": "2",
        },
        proposition="Ordföranden ställer proposition på förslaget och avslaget.",
        **management("voteringar", 1),
        **{"voteringar-0-yes_means": "förslaget", "voteringar-0-no_means": "Bo Bergs (M) avslagsyrkande"},
        **votes,
        **management("reservationer", 1),
        **{
            "reservationer-0-person": c["Bo Berg"].pk, "reservationer-0-for_own_motion": "on",
            "reservationer-0-document": doc.pk,
        },
    )  # fmt: skip
    response = client.post(url("item", item.minutes, item), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    motions = list(Motion.objects.filter(item=item).order_by("position"))
    assert [(m.person.name, m.kind) for m in motions] == [
        ("Cecilia Dahl", "bifall"), ("Bo Berg", "avslag"), ("Fredrik Holm", "bifall"),
    ]  # fmt: skip
    assert motions[2].supports == motions[1]
    vote = Vote.objects.get(item=item)
    assert Ballot.objects.filter(vote=vote, choice="ja").count() == 5
    assert Ballot.objects.filter(vote=vote, choice="nej").count() == 4
    assert Ballot.objects.filter(vote=vote, choice="avstar").count() == 1
    reservation = Reservation.objects.get(item=item)
    assert reservation.for_own_motion and reservation.document == doc
    assert Disqualification.objects.get(item=item).substitute == c["Lars Olsson"]
    item.refresh_from_db()
    assert item.proposition.startswith("Ordföranden ställer proposition")
    # the page shows it back, with the count
    html = client.get(url("item", item.minutes, item)).content.decode()
    assert "5 ja, 4 nej, 1 avstår – 10 av 11 har röstat" in html
    assert "Med 5 ja-röster mot 4 nej-röster, 1 avstår," in html
