"""A nämnd's § page with its deliberation (issue 18): jäv, yrkanden, proposition, votering and
reservationer saved without JavaScript as formsets and by the editor's autosave as JSON, under
the item's one version check; happy path, anonymous, other council (404), wrong role (403),
wrong state (submitted)."""

import datetime
import json

import pytest

from minutes import services
from minutes.models import Ballot, Disqualification, Motion, Reservation, Vote
from tests.minutes import committee_fixtures as cf
from tests.minutes.drafting_fixtures import attach, drafting_url, standing_agenda

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
        url("item_autosave", item.minutes, item),
        json.dumps(payload),
        content_type="application/json",
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
    roll = json.loads(
        html.split('id="deliberation-roll" type="application/json">')[1].split("<")[0]
    )
    assert str(c["Lars Olsson"].pk) in map(str, roll["stepIn"])
    assert len(roll["attending"]) == 11


def test_a_rad_item_page_has_no_deliberation(client, cast):
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
    votes = {
        f"voteringar-0-ballot_{p}": v
        for p, v in ballots(c, YES_SIDE, NO_SIDE, ["Hassan Jama"]).items()
    }
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


def test_without_javascript_the_proposition_is_proposed_from_the_motions_unsaved(
    client, cast, c, item
):
    client.force_login(cast.secretary)
    data = plain_post(
        item,
        **management("yrkanden", 2),
        **{
            "yrkanden-0-person": c["Cecilia Dahl"].pk, "yrkanden-0-kind": "bifall",
            "yrkanden-1-person": c["Bo Berg"].pk, "yrkanden-1-kind": "avslag",
        },
        suggest_proposition="1",
    )  # fmt: skip
    response = client.post(url("item", item.minutes, item), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Ordföranden ställer proposition på förslaget och Bo Bergs (M) avslagsyrkande och "
        "finner att nämnden beslutar enligt förslaget." in html
    )
    assert not Motion.objects.filter(item=item).exists()  # nothing saved until Spara
    assert f'<option value="{c["Bo Berg"].pk}" selected>' in html  # the rows as typed


def test_a_person_not_serving_is_refused_and_nothing_typed_is_lost(client, cast, c, item):
    client.force_login(cast.secretary)
    data = plain_post(
        item,
        **management("yrkanden", 1),
        **{
            "yrkanden-0-person": c["Lars Olsson"].pk,  # present, but not serving
            "yrkanden-0-kind": "andring", "yrkanden-0-text": "att beloppet höjs",
        },
    )  # fmt: skip
    response = client.post(url("item", item.minutes, item), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Lars Olsson (S) tjänstgör inte vid paragrafen och kan inte yrka." in html
    assert "att beloppet höjs" in html
    assert "Lars Olsson (S) – tjänstgör inte vid paragrafen" in html
    assert not Motion.objects.filter(item=item).exists()


def test_autosave_saves_the_deliberation_as_json_and_proposes_the_proposition(
    client, cast, c, item
):
    client.force_login(cast.secretary)
    payload = json_payload(
        item,
        motions=[
            {"person": c["Cecilia Dahl"].pk, "kind": "bifall", "text": "", "supports": None},
            {"person": c["Bo Berg"].pk, "kind": "avslag", "text": "", "supports": None},
            {"person": c["Fredrik Holm"].pk, "kind": "bifall", "text": "", "supports": 2},
        ],
        votes=[
            {
                "yes_means": "förslaget",
                "no_means": "Bo Bergs (M) avslagsyrkande",
                "ballots": ballots(c, YES_SIDE, NO_SIDE, ["Hassan Jama"]) | {"999999": ""},
            }
        ],
        reservations=[{"person": c["Bo Berg"].pk, "against": "", "for_own_motion": True, "document": None}],
        disqualifications=[{"person": c["David Falk"].pk, "substitute": c["Lars Olsson"].pk}],
    )  # fmt: skip
    response = autosave(client, item, payload)
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == item.version + 1
    assert response.json()["suggested_proposition"].startswith(
        "Ordföranden ställer proposition på förslaget och Bo Bergs (M) avslagsyrkande"
    )
    assert (
        Motion.objects.filter(item=item, supports__isnull=False).get().person == c["Fredrik Holm"]
    )
    assert Ballot.objects.filter(vote__item=item).count() == 10
    assert Reservation.objects.get(item=item).for_own_motion
    # the editor reads it back in the same shape
    item.refresh_from_db()
    state = services.item_state(item)
    assert state["motions"][2]["supports"] == 2
    assert state["disqualifications"] == payload["disqualifications"]


def test_autosave_from_an_old_version_is_409_with_the_stored_deliberation(client, cast, c, item):
    client.force_login(cast.secretary)
    first = json_payload(
        item, motions=[{"person": c["Bo Berg"].pk, "kind": "avslag", "text": "", "supports": None}]
    )
    assert autosave(client, item, first).status_code == 200
    stale = json_payload(
        item, motions=[{"person": c["Eva Grön"].pk, "kind": "bifall", "text": "", "supports": None}]
    )
    response = autosave(client, item, stale)
    assert response.status_code == 409
    assert response.json()["current"]["motions"][0]["person"] == c["Bo Berg"].pk
    assert list(Motion.objects.filter(item=item).values_list("person__name", flat=True)) == [
        "Bo Berg"
    ]


def test_autosave_refuses_a_vote_by_someone_not_serving_in_swedish(client, cast, c, item):
    client.force_login(cast.secretary)
    payload = json_payload(
        item,
        votes=[
            {
                "yes_means": "förslaget",
                "no_means": "avslag",
                "ballots": {str(c["Jonas Lind"].pk): "ja"},  # absent
            }
        ],
    )
    response = autosave(client, item, payload)
    assert response.status_code == 400
    assert response.json()["error"] == (
        "Jonas Lind (L) tjänstgör inte vid paragrafen och kan inte rösta."
    )
    assert not Vote.objects.filter(item=item).exists()


def test_autosave_without_the_deliberation_leaves_it_as_it_is(client, cast, c, item):
    cf.save(
        item, services.DeliberationInput(motions=(services.MotionInput(c["Bo Berg"].pk, "avslag"),))
    )
    item.refresh_from_db()
    client.force_login(cast.secretary)
    payload = json_payload(item, body="<p>Text</p>")
    for key in ("motions", "votes", "reservations", "disqualifications", "proposition"):
        payload.pop(key)
    assert autosave(client, item, payload).status_code == 200
    assert Motion.objects.filter(item=item).count() == 1


def test_unreadable_deliberation_json_is_400(client, cast, c, item):
    client.force_login(cast.secretary)
    response = autosave(client, item, json_payload(item, motions=[{"person": "x"}]))
    assert response.status_code == 400 and "gick inte att läsa" in response.json()["error"]


def test_autosave_of_the_deliberation_is_401_when_signed_out(client, c, item):
    response = autosave(client, item, json_payload(item))
    assert response.status_code == 401


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("outsider", 404)])
def test_other_roles_and_councils_cannot_save_the_deliberation(client, cast, c, item, who, status):
    client.force_login(getattr(cast, who))
    motion = {"person": c["Bo Berg"].pk, "kind": "avslag", "text": "", "supports": None}
    response = autosave(client, item, json_payload(item, motions=[motion]))
    assert response.status_code == status
    data = plain_post(
        item, **management("yrkanden", 1),
        **{"yrkanden-0-person": c["Bo Berg"].pk, "yrkanden-0-kind": "avslag"},
    )  # fmt: skip
    assert client.post(url("item", item.minutes, item), data).status_code == status
    assert not Motion.objects.filter(item=item).exists()


def test_the_plain_form_sends_an_anonymous_visitor_to_sign_in(client, c, item):
    response = client.post(url("item", item.minutes, item), plain_post(item))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_a_submitted_protokoll_takes_no_deliberation(client, cast, c, minutes, item):
    services.minutes_submit(minutes=minutes, actor=cast.secretary)
    client.force_login(cast.secretary)
    motion = {"person": c["Bo Berg"].pk, "kind": "avslag", "text": "", "supports": None}
    response = autosave(client, item, json_payload(item, motions=[motion]))
    assert response.status_code == 409 and response.json()["state"] == "not_editable"
    data = plain_post(
        item, **management("yrkanden", 1),
        **{"yrkanden-0-person": c["Bo Berg"].pk, "yrkanden-0-kind": "avslag"},
    )  # fmt: skip
    assert client.post(url("item", item.minutes, item), data).status_code == 409
    assert not Motion.objects.filter(item=item).exists()


def test_a_stale_plain_form_is_409_comparing_both_sides_in_the_protokolls_words(
    client, cast, c, item
):
    client.force_login(cast.secretary)
    data = plain_post(
        item,
        **management("yrkanden", 1),
        **{"yrkanden-0-person": c["Bo Berg"].pk, "yrkanden-0-kind": "avslag"},
    )
    cf.save(
        item,
        services.DeliberationInput(motions=(services.MotionInput(c["Eva Grön"].pk, "bifall"),)),
    )
    response = client.post(url("item", item.minutes, item), data)
    html = response.content.decode()
    assert response.status_code == 409
    mine, theirs = html.index("data-conflict-mine"), html.index("data-conflict-theirs")
    assert "Bo Berg (M) yrkar avslag på förslaget." in html[mine:theirs]
    assert (
        "Eva Grön (V) yrkar bifall till förslaget." in html[theirs : html.index('id="item-form"')]
    )
    # what was typed is still in the form
    assert f'<option value="{c["Bo Berg"].pk}" selected>' in html
    assert list(Motion.objects.filter(item=item).values_list("person__name", flat=True)) == [
        "Eva Grön"
    ]
