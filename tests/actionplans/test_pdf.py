"""The plan and report PDFs pass the minutes' checks: PDF/A-2a, tagged, Swedish, own fonts
only, the same bytes every time; and their text holds every goal and activity."""

import datetime
import io
import subprocess

import pikepdf
import pytest

from actionplans import selectors, services
from actionplans.models import Activity, Goal
from actionplans.pdf import plan_html, plan_pdf, report_html, report_pdf
from minutes import pdf as minutes_pdf
from tests.actionplans.helpers import adopt, follow_up, plan_with_goals
from tests.minutes import pdftext

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    plan = plan_with_goals(
        cast.council,
        goals=("Stödja ANDTS-arbetet", "Samverka för ökad trygghet", "Främja fysisk aktivitet"),
    )
    plan.introduction = "Planen anger årets prioriteringar."
    plan.situation_picture = "Otryggheten är störst kring stationen."
    plan.save()
    third = plan.goals.get(position=3)
    services.activity_create(
        goal=third, actor=None, title="Lovaktiviteter med föreningslivet", status="planned",
        responsible="Fritids- och kulturförvaltningen", indicator="Aktiviteter varje lov.",
    )  # fmt: skip
    return plan


def _info(pdf: bytes, *args: str) -> str:
    return subprocess.run(
        ["pdfinfo", *args, "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _check_archival(pdf: bytes, title: str) -> None:
    assert "Tagged:          yes" in _info(pdf)
    assert f"Title:           {title}" in _info(pdf)
    _check_title(pdf, title)
    assert pdftext.untagged_content(pdf) == []  # header and page number: artifacts
    assert "Author:          Förebyggande rådet, Arboga kommun" in _info(pdf)
    meta = _info(pdf, "-meta")
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="A"' in meta
    assert pdftext.catalog(pdf)["/Lang"] == "sv-SE"
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for row in [line.split() for line in fonts.splitlines()[2:]]:
        assert "+Liberation-" in row[0] and row[-5:-2] == ["yes", "yes", "yes"], row


def _check_title(pdf: bytes, title: str) -> None:
    """The title bar (document info, shown by DisplayDocTitle) and the XMP both carry the
    title with the council set apart, not run together with it."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.docinfo["/Title"]) == title
        with document.open_metadata() as xmp:
            assert xmp["dc:title"] == title


def _same_bytes_in_a_fresh_renderer(html: str, pdf: bytes) -> None:
    fresh = minutes_pdf.Renderer()
    try:
        assert fresh.render_html(html).pdf == pdf
    finally:
        fresh.close()


def test_the_plan_pdf_is_archival_tagged_deterministic_and_complete(cast, plan):
    adopt(plan, cast)
    follow_up(plan, cast, datetime.date(2020, 5, 12), [("Trygg handel", "done", "Tolv butiker.")])
    plan.refresh_from_db()
    pdf = plan_pdf(plan)
    _check_archival(pdf, "Handlingsplan 2020 – Förebyggande rådet, Arboga kommun")
    tags = pdftext.structure(pdf)
    assert tags["H1"] == 1 and tags["H2"] == 3 and tags["H3"] == 3  # texts; goals
    assert plan_pdf(plan) == pdf
    text = " ".join(" ".join(page) for page in pdftext.raw_lines(pdf))
    for title in Goal.objects.filter(plan=plan).values_list("title", flat=True):
        assert title in text
    for title in Activity.objects.filter(goal__plan=plan).values_list("title", flat=True):
        assert title in text
    assert "Antagen av Förebyggande rådet den 24 februari 2020 (punkt" in text
    assert "Uppföljning 12 maj 2020: Tolv butiker. – genomförd." in text
    assert "Ansvarig: Fritids- och kulturförvaltningen." in text


def test_the_plan_pdf_renders_the_same_in_another_process(cast, plan):
    adopt(plan, cast)
    _same_bytes_in_a_fresh_renderer(plan_html(plan), plan_pdf(plan))


def test_the_report_pdf_is_archival_tagged_deterministic_and_complete(cast, plan):
    adopt(plan, cast)
    report = services.report_create(council=cast.council, year=2020, actor=None)
    report.introduction = "Ett år av samverkan."
    pdf = report_pdf(report, adopted_on=datetime.date(2021, 2, 22), draft=False)
    _check_archival(pdf, "Verksamhetsberättelse 2020 – Förebyggande rådet, Arboga kommun")
    tags = pdftext.structure(pdf)
    assert tags["H1"] == 1 and tags["H2"] == 2 and tags["H3"] == 3  # meetings, plan; goals
    assert report_pdf(report, adopted_on=datetime.date(2021, 2, 22), draft=False) == pdf
    html = report_html(report, adopted_on=datetime.date(2021, 2, 22), draft=False)
    _same_bytes_in_a_fresh_renderer(html, pdf)
    text = " ".join(" ".join(page) for page in pdftext.raw_lines(pdf))
    for title in Goal.objects.filter(plan=plan).values_list("title", flat=True):
        assert title in text
    for title in Activity.objects.filter(goal__plan=plan).values_list("title", flat=True):
        assert title in text
    assert "Ett år av samverkan." in text and "UTKAST" not in text
    draft = report_pdf(report, adopted_on=None, draft=True)
    assert "UTKAST" in " ".join(" ".join(page) for page in pdftext.raw_lines(draft))


def test_file_names_are_readable(cast):
    assert (
        selectors.file_name(cast.council, "handlingsplan", 2020)
        == "arboga-forebyggande-radet-handlingsplan-2020.pdf"
    )
    assert (
        selectors.file_name(cast.council, "verksamhetsberattelse", 2020)
        == "arboga-forebyggande-radet-verksamhetsberattelse-2020.pdf"
    )


def test_the_plan_pdf_is_rendered_once_per_content(cast, plan, monkeypatch):
    renders = []
    renderer = minutes_pdf.get_renderer()
    original = renderer.render_html

    def counting(html, **kwargs):
        renders.append(html)
        return original(html, **kwargs)

    monkeypatch.setattr(renderer, "render_html", counting)
    first = plan_pdf(plan)
    assert plan_pdf(plan) == first and len(renders) == 1
    services.goal_create(plan=plan, title="Ett fjärde mål", description="", actor=None)
    plan.refresh_from_db()
    assert plan_pdf(plan) != first and len(renders) == 2


def test_a_plan_pdf_made_by_an_older_renderer_is_not_served(cast, plan, monkeypatch):
    """The cache's key carries minutes.pdf.RENDERER_VERSION: after the renderer changes, the
    same HTML is rendered again rather than served as the old renderer made it."""
    from actionplans import pdf as plan_pdf_module

    first = plan_pdf(plan)
    renders = []
    renderer = minutes_pdf.get_renderer()
    original = renderer.render_html

    def counting(html, **kwargs):
        renders.append(html)
        return original(html, **kwargs)

    monkeypatch.setattr(renderer, "render_html", counting)
    assert plan_pdf(plan) == first and renders == []
    monkeypatch.setattr(plan_pdf_module, "RENDERER_VERSION", minutes_pdf.RENDERER_VERSION + 1)
    assert plan_pdf(plan) == first and len(renders) == 1


def test_digit_groups_stay_together_in_the_plan_and_report_titles(cast):
    """Plan, goal and activity titles and the report's title are headings: "8 000 kr" is held
    together there as in the text."""
    plan = plan_with_goals(
        cast.council, goals=("Budget 8 000 kr",), activities=(("Insats 2 500 kr", "done"),)
    )
    services.plan_update(
        plan=plan, title="Handlingsplan 1 250 000 kr", introduction="", situation_picture="",
        actor=None,
    )  # fmt: skip
    plan.refresh_from_db()
    html = plan_html(plan)
    nbsp = "\u00a0"
    assert f"<h1>Handlingsplan 1{nbsp}250{nbsp}000 kr<br>" in html
    assert f"<h3>1. Budget 8{nbsp}000 kr</h3>" in html
    assert f"<strong>Insats 2{nbsp}500 kr</strong>" in html
    report = services.report_create(council=cast.council, year=2020, actor=None)
    services.report_update(
        report=report, title="Verksamhetsberättelse 3 000 kr", introduction="", body="",
        actor=None,
    )  # fmt: skip
    report.refresh_from_db()
    html = report_html(report, adopted_on=None, draft=True)
    assert f"<h1>Verksamhetsberättelse 3{nbsp}000 kr<br>" in html
