"""The benchmark data: shaped like real data, and consistent with what the services derive."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from minutes import search
from minutes.models import ApprovedRevision, Meeting, SearchEntry
from minutes.snapshot import MinutesSnapshot
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("seed_bench", "--meetings", "45", "--councils", "12", stdout=out)
    return out.getvalue()


def test_seed_bench_inserts_the_meetings_it_reports(seeded):
    assert "2 kommuner, 12 råd, 45 godkända möten" in seeded
    assert ApprovedRevision.objects.count() == 45
    assert Meeting.objects.filter(minutes__isnull=True).count() == 24  # two coming per council
    past = Meeting.objects.filter(minutes__isnull=False)
    assert all(m.date.weekday() < 5 for m in past)
    assert past.values("date").distinct().count() > 20  # councils meet on different days
    assert len({r.pdf_sha256 for r in ApprovedRevision.objects.all()}) <= 3  # shared PDFs
    for revision in ApprovedRevision.objects.all()[:5]:
        assert default_storage.open(revision.pdf_name).read().startswith(b"%PDF-")
        MinutesSnapshot.from_dict(revision.snapshot)


def test_its_search_rows_are_what_the_indexer_would_make(seeded):
    for revision in ApprovedRevision.objects.select_related("minutes__meeting"):
        meeting = revision.minutes.meeting
        made = search.entries_for(
            revision, council_id=meeting.council_id, meeting_id=meeting.pk, date=meeting.date
        )
        fields = ("position", "number", "title", "text", "folded", "meeting_date", "council_id")
        stored = SearchEntry.objects.filter(revision=revision).order_by("position")
        assert [tuple(getattr(e, f) for f in fields) for e in made] == [
            tuple(getattr(e, f) for f in fields) for e in stored
        ]


def test_its_pages_and_search_work(client, seeded):
    meeting = Meeting.objects.filter(minutes__isnull=False).select_related("council__municipality")[
        0
    ]
    council = meeting.council
    base = f"/{council.municipality.slug}/{council.slug}/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{meeting.date:%Y-%m-%d}/")
    assert page.status_code == 200 and "Sessionssalen" in page_text(page)
    download = client.get(
        f"{base}{meeting.date:%Y-%m-%d}/"
        f"{council.municipality.slug}-{council.slug}-{meeting.date:%Y-%m-%d}.pdf",
        follow=True,
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "träff" in page_text(client.get("/sok/", {"q": "trygghet"}))


def test_seed_bench_refuses_nonsense():
    with pytest.raises(CommandError):
        call_command("seed_bench", "--meetings", "0", stdout=StringIO())
