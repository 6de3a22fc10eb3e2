"""A nämnd's items are paragraphs (§§) numbered through the calendar year per council
(minutes.services.paragraphs); a råd's stay 1, 2, 3."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from councils.models import Council
from minutes import services
from minutes.models import AgendaItem
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def namnd(cast):
    council = cast.council
    council.kind = Council.Kind.COMMITTEE
    council.document_title = Council.DocumentTitle.PROTOCOL
    council.paragraph_prefix = "KS"
    council.save()
    return council


def meeting_with(council, day: datetime.date, titles: list[str], actor=None):
    """A meeting (no standing agenda: its items are the given ones), its draft minutes."""
    meeting = services.meeting_create(
        council=council, date=day, start_time=None, end_time=None, place="Salen", actor=actor
    )
    minutes = meeting.minutes.get()
    for title in titles:
        services.item_create(minutes=minutes, title=title, actor=actor)
    return minutes


def numbered(minutes) -> list[tuple[int | None, str]]:
    return list(minutes.items.order_by("position").values_list("paragraph", "title"))


def paragraphs_of(minutes) -> list[int | None]:
    return [p for p, _title in numbered(minutes)]


def test_the_year_boundary_starts_again_at_paragraph_1(namnd):
    autumn = meeting_with(namnd, datetime.date(2025, 11, 10), [f"Ärende {n}" for n in range(30)])
    january = meeting_with(namnd, datetime.date(2026, 1, 19), ["Val av justerare", "Budget"])
    december = meeting_with(namnd, datetime.date(2025, 12, 8), ["Delegationsbeslut"])
    assert paragraphs_of(autumn) == list(range(1, 31))
    assert paragraphs_of(december) == [31]
    assert paragraphs_of(january) == [1, 2]
    item = january.items.get(paragraph=2)
    assert item.label == "KS § 2" and item.number == "2"
    assert str(item) == "KS § 2 Budget"
    stored = AgendaItem.objects.filter(paragraph_council=namnd)
    assert set(stored.values_list("paragraph_year", flat=True)) == {2025, 2026}


def test_inserting_and_reordering_renumber_the_meeting(namnd):
    first = meeting_with(namnd, datetime.date(2025, 3, 3), ["Val av justerare", "Övriga frågor"])
    second = meeting_with(namnd, datetime.date(2025, 4, 7), ["Ekonomi"])
    assert numbered(first) == [(1, "Val av justerare"), (2, "Övriga frågor")]
    # inserted before the closing item, and the later draft follows
    services.item_create(minutes=first, title="Budget", actor=None)
    assert numbered(first) == [(1, "Val av justerare"), (2, "Budget"), (3, "Övriga frågor")]
    assert numbered(second) == [(4, "Ekonomi")]
    order = list(first.items.order_by("position").values_list("pk", flat=True))
    services.items_reorder(minutes=first, ordered_ids=order[::-1], actor=None)
    assert numbered(first) == [(1, "Övriga frågor"), (2, "Budget"), (3, "Val av justerare")]
    services.item_move(item=first.items.get(title="Budget"), step=-1, actor=None)
    assert numbered(first) == [(1, "Budget"), (2, "Övriga frågor"), (3, "Val av justerare")]
    services.item_delete(item=first.items.get(title="Övriga frågor"), actor=None)
    assert numbered(first) == [(1, "Budget"), (2, "Val av justerare")]
    assert numbered(second) == [(3, "Ekonomi")]


def test_a_draft_is_renumbered_when_an_earlier_meeting_grows_and_the_secretary_is_told(
    client, cast, namnd
):
    earlier = meeting_with(namnd, datetime.date(2025, 3, 3), [f"Ärende {n}" for n in range(12)])
    later = meeting_with(namnd, datetime.date(2025, 4, 7), ["Ekonomi", "Skolskjuts"])
    assert paragraphs_of(later) == [13, 14]
    assert services.renumbering_notice(later) is None
    services.item_create(minutes=earlier, title="Extra ärende", actor=None)
    assert paragraphs_of(later) == [14, 15]
    assert services.renumbering_notice(later) == (13, 14)
    services.item_create(minutes=earlier, title="Ännu ett", actor=None)
    assert services.renumbering_notice(later) == (13, 15)
    services.item_delete(item=earlier.items.get(title="Ännu ett"), actor=None)
    client.force_login(cast.secretary)
    url = reverse("drafting:meeting", args=["arboga", namnd.slug, later.meeting_id])
    text = page_text(client.get(url))
    assert (
        "Paragraferna har numrerats om från § 14 eftersom ett tidigare möte fick fler "
        "paragrafer (de började på § 13)." in text
    )
    assert "KS § 14 Ekonomi" in text
    # the earlier meeting's own page shows no notice: it was the secretary's own change
    assert "numrerats om" not in page_text(
        client.get(reverse("drafting:meeting", args=["arboga", namnd.slug, earlier.meeting_id]))
    )
    # the secretary's next change to the later draft's §§ retires the notice
    services.item_create(minutes=later, title="Lokaler", actor=None)
    assert services.renumbering_notice(later) is None
    assert "numrerats om" not in page_text(client.get(url))


def test_an_earlier_draft_shrinking_renumbers_the_later_draft_down(namnd):
    earlier = meeting_with(namnd, datetime.date(2025, 3, 3), ["A", "B", "C"])
    later = meeting_with(namnd, datetime.date(2025, 4, 7), ["D"])
    services.item_delete(item=earlier.items.get(title="B"), actor=None)
    assert paragraphs_of(later) == [3]
    assert services.renumbering_notice(later) == (4, 3)


def test_approved_paragraphs_never_change_and_an_earlier_draft_may_not_reach_them(
    client, cast, namnd
):
    earlier = meeting_with(namnd, datetime.date(2025, 3, 3), ["Val av justerare", "Budget"])
    later = meeting_with(namnd, datetime.date(2025, 4, 7), ["Ekonomi", "Skolskjuts"])
    submit_and_approve(later, cast)
    with pytest.raises(services.InvalidInput) as refused:
        services.item_create(minutes=earlier, title="Sent ärende", actor=None)
    assert str(refused.value) == (
        "Paragrafen kan inte läggas till: mötet den 7 april 2025 har ett justerat protokoll "
        "med KS §§ 3–4, och dess paragrafer ändras inte. Lägg ärendet på ett senare möte."
    )
    assert numbered(earlier) == [(1, "Val av justerare"), (2, "Budget")]
    assert paragraphs_of(later) == [3, 4]
    # through the page: the message, not an error
    client.force_login(cast.secretary)
    response = client.post(
        reverse("drafting:item_add", args=["arboga", namnd.slug, earlier.meeting_id]),
        {"title": "Sent ärende"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Paragrafen kan inte läggas till" in page_text(response)
    assert earlier.items.count() == 2
    # reordering keeps the count and is allowed; a meeting after the approved one follows it
    order = list(earlier.items.order_by("position").values_list("pk", flat=True))
    services.items_reorder(minutes=earlier, ordered_ids=order[::-1], actor=None)
    assert numbered(earlier) == [(1, "Budget"), (2, "Val av justerare")]
    may = meeting_with(namnd, datetime.date(2025, 5, 5), ["Maj"])
    assert paragraphs_of(may) == [5]


def test_a_submitted_later_protokoll_holds_its_paragraphs_too(cast, namnd):
    earlier = meeting_with(namnd, datetime.date(2025, 3, 3), ["A"])
    later = meeting_with(namnd, datetime.date(2025, 4, 7), ["B"])
    services.minutes_submit(minutes=later, actor=cast.secretary)
    with pytest.raises(services.InvalidInput, match="väntar på justering med KS § 2"):
        services.item_create(minutes=earlier, title="C", actor=None)
    services.minutes_withdraw(minutes=later, actor=cast.secretary)
    services.item_create(minutes=earlier, title="C", actor=None)
    assert paragraphs_of(later) == [3]


def test_a_correction_keeps_the_paragraphs_and_may_not_add_any(cast, namnd):
    minutes = meeting_with(namnd, datetime.date(2025, 3, 3), ["A", "B"])
    later = meeting_with(namnd, datetime.date(2025, 4, 7), ["C"])
    revision = submit_and_approve(minutes, cast)
    correction = services.correction_start(revision=revision, actor=cast.secretary, reason="Fel")
    assert paragraphs_of(correction) == [1, 2]
    # the constraint covers the correction's items now, the approved revision's no longer
    assert list(
        AgendaItem.objects.filter(paragraph_council=namnd, paragraph_year=2025)
        .order_by("paragraph")
        .values_list("minutes_id", "paragraph")
    ) == [(correction.pk, 1), (correction.pk, 2), (later.pk, 3)]
    assert paragraphs_of(minutes) == [1, 2]
    with pytest.raises(services.InvalidInput, match="En rättelse kan inte lägga till"):
        services.item_create(minutes=correction, title="Nytt", actor=None)
    with pytest.raises(services.InvalidInput, match="En rättelse kan inte"):
        services.item_delete(item=correction.items.get(title="A"), actor=None)
    # the later draft still follows
    services.item_create(minutes=later, title="D", actor=None)
    assert paragraphs_of(later) == [3, 4]


def test_moving_a_draft_meeting_renumbers_both_meetings(namnd):
    march = meeting_with(namnd, datetime.date(2025, 3, 3), ["A", "B"])
    april = meeting_with(namnd, datetime.date(2025, 4, 7), ["C"])
    meeting = march.meeting
    services.meeting_update(
        meeting=meeting,
        date=datetime.date(2025, 5, 5),
        start_time=None,
        end_time=None,
        place="Salen",
        actor=None,
    )
    assert paragraphs_of(april) == [1]
    assert paragraphs_of(march) == [2, 3]


def test_the_database_refuses_a_duplicate_paragraph(namnd):
    first = meeting_with(namnd, datetime.date(2025, 3, 3), ["A"])
    second = meeting_with(namnd, datetime.date(2025, 4, 7), ["B"])
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            minutes=second,
            position=2,
            number="1",
            title="Dubblett",
            paragraph=1,
            paragraph_council=namnd,
            paragraph_year=2025,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=second.items.get().pk).update(paragraph=1)
    # another year, and a row outside the constraint (an older revision's), are allowed
    AgendaItem.objects.create(
        minutes=second, position=3, title="Annat år", paragraph=1,
        paragraph_council=namnd, paragraph_year=2024,
    )  # fmt: skip
    AgendaItem.objects.create(minutes=second, position=4, title="Äldre", paragraph=1)
    assert paragraphs_of(first) == [1]


def test_a_rad_keeps_its_numbers(cast):
    minutes = meeting_with(cast.council, datetime.date(2025, 3, 3), ["A", "B"])
    later = meeting_with(cast.council, datetime.date(2025, 4, 7), ["C"])
    assert numbered(minutes) == [(None, "A"), (None, "B")]
    assert list(later.items.values_list("number", flat=True)) == ["1"]
    assert minutes.items.get(title="B").label == "2."
    assert not AgendaItem.objects.filter(paragraph_council__isnull=False).exists()


def test_the_prefix_is_shown_on_the_staff_page_the_public_page_and_the_pdf(client, cast, namnd):
    meeting_with(namnd, datetime.date(2025, 1, 20), [f"Ärende {n}" for n in range(11)])
    minutes = meeting_with(namnd, datetime.date(2025, 2, 24), ["Budget 2026"], actor=None)
    client.force_login(cast.secretary)
    staff = page_text(
        client.get(reverse("drafting:meeting", args=["arboga", namnd.slug, minutes.meeting_id]))
    )
    assert "KS § 12 Budget 2026" in staff
    item = minutes.items.get()
    item_page = page_text(
        client.get(
            reverse("drafting:item", args=["arboga", namnd.slug, minutes.meeting_id, item.pk])
        )
    )
    assert "KS § 12" in item_page
    revision = submit_and_approve(minutes, cast)
    client.logout()
    public = page_text(client.get(f"/arboga/{namnd.slug}/2025-02-24/"))
    assert "KS § 12 Budget 2026" in public
    assert "12. Budget" not in public
    pdf = " ".join(
        " ".join(p) for p in pdftext.raw_lines(default_storage.open(revision.pdf_name).read())
    )
    assert "KS § 12 Budget 2026" in pdf
    # without a prefix: "§ 12"
    namnd.paragraph_prefix = ""
    namnd.save()
    assert minutes.items.get().label == "§ 12"


@pytest.mark.parametrize("prefix", ["KS", "SN", "FHR", "BUN2", "Kf", "ÅVN", "ABCDEFGHIJ"])
def test_a_paragraph_prefix_is_letters_and_digits(cast, prefix):
    cast.council.paragraph_prefix = prefix
    cast.council.full_clean()


@pytest.mark.parametrize("prefix", ["K S", "KS-1", "KS§", "ABCDEFGHIJK", "KS_"])
def test_a_paragraph_prefix_refuses_other_characters_and_length(cast, prefix):
    cast.council.paragraph_prefix = prefix
    with pytest.raises(ValidationError) as refused:
        cast.council.full_clean()
    assert "paragraph_prefix" in refused.value.message_dict


def test_the_admin_edits_the_prefix(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:councils_council_change", args=[cast.council.pk])
    form = client.get(url)
    assert 'name="paragraph_prefix"' in form.content.decode()
    data = {
        "municipality": cast.municipality.pk,
        "name": cast.council.name,
        "slug": cast.council.slug,
        "kind": "committee",
        "document_title": "Protokoll",
        "paragraph_prefix": "K S",
        "description": "",
        "default_place": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Prefixet får bara innehålla bokstäver och siffror" in refused.content.decode()
    data["paragraph_prefix"] = "FHR"
    assert client.post(url, data).status_code == 302
    cast.council.refresh_from_db()
    assert cast.council.paragraph_prefix == "FHR"


def test_the_notice_lists_the_coming_paragraphs_and_says_when_they_were_renumbered(
    cast, namnd, mailoutbox, django_capture_on_commit_callbacks
):
    person = cast.secretary.person
    person.email = "sekreterare@example.org"
    person.save()
    earlier = meeting_with(namnd, datetime.date(2025, 1, 20), [f"Ärende {n}" for n in range(11)])
    minutes = meeting_with(namnd, datetime.date(2025, 2, 24), ["Budget 2026", "Lokaler"])
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notice_send(meeting=minutes.meeting, actor=cast.secretary)
    body = mailoutbox[0].body
    assert "KS § 12 Budget 2026\n" in body and "KS § 13 Lokaler\n" in body
    assert "12. Budget" not in body
    assert '<li value="12">KS § 12 Budget 2026' in mailoutbox[0].alternatives[0][0]
    pdf = " ".join(
        " ".join(p) for p in pdftext.raw_lines(default_storage.open(notice.pdf_name).read())
    )
    assert "KS § 12 Budget 2026" in pdf and "KS § 13 Lokaler" in pdf
    services.item_create(minutes=earlier, title="Extra", actor=None)
    assert services.notice_pending_changes(minutes.meeting) == [
        "Paragraferna har numrerats om och börjar på KS § 13"
    ]
    services.item_create(minutes=minutes, title="Skolskjuts", actor=None)
    assert services.notice_pending_changes(minutes.meeting) == ["Ny punkt KS § 15: Skolskjuts"]


def test_search_names_the_paragraph(client, cast, namnd):
    meeting_with(namnd, datetime.date(2025, 1, 20), [f"Ärende {n}" for n in range(11)])
    minutes = meeting_with(namnd, datetime.date(2025, 2, 24), ["Budget 2026"])
    item = minutes.items.get()
    services.item_save(
        item=item, version=item.version, title=item.title, body="<p>Skolskjutsarna ökar.</p>",
        decision="", is_public=True, confidentiality_ground="", sections=[], actor=None,
    )  # fmt: skip
    submit_and_approve(minutes, cast)
    text = page_text(client.get("/sok/", {"q": "skolskjutsarna"}))
    assert "KS § 12 Budget 2026" in text
    assert "12. Budget" not in text


def test_a_draft_meeting_may_not_move_or_start_before_an_approved_one(client, cast, namnd):
    march = meeting_with(namnd, datetime.date(2025, 3, 3), ["A"])
    may = meeting_with(namnd, datetime.date(2025, 5, 5), ["C", "D"])
    submit_and_approve(march, cast)
    submit_and_approve(may, cast)
    april = meeting_with(namnd, datetime.date(2025, 6, 2), ["B"])
    assert paragraphs_of(april) == [4]
    with pytest.raises(services.InvalidInput) as refused:
        services.meeting_update(
            meeting=april.meeting,
            date=datetime.date(2025, 4, 7),
            start_time=None,
            end_time=None,
            place="Salen",
            actor=None,
        )
    assert str(refused.value) == (
        "Mötet kan inte flyttas till det datumet: mötet den 5 maj 2025 har ett justerat "
        "protokoll med KS §§ 2–3, och dess paragrafer ändras inte."
    )
    april.meeting.refresh_from_db()
    assert april.meeting.date == datetime.date(2025, 6, 2) and paragraphs_of(april) == [4]
    # the page shows the message
    client.force_login(cast.secretary)
    response = client.post(
        reverse("drafting:meeting_details", args=["arboga", namnd.slug, april.meeting_id]),
        {"date": "2025-04-07", "start_time": "", "end_time": "", "place": "Salen"},
    )
    assert response.status_code == 400  # the form again, with the message
    assert "Mötet kan inte flyttas till det datumet" in page_text(response)
    # a new meeting before the approved one, with a standing agenda, is refused too
    services.standing_item_ensure(council=namnd, title="Val av justerare", actor=None)
    with pytest.raises(services.InvalidInput, match="Mötets paragrafer kan inte numreras"):
        services.meeting_create(
            council=namnd, date=datetime.date(2025, 4, 14), start_time=None, end_time=None,
            place="", actor=None,
        )  # fmt: skip
    assert not namnd.meetings.filter(date=datetime.date(2025, 4, 14)).exists()


def test_moving_through_a_page_refused_in_a_correction_gets_a_message(client, cast, namnd):
    minutes = meeting_with(namnd, datetime.date(2025, 3, 3), ["A", "B"])
    revision = submit_and_approve(minutes, cast)
    correction = services.correction_start(revision=revision, actor=cast.secretary, reason="Fel")
    client.force_login(cast.secretary)
    item = correction.items.get(title="B")
    response = client.post(
        reverse("drafting:item_move", args=["arboga", namnd.slug, minutes.meeting_id, item.pk]),
        {"direction": "upp"},
        follow=True,
    )
    assert response.status_code == 200
    assert "En rättelse kan inte lägga till, ta bort eller flytta paragrafer" in page_text(response)
    assert numbered(correction) == [(1, "A"), (2, "B")]
