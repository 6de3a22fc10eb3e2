from core.sanitize import sanitize_html


def test_formatting_a_secretary_uses_is_kept():
    html = "<p>Text med <strong>fet</strong> och <em>kursiv</em>.</p><ul><li>punkt</li></ul><h3>Rubrik</h3>"
    assert sanitize_html(html) == html


def test_scripts_styles_and_event_handlers_are_removed():
    dirty = '<p onclick="alert(1)">Hej<script>alert(2)</script><style>p{}</style></p><img src=x onerror=alert(3)>'
    assert sanitize_html(dirty) == "<p>Hej</p>"


def test_javascript_links_lose_their_target_and_others_get_rel():
    assert sanitize_html('<p><a href="javascript:alert(1)">x</a></p>') == (
        '<p><a rel="noopener noreferrer">x</a></p>'
    )
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
