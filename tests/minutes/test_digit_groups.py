"""A number's digit groups stay on one line ("8 000 kronor" never breaks after the "8"), in the
PDF and on the pages, while the stored text keeps its ordinary spaces."""

import itertools
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from minutes.models import AgendaItem
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.minutes.drafting_fixtures import write_item as write
from tests.pages import page_text

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
SLUGS = ["arboga", "forebyggande-radet"]
# "8 000 kronor" after words of every length: wherever the lines end, some "8" ends up last on a
# line unless the groups are held together
BODY = "<p>" + " ".join(f"{'å' * n} 8 000 kronor," for n in range(1, 60)) + " slut.</p>"


def broken_groups(pdf: bytes) -> list[tuple[str, str]]:
    """Consecutive lines where a number's first group ends one and "000" starts the next."""
    found = []
    for page in pdftext.raw_lines(pdf):
        for line, following in itertools.pairwise(page):
            if re.search(r"(?:^|\s)\d{1,3}$", line) and re.match(r"\d{3}(?!\d)", following):
                found.append((line[-20:], following[:20]))
    return found


def test_digit_groups_stay_together_in_the_pdf_and_the_page(client, cast, draft):
    write(draft, 2, BODY)
    revision = submit_and_approve(draft, cast)
    item = AgendaItem.objects.get(minutes=draft, position=2)
    assert "8 000 kronor" in item.body and NBSP not in item.body  # stored as written
    assert "8 000 kronor" in str(revision.snapshot) and NBSP not in str(revision.snapshot)

    pdf = default_storage.open(revision.pdf_name).read()
    assert broken_groups(pdf) == []
    text = " ".join(" ".join(page) for page in pdftext.raw_lines(pdf))
    assert text.count("kronor") == 59

    page = client.get(f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/")
    html = page.content.decode()
    assert html.count(f"8{NBSP}000 kronor") == 59 and "8 000 kronor" not in html
    # the search reads the stored text and still finds and marks the words around the number
    found = client.get("/sok/", {"q": "kronor"})
    assert "1 träff" in page_text(found) and "<mark>kronor</mark>" in found.content.decode()


def test_the_decision_keeps_its_groups_together_on_the_chairs_review_page(client, cast, draft):
    from minutes import services

    item = draft.items.get(position=2)
    services.item_save(
        item=item,
        version=item.version,
        title=item.title,
        body="<p>Budget 12 500 kronor.</p>",
        decision="Rådet beviljar 3 000 kronor.",
        is_public=True,
        confidentiality_ground="",
        sections=[],
        actor=None,
    )
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    client.force_login(cast.chair)
    review = client.get(reverse("drafting:review", args=[*SLUGS, draft.meeting_id]))
    assert review.status_code == 200
    html = review.content.decode()
    assert f"12{NBSP}500 kronor" in html and f"3{NBSP}000 kronor" in html


# "Budget 8 000 kr" in headings: item and section titles wrap as the text does
TITLE = "Budget 8 000 kr: " + " ".join(f"{'å' * n} 8 000 kr" for n in range(1, 14))


def test_digit_groups_stay_together_in_item_and_section_titles(client, cast, draft):
    from minutes import services
    from minutes.pdf import build_html
    from minutes.snapshot import MinutesSnapshot

    item = draft.items.get(position=2)
    services.item_save(
        item=item,
        version=item.version,
        title=TITLE,
        body="<p>Text.</p>",
        decision="",
        is_public=True,
        confidentiality_ground="",
        sections=[services.SectionInput(heading="Bidrag 12 500 kr", body="<p>Mer.</p>")],
        actor=None,
    )
    revision = submit_and_approve(draft, cast)
    assert AgendaItem.objects.get(pk=item.pk).title == TITLE  # stored as written

    html = build_html(MinutesSnapshot.from_dict(revision.snapshot))
    assert f"Budget 8{NBSP}000 kr" in html and f"Bidrag 12{NBSP}500 kr" in html
    assert "8 000 kr" not in html and "12 500 kr" not in html
    pdf = default_storage.open(revision.pdf_name).read()
    assert broken_groups(pdf) == []

    page = client.get(f"/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/")
    text = page.content.decode()
    assert text.count(f"8{NBSP}000 kr") == 14 and "8 000 kr" not in text
    assert f"Bidrag 12{NBSP}500 kr" in text


def test_a_search_excerpt_keeps_groups_together_across_its_highlights(client, cast, draft):
    """The hits are marked before they become <mark> tags: "8 <mark>000</mark>" stays on one
    line as "8 000" does, and so does a marked title."""
    write(draft, 2, "<p>Rådet beviljar 8 000 kronor till nattvandring.</p>", title=TITLE[:15])
    submit_and_approve(draft, cast)
    html = client.get("/sok/", {"q": "000"}).content.decode()
    assert f"8{NBSP}<mark>000</mark> kronor" in html
    html = client.get("/sok/", {"q": "budget"}).content.decode()
    assert f"<mark>Budget</mark> 8{NBSP}000 kr" in html
    assert "8 000" not in html
