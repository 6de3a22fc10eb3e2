"""Downloads while the storage fails (a disk that gives I/O errors, an object store that does not
answer): a 503 that says so in Swedish, never a 500. A file that is merely missing from a
storage that works is a 404, logged as missing."""

import errno
import logging
from types import SimpleNamespace

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse

from actionplans import services as plan_services
from minutes import publication, services
from minutes.models import ItemDocument, Notice
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
DOWN = "Filarkivet svarar inte just nu, så filen kan inte hämtas. Försök igen om en stund."


@pytest.fixture
def noticed(draft):
    """The meeting's notice, sent before its minutes are approved (``archive``)."""
    return services.notice_send(meeting=draft.meeting, actor=None)


@pytest.fixture
def stored(noticed, archive):
    return archive


def files(cast: Cast, archive) -> list[tuple[object, str, list[tuple[str, str]]]]:
    """(who asks, address, the stored files it reads as (storage, name)) for every view that
    hands out a stored file."""
    revision, report = archive
    meeting = revision.minutes.meeting
    day = f"{meeting.date:%Y-%m-%d}"
    public = ItemDocument.objects.get(is_public=True)
    internal = ItemDocument.objects.get(is_public=False)
    notice = Notice.objects.get(meeting=meeting)
    report_name = "arboga-forebyggande-radet-verksamhetsberattelse-2024.pdf"
    published = publication.published_name(revision)
    return [
        (None, f"/arboga/forebyggande-radet/{day}/handlingar/{public.pk}/{public.download_name}",
         [(public.storage, public.file_name)]),
        (None, f"/filer/{published}",
         [("published", published), ("default", revision.pdf_name)]),
        (None, f"/arboga/forebyggande-radet/verksamhetsberattelser/2024/{report_name}",
         [("default", report.pdf_name)]),
        (None, f"/arboga/forebyggande-radet/{day}/kallelse.pdf", [("default", notice.pdf_name)]),
        (cast.member, reverse(
            "drafting:document",
            args=[*SLUGS, meeting.pk, internal.pk, internal.download_name],
        ), [(internal.storage, internal.file_name)]),
        (cast.member, reverse("drafting:internal_pdf", args=[*SLUGS, meeting.pk]),
         [("private", revision.internal_pdf_name)]),
        (cast.member, reverse("drafting:notice_pdf", args=[*SLUGS, meeting.pk]),
         [("private", notice.internal_pdf_name)]),
        (cast.secretary, reverse("plans:report_pdf", args=[*SLUGS, 2024]),
         [("default", report.pdf_name)]),
    ]  # fmt: skip


def addresses(cast: Cast, archive) -> list[tuple[object, str]]:
    """(who asks, address) for every view that hands out a stored file."""
    return [(user, url) for user, url, _names in files(cast, archive)]


def test_every_download_says_the_storage_is_down(client, cast, stored, monkeypatch):
    targets = addresses(cast, stored)
    for user, url in targets:  # all there while the storage works
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(url).status_code == 200, url

    def broken(self, name, mode="rb"):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(FileSystemStorage, "_open", broken)
    for user, url in targets:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.content.decode() == DOWN
        assert response["Retry-After"] == "60"


def test_a_storage_that_cannot_even_look_is_down_not_missing(client, cast, stored, monkeypatch):
    """An I/O error while looking for the file (which ``os.path.exists`` would take for "not
    there") is the storage failing: 503, not 404."""
    targets = addresses(cast, stored)

    def broken(path, *args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("minutes.services.files.os", SimpleNamespace(stat=broken))
    for user, url in targets:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.content.decode() == DOWN


@pytest.mark.parametrize("index", range(8))
def test_a_file_missing_from_a_working_storage_is_a_404_logged_as_missing(
    client, cast, stored, monkeypatch, caplog, index
):
    # a lost report is rendered again only when the bytes come out the same; here they do not
    monkeypatch.setattr(plan_services, "report_restore_pdf", lambda report: False)
    user, url, names = files(cast, stored)[index]
    for alias, name in names:
        storages[alias].delete(name)
    if user is not None:
        client.force_login(user)
    with caplog.at_level(logging.ERROR, logger="minutes.views.downloads"):
        response = client.get(url)
    assert response.status_code == 404, url
    assert "Filarkivet svarar inte" not in response.content.decode()
    missing = [r for r in caplog.records if r.getMessage().startswith("Stored file missing")]
    assert missing and names[-1][1] in missing[0].getMessage(), url
