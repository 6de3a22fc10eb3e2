"""The bulk download (``manage.py export_open_data``) and the "Öppna data" page that offers it
with the API and the feeds (issue 20, points 5 and 6)."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.test import Client, TestCase

from minutes import services
from minutes.models import ApprovedRevision
from opendata import export
from opendata.models import OParlObject, OpenDataExport
from tests.opendata import oparl_rules
from tests.opendata.conftest import local, start_url
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def run_export(folder, *args) -> str:
    out = io.StringIO()
    call_command("export_open_data", str(folder), *args, stdout=out)
    return out.getvalue()


def test_the_export_holds_every_public_object_as_the_api_serves_it(demo, api, tmp_path):
    crawl = oparl_rules.crawl(api.get, start_url())
    assert crawl.violations == []
    # one object stops being public: it stays in the API as a tombstone, not in the export
    gone = OParlObject.objects.filter(kind="location").first()
    gone.deleted, gone.document = True, '{"deleted":true}'
    gone.save()
    printed = run_export(tmp_path / "data")
    assert "Meeting" in printed
    for kind, name in export.FILE_NAMES.items():
        lines = (tmp_path / "data" / name).read_text(encoding="utf-8").splitlines()
        objects = [json.loads(line) for line in lines]
        assert all(not o.get("deleted") for o in objects)
        for obj in objects:
            served = api.json(obj["id"])
            assert obj == served, obj["id"]
        expected = OParlObject.objects.filter(kind=kind, deleted=False).count()
        assert len(objects) == expected, kind
    with (tmp_path / "data" / export.PDF_LIST).open(encoding="utf-8") as listed:
        rows = list(csv.DictReader(listed))
    pdfs = [f for f in crawl.objects["File"].values() if f["mimeType"] == "application/pdf"]
    assert {r["id"] for r in rows} == {f["id"] for f in pdfs}
    for row in rows:
        body = api.response(row["adress"])
        content = b"".join(body.streaming_content) if body.streaming else body.content
        assert hashlib.sha512(content).hexdigest() == row["sha512"]
        assert int(row["storlek"]) == len(content)
    readme = (tmp_path / "data" / export.DESCRIPTION).read_text(encoding="utf-8")
    assert "Arboga kommun: https://creativecommons.org/publicdomain/zero/1.0/" in readme


def test_a_published_export_is_offered_on_the_page_and_downloads_whole(demo, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "someone-elses-file.txt").write_text("not ours")
    printed = run_export(tmp_path / "data", "--publish")
    made = export.latest()
    assert made is not None and "Publicerade" in printed
    page = Client().get("/oppna-data/")
    assert page.status_code == 200
    url = export.url_of(made)
    assert url in page.content.decode() and made.sha256 in page.content.decode()
    response = Client().get(local(url))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == made.sha256 and len(body) == made.size
    packed = zipfile.ZipFile(io.BytesIO(body))
    assert all(info.external_attr >> 16 == 0o644 for info in packed.infolist())  # readable
    names = packed.namelist()
    assert sorted(names) == sorted(
        [export.DESCRIPTION, export.PDF_LIST, *export.FILE_NAMES.values()]
    )
    assert made.counts["Meeting"] == OParlObject.objects.filter(kind="meeting").count()


def test_the_two_newest_exports_stay_published(demo, tmp_path, settings):
    names = []
    for n in range(3):
        OParlObject.objects.filter(kind="body").update(document=f'{{"name":"Ändrad {n}"}}')
        run_export(tmp_path / f"data{n}", "--publish")
        names.append(export.latest().name)
    kept = list(OpenDataExport.objects.order_by("created_at", "id"))
    assert [e.name for e in kept] == names[1:]
    published = storages["published"]
    assert all(published.exists(name) for name in names[1:])
    assert not published.exists(names[0])  # the oldest is taken down
    assert Client().get(local(export.url_of(kept[0]))).status_code == 200
    assert Client().get(f"/filer/{names[0]}").status_code == 404


def test_a_withdrawal_takes_the_published_exports_down(demo, tmp_path):
    run_export(tmp_path / "data", "--publish")
    made = export.latest()
    revision = ApprovedRevision.objects.filter(
        minutes__meeting__council__slug="socialnamnden"
    ).first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.publication_withdraw(revision=revision, actor=None, reason="Personuppgifter")
    assert export.latest() is None
    assert not storages["published"].exists(made.name)
    assert Client().get(local(export.url_of(made))).status_code == 404
    assert "Ingen fil finns att ladda ned just nu" in page_text(Client().get("/oppna-data/"))


def test_the_export_refuses_a_file_for_a_folder(db, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("x")
    with pytest.raises(CommandError, match="är en fil"):
        run_export(target)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_explains_the_api_the_feeds_and_the_licence(demo):
    response = Client().get("/oppna-data/")
    text = page_text(response)
    assert response.status_code == 200
    for words in ("API enligt OParl", "/oparl/v1/", "modified_since", "CC0 1.0", "Anslagstavlan"):
        assert words in text, words
    html = response.content.decode()
    assert "/arboga/anslagstavla.atom" in html and "/arboga/socialnamnden/moten.ics" in html
    assert "Ingen fil finns att ladda ned just nu" in text


def test_a_council_page_links_its_open_data(demo):
    council = Client().get("/arboga/socialnamnden/")
    assert 'href="/oppna-data/arboga/socialnamnden/"' in council.content.decode()
    focus = Client().get("/oppna-data/arboga/socialnamnden/")
    assert focus.status_code == 200
    from councils.models import Council

    pk = Council.objects.get(slug="socialnamnden").pk
    assert f"/oparl/v1/organization/{pk}/meeting/" in focus.content.decode()
    assert Client().get("/oppna-data/arboga/ingen-sadan/").status_code == 404
    front = Client().get("/")
    assert 'href="/oppna-data/"' in front.content.decode()


def test_a_municipality_with_another_licence_shows_it(demo):
    from councils.models import Municipality

    arboga = Municipality.objects.get(slug="arboga")
    before = json.loads(Client().get(f"/oparl/v1/body/{arboga.pk}/").content)
    arboga.open_data_license = "https://creativecommons.org/licenses/by/4.0/"
    arboga.save()
    text = page_text(Client().get("/oppna-data/"))
    assert "https://creativecommons.org/licenses/by/4.0/" in text
    body = json.loads(Client().get(f"/oparl/v1/body/{arboga.pk}/").content)
    assert body["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert body["modified"] >= before["modified"] and body != before
