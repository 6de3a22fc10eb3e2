"""A nämnd's § has structured parts (issue 18, point 3, the parts that do not depend on
attendance per §): diarienummer, ärendebeskrivning (the body), beslutsunderlag, förslag till
beslut, numbered decision points, protokollsanteckning, "Beslutet skickas till" and the flag
for omedelbar justering. Saved by item_save (the form and the autosave), in the snapshot, the
PDF, the public page, the notice and the search index; a råd's items have none of them."""

import datetime
import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from councils.models import Council
from minutes import services
from minutes.models import ItemDocument, Minutes, SearchEntry
from minutes.pdf import build_html
from minutes.snapshot import MinutesSnapshot, build_snapshot, changes
from tests import factories
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db

PARTS = services.PartsInput(
    case_number="KS 2020/123",
    basis="Tjänsteskrivelse, 2020-03-02\nRemissvar från Polisen (2020-2-14)\nKarta",
    proposal="Kommunstyrelsens arbetsutskott föreslår\natt anta planen.",
    decision_points="1. Planen antas.\n\n2) Förvaltningen får i uppdrag att följa upp planen.",
    protocol_note="Lena Lind (S) låter anteckna att planen kom sent.",
    recipients="Socialförvaltningen\n  Ekonomienheten ",
    immediate_adjustment=True,
)


@pytest.fixture
def namnd(cast):
    council = cast.council
    council.kind = Council.Kind.COMMITTEE
    council.document_title = Council.DocumentTitle.PROTOCOL
    council.paragraph_prefix = "KS"
    council.save()
    return council


@pytest.fixture
def paragraph(namnd):
    meeting = services.meeting_create(
        council=namnd,
        date=datetime.date(2025, 2, 24),
        start_time=None,
        end_time=None,
        place="Salen",
        actor=None,
    )
    minutes = meeting.minutes.get()
    services.item_create(minutes=minutes, title="Val av justerare", actor=None)
    return services.item_create(minutes=minutes, title="Trygghetsplan", actor=None)


def save(item, parts=PARTS, *, body="Planen gäller 2020–2023.", version=None, public=True):
    return services.item_save(
        item=item,
        version=item.version if version is None else version,
        title=item.title,
        body=body,
        decision="",
        is_public=public,
        confidentiality_ground="" if public else "OSL 26 kap. 1 §",
        sections=[],
        parts=parts,
        actor=None,
    )


def item_url(item, name="item"):
    council = item.minutes.meeting.council
    return reverse(
        f"drafting:{name}",
        args=[council.municipality.slug, council.slug, item.minutes.meeting_id, item.pk],
    )


def flat(pdf: bytes) -> str:
    return " ".join(" ".join(page) for page in pdftext.raw_lines(pdf))


def in_order(text: str, *parts: str) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


# --- the service ---------------------------------------------------------------------------------


def test_saving_a_paragraph_keeps_its_parts_as_lists(paragraph):
    assert save(paragraph) == 2
    paragraph.refresh_from_db()
    assert paragraph.case_number == "KS 2020/123"
    assert paragraph.basis == [
        {"title": "Tjänsteskrivelse", "date": "2020-03-02"},
        {"title": "Remissvar från Polisen", "date": "2020-02-14"},
        {"title": "Karta", "date": ""},
    ]
    assert paragraph.proposal == "Kommunstyrelsens arbetsutskott föreslår\natt anta planen."
    # the numbers typed before the points are the protokoll's, not part of the text
    assert paragraph.decision_points == [
        "Planen antas.",
        "Förvaltningen får i uppdrag att följa upp planen.",
    ]
    assert paragraph.decision == "Planen antas.\nFörvaltningen får i uppdrag att följa upp planen."
    assert paragraph.protocol_note.startswith("Lena Lind (S)")
    assert paragraph.recipients == ["Socialförvaltningen", "Ekonomienheten"]
    assert paragraph.immediate_adjustment is True
    # and the editor gets them back as it shows them
    state = services.item_state(paragraph)
    assert state["basis"] == (
        "Tjänsteskrivelse, 2020-03-02\nRemissvar från Polisen, 2020-02-14\nKarta"
    )
    assert state["decision_points"].splitlines() == paragraph.decision_points
    assert state["recipients"] == "Socialförvaltningen\nEkonomienheten"


def test_every_part_is_optional(paragraph):
    save(paragraph, services.PartsInput())
    paragraph.refresh_from_db()
    assert (paragraph.case_number, paragraph.basis, paragraph.decision_points) == ("", [], [])
    assert (paragraph.recipients, paragraph.immediate_adjustment, paragraph.decision) == (
        [],
        False,
        "",
    )


def test_a_standing_decision_is_offered_as_the_first_decision_point(paragraph):
    type(paragraph).objects.filter(pk=paragraph.pk).update(decision="Dagordningen godkänns.")
    paragraph.refresh_from_db()
    assert services.item_state(paragraph)["decision_points"] == "Dagordningen godkänns."


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (services.PartsInput(case_number="<script>"), "Diarienumret ser inte ut"),
        (services.PartsInput(case_number="Budget"), "Diarienumret ser inte ut"),
        (services.PartsInput(case_number="KS 2020/" + "1" * 40), "Diarienumret är för långt"),
        (services.PartsInput(basis="Tjänsteskrivelse, 2020-02-30"), "Datumet 2020-02-30"),
        (services.PartsInput(basis="2020-03-02"), "ett datum men ingen titel"),
        (services.PartsInput(recipients="\n".join(["X"] * 51)), "högst 50 rader"),
        (services.PartsInput(decision_points="Ja" * 1001), "för lång"),
        (services.PartsInput(protocol_note="a\x00b"), "otillåtet tecken"),
    ],
)
def test_bad_parts_are_refused_with_a_message_and_nothing_is_saved(paragraph, parts, message):
    with pytest.raises(services.InvalidInput, match=message):
        save(paragraph, parts)
    paragraph.refresh_from_db()
    assert paragraph.version == 1 and paragraph.case_number == "" and paragraph.body == ""


@pytest.mark.parametrize("case_number", ["KS 2020/123", "SN 2019.45", "2020-000123", "Dnr 12:3"])
def test_case_numbers_are_checked_loosely(paragraph, case_number):
    save(paragraph, services.PartsInput(case_number=f"  {case_number} "))
    paragraph.refresh_from_db()
    assert paragraph.case_number == case_number


def test_a_stale_version_is_a_conflict_and_keeps_the_saved_parts(paragraph):
    save(paragraph)
    with pytest.raises(services.Conflict) as conflict:
        save(paragraph, services.PartsInput(case_number="KS 2021/1"), version=1)
    assert conflict.value.current["case_number"] == "KS 2020/123"
    paragraph.refresh_from_db()
    assert paragraph.case_number == "KS 2020/123" and paragraph.version == 2


def test_a_rads_item_has_no_parts(cast):
    minutes = factories.minutes(factories.meeting(cast.council))
    item = factories.item(minutes, 1, title="Aktuellt")
    save(item)
    item.refresh_from_db()
    assert item.case_number == "" and item.decision_points == [] and item.decision == ""
    assert not item.immediate_adjustment


def test_a_correction_keeps_the_parts(cast, paragraph):
    save(paragraph)
    paragraph.refresh_from_db()
    revision = submit_and_approve(paragraph.minutes, cast)
    correction = services.correction_start(
        revision=revision, reason="Fel datum i underlaget", actor=cast.secretary
    )
    copy = correction.items.get(title="Trygghetsplan")
    assert copy.case_number == "KS 2020/123" and copy.recipients == paragraph.recipients
    assert copy.decision_points == ["Planen antas.", paragraph.decision_points[1]]
    assert copy.immediate_adjustment


# --- the views ---------------------------------------------------------------------------------


FORM = {
    "title": "Trygghetsplan",
    "body": "Planen gäller 2020–2023.",
    "is_public": "on",
    "confidentiality_ground": "",
    "case_number": "KS 2020/123",
    "basis": "Tjänsteskrivelse, 2020-03-02",
    "proposal": "Att anta planen.",
    "decision_points": "Planen antas.\nUppföljning sker årligen.",
    "protocol_note": "",
    "recipients": "Socialförvaltningen",
    "immediate_adjustment": "on",
    "sections-TOTAL_FORMS": "0",
    "sections-INITIAL_FORMS": "0",
    "sections-MIN_NUM_FORMS": "0",
    "sections-MAX_NUM_FORMS": "1000",
}


def test_the_paragraph_page_edits_the_parts_without_javascript(client, cast, paragraph):
    client.force_login(cast.secretary)
    page = client.get(item_url(paragraph))
    html = page.content.decode()
    for name in ("case_number", "basis", "proposal", "decision_points", "protocol_note"):
        assert f'name="{name}"' in html and "data-part" in html
    assert 'name="decision"' not in html  # a nämnd's decision is its points
    assert "Ärendebeskrivning" in html and "Beslutet skickas till" in html
    response = client.post(item_url(paragraph), FORM | {"version": "1"})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.decision_points == ["Planen antas.", "Uppföljning sker årligen."]
    assert paragraph.immediate_adjustment and paragraph.version == 2
    page = page_text(client.get(item_url(paragraph)))
    assert "Paragrafen justeras omedelbart" in page
    council = paragraph.minutes.meeting.council
    workspace = page_text(
        client.get(
            reverse("drafting:meeting", args=["arboga", council.slug, paragraph.minutes.meeting_id])
        )
    )
    assert "Dnr KS 2020/123" in workspace and "Omedelbar justering" in workspace
    stale = client.post(item_url(paragraph), FORM | {"version": "1", "case_number": "KS 1/1"})
    assert stale.status_code == 409
    # the comparison shows both sides' parts: what was typed and what is saved
    compared = stale.content.decode()
    mine = compared.index("data-conflict-mine")
    theirs = compared.index("data-conflict-theirs")
    assert "<strong>Diarienummer</strong><br>KS 1/1" in compared[mine:theirs]
    assert "<strong>Diarienummer</strong><br>KS 2020/123" in compared[theirs:]
    bad = client.post(item_url(paragraph), FORM | {"version": "2", "basis": "Skrivelse 2020-13-01"})
    assert bad.status_code == 400 and "Datumet 2020-13-01 i beslutsunderlaget" in page_text(bad)


def test_a_rads_item_page_has_no_parts(client, cast, draft):
    client.force_login(cast.secretary)
    html = client.get(
        reverse(
            "drafting:item",
            args=["arboga", cast.council.slug, draft.meeting_id, draft.items.first().pk],
        )
    ).content.decode()
    assert 'name="decision"' in html
    assert 'name="case_number"' not in html and "Ärendebeskrivning" not in html


def autosave(client, item, **changes):
    payload = {
        "version": item.version,
        "title": item.title,
        "body": "<p>Text</p>",
        "is_public": True,
        "confidentiality_ground": "",
        "sections": [],
        "case_number": "KS 2020/123",
        "basis": "",
        "proposal": "Att anta planen.",
        "decision_points": "Planen antas.",
        "protocol_note": "",
        "recipients": "Kommunstyrelsen",
        "immediate_adjustment": False,
    } | changes
    return client.post(
        item_url(item, "item_autosave"), json.dumps(payload), content_type="application/json"
    )


def test_autosave_saves_the_parts_and_answers_409_on_a_stale_version(client, cast, paragraph):
    client.force_login(cast.secretary)
    response = autosave(client, paragraph)
    assert response.status_code == 200 and response.json()["version"] == 2
    paragraph.refresh_from_db()
    assert paragraph.recipients == ["Kommunstyrelsen"] and paragraph.proposal == "Att anta planen."
    stale = autosave(client, paragraph, version=1, proposal="Annat")
    assert stale.status_code == 409
    assert stale.json()["current"]["proposal"] == "Att anta planen."
    bad = autosave(client, paragraph, version=2, case_number="???")
    assert bad.status_code == 400 and "Diarienumret" in bad.json()["error"]


def test_an_autosave_without_parts_leaves_them(client, cast, paragraph):
    save(paragraph)
    client.force_login(cast.secretary)
    payload = {
        "version": 2,
        "title": "Trygghetsplan",
        "body": "x",
        "is_public": True,
        "confidentiality_ground": "",
        "sections": [],
    }
    response = client.post(
        item_url(paragraph, "item_autosave"), json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 200
    paragraph.refresh_from_db()
    assert paragraph.case_number == "KS 2020/123" and len(paragraph.decision_points) == 2


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("outsider", 404)])
def test_other_roles_and_councils_cannot_save_parts(client, cast, paragraph, who, status):
    client.force_login(getattr(cast, who))
    assert autosave(client, paragraph).status_code == status
    assert client.post(item_url(paragraph), FORM | {"version": "1"}).status_code == status
    paragraph.refresh_from_db()
    assert paragraph.version == 1 and paragraph.case_number == ""


def test_anonymous_visitors_cannot_save_parts(client, paragraph):
    assert autosave(client, paragraph).status_code == 401
    response = client.post(item_url(paragraph), FORM | {"version": "1"})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    paragraph.refresh_from_db()
    assert paragraph.case_number == ""


def test_parts_of_submitted_minutes_cannot_change(client, cast, paragraph):
    Minutes.objects.filter(pk=paragraph.minutes_id).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    assert autosave(client, paragraph).status_code == 409
    assert client.post(item_url(paragraph), FORM | {"version": "1"}).status_code == 409
    paragraph.refresh_from_db()
    assert paragraph.case_number == ""


# --- the snapshot and what is made from it -------------------------------------------------


def test_the_snapshot_round_trips_every_part(paragraph):
    save(paragraph)
    ItemDocument.objects.create(
        item=paragraph,
        position=1,
        title="Trygghetsplan 2020",
        storage=ItemDocument.Storage.DEFAULT,
        file_name="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    snap = build_snapshot(paragraph.minutes)
    item = snap.items[1]
    assert item.case_number == "KS 2020/123"
    assert [b.line for b in item.basis] == [
        "Tjänsteskrivelse, 2020-03-02",
        "Remissvar från Polisen, 2020-02-14",
        "Karta",
    ]
    assert item.decision_points == (
        "Planen antas.",
        "Förvaltningen får i uppdrag att följa upp planen.",
    )
    assert item.recipients == ("Socialförvaltningen", "Ekonomienheten")
    assert item.immediate_adjustment and item.protocol_note and item.proposal
    stored = json.loads(json.dumps(snap.as_dict()))
    assert MinutesSnapshot.from_dict(stored) == snap
    # the attached file is listed in the beslutsunderlag, after its rows, not as a "Bilaga"
    html = build_html(snap)
    assert in_order(html, "Beslutsunderlag", "Karta", "Trygghetsplan 2020", "Förslag till beslut")
    assert "Bilaga" not in html


def test_a_snapshot_stored_before_the_parts_still_loads(paragraph):
    stored = json.loads(json.dumps(build_snapshot(paragraph.minutes).as_dict()))
    for item in stored["items"]:
        for key in (
            "case_number",
            "basis",
            "proposal",
            "decision_points",
            "protocol_note",
            "recipients",
            "immediate_adjustment",
        ):
            del item[key]
    doc = MinutesSnapshot.from_dict(stored)
    assert doc.items[1].case_number == "" and doc.items[1].basis == ()
    assert doc.items[1].decision_points == () and not doc.items[1].immediate_adjustment


def test_the_chair_sees_a_paragraph_changed_when_only_a_part_changed(paragraph):
    save(paragraph)
    before = build_snapshot(paragraph.minutes).as_dict()
    paragraph.refresh_from_db()
    save(paragraph, PARTS.__class__(**{**PARTS.__dict__, "recipients": "Kommunfullmäktige"}))
    after = build_snapshot(paragraph.minutes).as_dict()
    assert changes(before, after) == ["Ändrat: 2. Trygghetsplan"]


def test_the_pdf_and_the_public_page_show_the_parts_in_order(client, cast, paragraph):
    save(paragraph)
    revision = submit_and_approve(paragraph.minutes, cast)
    pdf = flat(default_storage.open(revision.pdf_name).read())
    assert in_order(
        pdf,
        "KS § 2 Trygghetsplan Dnr KS 2020/123",
        "Planen gäller 2020–2023.",
        "Beslutsunderlag",
        "Tjänsteskrivelse, 2020-03-02",
        "Remissvar från Polisen, 2020-02-14",
        "Karta",
        "Förslag till beslut",
        "att anta planen.",
        "Beslut",
        "1. Planen antas.",
        "2. Förvaltningen får i uppdrag",
        "Protokollsanteckning",
        "Lena Lind (S)",
        "Beslutet skickas till",
        "Socialförvaltningen",
        "Ekonomienheten",
        "Omedelbar justering",  # the last part of a §, as issue 18 orders them
        "Paragrafen justeras omedelbart.",
    ), pdf
    client.logout()
    public = page_text(client.get(f"/arboga/{paragraph.minutes.meeting.council.slug}/2025-02-24/"))
    assert in_order(
        public,
        "KS § 2 Trygghetsplan Dnr KS 2020/123",
        "Planen gäller 2020–2023.",
        "Beslutsunderlag",
        "Tjänsteskrivelse, 2020-03-02",
        "Förslag till beslut",
        "Beslut",
        "Planen antas.",
        "Protokollsanteckning",
        "Beslutet skickas till",
        "Socialförvaltningen",
        "Ekonomienheten",
        "Paragrafen justeras omedelbart.",
    ), public
    # the § with no parts shows no empty headings
    first = public[public.index("KS § 1") : public.index("KS § 2")]
    assert "Beslut" not in first and "Dnr" not in first
    # the search finds the decision and the proposal, once
    entry = SearchEntry.objects.get(revision=revision, position=2)
    assert "Förvaltningen får i uppdrag att följa upp planen." in entry.text
    assert "att anta planen." in entry.text and "KS 2020/123" in entry.text
    assert entry.text.count("Planen antas.") == 1


def test_a_confidential_paragraph_keeps_its_parts_out_of_the_public_page(client, cast, paragraph):
    save(paragraph, public=False)
    submit_and_approve(paragraph.minutes, cast)
    client.logout()
    public = page_text(client.get(f"/arboga/{paragraph.minutes.meeting.council.slug}/2025-02-24/"))
    assert "KS § 2 Sekretessbelagt ärende" in public
    assert "KS 2020/123" not in public and "Planen antas" not in public


def test_the_draft_preview_shows_the_parts(client, cast, paragraph):
    save(paragraph)
    client.force_login(cast.secretary)
    council = paragraph.minutes.meeting.council
    response = client.get(
        reverse(
            "minutes:draft_preview",
            args=["arboga", council.slug, paragraph.minutes.meeting_id],
        )
    )
    assert response.status_code == 200
    pdf = flat(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "UTKAST" in pdf
    assert in_order(pdf, "Dnr KS 2020/123", "Beslut", "1. Planen antas.")


def test_the_notice_shows_the_diarienummer(
    client, cast, paragraph, mailoutbox, django_capture_on_commit_callbacks
):
    save(paragraph)
    person = cast.secretary.person
    person.email = "sekreterare@example.org"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notice_send(meeting=paragraph.minutes.meeting, actor=cast.secretary)
    assert "KS § 2 Trygghetsplan (Dnr KS 2020/123)\n" in mailoutbox[0].body
    assert "KS § 1 Val av justerare\n" in mailoutbox[0].body  # no Dnr, no brackets
    assert "Trygghetsplan (Dnr KS 2020/123)" in mailoutbox[0].alternatives[0][0]
    pdf = flat(default_storage.open(notice.pdf_name).read())
    assert "KS § 2 Trygghetsplan (Dnr KS 2020/123)" in pdf
    page = page_text(client.get(f"/arboga/{paragraph.minutes.meeting.council.slug}/2025-02-24/"))
    assert "KS § 2 Trygghetsplan (Dnr KS 2020/123)" in page
