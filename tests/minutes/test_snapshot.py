import datetime
import json

import pytest

from councils.models import Membership
from minutes.models import AgendaItemSection, Attendance
from minutes.pdf import build_html
from minutes.snapshot import MinutesSnapshot, build_snapshot
from tests import factories

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def minutes(cast):
    council = cast.council
    meeting = factories.meeting(
        council,
        chaired_by=cast.chair.person,
        secretary=cast.secretary.person,
        place="Kommunstyrelsesalen",
    )
    minutes = factories.minutes(meeting, others_present="Gunnel Ström")
    chair = cast.chair.person.memberships.get()
    chair.party = "M"
    chair.save()
    police = factories.membership(
        factories.person("Stefan Persson"),
        council,
        Role.REPRESENTATIVE,
        title="Kommunpolis",
        organisation="Polismyndigheten",
    )
    absent = factories.membership(factories.person("Kerstin Rosenkvist"), council, party="S")
    sub = factories.person("Karl Ersättare")
    for position, (person, membership, status, instead) in enumerate(
        [
            (chair.person, chair, Attendance.Status.PRESENT, None),
            (sub, None, Attendance.Status.SUBSTITUTE, absent.person),
            (police.person, police, Attendance.Status.PRESENT, None),
            (absent.person, absent, Attendance.Status.ABSENT, None),
        ]
    ):
        Attendance.objects.create(
            minutes=minutes,
            person=person,
            membership=membership,
            status=status,
            substitute_for=instead,
            position=position,
        )
    item = factories.item(
        minutes, 1, title="Aktuellt", body="<p>Text</p>", decision="Informationen noteras."
    )
    AgendaItemSection.objects.create(item=item, position=1, heading="ABO", body="<p>Kameror.</p>")
    factories.item(
        minutes,
        2,
        title="Hemligt",
        is_public=False,
        confidentiality_ground="OSL 26 kap. 1 §",
        body="<p>Känsligt</p>",
    )
    return minutes


def test_the_snapshot_holds_the_header_block_as_the_minutes_print_it(minutes):
    snap = build_snapshot(minutes)
    assert snap.place_and_time == "Kommunstyrelsesalen kl 08.30 – 10.30"
    assert (
        snap.elected
        == "Olle Ordförande (M) ordförande, Karl Ersättare ersättare för Kerstin Rosenkvist."
    )
    assert snap.representatives == "Kommunpolis Stefan Persson."
    assert snap.absent == "Kerstin Rosenkvist."
    assert snap.others == "Gunnel Ström"
    assert snap.closing_line == "Arboga den 24/2- 2020"
    assert snap.date_in_words == "24 februari 2020"
    assert [(s.name, s.role) for s in snap.signatories] == [
        ("Olle Ordförande", "Ordförande"),
        ("Sara Sekreterare", "Sekreterare"),
    ]
    assert snap.items[0].heading == "1. Aktuellt"
    assert snap.items[0].sections[0].heading == "ABO"
    assert snap.title == "Minnesanteckningar Förebyggande rådet 2020-02-24"


def test_the_snapshot_survives_json_unchanged(minutes):
    snap = build_snapshot(minutes, created=datetime.datetime(2020, 3, 2, 9, 0, tzinfo=datetime.UTC))
    again = MinutesSnapshot.from_dict(json.loads(json.dumps(snap.as_dict())))
    assert again == snap
    assert again.created == "2020-03-02T09:00:00+00:00"


def test_an_unknown_schema_is_refused(minutes):
    data = build_snapshot(minutes).as_dict() | {"schema": 99}
    with pytest.raises(ValueError, match="schema"):
        MinutesSnapshot.from_dict(data)


def test_the_snapshot_is_read_in_a_fixed_number_of_queries(minutes, django_assert_num_queries):
    # minutes with meeting; attendance; items; sections; documents
    with django_assert_num_queries(5):
        build_snapshot(minutes)


def test_the_decision_is_the_items_last_paragraph_for_a_council(minutes):
    html = build_html(build_snapshot(minutes))
    body = html[html.index("1. Aktuellt") :]
    assert (
        body.index("Kameror.")
        < body.index("Informationen noteras.")
        < body.index("2. Sekretessbelagt")
    )


def test_confidential_items_are_withheld_except_in_the_internal_copy(minutes):
    snap = build_snapshot(minutes)
    public = build_html(snap)
    internal = build_html(snap, internal=True)
    assert "2. Sekretessbelagt ärende – utelämnat enligt OSL 26 kap. 1 §" in public
    assert "Känsligt" not in public
    assert "Känsligt" in internal
    assert "Hemligt" not in public  # only the number and the legal ground stay
    assert "2. Hemligt" in internal


def test_an_items_points_come_after_its_text_and_before_its_decision(minutes):
    item = minutes.items.get(position=1)
    item.points = [
        {"text": "Stödja det förebyggande arbetet"},
        {"text": "Öka tryggheten", "children": [{"text": "Trygghetsvandring", "label": "pågår"}]},
    ]
    item.save()
    snap = build_snapshot(minutes)
    assert snap.items[0].points[1].children[0].label == "pågår"
    assert MinutesSnapshot.from_dict(json.loads(json.dumps(snap.as_dict()))) == snap
    html = build_html(snap)
    body = html[html.index("1. Aktuellt") :]
    assert (
        body.index("<p>Text</p>")
        < body.index("<li>Stödja det förebyggande arbetet</li>")
        < body.index("Trygghetsvandring – pågår")
        < body.index("Informationen noteras.")
    )


def test_a_snapshot_stored_before_items_had_points_still_reads(minutes):
    data = build_snapshot(minutes).as_dict()
    for item in data["items"]:
        del item["points"]
    assert MinutesSnapshot.from_dict(data).items[0].points == ()


def test_a_correction_that_changes_nothing_lists_no_changes(cast, draft):
    """The approver of a correction sees what it changes in the approved version: items whose
    documents were copied under new ids, or stored before snapshots had points and documents,
    are not "changed"."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minutes import services
    from minutes.snapshot import changes
    from tests.minutes.drafting_fixtures import submit_and_approve

    item = draft.items.order_by("position").first()
    services.document_add(
        item=item,
        upload=SimpleUploadedFile("underlag.pdf", b"%PDF-1.7\n%%EOF\n"),
        title="Underlag",
        is_public=True,
        actor=cast.secretary,
    )
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Inget.")
    assert changes(first.snapshot, build_snapshot(correction).as_dict()) == []
    older = json.loads(json.dumps(first.snapshot))
    for stored in older["items"]:
        stored.pop("points", None)
        if not stored.get("documents"):
            stored.pop("documents", None)
    assert changes(older, build_snapshot(correction).as_dict()) == []
