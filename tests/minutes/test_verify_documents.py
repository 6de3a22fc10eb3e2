"""`manage.py verify_documents`: every stored PDF and document against its SHA-256."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from minutes import integrity, services

pytestmark = pytest.mark.django_db


def run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_documents", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_stored_file_is_checked_and_found_whole(archive):
    files = list(integrity.stored_files())
    kinds = sorted(f.label.split()[0] for f in files)
    assert kinds == [
        "Handling",
        "Handling",
        "Intern",
        "Minnesanteckningar",
        "Verksamhetsberättelse",
    ]
    out, _err = run()
    assert out.strip() == "Alla 5 filer finns och stämmer med sin SHA-256."


def test_a_missing_and_an_altered_file_are_reported_and_fail_the_command(archive):
    revision, report = archive
    storages["default"].delete(report.pdf_name)
    storage = storages["default"]
    storage.delete(revision.pdf_name)
    storage.save(revision.pdf_name, ContentFile(b"%PDF-1.7 forged"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 av 5 filer saknas eller stämmer inte"):
        call_command("verify_documents", stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert any(
        line.startswith("ÄNDRAD: Minnesanteckningar Förebyggande rådet 2025-02-24")
        for line in lines
    )
    assert any(line.startswith("SAKNAS: Verksamhetsberättelse 2024") for line in lines)


def test_a_correction_shares_a_document_and_it_is_checked_once(cast, archive):
    revision, _report = archive
    services.correction_start(revision=revision, actor=cast.chair, reason="Stavfel")
    assert len([f for f in integrity.stored_files() if f.label.startswith("Handling")]) == 2
