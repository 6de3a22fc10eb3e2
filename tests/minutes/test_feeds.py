import xml.etree.ElementTree as ET

import pytest

from minutes import services
from tests.minutes.drafting_fixtures import approved_elsewhere, submit_and_approve

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 (our own output)


def test_feeds_list_approved_minutes_with_their_pdf(client, cast, draft):
    assert entries(client, "/minnesanteckningar.atom") == []  # a draft is not news
    revision = submit_and_approve(draft, cast)
    for url in ("/minnesanteckningar.atom", "/arboga/forebyggande-radet/minnesanteckningar.atom"):
        (entry,) = entries(client, url)
        assert entry.find(f"{ATOM}title").text == "Förebyggande rådet 2025-02-24"
        assert (
            entry.find(f"{ATOM}link[@rel='alternate']")
            .get("href")
            .endswith("/arboga/forebyggande-radet/2025-02-24/")
        )
        enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
        assert enclosure.get("type") == "application/pdf" and enclosure.get("length") == str(
            revision.pdf_size
        )
        assert entry.find(f"{ATOM}id").text == f"urn:sha256:{revision.pdf_sha256}"
    assert entries(client, "/kungsor/" + cast.other_council.slug + "/minnesanteckningar.atom") == []


def test_withdrawn_copies_leave_the_feed(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Personuppgifter.")
    assert entries(client, "/minnesanteckningar.atom") == []


def test_an_unknown_council_has_no_feed(client, db):
    assert client.get("/arboga/finns-inte/minnesanteckningar.atom").status_code == 404


def test_the_feed_runs_a_fixed_number_of_queries(
    client, cast, draft, django_assert_max_num_queries
):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    submit_and_approve(draft, cast)
    with django_assert_max_num_queries(2):
        client.get("/arboga/forebyggande-radet/minnesanteckningar.atom")
    with CaptureQueriesContext(connection) as one:
        client.get("/minnesanteckningar.atom")
    for day in (1, 2, 3):
        approved_elsewhere(factories.meeting(cast.council, datetime.date(2019, 1, day)))
    with django_assert_max_num_queries(2):
        client.get("/arboga/forebyggande-radet/minnesanteckningar.atom")
    with CaptureQueriesContext(connection) as four:
        assert len(entries(client, "/minnesanteckningar.atom")) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
