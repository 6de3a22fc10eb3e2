import pytest

from core.sanitize import allow_list, normalize_link, sanitize_html


def test_formatting_a_secretary_uses_is_kept():
    html = "<p>Text med <strong>fet</strong> och <em>kursiv</em>.</p><ul><li>punkt</li></ul><h3>Rubrik</h3>"
    assert sanitize_html(html) == html


def test_scripts_styles_and_event_handlers_are_removed():
    dirty = '<p onclick="alert(1)">Hej<script>alert(2)</script><style>p{}</style></p><img src=x onerror=alert(3)>'
    assert sanitize_html(dirty) == "<p>Hej</p>"


def test_javascript_links_lose_their_target_and_others_get_rel():
    assert sanitize_html('<p><a href="javascript:alert(1)">x</a></p>') == "<p>x</p>"
    assert sanitize_html('<p><a href="https://arboga.se">x</a></p>') == (
        '<p><a href="https://arboga.se" rel="noopener noreferrer">x</a></p>'
    )


def test_what_the_browser_editor_produces_is_brought_to_one_shape():
    edited = "Läget. <i>Trygg handel</i>&nbsp;fortsätter.<p></p><ul><li>Ett</li></ul><p><br></p><b>Fet</b>"
    assert sanitize_html(edited) == (
        "<p>Läget. <em>Trygg handel</em> fortsätter.</p><ul><li>Ett</li></ul>"
        "<p><strong>Fet</strong></p>"
    )


def test_empty_input_gives_empty_output():
    assert sanitize_html("") == ""
    assert sanitize_html(None) == ""


def test_an_address_without_a_scheme_is_kept_as_the_editor_makes_it():
    assert sanitize_html('<p><a href="www.polisen.se">Polisen</a></p>') == (
        '<p><a href="https://www.polisen.se" rel="noopener noreferrer">Polisen</a></p>'
    )
    assert sanitize_html('<p><a href="namn@arboga.se">mejla</a></p>') == (
        '<p><a href="mailto:namn@arboga.se" rel="noopener noreferrer">mejla</a></p>'
    )


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("www.polisen.se", "https://www.polisen.se"),
        ("  polisen.se/arboga?x=1 ", "https://polisen.se/arboga?x=1"),
        ("https://arboga.se/", "https://arboga.se/"),
        ("HTTP://ARBOGA.SE", "HTTP://ARBOGA.SE"),
        ("mailto:namn@arboga.se", "mailto:namn@arboga.se"),
        ("namn@arboga.se", "mailto:namn@arboga.se"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("/arbete/", None),
        ("Polisen", None),
        ("www.polisen .se", None),
        ("", None),
    ],
)
def test_link_addresses_are_normalized_or_refused(typed, link):
    assert normalize_link(typed) == link


def test_anchors_without_an_address_keep_only_their_text():
    pasted = '<p><a name="_Toc1">Rubrik</a> och <a href="ftp://x">mer</a><a id="b"></a></p>'
    assert sanitize_html(pasted) == "<p>Rubrik och mer</p>"


@pytest.mark.parametrize(
    "pasted",
    [
        '<p><a title="a href=b">t</a></p>',  # "href" in another attribute's value
        '<p><a title=" href=" >t</a></p>',
        '<p><a title="x&quot; href=&quot;https://a.se">t</a></p>',
        '<p><a title="x>y href=z">t</a></p>',
        '<p><A TITLE="HREF=https://a.se">t</A></p>',  # uppercase
        '<p><a href="   " title="tom">t</a></p>',  # an address of whitespace only
        '<p><a title="x" href="javascript:alert(1)">t</a></p>',
        '<p><a data-href="https://a.se" xhref="https://a.se">t</a></p>',
    ],
)
def test_an_anchor_is_kept_only_for_an_address_of_its_own(pasted):
    assert sanitize_html(pasted) == "<p>t</p>"


@pytest.mark.parametrize(
    "pasted",
    [
        '<p><A HREF="https://a.se" TITLE="b">t</A></p>',
        '<p><a href = " https://a.se " title="b">t</a></p>',  # whitespace around the address
        '<p><a title="b" HREF="https://a.se">t</a></p>',
    ],
)
def test_an_anchor_with_an_address_is_kept_whatever_its_spelling(pasted):
    cleaned = sanitize_html(pasted)
    assert cleaned.startswith("<p><a ") and cleaned.endswith(">t</a></p>")
    assert ' href="https://a.se"' in cleaned and ' title="b"' in cleaned


def test_empty_paragraphs_anchors_and_lists_are_dropped():
    pasted = (
        "<p> </p><p><strong>&nbsp;</strong></p><p>Text</p><p><a href='https://a.se'> </a></p>"
        "<h3><em></em></h3><ul><li> </li></ul><p><br><br></p>"
    )
    assert sanitize_html(pasted) == "<p>Text</p>"


def test_the_editor_gets_the_same_allow_list_as_json():
    rules = allow_list()
    assert "strong" in rules["tags"] and "img" not in rules["tags"]
    assert rules["attributes"]["a"] == ["href", "title"]
    assert set(rules["links"]) == {"web", "mail", "email", "host"}
