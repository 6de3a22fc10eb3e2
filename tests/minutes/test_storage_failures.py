"""Downloads while the storage fails (a disk that gives I/O errors, an object store that does not
answer): a 503 that says so in Swedish, never a 500."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from minutes import publication
from minutes.models import ItemDocument
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
DOWN = "Filarkivet svarar inte just nu, så filen kan inte hämtas. Försök igen om en stund."


def addresses(cast: Cast, archive) -> list[tuple[object, str]]:
    """(who asks, address) for every view that hands out a stored file."""
    revision, _report = archive
    meeting = revision.minutes.meeting
    day = f"{meeting.date:%Y-%m-%d}"
    public = ItemDocument.objects.get(is_public=True)
    internal = ItemDocument.objects.get(is_public=False)
    report_name = "arboga-forebyggande-radet-verksamhetsberattelse-2024.pdf"
    return [
        (None, f"/arboga/forebyggande-radet/{day}/handlingar/{public.pk}/{public.download_name}"),
        (None, f"/filer/{publication.published_name(revision)}"),
        (None, f"/arboga/forebyggande-radet/verksamhetsberattelser/2024/{report_name}"),
        (cast.member, reverse(
            "drafting:document",
            args=[*SLUGS, meeting.pk, internal.pk, internal.download_name],
        )),
        (cast.member, reverse("drafting:internal_pdf", args=[*SLUGS, meeting.pk])),
        (cast.secretary, reverse("plans:report_pdf", args=[*SLUGS, 2024])),
    ]  # fmt: skip


def test_every_download_says_the_storage_is_down(client, cast, archive, monkeypatch):
    targets = addresses(cast, archive)
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
