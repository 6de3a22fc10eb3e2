import contextlib
import datetime
import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from minutes.pdf import RenderError, memoized_renders, render_many
from minutes.services import ImportFailed, import_legacy_minutes

# files a round: read and checked one by one (a dry run each), rendered side by side, then
# imported one by one with their PDFs ready (the renderer's memo holds 64 documents)
ROUND = 16


class Command(BaseCommand):
    help = (
        "Imports minutes in the legacy text format as approved historical minutes. "
        "Use --dry-run to check how representatives are split into title/organisation and name."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            type=Path,
            nargs="+",
            help="legacy text files (UTF-8), or folders whose *.txt files are imported in name order",
        )
        parser.add_argument(
            "--council", required=True, help="the council's slug; created if missing"
        )
        parser.add_argument(
            "--municipality",
            help="the municipality's slug; by default found from the closing line's place",
        )
        parser.add_argument(
            "--date",
            dest="meeting_date",
            metavar="YYYY-MM-DD",
            help=(
                "the meeting's date; by default a date in the file's name, else the closing "
                "line's date (which is when the notes were signed)"
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen, save nothing"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="PDF renderer children side by side when importing several files (default: cores)",
        )

    def handle(
        self,
        *args,
        path: list[Path],
        council: str,
        municipality: str | None,
        dry_run: bool,
        meeting_date: str | None = None,
        jobs: int = 1,
        **options,
    ) -> None:
        day = parse_date(meeting_date) if meeting_date is not None else None
        files = expand(path)
        if len(files) == 1 and not path[0].is_dir():
            self.import_one(files[0], council, municipality, dry_run, day, verbose=True)
            return
        if day is not None:
            raise CommandError("--date gäller en fil; flera filer tar datumet ur sina filnamn.")
        if jobs < 1:
            raise CommandError("--jobs ska vara minst 1.")
        settings.PDF_RENDER_CHILDREN = jobs
        started, imported, failed = time.perf_counter(), 0, []
        for first in range(0, len(files), ROUND):
            batch = files[first : first + ROUND]
            with memoized_renders():
                if not dry_run:
                    self.render_ahead(batch, council, municipality)
                for file in batch:
                    try:
                        self.import_one(file, council, municipality, dry_run, None, verbose=False)
                    except CommandError as error:
                        failed.append(file)
                        self.stderr.write(f"{file}: {error}")
                    else:
                        imported += 1
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{imported} av {len(files)} filer "
            f"{'provkörda' if dry_run else 'importerade'} på {seconds:.1f} s "
            f"({imported / seconds if seconds else 0:.1f} dokument/s, {jobs} PDF-processer)."
        )
        if failed:
            count = f"{len(failed)} fil" if len(failed) == 1 else f"{len(failed)} filer"
            raise CommandError(f"{count} kunde inte importeras; se ovan.")

    def render_ahead(self, files: list[Path], council: str, municipality: str | None) -> None:
        """Every file's PDFs rendered side by side into the renderer's memo, from a dry run of
        each: the real import then finds them there. A file that fails here fails again in its
        import, which says why."""
        htmls = []
        for file in files:
            try:
                text = file.read_text(encoding="utf-8")
                report = import_legacy_minutes(
                    text=text,
                    council_slug=council,
                    municipality_slug=municipality,
                    dry_run=True,
                    source=str(file),
                    render_ahead=True,
                )
            except (OSError, UnicodeDecodeError, ImportFailed):
                continue
            htmls += report.htmls
        with contextlib.suppress(RenderError):  # each import renders (and reports) its own
            render_many(htmls)

    def import_one(
        self,
        path: Path,
        council: str,
        municipality: str | None,
        dry_run: bool,
        day: datetime.date | None,
        *,
        verbose: bool,
    ) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"Filen {path} finns inte.") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"Filen {path} är inte UTF-8 (byte {error.start}).") from None
        try:
            report = import_legacy_minutes(
                text=text,
                council_slug=council,
                municipality_slug=municipality,
                dry_run=dry_run,
                source=str(path),
                date=day,
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from error

        write = self.stdout.write
        if not verbose:
            for warning in report.warnings:
                self.stderr.write(f"{path}: Varning: {warning}")
            write(f"{path}: möte {report.meeting.date:%Y-%m-%d}, {len(report.items)} ärenden")
            return
        council_obj = report.council
        write(
            f"{council_obj.name} ({council_obj.municipality.name})"
            + (" – nytt råd" if report.council_created else "")
        )
        write(report.date_note)
        write(f"Möte {report.meeting.date:%Y-%m-%d}, {len(report.items)} ärenden:")
        for number, title, sections in report.items:
            write(f"  {number}. {title}" + (f" ({sections} underavsnitt)" if sections else ""))
        write("Rådsrepresentanter (kontrollera uppdelningen):")
        for split in report.splits:
            source = "känd person" if split.known else "gissad"
            write(
                f"  {split.entry!r}: {split.kind} {split.label!r}, namn {split.name!r} ({source})"
            )
        if report.people_created:
            write("Nya personer: " + ", ".join(report.people_created))
        for warning in report.warnings:
            self.stderr.write(f"Varning: {warning}")
        if dry_run:
            write(self.style.WARNING("Provkörning: inget sparades."))
        else:
            write(self.style.SUCCESS(f"Importerat som möte {report.meeting.pk}."))


def expand(paths: list[Path]) -> list[Path]:
    """The files to import: each file given, and each folder's *.txt files in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not found:
                raise CommandError(f"Mappen {path} har inga .txt-filer.")
            files += found
        else:
            files.append(path)
    return files


def parse_date(value: str) -> datetime.date:
    """``--date``'s value as a date, or a Swedish error that says what is wrong."""
    value = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise CommandError(
            f"--date ska skrivas ÅÅÅÅ-MM-DD, till exempel 2013-02-21, inte ”{value}”."
        )
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value}: det datumet finns inte.") from None
