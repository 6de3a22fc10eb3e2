"""`manage.py import_minutes`: all or nothing, a dry run that shows the splits, and clear errors."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from councils.models import Council, Membership, Municipality, Person
from minutes.models import AgendaItem, Attendance, Meeting, Minutes
from tests.minutes.conftest import OWN

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_minutes", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            Municipality,
            Council,
            Person,
            Membership,
            Meeting,
            Minutes,
            AgendaItem,
            Attendance,
        )
    )


def test_import_creates_an_approved_historical_record_without_logins():
    out = run(str(OWN), "--council", "trygghetsradet")
    assert "Importerat som möte" in out
    council = Council.objects.get(slug="trygghetsradet")
    assert council.name == "Trygghetsrådet"
    assert (
        council.municipality.name == "Kristinehamn kommun"
        and council.municipality.place_name == "Kristinehamn"
    )
    meeting = council.meetings.get()
    minutes = meeting.minutes.get()
    assert minutes.status == Minutes.Status.APPROVED and minutes.revision == 1
    assert meeting.chaired_by.name == "Birgitta Lind" and meeting.secretary.name == "Kajsa Öberg"
    assert not Person.objects.filter(user__isnull=False).exists()
    assert set(Membership.objects.values_list("end_date", flat=True)) == {meeting.date}
    assert Membership.objects.get(person__name="Sofia af Klint").organisation == "Polismyndigheten"
    assert Membership.objects.get(person__name="Jonas Dahl").title == "Räddningschef"
    substitute = minutes.attendance.get(person__name="Lena Holm")
    assert (
        substitute.status == Attendance.Status.SUBSTITUTE
        and substitute.substitute_for.name == "Per Ek"
    )
    assert minutes.items.get(number="3").sections.count() == 2
    assert AgendaItem.objects.filter(decision="").count() == 4  # decisions stay in the item text
    assert AuditEvent.objects.filter(action="minutes.imported").count() == 1


def test_dry_run_lists_every_split_and_saves_nothing():
    before = counts()
    out = run(str(OWN), "--council", "trygghetsradet", "--dry-run")
    assert "'Räddningschef Jonas Dahl': titel 'Räddningschef', namn 'Jonas Dahl'" in out
    assert (
        "'Polismyndigheten Sofia af Klint': organisation 'Polismyndigheten', namn 'Sofia af Klint'"
        in out
    )
    assert "Provkörning: inget sparades." in out
    assert counts() == before
    assert not AuditEvent.objects.exists()


def test_the_municipality_can_be_named(db):
    muni = Municipality.objects.create(
        name="Karlskoga kommun", slug="karlskoga", place_name="Karlskoga"
    )
    run(str(OWN), "--council", "tr", "--municipality", "karlskoga")
    assert Council.objects.get(slug="tr").municipality == muni


def test_an_unknown_municipality_is_an_error():
    with pytest.raises(CommandError, match="Kommunen ”finns-ej” finns inte"):
        run(str(OWN), "--council", "tr", "--municipality", "finns-ej")
    assert counts() == (0,) * 8


def test_known_people_are_reused_and_their_memberships_too(cast):
    muni = Municipality.objects.create(
        name="Kristinehamn kommun", slug="kristinehamn", place_name="Kristinehamn"
    )
    council = Council.objects.create(
        municipality=muni, name="Trygghetsrådet", slug="trygghetsradet"
    )
    chair = Person.objects.create(name="Birgitta Lind")
    Membership.objects.create(
        person=chair, council=council, role="chair", party="S", start_date="2023-01-01"
    )
    run(str(OWN), "--council", "trygghetsradet")
    assert Person.objects.filter(name="Birgitta Lind").count() == 1
    assert Membership.objects.filter(person=chair).count() == 1


def test_importing_the_same_meeting_twice_is_refused_and_changes_nothing():
    run(str(OWN), "--council", "trygghetsradet")
    before = counts()
    with pytest.raises(CommandError, match="har redan ett möte den 2024-12-03"):
        run(str(OWN), "--council", "trygghetsradet")
    assert counts() == before


def test_malformed_input_names_the_line_and_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(OWN.read_text().replace("Kajsa Öberg\nSekreterare", "Kajsa Öberg\nKassör"))
    with pytest.raises(CommandError, match="rad 49"):
        run(str(bad), "--council", "trygghetsradet")
    assert counts() == (0,) * 8


def test_a_missing_or_non_utf8_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        run(str(tmp_path / "saknas.txt"), "--council", "x")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Rådet".encode("latin-1"))
    with pytest.raises(CommandError, match="inte UTF-8"):
        run(str(latin), "--council", "x")


def test_imported_minutes_are_frozen_like_approved_ones():
    import hashlib

    from django.core.files.storage import default_storage

    from minutes.models import ApprovedRevision

    run(str(OWN), "--council", "trygghetsradet")
    revision = ApprovedRevision.objects.get()
    stored = default_storage.open(revision.pdf_name).read()
    assert hashlib.sha256(stored).hexdigest() == revision.pdf_sha256
    assert revision.approved_at.date().isoformat() == "2024-12-03"
    assert sorted(revision.signatures.values_list("name", "role", "method")) == [
        ("Birgitta Lind", "Ordförande", "paper"),
        ("Kajsa Öberg", "Sekreterare", "paper"),
    ]
    assert (
        not ApprovedRevision.objects.filter(pk=revision.pk)
        .exclude(snapshot__council="Trygghetsrådet")
        .exists()
    )


def signed_later(tmp_path, name: str):
    """The fixture signed on 1 March 2013 (the closing line), saved as ``name``."""
    path = tmp_path / name
    path.write_text(
        OWN.read_text().replace("Kristinehamn den 3/12- 2024", "Kristinehamn den 1/3- 2013")
    )
    return path


def test_the_closing_line_date_is_used_last_and_the_run_says_so(tmp_path):
    path = signed_later(tmp_path, "trygghetsradet.txt")
    note = (
        "Mötesdatum 2013-03-01 taget från avslutningsraden; "
        "ange --date om mötet hölls en annan dag."
    )
    out = run(str(path), "--council", "tr", "--dry-run")
    assert out.count(note) == 1
    out = run(str(path), "--council", "tr")
    assert out.count(note) == 1
    assert Meeting.objects.get().date.isoformat() == "2013-03-01"


def test_a_date_in_the_file_name_is_preferred_to_the_signing_date(tmp_path):
    path = signed_later(tmp_path, "trygghetsradet-2013-02-21.txt")
    note = "Mötesdatum 2013-02-21 taget från filnamnet; ange --date om mötet hölls en annan dag."
    assert note in run(str(path), "--council", "tr", "--dry-run")
    assert not Meeting.objects.exists()
    assert note in run(str(path), "--council", "tr")
    meeting = Meeting.objects.get()
    assert meeting.date.isoformat() == "2013-02-21"
    revision = meeting.minutes.get().approved_revision
    assert revision.approved_at.date().isoformat() == "2013-03-01"  # signed on the closing line
    assert revision.snapshot["meeting_date"] == "2013-02-21"
    # the document's own closing line stays as written: the day it was signed
    assert revision.snapshot["closing_line"] == "Kristinehamn den 1/3- 2013"
    assert set(Membership.objects.values_list("end_date", flat=True)) == {meeting.date}


def test_the_date_option_wins_over_name_and_closing_line(tmp_path):
    path = signed_later(tmp_path, "trygghetsradet-2013-02-21.txt")
    out = run(str(path), "--council", "tr", "--date", "2013-02-20")
    assert "Mötesdatum 2013-02-20 angivet med --date." in out
    assert "taget från" not in out
    assert Meeting.objects.get().date.isoformat() == "2013-02-20"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("21/2 2013", "--date ska skrivas ÅÅÅÅ-MM-DD"),
        ("20130221", "--date ska skrivas ÅÅÅÅ-MM-DD"),
        ("2013-02-30", "det datumet finns inte"),
        ("", "--date ska skrivas ÅÅÅÅ-MM-DD"),
    ],
)
def test_a_bad_date_option_is_a_clear_error(value, message):
    with pytest.raises(CommandError, match=message):
        run(str(OWN), "--council", "tr", "--date", value)
    assert counts() == (0,) * 8


def test_a_meeting_date_in_the_future_is_refused(tmp_path):
    with pytest.raises(CommandError, match="har inte inträffat än"):
        run(str(OWN), "--council", "tr", "--date", "2999-01-01")
    assert counts() == (0,) * 8


def test_an_impossible_date_in_the_name_falls_back_to_the_closing_line(tmp_path):
    path = signed_later(tmp_path, "trygghetsradet-2013-02-30.txt")
    assert "taget från avslutningsraden" in run(str(path), "--council", "tr", "--dry-run")


def legacy_folder(tmp_path, *days: str):
    folder = tmp_path / "arkiv"
    folder.mkdir()
    for day in days:
        (folder / f"protokoll-{day}.txt").write_text(OWN.read_text(encoding="utf-8"), "utf-8")
    return folder


def test_a_folder_is_imported_rendered_ahead_side_by_side_to_the_same_bytes(
    tmp_path, settings, monkeypatch
):
    """Issue 22: many files, their PDFs rendered side by side before each is imported; the
    import finds each PDF ready (one render per document, not two) and stores the bytes the
    document renders to on its own."""
    import hashlib

    from minutes import pdf
    from minutes.models import ApprovedRevision
    from minutes.snapshot import MinutesSnapshot

    folder = legacy_folder(tmp_path, "2019-01-10", "2019-02-14", "2019-03-14")
    renders = []
    real = pdf.Renderer._render_html

    def counting(self, html, **kwargs):
        renders.append(self.pid)
        return real(self, html, **kwargs)

    monkeypatch.setattr(pdf.Renderer, "_render_html", counting)
    out = run(str(folder), "--council", "trygghetsradet", "--jobs", "2")
    assert "3 av 3 filer importerade" in out and "dokument/s, 2 PDF-processer" in out
    assert len(renders) == 3
    council = Council.objects.get(slug="trygghetsradet")
    assert [str(m.date) for m in council.meetings.order_by("date")] == [
        "2019-01-10",
        "2019-02-14",
        "2019-03-14",
    ]
    monkeypatch.setattr(pdf.Renderer, "_render_html", real)
    for revision in ApprovedRevision.objects.all():
        alone = pdf.render_minutes_pdf(MinutesSnapshot.from_dict(revision.snapshot))
        assert hashlib.sha256(alone).hexdigest() == revision.pdf_sha256


def test_a_bad_file_among_many_fails_alone_and_is_named(tmp_path):
    folder = legacy_folder(tmp_path, "2019-01-10", "2019-03-14")
    (folder / "protokoll-2019-02-14.txt").write_bytes(b"\xff\xfe trasig")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 fil kunde inte importeras"):
        call_command(
            "import_minutes",
            str(folder),
            "--council",
            "trygghetsradet",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "protokoll-2019-02-14.txt: Filen" in err.getvalue() and "inte UTF-8" in err.getvalue()
    assert Meeting.objects.count() == 2


def test_several_files_take_their_dates_from_their_names_not_from_date(tmp_path):
    folder = legacy_folder(tmp_path, "2019-01-10")
    with pytest.raises(CommandError, match="flera filer"):
        run(str(folder), str(OWN), "--council", "trygghetsradet", "--date", "2019-01-10")
    empty = tmp_path / "tom"
    empty.mkdir()
    with pytest.raises(CommandError, match=r"har inga \.txt-filer"):
        run(str(empty), "--council", "trygghetsradet")
    assert Meeting.objects.count() == 0
