"""The administrator sets up municipalities, councils, people and memberships in the admin."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from councils.models import Council, Membership, Municipality, Person

pytestmark = pytest.mark.django_db


def inline_management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_an_administrator_sets_up_a_council_without_reading_code(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        reverse("admin:councils_municipality_add"),
        {
            "name": "Köpings kommun",
            "slug": "koping",
            "place_name": "Köping",
            **inline_management("councils"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    koping = Municipality.objects.get(slug="koping")

    response = client.post(
        reverse("admin:councils_council_add"),
        {
            "municipality": koping.pk,
            "name": "Brottsförebyggande rådet",
            "slug": "bra",
            "kind": "council",
            "document_title": "Minnesanteckningar",
            "default_place": "Stadshuset",
            **inline_management("memberships"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    council = Council.objects.get(municipality=koping, slug="bra")

    response = client.post(
        reverse("admin:councils_person_add"),
        {
            "name": "Karin Karlsson",
            "email": "karin@example.org",
            **inline_management("memberships"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(name="Karin Karlsson")

    response = client.post(
        reverse("admin:councils_membership_add"),
        {
            "person": person.pk,
            "council": council.pk,
            "role": "chair",
            "party": "S",
            "start_date": "2023-01-01",
            "position": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(person=person, council=council).role == "chair"

    actions = list(
        AuditEvent.objects.filter(action__startswith="admin.")
        .order_by("id")
        .values_list("action", "object_type")
    )
    assert actions == [
        ("admin.add", "councils.municipality"),
        ("admin.add", "councils.council"),
        ("admin.add", "councils.person"),
        ("admin.add", "councils.membership"),
    ]
    assert client.get(reverse("minutes:council", args=["koping", "bra"])).status_code == 200


def test_a_membership_ending_before_it_starts_gets_a_message_not_an_error(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:councils_membership_add"),
        {
            "person": cast.member.person.pk,
            "council": cast.council.pk,
            "role": "member",
            "start_date": "2023-01-01",
            "end_date": "2022-01-01",
            "position": "0",
        },
    )
    assert response.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    assert not Membership.objects.filter(start_date="2023-01-01").exists()


def test_a_duplicate_council_slug_gets_a_message(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:councils_council_add"),
        {
            "municipality": cast.municipality.pk,
            "name": "Ett till råd",
            "slug": "forebyggande-radet",
            "kind": "council",
            "document_title": "Minnesanteckningar",
            **inline_management("memberships"),
        },
    )
    assert response.status_code == 200
    assert (
        "Kommunen har redan ett råd eller en nämnd med det kortnamnet." in response.content.decode()
    )
    assert Council.objects.filter(slug="forebyggande-radet").count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "councils_municipality",
        "councils_council",
        "councils_person",
        "councils_membership",
        "minutes_meeting",
        "minutes_minutes",
        "minutes_agendaitem",
        "actionplans_actionplan",
        "actionplans_goal",
        "actionplans_activity",
        "core_auditevent",
        "minutes_approvedrevision",
        "minutes_minutesevent",
        "minutes_standingitem",
        "minutes_adjustmentsignature",
        "minutes_announcement",
        "minutes_extract",
    ],
)
def test_every_list_searches_and_filters(client, cast, name):
    client.force_login(cast.admin)
    url = reverse(f"admin:{name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Arboga"}).status_code == 200


@pytest.mark.parametrize("user", ["secretary", "chair", "member"])
def test_council_members_are_not_administrators(client, cast, user):
    client.force_login(getattr(cast, user))
    response = client.get(reverse("admin:councils_council_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
