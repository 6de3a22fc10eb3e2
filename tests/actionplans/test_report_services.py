"""The annual report: assembled from the year's meetings and plan, edited, adopted by a
meeting, and then frozen with its PDF and SHA-256 like approved minutes."""

import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage

from actionplans import selectors, services
from actionplans.models import AnnualReport
from minutes import services as minutes_services
from tests.actionplans.helpers import adopt, follow_up, meeting_draft, new_item, plan_with_goals
from tests.minutes import pdftext

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    """2020: the plan adopted in February, followed up in May and September."""
    plan = plan_with_goals(cast.council)
    adopt(plan, cast)
    follow_up(plan, cast, datetime.date(2020, 5, 12), [("Trygg handel", "done", "Tolv butiker.")])
    follow_up(
        plan, cast, datetime.date(2020, 9, 22), [("Lovaktiviteter", "ongoing", "Sommarlov klart.")]
    )
    return plan


def test_the_report_is_assembled_from_the_meetings_and_the_plan(cast, year):
    report = services.report_create(council=cast.council, year=2020, actor=cast.secretary)
    body = report.body
    assert (
        "Förebyggande rådet har haft 3 möten under 2020: 24 februari, 12 maj, 22 september." in body
    )
    assert "<li>24 februari 2020: 2 ledamöter och 0 representanter deltog.</li>" in body
    assert "Handlingsplanen antogs den 24 februari 2020." in body
    assert "<h4>1. Ökad trygghet</h4>" in body and "<h4>2. Meningsfull fritid</h4>" in body
    assert "<strong>Trygg handel</strong> – genomförd.<br>12 maj 2020: Tolv butiker." in body
    assert "1 av 2 insatser genomförda." in body
    with pytest.raises(services.PlanError, match="redan en verksamhetsberättelse"):
        services.report_create(council=cast.council, year=2020, actor=None)


def test_the_secretary_edits_and_a_meeting_adopts_the_report_which_then_is_frozen(cast, year):
    report = services.report_create(council=cast.council, year=2020, actor=None)
    services.report_update(
        report=report,
        title="Verksamhetsberättelse 2020",
        introduction="Rådet har arbetat med trygghet.",
        body=report.body + "<p>Tack till alla.</p>",
        actor=cast.secretary,
    )
    minutes = meeting_draft(cast, datetime.date(2021, 2, 22))
    item = new_item(minutes, "Verksamhetsberättelse 2020 godkänns och läggs till handlingarna")
    services.link_report(item=item, report=report, actor=cast.secretary)
    minutes_services.minutes_submit(minutes=minutes, actor=cast.secretary)
    with pytest.raises(services.PlanFrozen, match="ligger för godkännande"):
        services.report_update(report=report, title="X", introduction="", body="", actor=None)
    assert selectors.public_reports(cast.council).count() == 0

    minutes_services.minutes_approve(minutes=minutes, actor=cast.chair)
    report.refresh_from_db()
    assert report.is_adopted and report.pdf_size > 0
    stored = default_storage.open(report.pdf_name).read()
    assert hashlib.sha256(stored).hexdigest() == report.pdf_sha256
    assert report.pdf_name.startswith("reports/")
    text = " ".join(" ".join(page) for page in pdftext.raw_lines(stored))
    assert "Godkänd av Förebyggande rådet den 22 februari 2021." in text
    assert "Rådet har arbetat med trygghet." in text and "Tack till alla." in text
    assert selectors.report_adoption(report).meeting == minutes.meeting
    with pytest.raises(services.PlanFrozen, match="antagen"):
        services.report_update(report=report, title="X", introduction="", body="", actor=None)
    with pytest.raises(services.PlanFrozen):
        services.report_reassemble(report=report, actor=None)
    other = new_item(meeting_draft(cast, datetime.date(2021, 5, 1)), "Igen")
    with pytest.raises(services.PlanFrozen, match="redan antagen"):
        services.link_report(item=other, report=report, actor=None)


def test_reassembling_takes_in_what_happened_since(cast):
    plan = plan_with_goals(cast.council)
    report = services.report_create(council=cast.council, year=2020, actor=None)
    assert "ingen antagen handlingsplan" in report.body
    assert "inte haft några möten" in report.body
    adopt(plan, cast)
    services.report_reassemble(report=report, actor=None)
    report.refresh_from_db()
    assert "Handlingsplanen antogs den 24 februari 2020." in report.body


def test_bad_report_input_is_refused(cast):
    report = services.report_create(council=cast.council, year=2020, actor=None)
    with pytest.raises(services.PlanError, match="titel"):
        services.report_update(report=report, title=" ", introduction="", body="", actor=None)
    with pytest.raises(services.PlanError, match="NUL"):
        services.report_update(report=report, title="T", introduction="\x00", body="", actor=None)
    with pytest.raises(services.PlanError, match="fyra siffror"):
        services.report_create(council=cast.council, year=20, actor=None)
    assert AnnualReport.objects.get().title == "Verksamhetsberättelse 2020"
