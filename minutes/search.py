"""Full-text search over the public text of approved minutes.

What can be found is what the public may read: ``SearchEntry`` rows are built from the current
public revision of each meeting (the newest approved one, unless its publication was withdrawn),
one per public item, and one for the announcement on the anslagstavla that a protokoll is
justerat (from its anslagsbevis, position 0); confidential items never get a row. ``index_meeting`` rebuilds one meeting's
rows and is called wherever that changes (approval, correction, withdrawal).

On PostgreSQL the rows carry a generated ``document`` tsvector in the Swedish configuration with a
GIN index (migration 0006): every word of the query must match, each as a prefix, so that "brott"
finds "brottsutveckling" (the Swedish dictionary does not split compounds) and, through the
stemmer, "ungdomarna" finds "ungdomar". Hits come newest first (ranking by relevance would read
every hit's tsvector, which a common word makes slow at national scale), highlighted by
``ts_headline``. SQLite has no such index: every word must begin a word of the casefolded text (as
the help text promises: "brott" finds "brottsutveckling", not "inbrott"), newest first,
highlighted here.
"""

from __future__ import annotations

import datetime
import html
import re
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from core.templatetags.typography import join_digit_groups
from councils.models import Council
from minutes import publication
from minutes.models import ApprovedRevision, Meeting, SearchEntry
from minutes.snapshot import MinutesSnapshot

PAGE_SIZE = 10  # as search pages usually show; each hit costs a ts_headline
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
COUNT_LIMIT = 1000  # beyond this the page says "more than 1 000"; counting all costs too much

# Private-use characters mark the highlighted words until the text is escaped for HTML.
START, STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{START}{STOP}]")
_WORD = re.compile(r"[^\W_]+")
_BLOCK_END = re.compile(r"</(?:p|li|h3|h4|blockquote)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# A word begins where no letter or digit goes before (the words of query_words, without "_").
_NOT_AFTER_LETTER = r"(?<![^\W_])"


# --- Indexing -------------------------------------------------------------------------------------


def html_to_text(fragment: str) -> str:
    """Sanitized item HTML as plain text, a line per block."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", fragment)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _MARKERS.sub(" ", "\n".join(line for line in lines if line))


def entries_for(revision: ApprovedRevision, *, council_id: int, meeting_id: int, date) -> list:
    """The unsaved search rows of a revision's public items."""
    doc = MinutesSnapshot.from_dict(revision.snapshot)
    entries = []
    for position, item in enumerate(doc.items, start=1):
        if not item.is_public:
            continue
        parts = [html_to_text(item.body_html)]
        for point in item.points:
            parts += [point.text, point.note, *(c.text for c in point.children)]
            parts += [c.note for c in point.children]
        for section in item.sections:
            parts += [section.heading, html_to_text(section.body_html)]
        # a nämnd's §: its Dnr, proposal, motions, proposition, votes' results, decision points
        # (its decision, as text, repeats them), reservations, protokollsanteckning and jäv are
        # found too (a confidential §'s never: it has no row)
        parts += [item.case_number, item.proposal, *item.motions, item.proposition]
        parts += [vote.result for vote in item.votes]
        parts += list(item.decision_points) or [item.decision]
        parts += [*item.reservations, item.protocol_note, *item.disqualifications]
        text = "\n".join(part for part in parts if part)
        title = _MARKERS.sub(" ", item.title)
        entries.append(
            SearchEntry(
                revision=revision,
                meeting_id=meeting_id,
                council_id=council_id,
                meeting_date=date,
                position=position,
                number=item.paragraph_label or item.number,
                title=title,
                text=text,
                folded=f"{title}\n{text}".casefold(),
            )
        )
    if doc.anslag is not None:
        entries.append(
            anslag_entry(doc, revision, council_id=council_id, meeting_id=meeting_id, date=date)
        )
    return entries


ANSLAG_POSITION = 0  # the row of a justerat protokoll's announcement, before its items


def anslag_entry(doc: MinutesSnapshot, revision, *, council_id: int, meeting_id: int, date):
    """The row of the announcement on the anslagstavla that the protokoll is justerat, from the
    anslagsbevis it carries (so it is public exactly as long as the protokoll is): the organ,
    the word "anslag" and the dates, so that "socialnämnden anslag" finds the meeting."""
    anslag = doc.anslag
    paragraphs = f"§§ {doc.paragraphs}" if doc.paragraphs else ""
    title = f"Anslag: justerat protokoll, {doc.council}"
    lines = [
        f"Anslag på anslagstavlan: {doc.council}s protokoll från sammanträdet {doc.meeting_date} "
        f"är justerat. {paragraphs}".strip(),
        f"Anslaget den {anslag.posted_on}. Sista dag att överklaga {anslag.last_day_to_appeal}. "
        f"Anslaget tas ned den {anslag.down_on}.",
        f"Protokollet förvaras: {anslag.kept_at}." if anslag.kept_at else "",
    ]
    text = "\n".join(line for line in lines if line)
    return SearchEntry(
        revision=revision,
        meeting_id=meeting_id,
        council_id=council_id,
        meeting_date=date,
        position=ANSLAG_POSITION,
        number="",
        title=title,
        text=text,
        folded=f"{title}\n{text}".casefold(),
    )


def index_meeting(meeting_id: int) -> int:
    """Rebuild one meeting's search rows from its current public revision: the number of rows."""
    SearchEntry.objects.filter(meeting_id=meeting_id).delete()
    current = (
        ApprovedRevision.objects.filter(minutes__meeting_id=meeting_id)
        .select_related("minutes__meeting", "withdrawal")
        .order_by("-minutes__revision")
        .first()
    )
    if current is None or publication.is_withdrawn(current):
        return 0
    meeting = current.minutes.meeting
    entries = entries_for(
        current, council_id=meeting.council_id, meeting_id=meeting.pk, date=meeting.date
    )
    SearchEntry.objects.bulk_create(entries)
    return len(entries)


def rebuild_index() -> int:
    """Every meeting's rows again (after a restore, or a change to what is indexed)."""
    SearchEntry.objects.all().delete()
    total = 0
    meetings = Meeting.objects.filter(minutes__approved_revision__isnull=False).distinct()
    for meeting_id in meetings.values_list("pk", flat=True).iterator(chunk_size=2000):
        total += index_meeting(meeting_id)
    return total


# --- Searching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    municipality: str
    council: str
    meeting_date: datetime.date
    number: str
    title: SafeString
    snippet: SafeString
    url: str

    @property
    def label(self) -> str:
        return label(self.number)


def label(number: str) -> str:
    """ "3." for a råd's item, "KS § 12" for a nämnd's."""
    return number if "§" in number else f"{number}."


@dataclass(frozen=True)
class Results:
    words: list[str]
    hits: list[Hit]
    total: int | None  # None: too many to count cheaply (a common word); newest first
    page: int
    has_next: bool = False

    @property
    def more_than_limit(self) -> bool:
        return self.total is not None and self.total > COUNT_LIMIT

    @property
    def pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-min(self.total, COUNT_LIMIT) // PAGE_SIZE))


def query_words(query: str) -> list[str]:
    """The words of what the visitor typed, casefolded, without operators or duplicates."""
    words: list[str] = []
    for word in _WORD.findall(query.casefold()):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def max_page() -> int:
    return max(1, -(-COUNT_LIMIT // PAGE_SIZE))


def search(query: str, *, council: Council | None = None, page: int = 1) -> Results:
    """One page of hits for ``query``, newest first, optionally within one council: two queries
    on SQLite, three on PostgreSQL (and its statistics every ten minutes)."""
    words = query_words(query)
    page = min(max(page, 1), max_page())
    if not words:
        return Results(words=[], hits=[], total=0, page=1)
    if connection.vendor == "postgresql":
        return _search_postgres(words, council, page)
    rows, total = _search_simple(words, council, page)
    return Results(
        words=words,
        hits=[_hit(row) for row in rows],
        total=total,
        page=page,
        has_next=page * PAGE_SIZE < min(total, COUNT_LIMIT),
    )


# How PostgreSQL is made to read few rows whatever the word. The GIN index finds the rows of a rare
# word cheaply, but a common one has hundreds of thousands: decoding them and sorting by date is
# what takes the time. Walking the date index backwards finds the newest hits of a common word
# after a few rows, but reads everything for a rare one. The planner estimates every prefix query
# alike, so the choice is made here from the column's statistics (pg_stats' most common lexemes and
# their frequencies, which ANALYZE keeps): a query is dense when each of its prefixes covers at
# least DENSE_SHARE of the rows. A dense query shows its newest hits and a next page, without a
# total (counting them would read them all); a sparse one reads all its hits (up to COUNT_LIMIT)
# through the GIN index and shows how many there are. Parallel workers are not started: their
# start-up costs more than the few rows either way reads. SET LOCAL lasts until the transaction
# ends, or until a savepoint set before it is rolled back, which the search does.
DENSE_SHARE = 0.01
STATS_SECONDS = 600
_stats: dict = {"read": -STATS_SECONDS, "lexemes": (), "frequencies": ()}
_STEMS = re.compile(r"'((?:[^']|'')+)'")
_STATS_SQL = (
    "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
    "WHERE tablename = 'minutes_searchentry' AND attname = 'document'"
)
_IDS_SQL = (
    "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = {index}; "
    "SET LOCAL enable_bitmapscan = {bitmap}; SET LOCAL max_parallel_workers_per_gather = 0; "
    "SELECT id FROM minutes_searchentry WHERE document @@ to_tsquery('swedish', %s){council} "
    "ORDER BY meeting_date DESC, position, id LIMIT %s OFFSET %s"
)
_TITLE_OPTIONS = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
_TEXT_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _lexeme_statistics(cursor) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The most common lexemes of the search rows and their frequencies, read again every ten
    minutes (empty until PostgreSQL has analysed the table)."""
    now = time.monotonic()
    if now - _stats["read"] >= STATS_SECONDS:
        cursor.execute(_STATS_SQL)
        row = cursor.fetchone()
        lexemes, frequencies = row if row and row[0] else ((), ())
        _stats.update(read=now, lexemes=tuple(lexemes), frequencies=tuple(frequencies))
    return _stats["lexemes"], _stats["frequencies"]


def prefix_share(stem: str, lexemes, frequencies) -> float:
    """The share of rows holding a word that starts with ``stem``, by the statistics' most common
    lexemes (0 when none of them does: the stem is rare)."""
    return sum(
        f for lexeme, f in zip(lexemes, frequencies, strict=False) if lexeme.startswith(stem)
    )


def is_dense(stems: list[str], lexemes, frequencies) -> bool:
    """Whether every stem, as a prefix, covers at least DENSE_SHARE of the rows."""
    return bool(stems) and all(
        prefix_share(stem, lexemes, frequencies) >= DENSE_SHARE for stem in stems
    )


def _search_postgres(words: list[str], council: Council | None, page: int) -> Results:
    tsquery = " & ".join(f"{word}:*" for word in words)
    council_sql = " AND council_id = %s" if council is not None else ""
    council_params = [council.pk] if council is not None else []
    offset = (page - 1) * PAGE_SIZE
    with transaction.atomic(), connection.cursor() as cursor:
        lexemes, frequencies = _lexeme_statistics(cursor)
        # each word's stem (none for a stop word such as "och")
        cursor.execute(
            "SELECT to_tsquery('swedish', word || ':*')::text FROM unnest(%s::text[]) AS word",
            [words],
        )
        stems = {
            word: [s.replace("''", "'") for s in _STEMS.findall(row[0])]
            for word, row in zip(words, cursor.fetchall(), strict=True)
        }
        if not any(stems.values()):
            return Results(words=words, hits=[], total=0, page=page)
        all_stems = [stem for found in stems.values() for stem in found]
        dense = is_dense(all_stems, lexemes, frequencies)
        if dense:
            sql = _IDS_SQL.format(council=council_sql, index="on", bitmap="off")
            params = [tsquery, *council_params, PAGE_SIZE + 1, offset]
        else:
            # Through the GIN index by the rare words only: a common word beside them would make
            # the index decode all of its rows. The whole query is then checked row by row
            # ("IS TRUE" keeps it out of the index condition).
            rare = [
                word
                for word, found in stems.items()
                if any(prefix_share(s, lexemes, frequencies) < DENSE_SHARE for s in found)
            ]
            index_query = " & ".join(f"{word}:*" for word in rare)
            sql = _IDS_SQL.format(
                council=council_sql + " AND (document @@ to_tsquery('swedish', %s)) IS TRUE",
                index="off",
                bitmap="on",
            )
            params = [index_query, *council_params, tsquery, COUNT_LIMIT + 1, 0]
        # The SET LOCALs steer this one query: in a savepoint that is rolled back after it, so
        # that they end here even when the search runs inside a longer transaction (a test, a
        # view in ATOMIC_REQUESTS), where they would otherwise slow every later query.
        steered = transaction.savepoint_create()
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
        transaction.savepoint_rollback(steered)
    if dense:
        total, has_next, shown = None, len(ids) > PAGE_SIZE, ids[:PAGE_SIZE]
    else:
        total, shown = len(ids), ids[offset : offset + PAGE_SIZE]
        has_next = offset + PAGE_SIZE < min(total, COUNT_LIMIT)
    entries = SearchEntry.objects.select_related("council__municipality").annotate(
        **_headlines(tsquery)
    )
    found = {entry.pk: entry for entry in entries.filter(pk__in=shown)} if shown else {}
    return Results(
        words=words,
        hits=[_hit(found[pk]) for pk in shown if pk in found],
        total=total,
        page=page,
        has_next=has_next,
    )


def _search_simple(words: list[str], council: Council | None, page: int):
    entries = SearchEntry.objects.select_related("council__municipality")
    if council is not None:
        entries = entries.filter(council=council)
    for word in words:
        # LIKE narrows cheaply; the expression (SQLite's REGEXP is Python's re) keeps only a
        # word's beginning. A word starts after anything that is not a letter or digit.
        entries = entries.filter(folded__contains=word, folded__regex=_word_start(word))
    start = (page - 1) * PAGE_SIZE
    rows = list(entries.order_by("-meeting_date", "position", "id")[start : start + PAGE_SIZE])
    _mark(rows, words)
    # a first page that is not full holds every hit: no need to count
    full_page = page > 1 or len(rows) == PAGE_SIZE
    total = entries[: COUNT_LIMIT + 1].count() if full_page else len(rows)
    return rows, total


def _headlines(tsquery: str) -> dict:
    """PostgreSQL's highlighted title and excerpt of a row, as annotations."""
    return {
        "marked_title": RawSQL(
            "ts_headline('swedish', minutes_searchentry.title, to_tsquery('swedish', %s), %s)",
            [tsquery, _TITLE_OPTIONS],
        ),
        "marked_text": RawSQL(
            "ts_headline('swedish', minutes_searchentry.text, to_tsquery('swedish', %s), %s)",
            [tsquery, _TEXT_OPTIONS],
        ),
    }


def _mark(rows, words: list[str]) -> None:
    """Without PostgreSQL: each row's title and an excerpt, the words' beginnings marked."""
    pattern = re.compile(
        _NOT_AFTER_LETTER + "(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE
    )
    for row in rows:
        row.marked_title = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", row.title)
        row.marked_text = _excerpt(row.text, pattern)


def _word_start(word: str) -> str:
    return _NOT_AFTER_LETTER + re.escape(word)


def _excerpt(text: str, pattern: re.Pattern, width: int = 220) -> str:
    """About ``width`` characters around the first match, the matches marked."""
    text = " ".join(text.split())
    match = pattern.search(text)
    begin = 0 if match is None else max(0, match.start() - width // 3)
    if begin:
        begin = text.find(" ", begin) + 1 or begin
    end = min(len(text), begin + width)
    if end < len(text):
        end = text.rfind(" ", begin, end) if text.rfind(" ", begin, end) > begin else end
    excerpt = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text[begin:end])
    return ("… " if begin else "") + excerpt + (" …" if end < len(text) else "")


def highlight(marked: str) -> SafeString:
    """Hold the digit groups together (core.templatetags.typography, looking through the
    markers: "8 <mark>000</mark>" too), escape the text, then turn the markers into
    ``<mark>``."""
    joined = join_digit_groups(marked, transparent=START + STOP)
    escaped = escape(joined)  # every character the visitor or the minutes supplied
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def anchor(number: str, position: int) -> str:
    """The id of an item on the meeting's page: a nämnd's "SN § 12" is ``paragraf-12``, a råd's
    item its place, ``punkt-3``; the announcement of the justering ``anslag``."""
    if "§" in number:
        return f"paragraf-{number.rsplit(' ', 1)[-1]}"
    if position == ANSLAG_POSITION:
        return "anslag"
    return f"punkt-{position}"


def _url(row: SearchEntry) -> str:
    """The row's place on its meeting's page."""
    council = row.council
    day = f"{row.meeting_date:%Y-%m-%d}"
    url = reverse("minutes:meeting", args=[council.municipality.slug, council.slug, day])
    return f"{url}#{anchor(row.number, row.position)}"


def _hit(row: SearchEntry) -> Hit:
    council = row.council
    return Hit(
        municipality=council.municipality.name,
        council=council.name,
        meeting_date=row.meeting_date,
        number=row.number,
        title=highlight(row.marked_title),
        snippet=highlight(" ".join(row.marked_text.split())),
        url=_url(row),
    )


# --- One revision: what a saved search finds in a new protokoll (alerts) --------------------------

REVISION_HITS = 20  # an e-mail lists at most this many of one protokoll's §§


def _marked(row: SearchEntry) -> dict:
    """A hit as JSON keeps it (alerts.models.Alert.hits), still marked."""
    return {
        "label": label(row.number) if row.number else "",
        "title": row.marked_title,
        "snippet": " ".join(row.marked_text.split()),
        "url": _url(row),
    }


def revision_hits(query: str, revision_id: int, *, limit: int = REVISION_HITS) -> list[dict]:
    """The public §§ or items of one approved revision that ``query`` finds, as the site's
    search finds them (the same words, prefixes and stemming, the public text only: a
    confidential item has no row, a withdrawn revision none), in the order of the minutes, the
    words found marked with START and STOP: ``{"label", "title", "snippet", "url"}``, at most
    ``limit + 1`` (one more tells that there are more). The announcement's row is not an item
    and is left out. Two queries."""
    words = query_words(query)
    if not words:
        return []
    entries = SearchEntry.objects.filter(revision_id=revision_id).exclude(position=ANSLAG_POSITION)
    entries = entries.select_related("council__municipality").order_by("position", "id")
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        matching = RawSQL(
            "minutes_searchentry.document @@ to_tsquery('swedish', %s)",
            [tsquery],
            output_field=BooleanField(),
        )
        rows = list(entries.filter(matching).annotate(**_headlines(tsquery))[: limit + 1])
    else:
        for word in words:
            entries = entries.filter(folded__contains=word, folded__regex=_word_start(word))
        rows = list(entries[: limit + 1])
        _mark(rows, words)
    return [_marked(row) for row in rows]


def revision_items(revision_id: int, *, limit: int = REVISION_HITS) -> list[dict]:
    """The public §§ or items of one approved revision, in order, as ``revision_hits`` gives
    them (without snippets, at most ``limit + 1``): what an e-mail to those who follow the
    council lists."""
    rows = (
        SearchEntry.objects.filter(revision_id=revision_id)
        .exclude(position=ANSLAG_POSITION)
        .select_related("council__municipality")
        .order_by("position", "id")[: limit + 1]
    )
    items = []
    for row in rows:
        row.marked_title, row.marked_text = row.title, ""
        items.append(_marked(row))
    return items


def plain(marked: str) -> str:
    """A marked text for a plain-text e-mail: the words found between asterisks."""
    return marked.replace(START, "*").replace(STOP, "*")
