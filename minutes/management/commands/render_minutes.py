import hashlib
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from minutes.models import ApprovedRevision, Meeting
from minutes.pdf import RenderError, render_minutes_pdf
from minutes.services.files import STORAGE_ERRORS
from minutes.snapshot import MinutesSnapshot, build_snapshot


class Command(BaseCommand):
    help = (
        "Writes the PDF of a meeting's latest minutes: a draft gets the UTKAST watermark; "
        "approved minutes are rendered from their approved snapshot and must give the archived "
        "bytes (else the archived file is written, and the command says so)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("output", type=Path)
        parser.add_argument(
            "--internal", action="store_true", help="include confidential items in full"
        )

    def handle(self, *args, meeting_id: int, output: Path, internal: bool, **options) -> None:
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"Möte {meeting_id} finns inte.")
        minutes = meeting.latest_minutes()
        if minutes is None:
            raise CommandError(f"Möte {meeting_id} har inga minnesanteckningar.")
        revision = ApprovedRevision.objects.filter(minutes=minutes).first()
        if revision is not None:
            self.approved(revision, output, internal)
            return
        snapshot = build_snapshot(minutes)
        try:
            pdf = render_minutes_pdf(
                snapshot, draft=minutes.status != minutes.Status.APPROVED, internal=internal
            )
        except RenderError as error:
            raise CommandError(str(error)) from error
        output.write_bytes(pdf)
        self.stdout.write(f"{output}: {len(pdf)} byte, {snapshot.title}")

    def approved(self, revision: ApprovedRevision, output: Path, internal: bool) -> None:
        """The approved snapshot rendered again, which gives the archived bytes (the promise of
        determinism); should it not, the archived file is written instead, and said to be."""
        snapshot = MinutesSnapshot.from_dict(revision.snapshot)
        if internal and revision.internal_pdf_name:
            alias, name, sha256 = (
                "private",
                revision.internal_pdf_name,
                revision.internal_pdf_sha256,
            )
        else:
            # without confidential content the public PDF is the whole record
            alias, name, sha256 = "default", revision.pdf_name, revision.pdf_sha256
            internal = False
        try:
            pdf = render_minutes_pdf(snapshot, internal=internal)
        except RenderError as error:
            pdf, why = b"", str(error)
        else:
            why = "den nya renderingen gav andra byte"
        if hashlib.sha256(pdf).hexdigest() == sha256:
            output.write_bytes(pdf)
            self.stdout.write(
                f"{output}: {len(pdf)} byte, {snapshot.title}, godkänd version "
                f"{snapshot.revision}; samma byte som arkivet (SHA-256 {sha256})"
            )
            return
        try:
            with storages[alias].open(name, "rb") as stored:
                archived = stored.read()
        except STORAGE_ERRORS as error:
            raise CommandError(
                f"Den arkiverade filen {name} går inte att läsa ({why}): {error}"
            ) from error
        output.write_bytes(archived)
        self.stdout.write(
            self.style.WARNING(
                f"{output}: {why}; skrev den arkiverade filen i stället ({len(archived)} byte, "
                f"SHA-256 {hashlib.sha256(archived).hexdigest()}, arkivet anger {sha256})"
            )
        )
