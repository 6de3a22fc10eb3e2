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
