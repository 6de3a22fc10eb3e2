"""Downloads: the stable address redirects to an immutable, content-addressed published file."""

import datetime

import pytest
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.urls import resolve, reverse

from minutes import publication, services
from tests.minutes.drafting_fixtures import submit_and_approve

pytestmark = pytest.mark.django_db
STABLE = "/arboga/forebyggande-radet/2025-02-24/arboga-forebyggande-radet-2025-02-24.pdf"


def published(revision) -> str:
    return f"/filer/{revision.pdf_sha256}/arboga-forebyggande-radet-2025-02-24.pdf"


def test_the_stable_address_redirects_to_the_immutable_file_in_one_query(
    client, cast, draft, django_assert_num_queries
):
    revision = submit_and_approve(draft, cast)
    with django_assert_num_queries(1):
        response = client.get(STABLE)
    assert response.status_code == 302
    assert response["Location"] == published(revision)
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_immutable_file_has_long_caching_its_hash_as_etag_and_nosniff(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    response = client.get(published(revision))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{revision.pdf_sha256}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'inline; filename="arboga-forebyggande-radet-2025-02-24.pdf"'
    )
    body = b"".join(response.streaming_content)
    assert body == default_storage.open(revision.pdf_name).read()
    assert int(response["Content-Length"]) == revision.pdf_size == len(body)


def test_a_revalidation_with_the_hash_is_answered_304(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    response = client.get(
        published(revision), headers={"If-None-Match": f'"{revision.pdf_sha256}"'}
    )
    assert response.status_code == 304
    assert response["ETag"] == f'"{revision.pdf_sha256}"'


def test_a_published_file_is_served_without_a_query(client, cast, draft, django_assert_num_queries):
    revision = submit_and_approve(draft, cast)
    publication.publish(revision)
    with django_assert_num_queries(0):
        assert client.get(published(revision)).status_code == 200


def test_approval_publishes_the_file_only_once_it_commits(
    cast, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        revision = submit_and_approve(draft, cast)
    name = publication.published_name(revision)
    assert not storages["published"].exists(name)
    for callback in callbacks:
        callback()
    assert storages["published"].open(name).read() == default_storage.open(revision.pdf_name).read()


def test_a_missing_published_file_is_published_again_on_its_first_request(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    assert not storages["published"].exists(publication.published_name(revision))
    assert client.get(published(revision)).status_code == 200
    assert storages["published"].exists(publication.published_name(revision))


def test_unknown_hashes_and_names_are_404(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    assert (
        client.get(f"/filer/{'0' * 64}/arboga-forebyggande-radet-2025-02-24.pdf").status_code == 404
    )
    other = f"/filer/{revision.pdf_sha256}/annan-kommun-2025-02-24.pdf"
    assert client.get(other).status_code == 404
    assert client.get(f"/filer/{revision.pdf_sha256}/../../settings.py").status_code == 404
    assert client.post(published(revision)).status_code == 405


def test_a_withdrawn_revision_is_served_by_no_public_address(
    client, cast, draft, django_capture_on_commit_callbacks
):
    revision = submit_and_approve(draft, cast)
    publication.publish(revision)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(revision=revision, actor=cast.admin, reason="Personnummer.")
    assert not storages["published"].exists(publication.published_name(revision))
    stable = client.get(STABLE)
    assert stable.status_code == 410 and "Personnummer." in stable.content.decode()
    assert client.get(published(revision)).status_code == 404  # and not published again
    by_id = f"/arboga/forebyggande-radet/moten/{draft.meeting.pk}/minnesanteckningar.pdf"
    assert client.get(by_id).status_code == 410
    assert (
        revision.pdf_sha256
        not in client.get("/arboga/forebyggande-radet/2025-02-24/").content.decode()
    )
    assert revision.pdf_sha256 not in client.get("/minnesanteckningar.atom").content.decode()
    # the archive keeps it
    assert default_storage.exists(revision.pdf_name)


def test_a_correction_moves_the_stable_address_and_keeps_the_old_file(client, cast, draft):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.chair, reason="Stavfel.")
    second = submit_and_approve(correction, cast)
    assert client.get(STABLE)["Location"] == (
        f"/filer/{second.pdf_sha256}/arboga-forebyggande-radet-2025-02-24-version-2.pdf"
    )
    assert client.get(published(first)).status_code == 200
    old = f"/arboga/forebyggande-radet/moten/{draft.meeting.pk}/version/1/minnesanteckningar.pdf"
    assert client.get(old)["Location"] == published(first)


def test_publish_files_brings_the_storage_in_line_with_the_database(cast, draft):
    from io import StringIO

    revision = submit_and_approve(draft, cast)
    out = StringIO()
    call_command("publish_files", stdout=out)
    assert storages["published"].exists(publication.published_name(revision))
    assert "1 publicerade, 0 borttagna" in out.getvalue()
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Fel.")
    call_command("publish_files", stdout=out)
    assert not storages["published"].exists(publication.published_name(revision))
    assert "0 publicerade, 1 borttagna" in out.getvalue()


def test_a_published_address_under_another_prefix_is_not_routed_to_the_app(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    assert client.get(f"/media/{revision.pdf_name}").status_code == 404


def test_the_stable_address_is_remembered_for_a_minute_and_forgotten_on_withdrawal(
    client, cast, draft, django_assert_num_queries
):
    revision = submit_and_approve(draft, cast)
    client.get(STABLE)
    with django_assert_num_queries(0):
        assert client.get(STABLE)["Location"] == published(revision)
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Fel.")
    assert client.get(STABLE).status_code == 410


def test_slugs_with_capitals_and_underscores_have_addresses_too(client, cast, draft):
    municipality = cast.council.municipality
    municipality.slug = "Arboga_K"
    municipality.save()
    revision = submit_and_approve(draft, cast)
    stable = client.get(
        "/Arboga_K/forebyggande-radet/2025-02-24/Arboga_K-forebyggande-radet-2025-02-24.pdf"
    )
    assert stable["Location"] == (
        f"/filer/{revision.pdf_sha256}/Arboga_K-forebyggande-radet-2025-02-24.pdf"
    )
    assert client.get(stable["Location"]).status_code == 200


def test_the_readable_address_is_the_one_the_url_configuration_serves():
    day = datetime.date(2025, 2, 24)
    built = publication.readable_url("arboga", "forebyggande-radet", day)
    assert built == STABLE
    assert (
        publication.readable_url(
            "arboga", "forebyggande-radet", day, council_url="/arboga/forebyggande-radet/"
        )
        == built
    )
    name = publication.file_name("arboga", "forebyggande-radet", day)
    assert (
        reverse("minutes:meeting_pdf", args=["arboga", "forebyggande-radet", "2025-02-24", name])
        == built
    )
    assert resolve(built).url_name == "meeting_pdf"
    assert publication.parse_file_name(name) == publication.NamedRevision(day, 1)
    assert publication.parse_file_name(publication.file_name("a", "b", day, 3)).revision == 3


# --- Revalidation and ranges, as nginx answers them in production ------------------------------

BODY_ONLY = {"content-length", "content-type", "content-range"}


def _headers(response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in BODY_ONLY}


def test_a_304_carries_the_headers_of_the_200_and_no_page_policy(client, cast, draft):
    """A cache merges a 304's headers into its stored copy: the page's Content-Security-Policy
    on the 304 would land on the PDF, whose 200 leaves it out (browsers' PDF viewers refuse a
    PDF under object-src 'none')."""
    revision = submit_and_approve(draft, cast)
    full = client.get(published(revision))
    assert full.status_code == 200 and "Content-Security-Policy" not in full
    again = client.get(published(revision), headers={"If-None-Match": full["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert "Content-Security-Policy" not in again
    assert _headers(again) == _headers(full)
    assert full["Accept-Ranges"] == "bytes"


def test_a_range_of_the_published_file_is_a_206(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    whole = default_storage.open(revision.pdf_name).read()
    size = len(whole)
    for asked, first, last in (
        ("bytes=0-1023", 0, 1023),
        ("bytes=1000-", 1000, size - 1),
        ("bytes=-500", size - 500, size - 1),
        (f"bytes=10-{size + 5000}", 10, size - 1),  # the end is cut to the file
    ):
        response = client.get(published(revision), headers={"Range": asked})
        assert response.status_code == 206, asked
        assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
        body = b"".join(response.streaming_content)
        assert body == whole[first : last + 1]
        assert int(response["Content-Length"]) == len(body)
        assert response["ETag"] == f'"{revision.pdf_sha256}"'
        assert response["Accept-Ranges"] == "bytes"
        assert response["Content-Type"] == "application/pdf"
        assert "Content-Security-Policy" not in response
        assert _headers(response) == _headers(client.get(published(revision)))


def test_an_unsatisfiable_range_is_a_416(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    size = revision.pdf_size
    for asked in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
        response = client.get(published(revision), headers={"Range": asked})
        assert response.status_code == 416, asked
        assert response["Content-Range"] == f"bytes */{size}"
        assert "filen är" in response.content.decode()


def test_ranges_it_does_not_answer_get_the_whole_file(client, cast, draft):
    """Several ranges, another unit, nonsense or a backwards range: the whole file (200), as
    RFC 9110 allows; so does a HEAD."""
    revision = submit_and_approve(draft, cast)
    for asked in ("bytes=0-10,20-30", "items=0-1", "bytes=abc", "bytes=50-10"):
        response = client.get(published(revision), headers={"Range": asked})
        assert response.status_code == 200, asked
        assert len(b"".join(response.streaming_content)) == revision.pdf_size
    assert client.head(published(revision), headers={"Range": "bytes=0-9"}).status_code == 200


def test_if_range_answers_the_range_only_for_the_same_version(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    etag = f'"{revision.pdf_sha256}"'
    same = client.get(published(revision), headers={"Range": "bytes=0-99", "If-Range": etag})
    assert same.status_code == 206 and len(b"".join(same.streaming_content)) == 100
    for other in ('"0000"', "Mon, 30 Nov 2026 12:00:00 GMT"):
        response = client.get(
            published(revision), headers={"Range": "bytes=0-99", "If-Range": other}
        )
        assert response.status_code == 200
        assert len(b"".join(response.streaming_content)) == revision.pdf_size


def test_stored_documents_answer_ranges_and_keep_their_sandbox_on_a_304(client, cast, draft):
    from tests.minutes.services.test_attachments import PDF, add

    document = add(draft.items.get(position=2))
    submit_and_approve(draft, cast)
    url = (
        f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/handlingar/"
        f"{document.pk}/verksamhetsberattelse-2019.pdf"
    )
    full = client.get(url)
    assert full.status_code == 200
    assert full["Content-Security-Policy"] == "default-src 'none'; sandbox"
    part = client.get(url, headers={"Range": "bytes=5-9"})
    assert part.status_code == 206 and b"".join(part.streaming_content) == PDF[5:10]
    assert part["Content-Range"] == f"bytes 5-9/{len(PDF)}"
    assert _headers(part) == _headers(full)
    again = client.get(url, headers={"If-None-Match": full["ETag"]})
    assert again.status_code == 304 and _headers(again) == _headers(full)
    assert client.get(url, headers={"Range": f"bytes={len(PDF)}-"}).status_code == 416


def test_a_range_with_absurdly_long_numbers_gets_the_whole_file_not_a_500(client, cast, draft):
    """int() refuses more than 4300 digits: such a Range is nonsense, answered with the whole
    file, on a published PDF as on a document."""
    from tests.minutes.services.test_attachments import PDF, add

    document = add(draft.items.get(position=2))
    revision = submit_and_approve(draft, cast)
    url = (
        f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/handlingar/"
        f"{document.pk}/verksamhetsberattelse-2019.pdf"
    )
    digits = "9" * 5000
    for asked in (f"bytes={digits}-", f"bytes=0-{digits}", f"bytes=-{digits}"):
        response = client.get(published(revision), headers={"Range": asked})
        assert response.status_code == 200, asked
        assert len(b"".join(response.streaming_content)) == revision.pdf_size
        response = client.get(url, headers={"Range": asked})
        assert response.status_code == 200, asked
        assert b"".join(response.streaming_content) == PDF


def test_a_published_file_is_looked_for_once(client, cast, draft, monkeypatch):
    """The published file is looked for once, by the helper that tells a failing storage from a
    missing file, not by the storage's exists() and then again by stored_file_response."""
    revision = submit_and_approve(draft, cast)
    publication.publish(revision)
    asked = []
    real = services.stored_file_exists
    monkeypatch.setattr(
        services, "stored_file_exists", lambda alias, name: asked.append(alias) or real(alias, name)
    )
    monkeypatch.setattr(
        storages["published"], "exists", lambda name: pytest.fail("exists() is not asked")
    )
    assert client.get(published(revision)).status_code == 200
    assert asked == ["published"]


# --- Shown or saved (OParl 1.1, 2.8 "Dateizugriffe": issue 20) ------------------------------------


def test_a_published_file_is_saved_as_an_attachment_when_asked_to_download(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    shown = client.get(published(revision))
    saved = client.get(f"{published(revision)}?download=1")
    assert saved.status_code == 200
    assert b"".join(saved.streaming_content) == b"".join(shown.streaming_content)
    assert saved["Content-Disposition"] == (
        'attachment; filename="arboga-forebyggande-radet-2025-02-24.pdf"'
    )
    assert saved["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert saved["ETag"] == shown["ETag"] and saved["Cache-Control"] == shown["Cache-Control"]
    assert "Content-Security-Policy" not in shown  # the viewer shows it
    assert client.get(f"{published(revision)}?download=0")["Content-Disposition"].startswith(
        "inline;"
    )


def test_a_public_document_is_shown_when_asked_inline_and_keeps_its_sandbox_unless_a_pdf(
    client, cast, draft
):
    from tests.minutes.services.test_attachments import PDF, PNG, add

    item = draft.items.get(position=2)
    pdf = add(item)
    png = add(item, PNG, "karta.png", title="Karta")
    submit_and_approve(draft, cast)
    base = f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/handlingar/"
    saved = client.get(f"{base}{pdf.pk}/verksamhetsberattelse-2019.pdf")
    assert saved["Content-Disposition"].startswith("attachment;")
    shown = client.get(f"{base}{pdf.pk}/verksamhetsberattelse-2019.pdf?inline=1")
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == PDF
    assert shown["Content-Disposition"] == 'inline; filename="verksamhetsberattelse-2019.pdf"'
    assert "Content-Security-Policy" not in shown and shown["X-Content-Type-Options"] == "nosniff"
    image = client.get(f"{base}{png.pk}/karta.png?inline=1")
    assert image.status_code == 200 and image["Content-Disposition"].startswith("inline;")
    assert image["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_sent_notice_keeps_its_own_address_until_an_update_replaces_it(client, cast):
    meeting = services.meeting_create(
        council=cast.council,
        date=datetime.date(2031, 1, 20),
        start_time=datetime.time(8, 30),
        end_time=None,
        place="Rådhuset",
        actor=cast.secretary,
    )
    minutes = meeting.minutes.get()
    services.item_create(minutes=minutes, title="Trygghetsvandring", actor=cast.secretary)
    first = services.notice_send(meeting=meeting, actor=cast.secretary)
    base = "/arboga/forebyggande-radet/2031-01-20/"
    one = client.get(f"{base}kallelse-1.pdf")
    assert one.status_code == 200 and one["ETag"] == f'"{first.pdf_sha256}"'
    assert one["Content-Disposition"].startswith("inline;")
    assert b"".join(one.streaming_content) == default_storage.open(first.pdf_name).read()
    saved = client.get(f"{base}kallelse-1.pdf?download=1")
    assert saved["Content-Disposition"].startswith("attachment;")
    assert client.get(f"{base}kallelse-2.pdf").status_code == 404
    services.item_create(minutes=minutes, title="Budget", actor=cast.secretary)
    update = services.notice_send(meeting=meeting, actor=cast.secretary)
    gone = client.get(f"{base}kallelse-1.pdf")
    assert gone.status_code == 410
    assert gone.content.decode() == (
        f"Kallelsen har ersatts av en uppdaterad kallelse: http://testserver{base}kallelse-2.pdf"
    )
    two = client.get(f"{base}kallelse-2.pdf")
    assert two.status_code == 200 and two["ETag"] == f'"{update.pdf_sha256}"'
    assert client.get(f"{base}kallelse.pdf")["ETag"] == two["ETag"]
    assert client.post(f"{base}kallelse-2.pdf").status_code == 405
    assert client.get("/arboga/forebyggande-radet/2031-01-21/kallelse-1.pdf").status_code == 404


@pytest.mark.parametrize("name", ["kallelse.pdf", "kallelse-1.pdf"])
def test_a_notice_under_an_impossible_date_is_not_found_not_a_500(client, cast, name):
    assert client.get(f"/arboga/forebyggande-radet/2021-02-30/{name}").status_code == 404
