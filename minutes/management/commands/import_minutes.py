import datetime
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.services import ImportFailed, import_legacy_minutes


class Command(BaseCommand):
    help = (
        "Imports minutes in the legacy text format as approved historical minutes. "
        "Use --dry-run to check how representatives are split into title/organisation and name."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the legacy text file (UTF-8)")
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

    def handle(
        self,
        *args,
        path: Path,
        council: str,
        municipality: str | None,
        dry_run: bool,
        meeting_date: str | None = None,
        **options,
    ) -> None:
        day = parse_date(meeting_date) if meeting_date is not None else None
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
