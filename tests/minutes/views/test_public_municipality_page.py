"""A municipality's public page, /<kommun>/: its councils and their latest approved minutes; and
the breadcrumbs of the public pages, which lead back to it."""

import datetime

import pytest
from django.urls import reverse

from minutes.models import Minutes
from tests import factories
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def approved(council, day, **kwargs):
    meeting = factories.meeting(council, day, **kwargs)
    factories.minutes(meeting, status=Minutes.Status.APPROVED)
    return meeting


def test_the_page_lists_the_councils_with_their_latest_approved_minutes(client, cast):
    other = factories.council(cast.council.municipality, "Trygghetsrådet i Arboga", slug="tr")
    approved(cast.council, datetime.date(2019, 11, 26))
    approved(cast.council, datetime.date(2020, 2, 24), place="Kommunstyrelsesalen")
    factories.minutes(factories.meeting(cast.council, datetime.date(2020, 5, 11)))  # a draft
    elsewhere = factories.council(factories.municipality("Köping kommun"), "Köpingsrådet")
    approved(elsewhere, datetime.date(2021, 1, 1))
    response = client.get("/arboga/")
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Förebyggande rådet (råd) Senast godkända: 24 februari 2020, kl 08.30 – 10.30, "
        "Kommunstyrelsesalen Minnesanteckningar (PDF)"
    ) in text
    assert f"{other.name} (" in text and "Inga godkända minnesanteckningar ännu." in text
    assert "Köpingsrådet" not in text and "11 maj 2020" not in text
    html = response.content.decode()
    pdf = "/arboga/forebyggande-radet/2020-02-24/arboga-forebyggande-radet-2020-02-24.pdf"
    assert f'href="{pdf}"' in html
    assert 'href="/arboga/forebyggande-radet/2020-02-24/"' in html
    assert 'href="/arboga/forebyggande-radet/"' in html


def test_an_unknown_municipality_is_404(client, cast):
    assert client.get("/finns-inte/").status_code == 404


def test_the_site_s_own_addresses_are_not_taken_for_a_municipality(client, cast):
    assert client.get("/sok/").status_code == 200
    assert client.get("/tillganglighet/").status_code == 200
    assert reverse("minutes:search") == "/sok/"


@pytest.mark.parametrize("slug", ["tillganglighet", "en", "sv"])
def test_a_municipality_cannot_take_an_address_of_the_site(slug):
    from django.core.exceptions import ValidationError

    from councils.models import validate_not_reserved

    with pytest.raises(ValidationError):
        validate_not_reserved(slug)


def test_every_language_prefix_is_reserved(settings):
    """The language prefixes come from settings.LANGUAGES: a language added there cannot be a
    municipality's slug either, one taken away can."""
    from django.core.exceptions import ValidationError

    from councils.models import validate_not_reserved

    settings.LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("fi", "Suomi")]
    for slug in ("fi", "FI", "sv", "en"):
        with pytest.raises(ValidationError):
            validate_not_reserved(slug)
    settings.LANGUAGES = [("sv", "Svenska")]
    validate_not_reserved("en")


@pytest.mark.parametrize("size", [1, 12])
def test_three_queries_whatever_the_number_of_councils(client, django_assert_num_queries, size):
    """The municipality, its councils with their latest minutes, the count of announcements
    on its anslagstavla."""
    municipality = factories.municipality("Köping kommun")
    for n in range(size):
        council = factories.council(municipality, f"Råd {n}", slug=f"rad-{n}")
        approved(council, datetime.date(2020, 1 + n % 12, 1))
    with django_assert_num_queries(3):
        response = client.get(f"/{municipality.slug}/")
    assert page_text(response).count("Senast godkända") == size


def test_public_breadcrumbs_lead_to_the_municipality(client, cast):
    approved(cast.council, datetime.date(2020, 2, 24))
    crumb = '<a href="/arboga/">Arboga kommun</a>'
    for page in (
        "/arboga/forebyggande-radet/",
        "/arboga/forebyggande-radet/2020-02-24/",
        "/arboga/forebyggande-radet/handlingsplaner/",
    ):
        html = client.get(page).content.decode()
        nav = html[html.index('class="breadcrumb"') : html.index("</ol>")]
        assert crumb in nav, page
    assert 'href="/arboga/"' in client.get("/").content.decode()  # the front page links there
