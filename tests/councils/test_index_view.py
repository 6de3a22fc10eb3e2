import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_front_page_lists_municipalities_and_their_councils(client, cast):
    response = client.get(reverse("councils:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Arboga kommun" in html
    assert "Kungsörs kommun" in html
    assert 'href="/arboga/forebyggande-radet/"' in html


def test_front_page_needs_no_login(client, cast):
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_front_page_runs_two_queries_whatever_the_number_of_councils(
    client, django_assert_num_queries, size
):
    for _ in range(size):
        muni = factories.municipality()
        for _ in range(size):
            factories.council(muni)
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.content.decode().count("<li><a href=") == size * size


def test_front_page_says_so_when_there_is_nothing_yet(client, db):
    assert "Här finns ännu inga kommuner." in client.get("/").content.decode()
