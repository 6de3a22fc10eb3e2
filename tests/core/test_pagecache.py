"""The public pages remembered until anything public changes (core.pagecache).

Transactional tests: the generation moves on when a writer's transaction commits, so these
tests commit, as production does."""

from __future__ import annotations

import datetime
import io
import re
import threading
import zlib

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core import audit, pagecache
from councils.models import Council, Membership, Municipality, Person
from minutes import publication, services
from minutes.models import Announcement, Meeting
from minutes.services.importing import import_legacy_minutes
from tests import factories
from tests.minutes.drafting_fixtures import approved_elsewhere
from tests.minutes.test_noticeboard import on, post
from tests.opendata.conftest import SEED

pytestmark = pytest.mark.django_db(transaction=True)

COUNCIL = "/arboga/forebyggande-radet/"


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_public_page_is_rendered_once_then_sent_as_remembered_for_one_query(
    client, cast, django_assert_num_queries
):
    first = client.get(COUNCIL)
    with django_assert_num_queries(1):  # the generation, nothing else
        second = client.get(COUNCIL)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # what the middleware adds is added to the remembered page as to a rendered one
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Language"] == "sv"


def rename(council: Council, name: str, how: str) -> None:
    if how == "save":
        council.name = name
        council.save()
    elif how == "update":
        Council.objects.filter(pk=council.pk).update(name=name)
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE councils_council SET name = %s WHERE id = %s", [name, council.pk]
            )


@pytest.mark.parametrize("how", ["save", "update", "sql"])
def test_any_committed_write_forgets_the_remembered_pages(client, cast, how):
    assert "Brottsförebyggande rådet" not in text(client.get(COUNCIL))
    rename(cast.council, "Brottsförebyggande rådet", how)
    assert "Brottsförebyggande rådet" in text(client.get(COUNCIL))


def test_rows_written_in_bulk_are_seen_at_once(client, cast):
    assert "Nils Nyvald" not in text(client.get(COUNCIL))
    person = Person.objects.bulk_create([Person(name="Nils Nyvald")])[0]
    Membership.objects.bulk_create(
        [
            Membership(
                person=person,
                council=cast.council,
                role=Membership.Role.MEMBER,
                start_date=factories.TERM_START,
            )
        ]
    )
    assert "Nils Nyvald" in text(client.get(COUNCIL))


def test_a_withdrawn_record_leaves_the_remembered_meeting_page_at_once(client, cast):
    meeting = factories.meeting(cast.council, datetime.date(2025, 2, 24))
    revision = approved_elsewhere(
        meeting, body="<p>Personnummer 19121212-1212 publicerat av misstag.</p>"
    )
    page = f"{COUNCIL}2025-02-24/"
    assert "19121212-1212" in text(client.get(page))
    assert "19121212-1212" in text(client.get(page))  # remembered
    services.publication_withdraw(revision=revision, actor=cast.secretary, reason="Personnummer")
    assert "19121212-1212" not in text(client.get(page))


def test_a_write_that_rolls_back_forgets_nothing_and_one_that_commits_moves_on_after_it(cast):
    before = pagecache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Council.objects.filter(pk=cast.council.pk).update(name="Aldrig")
        raise RuntimeError
    assert pagecache.generation() == before
    with transaction.atomic():
        Council.objects.filter(pk=cast.council.pk).update(name="Sedan")
        assert pagecache.generation() == before  # nobody else sees the new name yet
    assert pagecache.generation() != before


def test_a_connection_that_has_written_neither_reads_nor_fills_the_cache(client, cast):
    assert "Förebyggande rådet" in text(client.get(COUNCIL))  # remembered
    with pytest.raises(RuntimeError), transaction.atomic():
        Council.objects.filter(pk=cast.council.pk).update(name="Okommitterat råd")
        # this connection sees its own write, which nobody else does
        assert "Okommitterat råd" in text(client.get(COUNCIL))
        raise RuntimeError
    page = text(client.get(COUNCIL))
    assert "Okommitterat råd" not in page and "Förebyggande rådet" in page


def test_writes_to_what_no_page_is_built_from_keep_the_pages(client, cast):
    client.get(COUNCIL)
    before = pagecache.generation()
    audit.record("test.event", actor=cast.secretary)
    session = SessionStore()
    session["x"] = 1
    session.save()
    assert pagecache.generation() == before


PUBLIC_PAGES = [
    "/",
    "/arboga/",
    COUNCIL,
    f"{COUNCIL}2025-02-24/",
    "/sok/?q=trygghet",
    "/sok/?q=trygghet&kommun=arboga&rad=forebyggande-radet",
    "/arboga/anslagstavla/",
    "/arboga/anslagstavla/arkiv/",
    "/en/arboga/forebyggande-radet/",
]


def test_reading_the_public_pages_writes_nothing_they_are_built_from(client, cast):
    meeting = factories.meeting(cast.council, datetime.date(2025, 2, 24))
    factories.item(factories.minutes(meeting), 1, title="Trygghet")
    before = pagecache.generation()
    for _ in range(2):
        for url in PUBLIC_PAGES:
            assert client.get(url).status_code == 200, url
    assert pagecache.generation() == before


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_is_remembered(client, cast, url, django_assert_num_queries):
    factories.meeting(cast.council, datetime.date(2025, 2, 24))
    first = client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).content == first.content


def test_a_signed_in_user_is_never_sent_the_remembered_page(client, cast):
    anonymous = text(client.get(COUNCIL))
    client.force_login(cast.member)
    signed_in = text(client.get(COUNCIL))
    assert signed_in != anonymous and "Logga ut" in signed_in and "Logga ut" not in anonymous


def test_the_day_is_part_of_the_address_the_page_is_remembered_under(client, cast):
    post(
        cast.council,
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 27),
    )
    assert Announcement.objects.count() == 1
    with on(datetime.date(2026, 3, 10)):
        up = text(client.get("/arboga/anslagstavla/"))
        assert text(client.get("/arboga/anslagstavla/")) == up
    with on(datetime.date(2026, 3, 30)):
        down = text(client.get("/arboga/anslagstavla/"))
    assert down != up


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(HttpResponse("x", status=404), id="not 200"),
        pytest.param(HttpResponse("x", headers={"Cache-Control": "private"}), id="private"),
        pytest.param(HttpResponse("x", headers={"Cache-Control": "no-store"}), id="no-store"),
        pytest.param(HttpResponse("x", headers={"Cache-Control": "max-age=0"}), id="max-age=0"),
        pytest.param(HttpResponse("x" * (pagecache.LARGEST + 1)), id="too large"),
    ],
)
def test_what_is_not_for_everyone_is_not_remembered(response):
    request = RequestFactory().get("/")
    assert not pagecache._storable(request, response)


def test_a_response_that_sets_a_cookie_or_a_csrf_token_is_not_remembered():
    request = RequestFactory().get("/")
    response = HttpResponse("x")
    assert pagecache._storable(request, response)
    response.set_cookie("c", "1")
    assert not pagecache._storable(request, response)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not pagecache._storable(request, HttpResponse("x"))


def test_turned_off_with_page_cache_seconds_zero(client, cast, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(COUNCIL)
    with django_assert_num_queries(5):  # the council page's own
        client.get(COUNCIL)


def test_a_page_asked_for_again_with_its_etag_is_not_modified_until_a_write(
    client, cast, django_assert_num_queries
):
    first = client.get(COUNCIL)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    with django_assert_num_queries(1):
        again = client.get(COUNCIL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    rename(cast.council, "Brottsförebyggande rådet", "update")
    changed = client.get(COUNCIL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Brottsförebyggande rådet" in changed.content.decode()


def test_a_page_no_longer_remembered_is_sent_whole_whatever_its_etag(client, cast):
    """PAGE_CACHE_SECONDS bounds the 304s too: what the rule cannot see (SQL typed into psql, a
    new release's templates) reaches a returning browser once the page has expired."""
    etag = client.get(COUNCIL)["ETag"]
    caches["pages"].clear()  # expired, or never remembered by this process
    again = client.get(COUNCIL, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.content


def test_only_the_query_parameters_a_page_reads_are_remembered(client, cast):
    for n in range(5):
        assert client.get(f"{COUNCIL}?x={n}").status_code == 200
        assert client.get(f"/sok/?q=ord{n}&utm_source=nyhetsbrev").status_code == 200
    assert client.get(f"{COUNCIL}?ar=2025").status_code == 200
    assert client.get("/sok/?q=trygghet&kommun=arboga&rad=forebyggande-radet&sida=2")
    assert len(caches["pages"]._cache) == 2


def test_the_remembered_page_is_kept_compressed(client, cast):
    page = client.get(COUNCIL).content
    (stored,) = [caches["pages"].get(k.split(":", 2)[2]) for k in caches["pages"]._cache]
    assert zlib.decompress(stored[0]) == page and len(stored[0]) < len(page) / 2


def test_a_failing_move_of_the_generation_stops_no_other_commit_callback(cast, monkeypatch):
    """A withdrawal's published PDF is taken down after the commit, even when moving the
    generation fails then (SQLite locked by another writer, a dropped connection)."""
    meeting = factories.meeting(cast.council, datetime.date(2025, 2, 24))
    revision = approved_elsewhere(meeting, body="<p>Personnummer 19121212-1212.</p>")
    name = publication.published_name(revision)
    assert storages[publication.STORAGE].exists(name)

    def locked(using="default"):
        raise OperationalError("database is locked")

    monkeypatch.setattr(pagecache, "bump", locked)
    services.publication_withdraw(revision=revision, actor=cast.secretary, reason="Pnr")
    assert not storages[publication.STORAGE].exists(name)


@pytest.mark.parametrize(
    ("sql", "watched"),
    [
        ('INSERT INTO "councils_council" ("name") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "councils_person" ("name") VALUES (?)', True),
        ('UPDATE "minutes_minutes" SET "status" = %s', True),
        ('DELETE FROM "minutes_meeting" WHERE "id" = %s', True),
        ('TRUNCATE "minutes_meeting", "councils_council"', True),
        ('TRUNCATE "django_session", "minutes_meeting"', True),
        ("WITH moved AS (UPDATE minutes_meeting SET date = %s RETURNING id) SELECT 1", True),
        ("/* a comment */ DELETE FROM minutes_notice", True),
        ('SELECT "id" FROM "minutes_meeting" WHERE "updated_at" > %s', False),
        ('SELECT "id" FROM "minutes_minutes" FOR UPDATE', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "core_auditevent" ("action") VALUES (%s)', False),
        ('UPDATE "minutes_agendaitemsection" SET "body" = %s', False),
    ],
)
def test_what_counts_as_a_write_to_what_the_pages_are_built_from(sql, watched):
    assert pagecache.writes_watched(sql) is watched


def test_no_public_page_reads_a_table_whose_writes_are_not_watched(client):
    """Every public page of the demo and the seed, and of a withdrawn record, rendered: the
    tables they read are all watched (core.pagecache.UNWATCHED names none of them)."""
    call_command("load_demo", stdout=io.StringIO())
    if SEED.exists():
        import_legacy_minutes(
            text=SEED.read_text(encoding="utf-8"),
            council_slug="radet-ur-arkivet",
            municipality_slug="arboga",
            source=SEED.name,
        )
    council = Council.objects.get(municipality__slug="arboga", slug="forebyggande-radet")
    withdrawn = approved_elsewhere(factories.meeting(council, datetime.date(2019, 2, 24)))
    services.publication_withdraw(revision=withdrawn, actor=None, reason="Fel")
    urls = ["/", "/sok/?q=trygghet", "/sok/?q=trygghet&kommun=arboga&rad=socialnamnden"]
    for slug in Municipality.objects.values_list("slug", flat=True):
        urls += [f"/{slug}/", f"/{slug}/anslagstavla/", f"/{slug}/anslagstavla/arkiv/"]
    for council in Council.objects.select_related("municipality"):
        urls.append(f"/{council.municipality.slug}/{council.slug}/")
        urls.append(f"/en/{council.municipality.slug}/{council.slug}/")
    for meeting in Meeting.objects.select_related("council__municipality"):
        urls.append(f"/{meeting.council.municipality.slug}/{meeting.council.slug}/{meeting.date}/")
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200, url
    read = {t for q in queries for t in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"])}
    assert {"minutes_approvedrevision", "minutes_notice", "minutes_announcement"} <= read
    assert sorted(t for t in read if pagecache.UNWATCHED.match(t)) == []


def test_a_page_for_the_signed_in_has_no_etag(client, cast):
    client.force_login(cast.member)
    assert "ETag" not in client.get(COUNCIL)


def test_pages_shared_by_the_processes_of_a_machine_in_a_folder(
    client, cast, settings, tmp_path, django_assert_num_queries
):
    # PAGE_CACHE_DIR: what config.settings makes of it
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
    first = client.get(COUNCIL)
    assert list((tmp_path / "pages").iterdir())
    with django_assert_num_queries(1):
        assert client.get(COUNCIL).content == first.content
    rename(cast.council, "Brottsförebyggande rådet", "save")
    assert "Brottsförebyggande rådet" in text(client.get(COUNCIL))


def test_the_watch_outlives_a_wrapper_of_a_block_the_connection_opened_in(client, cast):
    """A thread's connection is new; opened inside connection.execute_wrapper(), whose end pops
    the last wrapper, it keeps the watch."""
    before = pagecache.generation()
    kept = []

    def spy(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    def work():
        try:
            with connection.execute_wrapper(spy):
                Council.objects.count()  # the thread's connection opens here
            kept.append(pagecache._watch in connection.execute_wrappers)
            Council.objects.filter(pk=cast.council.pk).update(name="Trådens råd")
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert kept == [True]
    assert pagecache.generation() != before
