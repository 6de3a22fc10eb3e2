import time

from django.core.management.base import BaseCommand, CommandError

from minutes import benchdata


class Command(BaseCommand):
    help = (
        "Bulk-inserts benchmark data: municipalities, councils (ten to a municipality, one per "
        "200 meetings unless --councils says otherwise), members and approved meetings with "
        "items, snapshots, a few shared stored PDFs and search rows. For a benchmark database, "
        "not for production."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--meetings", type=int, required=True, help="approved meetings")
        parser.add_argument("--councils", type=int, default=None)

    def handle(self, *args, meetings: int, councils: int | None, **options) -> None:
        if meetings < 1 or (councils is not None and councils < 1):
            raise CommandError("Ange minst ett möte och minst ett råd.")
        started = time.monotonic()

        def progress(done: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"\r{done:>9,} / {meetings:,} möten  {elapsed:6.0f} s", ending="")
            self.stdout.flush()

        report = benchdata.seed(meetings=meetings, councils=councils, progress=progress)
        self.stdout.write("")
        self.stdout.write(
            f"{report.municipalities} kommuner, {report.councils} råd, {report.meetings:,} "
            f"godkända möten, {report.items:,} sökbara ärenden på "
            f"{time.monotonic() - started:.0f} s."
        )
