import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes import services
from minutes.models import ApprovedRevision, Meeting
from minutes.pdf import RenderError, render_minutes_pdf
from minutes.snapshot import build_snapshot


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
        try:
            result = services.revision_pdf(revision, internal=internal)
        except services.ArchiveUnreadable as error:
            raise CommandError(str(error)) from error
        output.write_bytes(result.pdf)
        if result.rendered:
            self.stdout.write(
                f"{output}: {len(result.pdf)} byte, {result.title}, godkänd version "
                f"{result.revision}; samma byte som arkivet (SHA-256 {result.archived_sha256})"
            )
            return
        self.stdout.write(
            self.style.WARNING(
                f"{output}: {result.why}; skrev den arkiverade filen i stället "
                f"({len(result.pdf)} byte, SHA-256 {hashlib.sha256(result.pdf).hexdigest()}, "
                f"arkivet anger {result.archived_sha256})"
            )
        )
