"""Parsing the legacy text format: structure, name splits, and errors that name the line."""

import pytest

from minutes import legacy


def test_the_own_fixture_parses_into_header_items_sections_and_signatures(own_text):
    parsed = legacy.parse(own_text)
    assert parsed.council == "Trygghetsrådet"
    assert (parsed.place, f"{parsed.start:%H.%M}", f"{parsed.end:%H.%M}") == (
        "Rådssalen",
        "13.00",
        "15.15",
    )
    assert parsed.elected == [
        legacy.ElectedEntry("Birgitta Lind", "S", "chair", ""),
        legacy.ElectedEntry("Örjan Åkesson", "KD", "vice_chair", ""),
        legacy.ElectedEntry("Lena Holm", "L", "member", "Per Ek"),
    ]
    assert parsed.others == "Gunnel Ström, Brottsofferjouren"
    assert [(i.number, i.title) for i in parsed.items] == [
        ("1", "Mötets öppnande"),
        ("2", "Lägesbild hösten 2024"),
        ("3", "Rapporter från verksamheterna"),
        ("4", "Övriga frågor"),
    ]
    assert [s.heading for s in parsed.items[2].sections] == [
        "Räddningstjänsten",
        "Vård- och omsorgsförvaltningen",
    ]
    assert parsed.closing_place == "Kristinehamn" and parsed.date.isoformat() == "2024-12-03"
    assert parsed.signatures == [("Birgitta Lind", "Ordförande"), ("Kajsa Öberg", "Sekreterare")]


def test_a_page_header_inside_an_item_is_skipped_and_bullets_become_a_list(own_text):
    item = legacy.parse(own_text).items[1]
    assert item.body_html() == (
        "<p>Polisen redovisar lägesbilden för hösten. Antalet anmälda inbrott har minskat medan "
        "skadegörelsen i centrum ökar något. Rådet diskuterar åtgärder:</p>"
        "<ul><li>Förbättrad belysning vid resecentrum,</li><li>Fler vuxna ute på kvällar och helger,</li>"
        "<li>Samordnad klotterborttagning inom ett dygn.</li></ul>"
        "<p>Rådet ställer sig bakom åtgärderna.</p>"
    )


def test_asterisks_become_italics_and_markup_in_the_text_is_escaped():
    assert (
        legacy.inline_html("Arbetet med *Trygg handel* <b>")
        == "Arbetet med <em>Trygg handel</em> &lt;b&gt;"
    )


@pytest.mark.parametrize(
    ("entry", "label", "name"),
    [
        ("Kommunpolis Stefan Persson", "Kommunpolis", "Stefan Persson"),
        (
            "Fritids- och kulturförvaltningen Måns von Stedingk",
            "Fritids- och kulturförvaltningen",
            "Måns von Stedingk",
        ),
        ("Polismyndigheten Sofia af Klint", "Polismyndigheten", "Sofia af Klint"),
        ("Rådhuset i Arboga AB Patrik Ahlberg", "Rådhuset i Arboga AB", "Patrik Ahlberg"),
        ("Eva Lagerström", "", "Eva Lagerström"),
    ],
)
def test_representatives_are_split_by_their_final_capitalised_words(entry, label, name):
    assert legacy.split_representative(entry, []) == legacy.RepresentativeEntry(label, name)


def test_a_known_person_wins_over_the_guess():
    entry = "Räddningschef Anna Maria Berg"
    assert legacy.split_representative(entry, []).name == "Maria Berg"
    assert legacy.split_representative(entry, ["Anna Maria Berg"]) == legacy.RepresentativeEntry(
        "Räddningschef", "Anna Maria Berg"
    )


@pytest.mark.parametrize(
    ("label", "organisation"),
    [
        ("Socialförvaltningen", True),
        ("Rådhuset i Arboga AB", True),
        ("Kommunpolis", False),
        ("Säkerhetssamordnare", False),
    ],
)
def test_labels_are_told_apart_as_organisation_or_title(label, organisation):
    assert legacy.looks_like_organisation(label) is organisation


def replace_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("mutate", "line", "message"),
    [
        (lambda t: replace_line(t, 9, "Gäster\tNågon"), 9, "väntade ett huvudfält"),
        (
            lambda t: t.replace("Kristinehamn den 3/12- 2024", "Kristinehamn den 31/2- 2024"),
            44,
            "datum som inte finns",
        ),
        (lambda t: t.replace("Kristinehamn den 3/12- 2024\n", ""), None, "avslutningsraden saknas"),
        (
            lambda t: t.replace("Kajsa Öberg\nSekreterare", "Kajsa Öberg\nKassör"),
            49,
            "underskrifter",
        ),
        (
            lambda t: t.replace("\tRådssalen kl 13.00 – 15.15", "\tRådssalen kl 25.00 – 15.15"),
            7,
            "tiden",
        ),
        (lambda t: "", 1, "filen är tom"),
    ],
)
def test_malformed_input_gets_an_error_that_names_the_line(own_text, mutate, line, message):
    with pytest.raises(legacy.LegacyFormatError) as excinfo:
        legacy.parse(mutate(own_text))
    assert message in str(excinfo.value)
    if line is not None:
        assert excinfo.value.line == line
