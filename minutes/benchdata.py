"""Benchmark data: many municipalities, councils and approved meetings, inserted in bulk.

Realistic in shape — ten councils a municipality, a meeting a month except July, five to eight
items with Swedish text, now and then a confidential item, members, an insert-only approved
revision with its snapshot, a signature and search rows — but not rendered one by one: a few PDFs
are rendered once and every revision points to one of them. The text is generated from our own
sentences with a fixed random seed, so two runs give the same data.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, reset_queries, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.dates import long_date, time_span
from councils.models import Council, Membership, Municipality, Person
from minutes.benchwords import (
    CONFIDENTIAL_GROUND,
    COUNCILS,
    DECISIONS,
    FIRST_NAMES,
    LAST_NAMES,
    MUNICIPALITIES,
    OBJECTS,
    PARTIES,
    SUBJECTS,
    TAILS,
    TITLES,
    VERBS,
)
from minutes.models import AgendaItem, ApprovedRevision, Meeting, Minutes, SearchEntry, Signature
from minutes.pdf import render_minutes_pdf
from minutes.services import StoredPdf, store_pdf
from minutes.snapshot import (
    SCHEMA,
    ItemSnapshot,
    MinutesSnapshot,
    Signatory,
    closing_line,
    elected_entry,
    representative_entry,
)

BATCH = 1000  # meetings per transaction


@dataclass(frozen=True)
class SeedReport:
    municipalities: int
    councils: int
    meetings: int
    items: int


def _meeting_dates(count: int, today: datetime.date, council_index: int) -> list[datetime.date]:
    """``count`` past meeting days of one council, a month apart (no meeting in July), on a
    weekday that differs between councils as it does in real life, newest last."""
    dates: list[datetime.date] = []
    year, month = today.year, today.month
    while len(dates) < count:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        if month != 7:
            day = datetime.date(year, month, 1 + (council_index * 11 + month * 3) % 28)
            if day.weekday() >= 5:  # Saturday or Sunday: the Monday after
                day += datetime.timedelta(days=7 - day.weekday())
            dates.append(day)
    return dates[::-1]


def _paragraph(rng: random.Random) -> str:
    sentences = [
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
        for _ in range(rng.randint(1, 3))
    ]
    return " ".join([*sentences, rng.choice(TAILS)])


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _pdfs(rng: random.Random) -> list[StoredPdf]:
    """A few real PDFs, rendered once and stored, that the revisions point to."""
    stored = []
    for n in range(3):
        doc = MinutesSnapshot(
            schema=SCHEMA,
            municipality="Exempels kommun",
            council="Förebyggande rådet",
            council_kind=Council.Kind.COUNCIL,
            document_title=Council.DocumentTitle.NOTES,
            meeting_date="2020-02-24",
            date_in_words=long_date(datetime.date(2020, 2, 24)),
            place_and_time="Sessionssalen kl 08.30 – 10.30",
            elected="",
            representatives="",
            absent="",
            others="",
            items=tuple(
                ItemSnapshot(str(i), rng.choice(TITLES), f"<p>{_paragraph(rng)}</p>", "", True, "")
                for i in range(1, 6 + n)
            ),
            closing_line=closing_line("Exempelstad", datetime.date(2020, 2, 24)),
            signatories=(Signatory("Anna Andersson", "Ordförande"),),
            revision=1,
            status=Minutes.Status.APPROVED,
            created="2020-03-02T13:05:00+00:00",
        )
        stored.append(store_pdf(render_minutes_pdf(doc)))
    return stored


def seed(
    *,
    meetings: int,
    councils: int | None = None,
    progress: Callable[[int], None] = lambda done: None,
    seed_value: int = 2020,
) -> SeedReport:
    """Insert ``meetings`` approved meetings spread over ``councils`` councils (by default one
    per 200 meetings, ten to a municipality), and two coming meetings per council."""
    rng = random.Random(seed_value)
    councils = councils or max(1, meetings // 200)
    pdfs = _pdfs(rng)
    today = timezone.localdate()
    municipality_slugs = set(Municipality.objects.values_list("slug", flat=True))

    plan: list[tuple[Council, list[Person], int]] = []
    with transaction.atomic():
        municipality = None
        for index in range(councils):
            if index % len(COUNCILS) == 0:
                base = MUNICIPALITIES[(index // len(COUNCILS)) % len(MUNICIPALITIES)]
                round_ = index // len(COUNCILS) // len(MUNICIPALITIES)
                name = f"{base} kommun" if not round_ else f"{base} kommun {round_ + 1}"
                municipality = Municipality.objects.create(
                    name=name,
                    slug=_unique(slugify(name.replace(" kommun", "")), municipality_slugs),
                    place_name=base,
                )
            council_name, kind, title = COUNCILS[index % len(COUNCILS)]
            council = Council.objects.create(
                municipality=municipality,
                name=council_name,
                slug=slugify(council_name),
                kind=kind,
                document_title=title,
                default_place="Sessionssalen",
            )
            people = Person.objects.bulk_create(
                Person(name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}") for _ in range(7)
            )
            roles = [Membership.Role.CHAIR, Membership.Role.VICE_CHAIR]
            roles += [Membership.Role.MEMBER] * 3 + [Membership.Role.REPRESENTATIVE] * 2
            Membership.objects.bulk_create(
                Membership(
                    person=person,
                    council=council,
                    role=role,
                    party="" if role == Membership.Role.REPRESENTATIVE else rng.choice(PARTIES),
                    title="Kommunpolis" if role == Membership.Role.REPRESENTATIVE else "",
                    start_date=datetime.date(2000, 1, 1),
                    position=position,
                )
                for position, (person, role) in enumerate(zip(people, roles, strict=True))
            )
            Meeting.objects.bulk_create(
                Meeting(
                    council=council,
                    date=today + datetime.timedelta(days=30 * n),
                    start_time=datetime.time(13, 0),
                    end_time=datetime.time(15, 0),
                    place="Sessionssalen",
                )
                for n in (1, 2)
            )
            share = meetings // councils + (1 if index < meetings % councils else 0)
            plan.append((council, people, share))

    done = 0
    batch: list[tuple[Council, list[Person], datetime.date]] = []
    for index, (council, people, share) in enumerate(plan):
        for day in _meeting_dates(share, today, index):
            batch.append((council, people, day))
            if len(batch) == BATCH:
                done += _insert(batch, rng, pdfs)
                progress(done)
                batch = []
                reset_queries()  # with DEBUG on, the logged INSERTs would fill the memory
    if batch:
        done += _insert(batch, rng, pdfs)
        progress(done)
    if connection.vendor == "postgresql":
        # A bulk load leaves the planner without statistics until autovacuum comes round (and
        # search chooses its plan from pg_stats): gather them now, as a restore would.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    items = SearchEntry.objects.count()
    return SeedReport(
        municipalities=len({council.municipality_id for council, _, _ in plan}),
        councils=len(plan),
        meetings=done,
        items=items,
    )


def _items(rng: random.Random) -> Iterator[tuple[ItemSnapshot, str]]:
    """The items of one meeting, each with its plain text as ``search.entries_for`` makes it
    (built alongside rather than parsed back out of the HTML, which would triple the time)."""
    count = rng.randint(5, 8)
    for number in range(1, count + 1):
        if rng.random() < 0.05:
            body = f"<p>{_paragraph(rng)}</p>"
            yield (
                ItemSnapshot(str(number), "Personalärende", body, "", False, CONFIDENTIAL_GROUND),
                "",
            )
            continue
        title = TITLES[0] if number == 1 else rng.choice(TITLES)
        paragraphs = [_paragraph(rng) for _ in range(rng.randint(1, 3))]
        decision = rng.choice(DECISIONS)
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        text = "\n".join([*paragraphs, decision] if decision else paragraphs)
        yield ItemSnapshot(str(number), title, body, decision, True, ""), text


# the råd's items have no § parts: their columns as empty as the model's defaults
PARTS = (
    "case_number",
    "basis",
    "proposal",
    "decision_points",
    "protocol_note",
    "recipients",
    "immediate_adjustment",
    "proposition",
)
NO_PARTS = ("", "[]", "", "[]", "", "[]", False, "")


def _insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain multi-row INSERTs: the ORM's bulk_create spends most of its time compiling."""
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    # identifiers from the model, quoted; the values go as parameters
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values  # PostgreSQL's driver, on PostgreSQL only

            execute_values(cursor.cursor, sql + "%s", rows, page_size=2000)
        else:
            cursor.executemany(sql + f"({', '.join(['%s'] * len(fields))})", rows)


@transaction.atomic
def _insert(batch, rng: random.Random, pdfs) -> int:
    meetings = Meeting.objects.bulk_create(
        Meeting(
            council=council,
            date=day,
            start_time=datetime.time(8, 30),
            end_time=datetime.time(10, 30),
            place="Sessionssalen",
            chaired_by=people[0],
            secretary=people[-1],
        )
        for council, people, day in batch
    )
    minutes = Minutes.objects.bulk_create(
        Minutes(meeting=meeting, status=Minutes.Status.APPROVED) for meeting in meetings
    )
    items: list[tuple] = []
    texts: list[list[tuple[ItemSnapshot, str]]] = []
    revisions: list[ApprovedRevision] = []
    roles = [Membership.Role.CHAIR, Membership.Role.VICE_CHAIR] + [Membership.Role.MEMBER] * 3
    for (council, people, day), meeting, record in zip(batch, meetings, minutes, strict=True):
        elected = [elected_entry(p.name, "", r) for p, r in zip(people[:5], roles, strict=True)]
        generated = list(_items(rng))
        texts.append(generated)
        items += [
            (
                record.pk,
                position,
                item.number,
                item.title,
                item.body_html,
                item.decision,
                item.is_public,
                item.confidentiality_ground,
                "[]",
                1,
                *NO_PARTS,
            )
            for position, (item, _text) in enumerate(generated, start=1)
        ]
        approved_at = datetime.datetime.combine(
            day + datetime.timedelta(days=7), datetime.time(12), tzinfo=datetime.UTC
        )
        doc = MinutesSnapshot(
            schema=SCHEMA,
            municipality=council.municipality.name,
            council=council.name,
            council_kind=council.kind,
            document_title=council.document_title,
            meeting_date=day.isoformat(),
            date_in_words=long_date(day),
            place_and_time=f"Sessionssalen {time_span(meeting.start_time, meeting.end_time)}",
            elected=", ".join(elected) + ".",
            representatives=", ".join(
                representative_entry("Kommunpolis", p.name) for p in people[5:]
            )
            + ".",
            absent="",
            others="",
            items=tuple(item for item, _text in generated),
            closing_line=closing_line(council.municipality.place_name, day),
            signatories=(
                Signatory(people[0].name, "Ordförande", "Justerat på papper"),
                Signatory(people[-1].name, "Sekreterare"),
            ),
            revision=1,
            status=Minutes.Status.APPROVED,
            created=approved_at.isoformat(),
        )
        pdf = rng.choice(pdfs)
        revisions.append(
            ApprovedRevision(
                minutes=record,
                snapshot=doc.as_dict(),
                pdf_name=pdf.name,
                pdf_sha256=pdf.sha256,
                pdf_size=pdf.size,
                approved_at=approved_at,
            )
        )
    _insert_rows(
        AgendaItem,
        [
            "minutes",
            "position",
            "number",
            "title",
            "body",
            "decision",
            "is_public",
            "confidentiality_ground",
            "points",
            "version",
            *PARTS,
        ],
        items,
    )
    revisions = ApprovedRevision.objects.bulk_create(revisions)
    _insert_rows(
        Signature,
        ["revision", "name", "role", "signed_at", "method"],
        [
            (revision.pk, batch[n][1][0].name, "Ordförande", revision.approved_at, "paper")
            for n, revision in enumerate(revisions)
        ],
    )
    entries = []
    for revision, meeting, generated in zip(revisions, meetings, texts, strict=True):
        for position, (item, text) in enumerate(generated, start=1):
            if item.is_public:
                folded = f"{item.title}\n{text}".casefold()
                entries.append(
                    (revision.pk, meeting.pk, meeting.council_id, meeting.date, position,
                     item.number, item.title, text, folded)
                )  # fmt: skip
    _insert_rows(
        SearchEntry,
        [
            "revision",
            "meeting",
            "council",
            "meeting_date",
            "position",
            "number",
            "title",
            "text",
            "folded",
        ],
        entries,
    )
    return len(meetings)
