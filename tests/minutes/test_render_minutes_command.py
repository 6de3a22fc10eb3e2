"""`manage.py render_minutes`: approved minutes come out as the archived bytes (rendered again
from the approved snapshot: the determinism promise), a draft with its watermark."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage, storages
from django.core.management import CommandError, call_command

from minutes.services import archive as archive_service
from minutes.services import import_legacy_minutes

pytestmark = pytest.mark.django_db


def render(meeting_id, out, *options) -> str:
    stdout = io.StringIO()
    call_command("render_minutes", str(meeting_id), str(out), *options, stdout=stdout)
    return stdout.getvalue()


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_approved_minutes_render_to_the_archived_bytes(tmp_path, archive):
    revision, _report = archive
    meeting_id = revision.minutes.meeting_id
    out = tmp_path / "public.pdf"
    said = render(meeting_id, out)
    assert sha256(out) == revision.pdf_sha256
    assert f"samma byte som arkivet (SHA-256 {revision.pdf_sha256})" in said
    internal = tmp_path / "internal.pdf"
    render(meeting_id, internal, "--internal")
    assert revision.internal_pdf_sha256 and sha256(internal) == revision.internal_pdf_sha256


def test_imported_minutes_render_to_the_archived_bytes(tmp_path, own_text):
    report = import_legacy_minutes(text=own_text, council_slug="trygghetsradet")
    out = tmp_path / "m.pdf"
    render(report.meeting.pk, out, "--internal")  # nothing confidential: the public PDF
    assert sha256(out) == report.minutes.approved_revision.pdf_sha256


def test_when_a_new_rendering_differs_the_archived_file_is_written_and_said(
    tmp_path, archive, monkeypatch
):
    revision, _report = archive
    monkeypatch.setattr(archive_service, "render_minutes_pdf", lambda *a, **k: b"%PDF-other")
    out = tmp_path / "m.pdf"
    said = render(revision.minutes.meeting_id, out)
    assert out.read_bytes() == default_storage.open(revision.pdf_name).read()
    assert "den nya renderingen gav andra byte; skrev den arkiverade filen" in said
    storages["default"].delete(revision.pdf_name)
    with pytest.raises(CommandError, match="går inte att läsa"):
        render(revision.minutes.meeting_id, out)


def test_a_draft_is_rendered_fresh_with_its_watermark(tmp_path, draft):
    out = tmp_path / "d.pdf"
    said = render(draft.meeting_id, out)
    assert out.read_bytes().startswith(b"%PDF-") and "samma byte" not in said
