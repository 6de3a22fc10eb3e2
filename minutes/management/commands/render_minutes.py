from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.models import Meeting
from minutes.pdf import RenderError, render_minutes_pdf
from minutes.snapshot import build_snapshot


class Command(BaseCommand):
    help = "Writes the PDF of a meeting's latest minutes (a draft gets the UTKAST watermark)."

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
        snapshot = build_snapshot(minutes)
        try:
            pdf = render_minutes_pdf(
                snapshot, draft=minutes.status != minutes.Status.APPROVED, internal=internal
            )
        except RenderError as error:
            raise CommandError(str(error)) from error
        output.write_bytes(pdf)
        self.stdout.write(f"{output}: {len(pdf)} byte, {snapshot.title}")
