"""Whatever the editor endpoint is sent, the page and the PDF get sanitized HTML."""

import json

import pytest
from django.urls import reverse

from minutes.pdf import build_html, render_minutes_pdf
from minutes.snapshot import build_snapshot
from tests.minutes import pdftext

pytestmark = pytest.mark.django_db

CORPUS = [
    "<p>Vanlig text <strong>fet</strong> <em>kursiv</em></p>",
    "<script>alert('xss')</script>",
    "<p onclick=\"alert('xss')\">Klicka</p>",
    "<img src=x onerror=\"alert('xss')\">",
    "<a href=\"javascript:alert('xss')\">länk</a>",
    '<a href="JaVaScRiPt:alert(1)">länk2</a>',
    '<p style="background:url(javascript:alert(1))">stil</p>',
    "<style>body{display:none}</style>",
    '<img src="file:///etc/passwd">',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<link rel="attachment" href="file:///etc/passwd">',
    '"><script>alert(document.cookie)</script>',
    # Last: an unclosed <style> swallows what follows, as a browser's parser would.
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onload",
    "javascript:",
    "<style",
    "<iframe",
    "<svg",
    "<img",
    "<object",
    "<link",
    "file:",
]


def test_every_hostile_input_is_sanitized_in_the_page_and_the_pdf(client, cast, draft):
    item = draft.items.get(position=4)
    client.force_login(cast.secretary)
    body = "".join(CORPUS)
    url = reverse(
        "drafting:item_autosave", args=["arboga", "forebyggande-radet", draft.meeting.pk, item.pk]
    )
    payload = {
        "version": 1,
        "title": "Övriga <b>frågor</b>",
        "body": body,
        "decision": "",
        "is_public": True,
        "confidentiality_ground": "",
        "sections": [{"heading": "<script>x</script>ABO", "body": body}],
    }
    assert client.post(url, json.dumps(payload), content_type="application/json").status_code == 200
    item.refresh_from_db()
    for stored in (item.body, item.sections.get().body):
        for bad in FORBIDDEN:
            assert bad not in stored.lower(), (bad, stored)
        assert "<strong>fet</strong> <em>kursiv</em>" in stored

    page = client.get(
        reverse("drafting:meeting", args=["arboga", "forebyggande-radet", draft.meeting.pk])
    )
    html = page.content.decode()
    main = html[html.index('<article class="minutes-doc"') : html.index("</article>")]
    for bad in FORBIDDEN:
        assert bad not in main.lower(), bad
    assert "Övriga &lt;b&gt;frågor&lt;/b&gt;" in main  # titles are text, escaped
    assert "&lt;script&gt;x&lt;/script&gt;ABO" in main

    snapshot = build_snapshot(draft)
    document = build_html(snapshot, draft=True)
    body_part = document[document.index("<body") :]
    for bad in FORBIDDEN:
        assert bad not in body_part.lower(), bad
    text = " ".join(
        " ".join(page) for page in pdftext.raw_lines(render_minutes_pdf(snapshot, draft=True))
    )
    assert "alert" not in text and "Vanlig text fet kursiv" in text
