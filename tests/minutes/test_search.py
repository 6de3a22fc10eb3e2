"""Full-text search over the public text of approved minutes."""

import datetime

import pytest
from django.core.management import call_command

from minutes import search, services
from minutes.models import SearchEntry
from tests import factories
from tests.minutes.drafting_fixtures import approved_elsewhere, submit_and_approve
from tests.minutes.drafting_fixtures import write_item as write
from tests.pages import page_text

pytestmark = pytest.mark.django_db
URL = "/sok/"


def test_a_word_of_an_approved_item_is_found_highlighted_and_linked_to_the_item(
    client, cast, draft
):
    write(draft, 4, "<p>Polisen redovisar brottsutvecklingen i centrum under hösten.</p>")
    submit_and_approve(draft, cast)
    response = client.get(URL, {"q": "brott"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 träff" in page_text(response)
    assert "<mark>brottsutvecklingen</mark>" in html
    assert 'href="/arboga/forebyggande-radet/2025-02-24/#punkt-4"' in html
    page = client.get("/arboga/forebyggande-radet/2025-02-24/").content.decode()
    assert 'id="punkt-4"' in page


def test_every_word_must_match_in_any_letter_case(client, cast, draft):
    write(draft, 4, "<p>Trygghetsvandring i Ängen och på Torget.</p>")
    submit_and_approve(draft, cast)
    assert "1 träff" in page_text(client.get(URL, {"q": "ÄNGEN trygghet"}))
    assert "Inga träffar" in page_text(client.get(URL, {"q": "ängen skolan"}))


def test_words_match_at_their_beginning_only(client, cast, draft):
    """As the help text promises, and as PostgreSQL's prefix search does: "brott" finds
    "brottsutvecklingen" and "Brott" but not "inbrott" or "Cykelbrott"."""
    write(draft, 4, "<p>Fler inbrott i förråd under hösten.</p>", title="Cykelstölder")
    write(draft, 2, "<p>Brottsutvecklingen i centrum.</p>", title="Lägesbild")
    submit_and_approve(draft, cast)
    response = client.get(URL, {"q": "brott"})
    assert "1 träff" in page_text(response)
    html = response.content.decode()
    assert "<mark>Brottsutvecklingen</mark>" in html and "inbrott" not in html
    assert "1 träff" in page_text(client.get(URL, {"q": "inbrott"}))
    assert "1 träff" in page_text(client.get(URL, {"q": "förråd höst"}))
    assert "Inga träffar" in page_text(client.get(URL, {"q": "stölder"}))
    assert "Inga träffar" in page_text(client.get(URL, {"q": "brott inbrott"}))


def test_a_word_in_a_confidential_item_finds_nothing(client, cast, draft):
    write(
        draft,
        4,
        "<p>Hemlighållet ärende om Kalle Kofot.</p>",
        title="Personalärende Kofot",
        public=False,
        ground="OSL 39 kap. 3 §",
    )
    write(draft, 2, "<p>Öppen text.</p>")
    revision = submit_and_approve(draft, cast)
    assert "Kofot" in str(revision.snapshot)  # it is in the record, only not public
    for word in ("Kofot", "hemlighållet", "personalärende"):
        text = page_text(client.get(URL, {"q": word}))
        assert "Inga träffar" in text and "Kofot" not in text.replace(f"Sök: {word}", "")
    assert not SearchEntry.objects.filter(folded__contains="kofot").exists()


def test_drafts_are_never_found(client, cast, draft):
    write(draft, 4, "<p>Utkastord som ingen får se.</p>")
    assert "Inga träffar" in page_text(client.get(URL, {"q": "utkastord"}))
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    assert "Inga träffar" in page_text(client.get(URL, {"q": "utkastord"}))


def test_a_correction_replaces_the_text_that_is_found(client, cast, draft):
    write(draft, 4, "<p>Felstavat namn Anderson.</p>")
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.chair, reason="Namn.")
    write(correction, 4, "<p>Rättat namn Andersson.</p>")
    submit_and_approve(correction, cast)
    assert "Inga träffar" in page_text(client.get(URL, {"q": "felstavat"}))
    assert "1 träff" in page_text(client.get(URL, {"q": "rättat"}))


def test_a_withdrawn_publication_is_not_found(client, cast, draft):
    write(draft, 4, "<p>Personnummer som publicerades av misstag.</p>")
    revision = submit_and_approve(draft, cast)
    assert "1 träff" in page_text(client.get(URL, {"q": "personnummer"}))
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Personuppgifter.")
    assert "Inga träffar" in page_text(client.get(URL, {"q": "personnummer"}))


def test_search_within_one_council(client, cast, draft):
    write(draft, 4, "<p>Cykelstölder ökar.</p>")
    submit_and_approve(draft, cast)
    other = factories.council(cast.council.municipality, "Kommunstyrelsen", slug="ks")
    meeting = factories.meeting(other, datetime.date(2025, 3, 1))
    approved_elsewhere(meeting, "Stölder", "<p>Cykelstölder vid stationen.</p>")
    assert "2 träffar" in page_text(client.get(URL, {"q": "cykelstölder"}))
    only = client.get(URL, {"q": "cykelstölder", "kommun": "arboga", "rad": "forebyggande-radet"})
    assert "1 träff" in page_text(only)
    assert "Bara i Förebyggande rådet" in page_text(only)
    # an unknown council searches everywhere rather than failing
    assert "2 träffar" in page_text(
        client.get(URL, {"q": "cykelstölder", "kommun": "x", "rad": "y"})
    )


def test_what_is_typed_is_escaped_and_odd_input_gets_a_message(client, cast, draft):
    write(draft, 4, "<p>Villkoret a &lt; b &amp; c kallas olikhet.</p>")
    submit_and_approve(draft, cast)
    response = client.get(URL, {"q": "olikhet <script>"})
    main = response.content.decode().split("<main")[1]
    assert "<script>" not in main and "&lt;script&gt;" in main  # what was typed, escaped
    response = client.get(URL, {"q": "olikhet"})
    main = response.content.decode().split("<main")[1]
    assert "a &lt; b &amp; c" in main and "<mark>olikhet</mark>" in main
    for query in ("", "   ", "!!! ---", "\x00", "a" * 5000, "&|!:*()'"):
        response = client.get(URL, {"q": query, "sida": "x"})
        assert response.status_code == 200
    assert "Skriv minst ett ord" in page_text(client.get(URL, {"q": "!!! ---"}))


def test_hits_come_a_page_at_a_time(client, cast, draft, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 3)
    write(draft, 4, "<p>Gemensamt ord.</p>")
    submit_and_approve(draft, cast)
    for n in range(4):
        meeting = factories.meeting(cast.council, datetime.date(2021, 1, 1) + datetime.timedelta(n))
        approved_elsewhere(meeting, f"Ärende {n}", "<p>Gemensamt ord igen.</p>")
    first = page_text(client.get(URL, {"q": "gemensamt"}))
    assert "5 träffar" in first and "Sida 1 av 2" in first
    assert first.index("24 februari 2025") < first.index("4 januari 2021")  # newest first
    second = page_text(client.get(URL, {"q": "gemensamt", "sida": "2"}))
    assert "Sida 2 av 2" in second and second.count("Gemensamt ord igen") == 2
    assert "1 januari 2021" in second
    beyond = page_text(client.get(URL, {"q": "gemensamt", "sida": "99999"}))
    assert beyond.count("Gemensamt ord") == 0 and "5 träffar" in beyond


def test_the_search_page_runs_a_fixed_number_of_queries(client, cast, draft, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(search, "PAGE_SIZE", 3)
    query = {"q": "räkneord", "kommun": "arboga", "rad": "forebyggande-radet"}
    write(draft, 4, "<p>Räkneord.</p>")
    submit_and_approve(draft, cast)

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, query)
        # the savepoints are the test's transaction around PostgreSQL's SET LOCAL; in production
        # the search runs in a transaction of its own
        return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]

    statements()  # PostgreSQL: the lexeme statistics are read once every ten minutes
    few = statements()
    for n in range(6):
        meeting = factories.meeting(cast.council, datetime.date(2020, 1, 1) + datetime.timedelta(n))
        approved_elsewhere(meeting, "Räkneord", "<p>Räkneord.</p>")
    many = statements()
    # SQLite: the council, the hits, the count once a page is full; PostgreSQL: the council, the
    # stems of the words, the page's ids, its rows
    assert len(few) <= 4 and len(many) <= 4
    if connection.vendor == "postgresql":
        assert len(few) == len(many) == 4
    assert "7 träffar" in page_text(client.get(URL, query))


def test_rebuilding_the_index_gives_the_same_rows(cast, draft):
    write(draft, 4, "<p>Index.</p>")
    submit_and_approve(draft, cast)
    before = sorted(SearchEntry.objects.values_list("meeting_id", "position", "title", "text"))
    call_command("rebuild_search_index", stdout=__import__("io").StringIO())
    after = sorted(SearchEntry.objects.values_list("meeting_id", "position", "title", "text"))
    assert before == after and len(before) == 4


def test_query_words_drop_operators_and_duplicates():
    assert search.query_words("Brott & brott | !ungdom:* 'x'") == ["brott", "ungdom", "x"]
    assert search.query_words("snake_case") == ["snake", "case"]
    assert len(search.query_words(" ".join(f"ord{n}" for n in range(20)))) == search.MAX_WORDS


@pytest.mark.postgres
def test_postgres_stems_swedish_words(client, cast, draft):
    write(draft, 4, "<p>Ungdomar i centrum och nya brottsförebyggande insatser.</p>")
    submit_and_approve(draft, cast)
    html = client.get(URL, {"q": "ungdomarna"}).content.decode()
    assert "<mark>Ungdomar</mark>" in html
    assert "1 träff" in page_text(client.get(URL, {"q": "insatsen brottsförebyggande"}))


@pytest.mark.postgres
def test_postgres_uses_the_gin_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'searchentry_document_gin'"
        )
        assert "gin (document)" in cursor.fetchone()[0]


@pytest.mark.postgres
def test_postgres_gives_the_same_hits_whichever_way_it_reads_them(client, cast, draft, monkeypatch):
    write(draft, 4, "<p>Vanligt ord.</p>")
    submit_and_approve(draft, cast)
    for n in range(4):
        meeting = factories.meeting(cast.council, datetime.date(2021, 1, 1) + datetime.timedelta(n))
        approved_elsewhere(meeting, f"Ärende {n}", "<p>Vanligt ord igen.</p>")
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "is_dense", lambda *args: False)
    sparse = [search.search("vanligt", page=n) for n in (1, 2, 3)]
    monkeypatch.setattr(search, "is_dense", lambda *args: True)
    dense = [search.search("vanligt", page=n) for n in (1, 2, 3)]
    assert [r.total for r in sparse] == [5, 5, 5] and [r.total for r in dense] == [None] * 3
    assert [r.has_next for r in sparse] == [r.has_next for r in dense] == [True, True, False]
    assert [[h.url for h in r.hits] for r in sparse] == [[h.url for h in r.hits] for r in dense]
    dates = [h.meeting_date for r in dense for h in r.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    page = page_text(client.get(URL, {"q": "vanligt"}))
    assert "Många träffar – de nyaste först" in page and "Sida 1" in page and "Nästa" in page


def test_a_query_is_dense_when_every_prefix_covers_enough_rows():
    lexemes, frequencies = (
        ("trygg", "trygghetsvandring", "klott", "budget"),
        (0.3, 0.05, 0.02, 0.001),
    )
    assert search.is_dense(["trygg"], lexemes, frequencies)
    assert search.is_dense(["tryg", "klott"], lexemes, frequencies)
    assert not search.is_dense(["trygg", "budget"], lexemes, frequencies)
    assert not search.is_dense(["personnumm"], lexemes, frequencies)
    assert not search.is_dense([], lexemes, frequencies)
    assert not search.is_dense(["trygg"], (), ())  # no statistics yet: read through the index


@pytest.mark.postgres
def test_postgres_reads_a_common_word_beside_a_rare_one_through_the_rare_one(
    client, cast, draft, monkeypatch
):
    write(draft, 4, "<p>Belysningen i cykeltunneln vid stationen.</p>")
    write(draft, 2, "<p>Belysningen på torget.</p>")
    submit_and_approve(draft, cast)
    # "belysning" counts as common, "cykeltunnel" as rare
    monkeypatch.setitem(search._stats, "read", float("inf"))
    monkeypatch.setitem(search._stats, "lexemes", ("belysning",))
    monkeypatch.setitem(search._stats, "frequencies", (0.5,))
    both = search.search("belysningen cykeltunneln")
    assert both.total == 1 and both.hits[0].url.endswith("#punkt-4")
    assert search.search("belysningen").total is None  # common alone: newest first, uncounted
    assert search.search("belysningen torget").total == 1
    assert search.search("och").total == 0


@pytest.mark.postgres
def test_the_plan_steering_ends_with_the_search_even_inside_a_longer_transaction(client):
    from django.db import connection

    from minutes.search import search

    search("trygghet")  # inside the test's transaction
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
