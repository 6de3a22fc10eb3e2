"""A nämnd's agenda (issue 18): the standing agenda it gets by default ("Val av justerare",
"Godkännande av dagordning") when it is set up in the admin, the draft that starts from it with
those items first, and the notice that names each coming § with its diarienummer and says when
one changed. A råd alongside, whose standing agenda is never touched."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent
from councils.models import Council
from minutes import services
from minutes.models import StandingItem
from minutes.services.standing import COMMITTEE_OPENING_ITEMS
from tests.pages import page_text

pytestmark = pytest.mark.django_db
OPENING = [title for title, _decision in COMMITTEE_OPENING_ITEMS]
FEB = datetime.date(2025, 2, 24)


def inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def add_council(client, cast, kind: str, slug: str, name: str) -> Council:
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:councils_council_add"),
        {
            "municipality": cast.municipality.pk,
            "name": name,
            "slug": slug,
            "kind": kind,
            "document_title": "Protokoll" if kind == "committee" else "Minnesanteckningar",
            "paragraph_prefix": "SN" if kind == "committee" else "",
            **inline_management("memberships"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Council.objects.get(municipality=cast.municipality, slug=slug)


def standing_titles(council) -> list[str]:
    return list(council.standing_items.order_by("position").values_list("title", flat=True))


def start(council, day=FEB):
    meeting = services.meeting_create(
        council=council, date=day, start_time=None, end_time=None, place="Salen", actor=None
    )
    return meeting.minutes.get()


def items(minutes) -> list[tuple[int | None, str]]:
    return list(minutes.items.order_by("position").values_list("paragraph", "title"))


# --- the standing agenda by default --------------------------------------------------------


def test_a_nämnd_created_in_the_admin_gets_the_opening_items_and_a_råd_none(client, cast):
    namnd = add_council(client, cast, "committee", "socialnamnden", "Socialnämnden")
    rad = add_council(client, cast, "council", "pensionarsradet", "Pensionärsrådet")
    assert standing_titles(namnd) == ["Val av justerare", "Godkännande av dagordning"]
    assert namnd.standing_items.get(position=2).decision == "Dagordningen godkänns."
    assert namnd.standing_items.get(position=1).decision == ""  # the justerare are named then
    assert standing_titles(rad) == []
    event = AuditEvent.objects.get(action="standing_item.defaults_added")
    assert event.data["titles"] == OPENING


def test_a_nämnd_created_in_the_municipalitys_list_gets_them_too(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:councils_municipality_change", args=[cast.municipality.pk])
    existing = list(cast.municipality.councils.order_by("pk"))
    data = {"name": cast.municipality.name, "slug": "arboga", "place_name": "Arboga"}
    data |= inline_management("councils", total=len(existing) + 1, initial=len(existing))
    for n, council in enumerate(existing):
        data |= {
            f"councils-{n}-id": council.pk,
            f"councils-{n}-municipality": cast.municipality.pk,
            f"councils-{n}-name": council.name,
            f"councils-{n}-slug": council.slug,
            f"councils-{n}-kind": council.kind,
            f"councils-{n}-document_title": council.document_title,
        }
    n = len(existing)
    data |= {
        f"councils-{n}-municipality": cast.municipality.pk,
        f"councils-{n}-name": "Kommunstyrelsen",
        f"councils-{n}-slug": "ks",
        f"councils-{n}-kind": "committee",
        f"councils-{n}-document_title": "Protokoll",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert standing_titles(Council.objects.get(slug="ks")) == OPENING
    assert standing_titles(cast.council) == []  # the råd saved alongside is untouched


def test_a_råd_made_a_nämnd_in_the_admin_gets_them_unless_it_has_its_own(client, cast):
    rad = add_council(client, cast, "council", "pensionarsradet", "Pensionärsrådet")
    own = add_council(client, cast, "council", "folkhalsoradet", "Folkhälsorådet")
    StandingItem.objects.create(council=own, position=1, title="Föregående protokoll")
    for council in (rad, own):
        response = client.post(
            reverse("admin:councils_council_change", args=[council.pk]),
            {
                "municipality": cast.municipality.pk,
                "name": council.name,
                "slug": council.slug,
                "kind": "committee",
                "document_title": "Protokoll",
                **inline_management("memberships"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert standing_titles(rad) == OPENING
    assert standing_titles(own) == ["Föregående protokoll"]


def test_an_emptied_standing_agenda_stays_empty_when_the_nämnd_is_edited(client, cast):
    namnd = add_council(client, cast, "committee", "socialnamnden", "Socialnämnden")
    namnd.standing_items.all().delete()
    response = client.post(
        reverse("admin:councils_council_change", args=[namnd.pk]),
        {
            "municipality": cast.municipality.pk,
            "name": "Socialnämnden",
            "slug": "socialnamnden",
            "kind": "committee",
            "document_title": "Protokoll",
            "default_place": "Nämndrummet",
            **inline_management("memberships"),
        },
    )
    assert response.status_code == 302
    assert standing_titles(namnd) == []


def test_the_service_gives_defaults_only_to_a_nämnd_without_a_standing_agenda(cast):
    assert services.standing_agenda_default(council=cast.council, actor=None) == []
    cast.council.kind = Council.Kind.COMMITTEE
    cast.council.save()
    made = services.standing_agenda_default(council=cast.council, actor=None)
    assert [item.title for item in made] == OPENING
    assert services.standing_agenda_default(council=cast.council, actor=None) == []
    assert standing_titles(cast.council) == OPENING


# --- the draft starts from them, and they stay first ------------------------------------------


@pytest.fixture
def namnd(client, cast):
    """A nämnd set up in the admin, whose secretary added "Övriga frågor" to close its
    meetings."""
    council = add_council(client, cast, "committee", "socialnamnden", "Socialnämnden")
    StandingItem.objects.create(council=council, position=3, title="Övriga frågor")
    return council


def test_a_nämnds_first_draft_opens_with_the_justerare_and_the_agenda(namnd):
    minutes = start(namnd)
    assert items(minutes) == [
        (1, "Val av justerare"),
        (2, "Godkännande av dagordning"),
        (3, "Övriga frågor"),
    ]
    assert minutes.items.get(paragraph=2).decision == "Dagordningen godkänns."


def test_items_added_go_after_the_opening_items_and_before_the_closing_ones(namnd, cast):
    minutes = start(namnd)
    services.item_create(minutes=minutes, title="Budget 2026", actor=None)
    services.item_create(minutes=minutes, title="Delegationsbeslut", actor=None)
    assert [title for _p, title in items(minutes)] == [
        "Val av justerare",
        "Godkännande av dagordning",
        "Budget 2026",
        "Delegationsbeslut",
        "Övriga frågor",
    ]
    assert [p for p, _title in items(minutes)] == [1, 2, 3, 4, 5]
    # another app's standing item (an action plan's) also goes before the closing items
    services.standing_item_ensure(council=namnd, title="Handlingsplan", actor=None)
    assert standing_titles(namnd) == [*OPENING, "Handlingsplan", "Övriga frågor"]
    later = start(namnd, datetime.date(2025, 3, 24))
    assert items(later)[:2] == [(6, "Val av justerare"), (7, "Godkännande av dagordning")]


def test_a_råds_draft_keeps_its_own_agenda(client, cast):
    rad = add_council(client, cast, "council", "pensionarsradet", "Pensionärsrådet")
    StandingItem.objects.create(council=rad, position=1, title="Föregående minnesanteckningar")
    assert items(start(rad)) == [(None, "Föregående minnesanteckningar")]


# --- the notice --------------------------------------------------------------------------------


@pytest.fixture
def with_email(cast):
    person = cast.secretary.person
    person.email = "sekreterare@example.org"
    person.save()


def save_case_number(item, case_number: str) -> None:
    item.refresh_from_db()
    services.item_save(
        item=item,
        version=item.version,
        title=item.title,
        body=item.body,
        decision=item.decision,
        is_public=item.is_public,
        confidentiality_ground=item.confidentiality_ground,
        sections=[],
        parts=services.PartsInput(case_number=case_number),
        actor=None,
    )


@pytest.fixture
def notice_draft(cast):
    """A nämnd (the cast's council, so its secretary sends) with the opening items, a § with a
    diarienummer and a confidential one with its own."""
    cast.council.kind = Council.Kind.COMMITTEE
    cast.council.paragraph_prefix = "SN"
    cast.council.save()
    services.standing_agenda_default(council=cast.council, actor=None)
    minutes = start(cast.council)
    budget = services.item_create(minutes=minutes, title="Budget 2026", actor=None)
    save_case_number(budget, "SN 2026/12")
    secret = services.item_create(minutes=minutes, title="Ansökan om bistånd", actor=None)
    save_case_number(secret, "SN 2026/13")
    secret.refresh_from_db()
    services.item_save(
        item=secret,
        version=secret.version,
        title=secret.title,
        body="",
        decision="",
        is_public=False,
        confidentiality_ground="26 kap. 1 § offentlighets- och sekretesslagen",
        sections=[],
        actor=None,
    )
    return minutes


def test_the_notice_lists_the_coming_paragraphs_with_their_diarienummer(
    client, cast, notice_draft, with_email, django_capture_on_commit_callbacks
):
    client.force_login(cast.secretary)
    notice_url = reverse(
        "drafting:notice", args=["arboga", "forebyggande-radet", notice_draft.meeting.pk]
    )
    before = page_text(client.get(notice_url))
    assert "SN § 3 Budget 2026 (Dnr SN 2026/12)" in before
    assert "Går med e-post till nämndens ledamöter" in before
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(meeting=notice_draft.meeting, actor=cast.secretary)
    body = mail.outbox[-1].body
    assert (
        "SN § 1 Val av justerare\n"
        "SN § 2 Godkännande av dagordning\n"
        "SN § 3 Budget 2026 (Dnr SN 2026/12)\n"
        "SN § 4 Ansökan om bistånd (Dnr SN 2026/13)\n"
    ) in body
    assert "SN § 3 Budget 2026 (Dnr SN 2026/12)" in page_text(client.get(notice_url))  # as sent
    public = page_text(client.get("/arboga/forebyggande-radet/2025-02-24/"))
    assert "SN § 1 Val av justerare SN § 2 Godkännande av dagordning" in public
    assert "SN § 3 Budget 2026 (Dnr SN 2026/12)" in public
    assert "SN § 4 Sekretessbelagt ärende" in public and "SN 2026/13" not in public


def test_a_changed_diarienummer_is_a_change_of_the_notice(
    client, cast, notice_draft, with_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(meeting=notice_draft.meeting, actor=cast.secretary)
    assert services.notice_pending_changes(notice_draft.meeting) == []
    budget = notice_draft.items.get(title="Budget 2026")
    save_case_number(budget, "SN 2026/14")
    opening = notice_draft.items.get(title="Godkännande av dagordning")
    save_case_number(opening, "SN 2026/1")
    assert services.notice_pending_changes(notice_draft.meeting) == [
        "Diarienummer för SN § 2: SN 2026/1 (tidigare –)",
        "Diarienummer för SN § 3: SN 2026/14 (tidigare SN 2026/12)",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(meeting=notice_draft.meeting, actor=cast.secretary)
    assert "- Diarienummer för SN § 3: SN 2026/14 (tidigare SN 2026/12)" in mail.outbox[-1].body
    assert "SN § 3 Budget 2026 (Dnr SN 2026/14)" in mail.outbox[-1].body


def test_a_nämnd_set_up_with_the_råds_title_writes_a_protokoll(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:councils_council_add"),
        {
            "municipality": cast.municipality.pk,
            "name": "Byggnadsnämnden",
            "slug": "byggnadsnamnden",
            "kind": "committee",
            "document_title": "Minnesanteckningar",
            "paragraph_prefix": "BN",
            **inline_management("memberships"),
        },
    )
    assert response.status_code == 302
    namnd = Council.objects.get(slug="byggnadsnamnden")
    assert namnd.document_title == "Protokoll"
