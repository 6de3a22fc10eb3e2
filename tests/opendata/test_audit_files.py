"""Audit of issue 20: every File the API lists, not only the demo's (which has no notice and
no document), is the bytes at its accessUrl and its downloadUrl, with its size and SHA-512,
shown and saved as OParl asks; a notice's address stands for that notice alone."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minutes import services
from minutes.models import StandingItem
from tests.opendata import oparl_rules
from tests.opendata.conftest import start_url
from tests.opendata.test_oparl_api import check_file_access, record  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_notice_document_and_record_files_match_their_bytes(record, cast, api):  # noqa: F811
    StandingItem.objects.create(council=cast.council, position=3, title="Övrigt")
    meeting = services.meeting_create(
        council=cast.council, date=timezone.localdate() + datetime.timedelta(days=7),
        start_time=datetime.time(8, 30), end_time=None, place="Rådhuset", actor=cast.secretary,
    )  # fmt: skip
    item = meeting.minutes.get().items.first()
    services.document_add(
        item=item, upload=SimpleUploadedFile("u.pdf", b"%PDF-1.7\n%u\n%%EOF\n"),
        title="Underlag", is_public=True, actor=None,
    )  # fmt: skip
    services.notice_send(meeting=meeting, actor=cast.secretary)
    result = oparl_rules.crawl(api.get, start_url())
    assert result.violations == []
    files = [f for f in result.objects["File"].values() if not f.get("deleted")]
    kinds = {f["id"].rstrip("/").rsplit("/", 1)[1][0] for f in files}
    assert {"n", "d", "p"} <= kinds, kinds
    for file in files:
        check_file_access(api, file)
    # the invitation names this notice's own address, which an update does not take over
    (invitation,) = [f for f in files if f["id"].rstrip("/").rsplit("/", 1)[1][0] == "n"]
    assert invitation["accessUrl"].endswith("/kallelse-1.pdf")
    services.item_create(minutes=meeting.minutes.get(), title="Budget", actor=cast.secretary)
    services.notice_send(meeting=meeting, actor=cast.secretary)  # an update
    assert api.response(invitation["accessUrl"]).status_code == 410
    assert api.response(invitation["downloadUrl"]).status_code == 410
    result = oparl_rules.crawl(api.get, start_url())
    assert result.violations == []
    assert result.objects["File"][invitation["id"]].get("deleted") is True
    (update,) = [
        f
        for f in result.objects["File"].values()
        if f["id"].rstrip("/").rsplit("/", 1)[1][0] == "n" and not f.get("deleted")
    ]
    assert update["accessUrl"].endswith("/kallelse-2.pdf")
    check_file_access(api, update)
