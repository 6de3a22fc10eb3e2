"""Files in S3-compatible object storage (FILE_STORAGE=s3, django-storages): the same workflow as
on local disk, against a real S3 API over HTTP (moto's server on 127.0.0.1)."""

import hashlib
import io
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from config.storage import file_storages
from minutes import publication, services
from minutes.models import ApprovedRevision, ItemDocument, Minutes
from tests import factories
from tests.conftest import S3_KEYS, bucket_keys, s3_client, use_s3_storages
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db
STABLE = "/arboga/forebyggande-radet/2025-02-24/arboga-forebyggande-radet-2025-02-24.pdf"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_approval_archives_in_the_private_bucket_and_publishes_in_the_public_one(
    client, cast, draft, s3_storages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revision = submit_and_approve(draft, cast)
    archived = f"archive/{revision.pdf_name}"
    assert archived in bucket_keys(s3_storages, "S3_BUCKET")
    name = publication.published_name(revision)
    assert bucket_keys(s3_storages, "S3_PUBLIC_BUCKET") == [name]
    head = s3_client(s3_storages["S3_ENDPOINT_URL"]).head_object(
        Bucket=s3_storages["S3_PUBLIC_BUCKET"], Key=name
    )
    assert head["ContentType"] == "application/pdf"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    # the stable address sends the browser to the public bucket, which the public reads itself
    response = client.get(STABLE)
    assert response.status_code == 302
    assert response["Location"] == s3_storages["PUBLISHED_URL"] + name
    with urllib.request.urlopen(response["Location"], timeout=10) as public:  # noqa: S310
        body = public.read()
    assert hashlib.sha256(body).hexdigest() == revision.pdf_sha256
    # and it cannot read the private bucket
    private = f"{s3_storages['S3_ENDPOINT_URL']}/{s3_storages['S3_BUCKET']}/{archived}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(private, timeout=10)  # noqa: S310
    assert refused.value.code == 403


def test_a_withdrawal_removes_the_public_object_and_the_archive_keeps_its_own(
    cast, draft, s3_storages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revision = submit_and_approve(draft, cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(revision=revision, actor=cast.admin, reason="Personnummer.")
    assert bucket_keys(s3_storages, "S3_PUBLIC_BUCKET") == []
    assert f"archive/{revision.pdf_name}" in bucket_keys(s3_storages, "S3_BUCKET")
    call_command("publish_files", stdout=io.StringIO())  # and it is not published again
    assert bucket_keys(s3_storages, "S3_PUBLIC_BUCKET") == []


def test_documents_live_in_the_private_bucket_and_move_between_its_parts(
    client, cast, draft, s3_storages, django_capture_on_commit_callbacks
):
    item = draft.items.get(position=2)
    document = services.document_add(
        item=item, upload=SimpleUploadedFile("berättelse.pdf", PDF), title="Berättelse",
        is_public=False, actor=None,
    )  # fmt: skip
    assert bucket_keys(s3_storages, "S3_BUCKET") == [f"private/{document.file_name}"]
    url = reverse(
        "drafting:document",
        args=["arboga", "forebyggande-radet", draft.meeting_id, document.pk, "berattelse.pdf"],
    )
    client.force_login(cast.member)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    with django_capture_on_commit_callbacks(execute=True):
        services.document_update(document=document, title="Berättelse", is_public=True, actor=None)
    document.refresh_from_db()
    assert bucket_keys(s3_storages, "S3_BUCKET") == [f"archive/{document.file_name}"]
    assert b"".join(client.get(url).streaming_content) == PDF
    # nothing but approved PDFs ever reaches the public bucket
    assert bucket_keys(s3_storages, "S3_PUBLIC_BUCKET") == []


def test_verify_documents_reads_the_buckets_and_finds_an_altered_object(cast, draft, s3_storages):
    revision = submit_and_approve(draft, cast)
    out = io.StringIO()
    call_command("verify_documents", stdout=out)
    assert out.getvalue().strip() == "Alla 1 filer finns och stämmer med sin SHA-256."
    s3_client(s3_storages["S3_ENDPOINT_URL"]).put_object(
        Bucket=s3_storages["S3_BUCKET"], Key=f"archive/{revision.pdf_name}", Body=b"%PDF forged"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 av 1 filer"):
        call_command("verify_documents", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("ÄNDRAD: Minnesanteckningar")


def test_a_stored_file_is_never_replaced_by_another_under_its_name(s3_storages):
    storage = storages["default"]
    first = storage.save("minutes/ab/samma.pdf", io.BytesIO(b"first"))
    second = storage.save("minutes/ab/samma.pdf", io.BytesIO(b"second"))
    assert first == "minutes/ab/samma.pdf" and second != first
    assert storage.open(first).read() == b"first"


@pytest.mark.parametrize(
    ("env", "published_url", "message"),
    [
        ({}, "https://filer.example.se/", "needs S3_BUCKET"),
        ({"S3_BUCKET": "a"}, "https://filer.example.se/", "needs S3_BUCKET"),
        ({"S3_BUCKET": "a", "S3_PUBLIC_BUCKET": "a"}, "https://x.se/", "must be two buckets"),
        ({"S3_BUCKET": "a", "S3_PUBLIC_BUCKET": "b"}, "/filer/", "must be the absolute address"),
        (
            {"S3_BUCKET": "a", "S3_PUBLIC_BUCKET": "b", "S3_ADDRESSING_STYLE": "sned"},
            "https://x.se/",
            "is not path or virtual",
        ),
    ],
)
def test_an_incomplete_object_storage_configuration_stops_with_a_message(
    monkeypatch, env, published_url, message
):
    for name in ("S3_BUCKET", "S3_PUBLIC_BUCKET", "S3_ADDRESSING_STYLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        file_storages("s3", private_root="", published_root="", published_url=published_url)


def test_an_unknown_file_storage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="FILE_STORAGE='ftp' is not one of local, s3"):
        file_storages("ftp", private_root="", published_root="", published_url="/filer/")


def test_the_public_address_is_published_url_and_a_cdn_may_sit_in_front(monkeypatch):
    monkeypatch.setenv("S3_BUCKET", "protokollet")
    monkeypatch.setenv("S3_PUBLIC_BUCKET", "protokollet-publicerat")
    published = file_storages(
        "s3", private_root="", published_root="", published_url="https://filer.arboga.se/protokoll/"
    )["published"]["OPTIONS"]
    assert (published["url_protocol"], published["custom_domain"]) == (
        "https:",
        "filer.arboga.se/protokoll",
    )
    assert published["querystring_auth"] is False


@pytest.fixture
def storage_down(settings, monkeypatch):
    """Object storage configured, and nothing answering at its address."""
    use_s3_storages(
        settings,
        monkeypatch,
        {
            **S3_KEYS,
            "S3_BUCKET": "protokollet",
            "S3_PUBLIC_BUCKET": "protokollet-publicerat",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9",  # discard: refused
            "PUBLISHED_URL": "http://127.0.0.1:9/p/",
        },
    )


def test_an_approval_while_the_storage_is_down_approves_nothing_and_says_so(
    client, cast, draft, storage_down
):
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    client.force_login(cast.chair)
    url = reverse("drafting:review", args=["arboga", "forebyggande-radet", draft.meeting_id])
    response = client.post(url, {"action": "approve", "password": factories.PASSWORD})
    assert response.status_code == 503
    assert "Filarkivet svarar inte just nu, så minnesanteckningarna är inte godkända" in (
        page_text(response)
    )
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.SUBMITTED
    assert not ApprovedRevision.objects.exists()


def test_an_upload_while_the_storage_is_down_saves_nothing_and_says_so(
    client, cast, draft, storage_down
):
    item = draft.items.get(position=2)
    client.force_login(cast.secretary)
    url = reverse(
        "drafting:document_add", args=["arboga", "forebyggande-radet", draft.meeting_id, item.pk]
    )
    response = client.post(
        url, {"handling-file": SimpleUploadedFile("a.pdf", PDF), "handling-title": "Karta"},
        follow=True,
    )  # fmt: skip
    assert "Filarkivet svarar inte just nu, så ingenting är sparat." in page_text(response)
    assert not ItemDocument.objects.exists()
