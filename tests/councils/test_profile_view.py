import datetime

import pytest
from django.urls import reverse

from councils.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("accounts:profile")


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_lists_each_council_once_with_all_roles(client, cast):
    person = cast.secretary.person
    factories.membership(
        person, cast.council, Membership.Role.REPRESENTATIVE, organisation="Kultur"
    )
    client.force_login(cast.secretary)
    html = client.get(URL).content.decode()
    assert html.count("Förebyggande rådet</a>") == 1
    assert "Rådsrepresentant, sekreterare" in html or "Sekreterare, rådsrepresentant" in html
    assert "Arboga kommun" in html


def test_profile_leaves_out_ended_memberships(client, cast):
    factories.membership(
        cast.member.person,
        cast.other_council,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2014, 12, 31),
    )
    client.force_login(cast.member)
    html = client.get(URL).content.decode()
    assert "Förebyggande rådet" in html
    assert "Trygghetsrådet" not in html


def test_profile_of_an_account_without_a_person(client, cast):
    client.force_login(cast.admin)
    html = client.get(URL).content.decode()
    assert "Du har inga uppdrag" in html
    assert "systemförvaltare" in html


@pytest.mark.parametrize("size", [1, 15])
def test_profile_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries, size):
    person = cast.member.person
    for _ in range(size):
        factories.membership(person, factories.council(), Membership.Role.MEMBER)
    client.force_login(cast.member)
    # session, user, person, memberships with their councils, the second-factor device
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.content.decode().count("<tr>") == size + 2  # header, cast's council, the rest


def test_a_user_changes_their_password(client, cast):
    client.force_login(cast.member)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "ett-nytt-långt-lösenord-9",
            "new_password2": "ett-nytt-långt-lösenord-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    cast.member.refresh_from_db()
    assert cast.member.check_password("ett-nytt-långt-lösenord-9")


def test_a_wrong_old_password_gets_a_swedish_message_and_changes_nothing(client, cast):
    client.force_login(cast.member)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "fel", "new_password1": "x-ny-123456", "new_password2": "x-ny-123456"},
    )
    assert response.status_code == 200
    assert "Ditt gamla lösenord var felaktigt ifyllt" in response.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.check_password(factories.PASSWORD)
