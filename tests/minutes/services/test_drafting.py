import datetime

import pytest

from core.models import AuditEvent
from minutes import services
from minutes.models import AgendaItem, AgendaItemSection, Attendance, Minutes, StandingItem
from tests import factories

pytestmark = pytest.mark.django_db


def save(item, version=None, **changes):
    state = services.item_state(item)
    fields = {
        k: state[k] for k in ("title", "body", "decision", "is_public", "confidentiality_ground")
    }
    fields.update(changes)
    sections = changes.pop("sections", None)
    fields.pop("sections", None)
    return services.item_save(
        item=item,
        version=state["version"] if version is None else version,
        sections=[
            services.SectionInput(**s)
            for s in (sections if sections is not None else state["sections"])
        ],
        actor=None,
        **fields,
    )


def test_a_new_meeting_starts_from_the_standing_agenda(cast, draft):
    items = list(draft.items.order_by("position"))
    assert [(i.number, i.title) for i in items] == [
        ("1", "Föregående minnesanteckningar"),
        ("2", "Verksamhetsberättelse 2024"),
        ("3", "Aktuell information från verksamheterna"),
        ("4", "Övriga frågor"),
    ]
    assert items[0].decision == "Minnesanteckningarna från mötet den 26 november 2024 godkänns."
    assert [s.heading for s in items[2].sections.all()] == ["Socialförvaltningen", "ABO"]
    assert draft.status == Minutes.Status.DRAFT
    meeting = draft.meeting
    assert meeting.chaired_by == cast.chair.person and meeting.secretary == cast.secretary.person
    attending = list(draft.attendance.values_list("person__name", "status"))
    assert ("Olle Ordförande", "present") in attending and (
        "Rita Representant",
        "present",
    ) in attending
    assert "Sara Sekreterare" not in dict(attending)  # the secretary keeps the minutes
    assert AuditEvent.objects.filter(action="meeting.created").count() == 1


def test_items_for_the_first_meeting_of_the_year_are_left_out_later(cast, draft):
    later = services.meeting_create(
        council=cast.council,
        date=datetime.date(2025, 4, 1),
        start_time=None,
        end_time=None,
        place="",
        actor=cast.secretary,
    )
    titles = list(later.minutes.get().items.values_list("title", flat=True))
    assert "Verksamhetsberättelse 2024" not in titles
    assert titles[0] == "Föregående minnesanteckningar"
    assert (
        later.minutes.get()
        .items.get(position=1)
        .decision.endswith("den 24 februari 2025 godkänns.")
    )


def test_saving_sanitizes_and_bumps_the_version(draft):
    item = draft.items.get(position=4)
    version = save(
        item, body="<p>Hej <em>du</em><script>alert(1)</script></p><img src=x onerror=alert(2)>"
    )
    item.refresh_from_db()
    assert version == 2 == item.version
    assert item.body == "<p>Hej <em>du</em></p>"


def test_plain_text_from_a_form_without_javascript_becomes_paragraphs(draft):
    item = draft.items.get(position=4)
    save(item, body="Första stycket.\n\nAndra <stycket> & mer.")
    item.refresh_from_db()
    assert item.body == "<p>Första stycket.</p><p>Andra &lt;stycket&gt; &amp; mer.</p>"


def test_a_save_from_an_old_version_is_refused_with_what_is_stored(draft):
    item = draft.items.get(position=4)
    save(item, body="<p>Först</p>")
    with pytest.raises(services.Conflict) as excinfo:
        save(item, version=1, body="<p>Sen</p>")
    assert excinfo.value.current["body"] == "<p>Först</p>"
    assert excinfo.value.current["version"] == 2
    item.refresh_from_db()
    assert item.body == "<p>Först</p>"


def test_two_items_are_saved_independently(draft):
    a, b = draft.items.get(position=3), draft.items.get(position=4)
    save(a, body="<p>A</p>")
    save(b, body="<p>B</p>")
    assert (
        AgendaItem.objects.get(pk=a.pk).body == "<p>A</p>"
        and AgendaItem.objects.get(pk=b.pk).body == "<p>B</p>"
    )


def test_a_confidential_item_needs_its_legal_ground(draft):
    item = draft.items.get(position=4)
    with pytest.raises(services.InvalidInput, match="grund för sekretess"):
        save(item, is_public=False, confidentiality_ground=" ")
    save(item, is_public=False, confidentiality_ground="OSL 26 kap. 1 §")
    item.refresh_from_db()
    assert not item.is_public and item.confidentiality_ground == "OSL 26 kap. 1 §"


def test_sections_are_saved_in_order_and_text_without_heading_is_refused(draft):
    item = draft.items.get(position=3)
    save(item, sections=[{"heading": "ABO", "body": "<p>Kameror</p>"}, {"heading": "", "body": ""}])
    assert list(item.sections.values_list("heading", "body")) == [("ABO", "<p>Kameror</p>")]
    with pytest.raises(services.InvalidInput, match="rubrik"):
        save(item, sections=[{"heading": "", "body": "<p>Text utan rubrik</p>"}])
    assert item.sections.count() == 1


def test_nul_characters_are_refused_with_a_message(draft):
    with pytest.raises(services.InvalidInput, match="NUL"):
        save(draft.items.get(position=4), body="a\x00b")


def test_reordering_keeps_positions_unique_and_numbers_follow(draft):
    ids = list(draft.items.order_by("position").values_list("pk", flat=True))
    services.items_reorder(minutes=draft, ordered_ids=list(reversed(ids)), actor=None)
    assert list(draft.items.order_by("position").values_list("pk", "number")) == [
        (pk, str(n)) for n, pk in enumerate(reversed(ids), start=1)
    ]
    with pytest.raises(services.InvalidInput):
        services.items_reorder(minutes=draft, ordered_ids=ids[:2], actor=None)


def test_moving_and_deleting_renumber_the_items(draft):
    first, second = draft.items.get(position=1), draft.items.get(position=2)
    services.item_move(item=second, step=-1, actor=None)
    assert AgendaItem.objects.get(pk=second.pk).number == "1"
    services.item_move(
        item=AgendaItem.objects.get(pk=second.pk), step=-1, actor=None
    )  # already first
    assert AgendaItem.objects.get(pk=second.pk).position == 1
    services.item_delete(item=AgendaItem.objects.get(pk=second.pk), actor=None)
    assert list(draft.items.order_by("position").values_list("number", flat=True)) == [
        "1",
        "2",
        "3",
    ]
    assert AgendaItem.objects.get(pk=first.pk).number == "1"


def test_new_items_go_before_the_closing_items(draft):
    item = services.item_create(minutes=draft, title="  Nytt ärende ", actor=None)
    assert (item.position, item.number, item.title) == (4, "4", "Nytt ärende")
    last = draft.items.get(title="Övriga frågor")
    assert (last.position, last.number) == (5, "5")
    following = services.item_create(minutes=draft, title="Nästa möte", actor=None)
    services.item_move(item=following, step=+1, actor=None)  # after "Övriga frågor"
    services.item_create(minutes=draft, title="Trygghetsvandring", actor=None)
    assert list(draft.items.order_by("position").values_list("number", "title"))[3:] == [
        ("4", "Nytt ärende"),
        ("5", "Trygghetsvandring"),
        ("6", "Övriga frågor"),
        ("7", "Nästa möte"),
    ]
    with pytest.raises(services.InvalidInput):
        services.item_create(minutes=draft, title="  ", actor=None)


def test_new_items_go_last_when_nothing_closes_the_meeting(draft):
    services.item_delete(item=draft.items.get(title="Övriga frågor"), actor=None)
    item = services.item_create(minutes=draft, title="Nytt ärende", actor=None)
    assert (item.position, item.number) == (4, "4")


def test_a_standing_item_a_tool_needs_goes_before_the_closing_ones(cast, draft):
    last = cast.council.standing_items.order_by("position").last()
    StandingItem.objects.create(
        council=cast.council, position=last.position + 1, title="Nästa möte"
    )
    services.standing_item_ensure(council=cast.council, title="Uppföljning", actor=None)
    titles = list(cast.council.standing_items.values_list("title", flat=True))
    assert titles[-3:] == ["Uppföljning", "Övriga frågor", "Nästa möte"]


def test_attendance_is_replaced_with_its_version_checked(cast, draft):
    rows = list(draft.attendance.all())
    entries = [
        services.AttendanceEntry(
            r.person_id, r.membership_id, Attendance.Status.ABSENT if n == 0 else r.status
        )
        for n, r in enumerate(rows)
    ]
    substitute = factories.person("Ersättaren")
    entries.append(
        services.AttendanceEntry(
            substitute.pk, None, Attendance.Status.SUBSTITUTE, rows[0].person_id
        )
    )
    assert (
        services.attendance_update(
            minutes=draft, version=1, entries=entries, others_present="Gäst", actor=None
        )
        == 2
    )
    draft.refresh_from_db()
    assert draft.others_present == "Gäst" and draft.attendance_version == 2
    assert draft.attendance.get(person=substitute).substitute_for_id == rows[0].person_id
    with pytest.raises(services.Conflict):
        services.attendance_update(
            minutes=draft, version=1, entries=entries, others_present="", actor=None
        )


def test_a_substitute_must_name_whom(draft):
    row = draft.attendance.first()
    with pytest.raises(services.InvalidInput, match="vem ersättaren"):
        services.attendance_update(
            minutes=draft,
            version=1,
            entries=[services.AttendanceEntry(row.person_id, None, Attendance.Status.SUBSTITUTE)],
            others_present="",
            actor=None,
        )


def test_nothing_changes_once_the_minutes_are_not_a_draft(draft):
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    item = draft.items.get(position=4)
    with pytest.raises(services.NotEditable):
        save(item, body="<p>Sent</p>")
    with pytest.raises(services.NotEditable):
        services.item_create(minutes=draft, title="X", actor=None)
    with pytest.raises(services.NotEditable):
        services.item_delete(item=item, actor=None)
    with pytest.raises(services.NotEditable):
        services.attendance_update(
            minutes=draft, version=1, entries=[], others_present="", actor=None
        )
    assert draft.items.count() == 4


def test_empty_sub_sections_are_dropped_for_submission(draft):
    item = draft.items.get(position=3)
    AgendaItemSection.objects.filter(item=item, heading="ABO").update(body="<p>Kameror</p>")
    assert services.drop_empty_sections(draft) == 1
    assert list(item.sections.values_list("heading", flat=True)) == ["ABO"]


def test_a_tool_sets_an_items_points_in_a_draft_only(draft):
    item = draft.items.get(position=2)
    version = item.version
    services.item_set_points(
        item=item,
        points=[{"text": " Mål ett ", "label": "", "children": [{"text": "Insats", "note": "Ok"}]}],
        source="test",
        actor=None,
    )
    item.refresh_from_db()
    assert item.points == [{"text": "Mål ett", "children": [{"text": "Insats", "note": "Ok"}]}]
    assert item.version == version + 1
    assert services.item_state(item)["points"] == item.points
    assert AuditEvent.objects.filter(action="item.points_set", object_id=str(item.pk)).exists()
    with pytest.raises(services.InvalidInput, match="saknar text"):
        services.item_set_points(item=item, points=[{"text": " "}], source="test", actor=None)
    with pytest.raises(services.InvalidInput, match="en nivå"):
        services.item_set_points(
            item=item,
            points=[{"text": "a", "children": [{"text": "b", "children": [{"text": "c"}]}]}],
            source="test",
            actor=None,
        )
    with pytest.raises(services.InvalidInput, match="NUL"):
        services.item_set_points(item=item, points=[{"text": "a\x00"}], source="test", actor=None)
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    with pytest.raises(services.NotEditable):
        services.item_set_points(item=item, points=[], source="test", actor=None)
    item.refresh_from_db()
    assert item.points[0]["text"] == "Mål ett"
