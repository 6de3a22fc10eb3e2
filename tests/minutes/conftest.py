import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplans import services as plan_services
from councils.models import Membership
from minutes import services
from tests import factories
from tests.minutes.drafting_fixtures import standing_agenda, submit_and_approve

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0c5fa8de9f2c9a36.txt"
OWN = Path(__file__).resolve().parent / "fixtures" / "legacy_minutes.txt"


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed minutes are not at {SEED} (CI has ../shared beside the checkout)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def own_text() -> str:
    return OWN.read_text(encoding="utf-8")


@pytest.fixture
def draft(cast):
    """Draft minutes of Förebyggande rådet made by the service from a standing agenda; the
    council had a meeting on 26 November 2024."""
    standing_agenda(cast.council)
    factories.membership(
        factories.person("Rita Representant"),
        cast.council,
        Membership.Role.REPRESENTATIVE,
        title="Kommunpolis",
    )
    factories.meeting(cast.council, datetime.date(2024, 11, 26))
    meeting = services.meeting_create(
        council=cast.council,
        date=datetime.date(2025, 2, 24),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        place="Kommunstyrelsesalen",
        actor=cast.secretary,
    )
    return meeting.minutes.get()


@pytest.fixture
def archive(cast, draft):
    """Approved minutes with a public and an internal document (so an internal PDF too), and an
    annual report adopted by them."""
    item = draft.items.get(position=2)
    services.document_add(
        item=item, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n"), title="Offentlig",
        is_public=True, actor=None,
    )  # fmt: skip
    services.document_add(
        item=item, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%b\n%%EOF\n"), title="Intern",
        is_public=False, actor=None,
    )  # fmt: skip
    report = plan_services.report_create(council=cast.council, year=2024, actor=None)
    plan_services.link_report(item=draft.items.get(position=4), report=report, actor=None)
    revision = submit_and_approve(draft, cast)
    report.refresh_from_db()
    return revision, report


@pytest.fixture
def emails(cast):
    """The secretary, the chair and the member have e-mail addresses (notices reach them)."""
    for user in (cast.secretary, cast.chair, cast.member):
        person = user.person
        person.email = f"{user.username}@example.org"
        person.save()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
