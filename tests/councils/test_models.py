import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from councils.models import Council, Membership
from tests import factories

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_council_slug_is_unique_within_its_municipality():
    muni = factories.municipality()
    factories.council(muni, slug="kommunstyrelsen")
    unique = r"council_slug_unique_in_municipality|UNIQUE"
    with pytest.raises(IntegrityError, match=unique), transaction.atomic():
        factories.council(muni, slug="kommunstyrelsen")


def test_every_municipality_may_have_a_council_with_the_same_slug():
    factories.council(factories.municipality(), slug="kommunstyrelsen")
    factories.council(factories.municipality(), slug="kommunstyrelsen")
    assert Council.objects.filter(slug="kommunstyrelsen").count() == 2


def test_one_person_can_be_representative_and_secretary_at_once():
    council = factories.council()
    person = factories.person("Måns von Stedingk")
    factories.membership(person, council, Role.REPRESENTATIVE)
    factories.membership(person, council, Role.SECRETARY)
    assert set(person.memberships.values_list("role", flat=True)) == {"representative", "secretary"}


def test_the_same_role_twice_from_the_same_day_is_refused():
    council, person = factories.council(), factories.person()
    factories.membership(person, council, Role.MEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.membership(person, council, Role.MEMBER)


def test_the_same_role_again_in_a_later_term_is_allowed():
    council, person = factories.council(), factories.person()
    factories.membership(person, council, Role.MEMBER, end_date=datetime.date(2022, 12, 31))
    factories.membership(person, council, Role.MEMBER, start_date=datetime.date(2023, 1, 1))
    assert person.memberships.count() == 2


def test_a_membership_cannot_end_before_it_starts():
    council, person = factories.council(), factories.person()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.membership(
            person,
            council,
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2019, 12, 31),
        )


def test_current_memberships_exclude_ended_and_future_ones():
    council = factories.council()
    on = datetime.date(2021, 6, 1)
    current = factories.membership(
        factories.person(), council, start_date=datetime.date(2021, 1, 1)
    )
    factories.membership(
        factories.person(),
        council,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2020, 12, 31),
    )
    factories.membership(factories.person(), council, start_date=datetime.date(2022, 1, 1))
    assert list(Membership.objects.current(on)) == [current]


def test_a_slug_the_site_uses_itself_is_refused_for_a_municipality():
    muni = factories.municipality()
    muni.slug = "konto"
    with pytest.raises(ValidationError) as excinfo:
        muni.full_clean()
    assert "används redan av webbplatsen" in str(excinfo.value)


def test_a_representative_is_labelled_by_title_before_organisation():
    council = factories.council()
    police = factories.membership(
        factories.person(),
        council,
        Role.REPRESENTATIVE,
        title="Kommunpolis",
        organisation="Polismyndigheten",
    )
    social = factories.membership(
        factories.person(), council, Role.REPRESENTATIVE, organisation="Socialförvaltningen"
    )
    assert police.label == "Kommunpolis"
    assert social.label == "Socialförvaltningen"


def test_a_councils_usual_meeting_ends_after_it_starts():
    council = factories.council(factories.municipality())
    council.usual_start_time, council.usual_end_time = datetime.time(10), datetime.time(9)
    with pytest.raises(ValidationError, match="sluttiden måste vara efter starttiden"):
        council.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        council.save()
    council.usual_end_time = None  # a start time alone is fine
    council.full_clean()
    council.save()
