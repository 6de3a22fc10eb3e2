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
