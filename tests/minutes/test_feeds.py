import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils.http import http_date

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


COUNCIL_FEED = "/arboga/forebyggande-radet/minnesanteckningar.atom"


def test_feeds_are_valid_atom_with_an_author(client, cast, draft):
    """RFC 4287 4.1.1: a feed has an author, or every entry has one; feedparser reads both
    without complaint (bozo 0)."""
    submit_and_approve(draft, cast)
    for url, feed_author in (
        (COUNCIL_FEED, "Förebyggande rådet, Arboga kommun"),
        ("/minnesanteckningar.atom", "Protokollet"),
    ):
        parsed = feedparser.parse(client.get(url).content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert parsed.feed.author == feed_author
        (entry,) = parsed.entries
        assert entry.author == "Förebyggande rådet, Arboga kommun"


def test_an_empty_feed_is_valid_atom_too(client, db):
    parsed = feedparser.parse(client.get("/minnesanteckningar.atom").content)
    assert parsed.bozo == 0 and parsed.feed.author == "Protokollet" and parsed.entries == []


@pytest.mark.parametrize("url", [COUNCIL_FEED, "/minnesanteckningar.atom"])
def test_an_unchanged_feed_answers_304_until_it_changes(client, cast, draft, url):
    revision = submit_and_approve(draft, cast)
    first = client.get(url)
    assert first.status_code == 200
    assert first["Last-Modified"] == http_date(revision.created_at.timestamp())
    etag = first["ETag"]
    assert etag.startswith('"')
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304 and by_date.content == b""
    assert by_date["ETag"] == etag and by_date["Last-Modified"] == first["Last-Modified"]
    by_tag = client.get(url, headers={"if-none-match": etag})
    assert by_tag.status_code == 304 and by_tag["ETag"] == etag
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200
    # a withdrawal removes the entry: a change even though nothing new was approved
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Personuppgifter.")
    after = client.get(url, headers={"if-none-match": etag})
    assert after.status_code == 200 and after["ETag"] != etag
    assert entries(client, url) == []
    later = client.get(
        url,
        headers={
            "if-modified-since": http_date(
                (revision.approved_at - datetime.timedelta(seconds=1)).timestamp()
            )
        },
    )
    assert later.status_code == 200


def test_new_minutes_make_the_feed_change(client, cast, draft):
    from tests import factories

    submit_and_approve(draft, cast)
    etag = client.get(COUNCIL_FEED)["ETag"]
    approved_elsewhere(factories.meeting(cast.council, datetime.date(2019, 1, 1)))
    response = client.get(COUNCIL_FEED, headers={"if-none-match": etag})
    assert response.status_code == 200 and len(feedparser.parse(response.content).entries) == 2
    # another council's minutes are not news in this council's feed
    other = client.get(COUNCIL_FEED)["ETag"]
    approved_elsewhere(factories.meeting(cast.other_council, datetime.date(2019, 1, 2)))
    assert client.get(COUNCIL_FEED, headers={"if-none-match": other}).status_code == 304


def test_minutes_approved_on_paper_and_imported_later_move_the_feeds_date(client, cast, draft):
    """Last-Modified is when the newest minutes arrived, not when they were approved: minutes
    imported today with an approval of 2019 are news to a client that asks by date."""
    from minutes.feeds import feed_state
    from tests import factories

    first = submit_and_approve(draft, cast)
    imported = approved_elsewhere(factories.meeting(cast.council, datetime.date(2019, 1, 1)))
    assert imported.approved_at < first.approved_at < imported.created_at
    assert feed_state(cast.council).last_modified == imported.created_at
    assert feed_state(None).last_modified == imported.created_at


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
    # the council, the feed's state (Last-Modified, ETag), its entries
    with django_assert_max_num_queries(3):
        client.get("/arboga/forebyggande-radet/minnesanteckningar.atom")
    with CaptureQueriesContext(connection) as one:
        client.get("/minnesanteckningar.atom")
    for day in (1, 2, 3):
        approved_elsewhere(factories.meeting(cast.council, datetime.date(2019, 1, day)))
    with django_assert_max_num_queries(3):
        client.get("/arboga/forebyggande-radet/minnesanteckningar.atom")
    with CaptureQueriesContext(connection) as four:
        assert len(entries(client, "/minnesanteckningar.atom")) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
