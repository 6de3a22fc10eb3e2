"""The README's nginx configuration, run: it serves published PDFs with the app's headers, asks the
app for a missing one, and serves no withdrawn file."""

import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.storage import storages

from bench.nginxconf import free_port, nginx_config, wait_for
from minutes import publication
from tests.minutes.drafting_fixtures import submit_and_approve

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nginx(live_server, settings, tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]  # nginx passes $host on
    published = Path(settings.STORAGES["published"]["OPTIONS"]["location"])
    published.mkdir(parents=True, exist_ok=True)
    (tmp_path / "static").mkdir()
    (tmp_path / "tmp").mkdir()
    port = free_port()
    app_port = int(live_server.url.rsplit(":", 1)[1])
    (tmp_path / "nginx.conf").write_text(
        nginx_config(tmp_path / "static", published, app_port, port), encoding="utf-8"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", "nginx.conf", "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, timeout=10)
    except RuntimeError:
        process.kill()
        raise RuntimeError(process.stderr.read().decode()) from None
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


def get(url: str):
    try:
        return urllib.request.urlopen(url, timeout=10)  # noqa: S310 (a local test server)
    except urllib.error.HTTPError as error:
        return error


def test_nginx_serves_published_files_with_the_apps_headers(nginx, cast, draft):
    revision = submit_and_approve(draft, cast)
    name = publication.published_name(revision)
    assert storages["published"].exists(name)  # published after the approval committed
    storages["published"].delete(name)  # as if a restore had lost it

    first = get(f"{nginx}/filer/{name}")  # missing: nginx asks the app, which publishes it
    assert first.status == 200 and first.read().startswith(b"%PDF-")
    assert storages["published"].exists(name)

    second = get(f"{nginx}/filer/{name}")  # now nginx serves the file itself
    body = second.read()
    assert second.status == 200
    assert second.headers["Content-Type"] == "application/pdf"
    assert second.headers["ETag"] == f'"{revision.pdf_sha256}"'
    assert second.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert second.headers["X-Content-Type-Options"] == "nosniff"
    assert second.headers["Content-Disposition"] == (
        'inline; filename="arboga-forebyggande-radet-2025-02-24.pdf"'
    )
    assert second.headers["Content-Security-Policy"] is None  # the viewer shows it
    assert len(body) == revision.pdf_size

    saved = get(f"{nginx}/filer/{name}?download=1")  # OParl's downloadUrl, as the app answers
    assert saved.status == 200 and saved.read() == body
    assert saved.headers["Content-Disposition"] == (
        'attachment; filename="arboga-forebyggande-radet-2025-02-24.pdf"'
    )
    assert saved.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"

    stable = get(f"{nginx}/arboga/forebyggande-radet/2025-02-24/")  # proxied to the app
    assert stable.status == 200 and revision.pdf_sha256 in stable.read().decode()


def test_nginx_serves_no_withdrawn_file_and_not_the_archive(nginx, cast, draft):
    from minutes import services

    revision = submit_and_approve(draft, cast)
    name = publication.published_name(revision)
    assert get(f"{nginx}/filer/{name}").status == 200
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Fel.")
    assert not storages["published"].exists(name)  # removed after the withdrawal committed
    assert get(f"{nginx}/filer/{publication.published_name(revision)}").status == 404
    # nothing but a hash and a readable name reaches the published folder
    assert get(f"{nginx}/filer/{revision.pdf_sha256}/..%2F..%2Fnginx.conf").status == 404
    assert get(f"{nginx}/filer/{revision.pdf_sha256}/").status == 404
    # (the archive under /media/ is not routed by the app: tests/minutes/test_downloads.py; the
    # test's live server adds a media handler of its own, so it is not asked here)


def test_nginx_and_the_app_answer_a_range_alike(nginx, live_server, cast, draft):
    """A PDF viewer's range request gets the same 206 from nginx in production as from the app
    in the embedded set-up; an unsatisfiable one the same 416."""
    revision = submit_and_approve(draft, cast)
    name = publication.published_name(revision)
    assert storages["published"].exists(name)
    size = revision.pdf_size
    for asked, status in (("bytes=100-299", 206), ("bytes=-64", 206), (f"bytes={size}-", 416)):
        answers = []
        for base in (nginx, live_server.url):
            request = urllib.request.Request(  # noqa: S310 (local test servers)
                f"{base}/filer/{name}", headers={"Range": asked}
            )
            response = get(request)
            answers.append((response.status, response.headers["Content-Range"], response.read()))
        (by_nginx, by_app) = answers
        assert by_nginx[0] == by_app[0] == status, asked
        assert by_nginx[1] == by_app[1], asked
        if status == 206:
            assert by_nginx[2] == by_app[2], asked


def test_nginx_serves_the_open_data_export(nginx, cast, draft, tmp_path):
    """The zip archive that the "Öppna data" page offers, with the app's headers (issue 20)."""
    import hashlib
    import io

    from django.core.management import call_command

    from opendata import export

    submit_and_approve(draft, cast)
    call_command("export_open_data", str(tmp_path / "data"), "--publish", stdout=io.StringIO())
    made = export.latest()
    served = get(f"{nginx}{export.url_of(made)}")
    body = served.read()
    assert served.status == 200 and hashlib.sha256(body).hexdigest() == made.sha256
    assert served.headers["Content-Type"] == "application/zip"
    assert served.headers["ETag"] == f'"{made.sha256}"'
    assert "attachment" in served.headers["Content-Disposition"]
    assert get(f"{nginx}/filer/oppna-data/{made.sha256}/../../nginx.conf").status == 404
