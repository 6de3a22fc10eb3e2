"""What the approved record says about its meeting (date, times, place, council) is frozen with
it: the admin shows it read-only, the services refuse, and so does the database, whatever
writes. A correction changes it, and the public addresses follow the corrected date."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from minutes import selectors, services
from minutes.models import ItemDocument, Meeting, Minutes
from minutes.snapshot import build_snapshot, changes
from tests import factories
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db

FEB_21 = datetime.date(2025, 2, 21)


def pdf_address(day: datetime.date) -> str:
    d = f"{day:%Y-%m-%d}"
    return f"/arboga/forebyggande-radet/{d}/arboga-forebyggande-radet-{d}.pdf"


def page_address(day: datetime.date) -> str:
    return f"/arboga/forebyggande-radet/{day:%Y-%m-%d}/"


def move(meeting, day=FEB_21, actor=None):
    return services.meeting_update(
        meeting=meeting,
        date=day,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        place=meeting.place,
        actor=actor,
    )


def refused(statement, params=()):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_database_refuses_to_change_an_approved_meeting_by_any_path(cast, draft):
    submit_and_approve(draft, cast)
    meeting = Meeting.objects.get(pk=draft.meeting_id)
    other = cast.other_council
    for column, value in [
        ("date", FEB_21),
        ("start_time", datetime.time(9)),
        ("end_time", None),
        ("place", "Någon annanstans"),
        ("council", other),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(**{column: value})
    meeting.date = FEB_21
    with pytest.raises(DatabaseError), transaction.atomic():
        meeting.save()
    refused("UPDATE minutes_meeting SET date = %s", [FEB_21.isoformat()])
    refused("UPDATE minutes_meeting SET place = 'Köping'")
    # approved minutes stay approved, so nothing unfreezes the meeting but a correction
    with pytest.raises(DatabaseError), transaction.atomic():
        Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.DRAFT)
    refused("UPDATE minutes_minutes SET status = 'draft'")
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2025, 2, 24) and meeting.place == "Kommunstyrelsesalen"
    # what the record does not state may still change
    Meeting.objects.filter(pk=meeting.pk).update(secretary=None)


def test_a_meeting_without_approved_minutes_changes_freely(cast, draft):
    Meeting.objects.filter(pk=draft.meeting_id).update(date=FEB_21, place="Rådhuset")
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    Meeting.objects.filter(pk=draft.meeting_id).update(start_time=datetime.time(9))
    empty = factories.meeting(cast.council, datetime.date(2025, 5, 1))
    Meeting.objects.filter(pk=empty.pk).update(date=datetime.date(2025, 5, 2))


def test_the_service_refuses_an_approved_meeting_with_a_message(cast, draft):
    move(draft.meeting)  # a draft's meeting moves
    assert Meeting.objects.get(pk=draft.meeting_id).date == FEB_21
    submit_and_approve(draft, cast)
    with pytest.raises(services.NotAllowed, match="ändras genom en rättelse"):
        move(draft.meeting, datetime.date(2025, 2, 20))
    assert Meeting.objects.get(pk=draft.meeting_id).date == FEB_21


def test_the_service_checks_its_input(cast, draft):
    with pytest.raises(services.InvalidInput, match="sluta innan"):
        services.meeting_update(
            meeting=draft.meeting,
            date=FEB_21,
            start_time=datetime.time(10),
            end_time=datetime.time(9),
            place="",
            actor=None,
        )


def pdf_words(revision) -> str:
    return " ".join(
        " ".join(page) for page in pdftext.raw_lines(default_storage.open(revision.pdf_name).read())
    )


def test_a_correction_proposes_the_date_and_its_approval_moves_the_meeting(client, cast, draft):
    first = submit_and_approve(draft, cast)
    old = draft.meeting.date
    assert client.get(pdf_address(old)).status_code == 302  # remembered for a minute
    correction = services.correction_start(
        revision=first, actor=cast.secretary, reason="Mötet hölls den 21 februari."
    )
    move(correction.meeting, FEB_21, actor=cast.secretary)

    # the draft states the proposal; the meeting and the public pages keep the record's
    correction.refresh_from_db()
    assert correction.proposed_date == FEB_21
    meeting = Meeting.objects.get(pk=draft.meeting_id)
    assert meeting.date == old
    proposed = build_snapshot(correction)
    assert proposed.meeting_date == "2025-02-21" and proposed.date_in_words == "21 februari 2025"
    said = changes(first.snapshot, proposed.as_dict())
    assert "Ändrat: mötets datum, 21 februari 2025 (tidigare 24 februari 2025)" in said
    page = client.get(page_address(old))
    assert page.status_code == 200 and "24 februari 2025" in page_text(page)
    response = client.get(pdf_address(old))
    assert response.status_code == 302 and first.pdf_sha256 in response["Location"]
    assert client.get(page_address(FEB_21)).status_code == 404
    assert client.get(pdf_address(FEB_21)).status_code == 404

    submit_and_approve(correction, cast)
    moved = Meeting.objects.get(pk=draft.meeting_id)
    assert moved.date == FEB_21 and moved.place == "Kommunstyrelsesalen"
    second = correction.approved_revision
    assert second.snapshot["meeting_date"] == "2025-02-21"
    assert "21 februari 2025" in pdf_words(second) and "24 februari" not in pdf_words(second)
    with pytest.raises(DatabaseError), transaction.atomic():
        Meeting.objects.filter(pk=moved.pk).update(date=old)  # frozen again
    with pytest.raises(services.NotAllowed):
        move(moved, old)

    page = client.get(page_address(FEB_21))
    assert page.status_code == 200
    response = client.get(pdf_address(FEB_21))
    assert response.status_code == 302
    served = client.get(response["Location"])
    assert served.status_code == 200 and served["ETag"] == f'"{second.pdf_sha256}"'
    # the superseded version stays downloadable, from the meeting's page and its own file
    earlier = reverse(
        "minutes:approved_pdf_revision", args=["arboga", "forebyggande-radet", moved.pk, 1]
    )
    file = client.get(client.get(earlier)["Location"])
    assert file.status_code == 200 and file["ETag"] == f'"{first.pdf_sha256}"'


def test_the_old_addresses_of_a_moved_meeting_redirect(client, cast, draft):
    from tests.minutes.services.test_attachments import add

    document = add(draft.items.get(position=2))
    first = submit_and_approve(draft, cast)
    assert (
        client.get(
            f"{page_address(draft.meeting.date)}handlingar/{document.pk}/"
            "verksamhetsberattelse-2019.pdf"
        ).status_code
        == 200
    )
    old = draft.meeting.date
    old_file = client.get(pdf_address(old))["Location"]
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    move(correction.meeting, FEB_21)
    submit_and_approve(correction, cast)

    # temporary redirects (302): a later correction or a new meeting may take the date again
    page = client.get(page_address(old))
    assert page.status_code == 302 and page["Location"] == page_address(FEB_21)
    pdf = client.get(pdf_address(old))
    assert pdf.status_code == 302 and pdf["Location"] == pdf_address(FEB_21)
    # the immutable file of the superseded revision, linked from e-mails, stays
    file = client.get(old_file)
    assert file.status_code == 200 and file["ETag"] == f'"{first.pdf_sha256}"'
    # a document's address under the old date leads to the same address under the new one
    old_document = f"{page_address(old)}handlingar/{document.pk}/verksamhetsberattelse-2019.pdf"
    moved_document = old_document.replace(f"{old:%Y-%m-%d}", f"{FEB_21:%Y-%m-%d}")
    response = client.get(old_document)
    assert response.status_code == 302 and response["Location"] == moved_document
    # a number that is no document of the council's is not found under any date
    missing = document.pk + 1000
    assert client.get(page_address(old) + f"handlingar/{missing}/x.pdf").status_code == 404
    # a date the council never met on is still not found, and so is a wrong file name
    assert client.get(page_address(datetime.date(2025, 2, 23))).status_code == 404
    assert client.get(page_address(old) + "annat-namn.pdf").status_code == 404
    day = datetime.date(2025, 2, 23)
    assert client.get(f"{page_address(day)}handlingar/{document.pk}/a.pdf").status_code == 404
    assert client.get("/arboga/forebyggande-radet/2025-13-45/handlingar/1/a.pdf").status_code == 404


def test_a_correction_without_a_proposal_keeps_the_meeting(cast, draft):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Namn.")
    assert build_snapshot(correction).meeting_date == "2025-02-24"
    submit_and_approve(correction, cast)
    meeting = Meeting.objects.get(pk=draft.meeting_id)
    assert meeting.date == datetime.date(2025, 2, 24) and meeting.place == "Kommunstyrelsesalen"


def test_the_service_refuses_while_a_correction_is_submitted(cast, draft):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    services.minutes_submit(minutes=correction, actor=cast.secretary)
    with pytest.raises(services.NotEditable):
        move(correction.meeting, FEB_21)
    correction.refresh_from_db()
    assert correction.proposed_date is None


def test_a_correction_proposing_a_coming_date_is_not_approved(cast, draft):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    coming = timezone.localdate() + datetime.timedelta(days=3)
    move(correction.meeting, coming)
    with pytest.raises(services.NotAllowed, match="först när mötet har hållits"):
        services.minutes_submit(minutes=correction, actor=cast.secretary)
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)


def admin_form(meeting, **changes) -> dict:
    data = {
        "council": meeting.council_id,
        "date": f"{meeting.date:%Y-%m-%d}",
        "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "place": meeting.place,
        "chaired_by": meeting.chaired_by_id or "",
        "secretary": meeting.secretary_id or "",
        "minutes-TOTAL_FORMS": "0",
        "minutes-INITIAL_FORMS": "0",
        "minutes-MIN_NUM_FORMS": "0",
        "minutes-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_the_admin_shows_a_meeting_with_approved_minutes_read_only_even_while_corrected(
    client, cast, draft
):
    meeting = draft.meeting
    url = reverse("admin:minutes_meeting_change", args=[meeting.pk])
    client.force_login(cast.admin)
    assert 'name="date"' in client.get(url).content.decode()
    response = client.post(url, admin_form(meeting, place="Rådhuset"))
    assert response.status_code == 302  # a draft's meeting changes here
    meeting.refresh_from_db()
    assert meeting.place == "Rådhuset"
    first = submit_and_approve(draft, cast)

    def refused_here():
        page = client.get(url).content.decode()
        for field in ("date", "start_time", "end_time", "place", "council"):
            assert f'name="{field}"' not in page, field
        assert "Rådhuset" in page
        response = client.post(url, admin_form(meeting, date="2025-02-21", place="Annat"))
        assert response.status_code == 302  # saved what may change, never a 500
        stored = Meeting.objects.get(pk=meeting.pk)
        assert stored.date == datetime.date(2025, 2, 24) and stored.place == "Rådhuset"

    refused_here()
    # a correction's draft does not open the admin: the change is the correction's proposal,
    # which the admin shows but does not write
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    refused_here()
    move(meeting, FEB_21)
    page = client.get(reverse("admin:minutes_minutes_change", args=[correction.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="proposed_date"' not in html and "21 februari 2025" in html


# --- one meeting a day: the public addresses are by date -----------------------------------------

TAKEN = "Rådet har redan ett möte den 21 februari 2025."


def test_a_meeting_is_not_created_on_a_day_the_council_already_meets(cast, draft):
    other = factories.meeting(cast.council, FEB_21)
    with pytest.raises(services.InvalidInput, match=TAKEN):
        services.meeting_create(
            council=cast.council, date=FEB_21, start_time=None, end_time=None, place="", actor=None
        )
    assert list(Meeting.objects.filter(date=FEB_21)) == [other]
    # another council meets when it likes
    services.meeting_create(
        council=cast.other_council,
        date=FEB_21,
        start_time=None,
        end_time=None,
        place="",
        actor=None,
    )


def test_a_draft_meeting_is_not_moved_onto_another_meeting(cast, draft):
    factories.meeting(cast.council, FEB_21)
    with pytest.raises(services.InvalidInput, match=TAKEN):
        move(draft.meeting, FEB_21)
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)
    move(draft.meeting, draft.meeting.date)  # its own day is its own


def test_a_correction_does_not_propose_another_meetings_day(cast, draft):
    first = submit_and_approve(draft, cast)
    factories.meeting(cast.council, FEB_21)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    with pytest.raises(services.InvalidInput, match=TAKEN):
        move(correction.meeting, FEB_21)
    correction.refresh_from_db()
    assert correction.proposed_date is None


def test_a_correction_is_not_approved_when_its_day_was_taken_meanwhile(cast, draft):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    move(correction.meeting, FEB_21)
    services.minutes_submit(minutes=correction, actor=cast.secretary)
    services.meeting_create(
        council=cast.council, date=FEB_21, start_time=None, end_time=None, place="", actor=None
    )
    with pytest.raises(services.InvalidInput, match=f"{TAKEN} Rättelsen kan inte godkännas"):
        services.minutes_approve(minutes=correction, actor=cast.chair)
    correction.refresh_from_db()
    assert correction.status == Minutes.Status.SUBMITTED and correction.proposed_date == FEB_21
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)


def test_the_admin_does_not_put_a_meeting_on_another_meetings_day(client, cast, draft):
    factories.meeting(cast.council, FEB_21)
    client.force_login(cast.admin)
    url = reverse("admin:minutes_meeting_change", args=[draft.meeting_id])
    response = client.post(url, admin_form(draft.meeting, date="2025-02-21"))
    assert response.status_code == 200 and TAKEN in response.content.decode()
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)
    new = client.post(
        reverse("admin:minutes_meeting_add"), admin_form(draft.meeting, date="2025-02-21")
    )
    assert new.status_code == 200 and TAKEN in new.content.decode()
    assert Meeting.objects.filter(date=FEB_21).count() == 1
    moved = client.post(url, admin_form(draft.meeting, date="2025-02-20"))
    assert moved.status_code == 302
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 20)


def correct(meeting, cast, day):
    """Move ``meeting`` (approved minutes) to ``day`` by an approved correction."""
    latest = meeting.latest_minutes()
    correction = services.correction_start(
        revision=latest.approved_revision, actor=cast.secretary, reason="Datum."
    )
    move(Meeting.objects.get(pk=meeting.pk), day)
    submit_and_approve(correction, cast)
    return correction


def document_address(day, document) -> str:
    return f"{page_address(day)}handlingar/{document.pk}/verksamhetsberattelse-2019.pdf"


def landing(client, address, hops=5):
    """The status the address ends at, following at most ``hops`` redirects (a loop fails)."""
    seen = [address]
    response = client.get(address)
    while response.status_code in (301, 302) and "/handlingar/" in response["Location"]:
        seen.append(response["Location"])
        assert len(seen) <= hops, f"redirect loop: {seen}"
        response = client.get(response["Location"])
    return response.status_code, seen[-1]


def test_two_meetings_swapping_dates_redirect_each_address_to_its_own_meeting(client, cast, draft):
    from tests.minutes.services.test_attachments import add

    d1, d2, d3 = datetime.date(2025, 2, 24), datetime.date(2025, 3, 10), FEB_21
    a = draft.meeting
    add(draft.items.get(position=2))
    submit_and_approve(draft, cast)
    b = services.meeting_create(
        council=cast.council, date=d2, start_time=None, end_time=None, place="", actor=None
    )
    add(b.latest_minutes().items.get(position=1))
    submit_and_approve(b.latest_minutes(), cast)
    correct(a, cast, d3)  # A: d1 → d3
    correct(b, cast, d1)  # B: d2 → d1
    correct(a, cast, d2)  # A: d3 → d2
    a_doc = ItemDocument.objects.get(item__minutes=a.latest_minutes())
    b_doc = ItemDocument.objects.get(item__minutes=b.latest_minutes())
    assert (Meeting.objects.get(pk=a.pk).date, Meeting.objects.get(pk=b.pk).date) == (d2, d1)

    # each meeting's document at its own date
    assert landing(client, document_address(d2, a_doc)) == (200, document_address(d2, a_doc))
    assert landing(client, document_address(d1, b_doc)) == (200, document_address(d1, b_doc))
    # under a date its own meeting once had: to that meeting's date now
    for day in (d1, d3):
        response = client.get(document_address(day, a_doc))
        assert response.status_code in (301, 302) and response["Location"] == document_address(
            d2, a_doc
        )
    response = client.get(document_address(d2, b_doc))
    assert response.status_code in (301, 302) and response["Location"] == document_address(
        d1, b_doc
    )
    # a number that is no document: not found under any date, and never a redirect loop
    for day in (d1, d2, d3):
        missing = ItemDocument(pk=b_doc.pk + 1000)
        assert landing(client, document_address(day, missing))[0] == 404
    # under a date its meeting never had: not found (not to the meeting that left the date)
    assert client.get(document_address(d3, b_doc)).status_code == 404
    # the pages: each meeting at its date, the date nobody has now to the last that left it
    assert client.get(page_address(d1)).status_code == 200
    assert client.get(page_address(d2)).status_code == 200
    response = client.get(page_address(d3))
    assert response.status_code in (301, 302) and response["Location"] == page_address(d2)


def test_an_old_date_a_new_meeting_took_is_that_meetings_not_a_redirect(client, cast, draft):
    first = submit_and_approve(draft, cast)
    old = draft.meeting.date
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    move(correction.meeting, FEB_21)
    submit_and_approve(correction, cast)
    assert client.get(pdf_address(old)).status_code in (301, 302)  # remembered a minute
    services.meeting_create(
        council=cast.council, date=old, start_time=None, end_time=None, place="", actor=None
    )
    # the new meeting has no approved minutes yet: its PDF is not found, its page is its own
    assert client.get(pdf_address(old)).status_code == 404
    page = client.get(page_address(old))
    assert page.status_code == 200


def test_the_moved_date_is_remembered_and_forgotten_when_a_meeting_moves(cast, draft):
    first = submit_and_approve(draft, cast)
    old = draft.meeting.date
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    move(correction.meeting, FEB_21)
    slugs = ("arboga", "forebyggande-radet")
    with CaptureQueriesContext(connection) as asked:
        assert selectors.moved_meeting_date(*slugs, old) is None
        assert selectors.moved_meeting_date(*slugs, old) is None
    assert len(asked) == 1  # once, then remembered
    submit_and_approve(correction, cast)
    with CaptureQueriesContext(connection) as asked:
        assert selectors.moved_meeting_date(*slugs, old) == FEB_21
        assert selectors.moved_meeting_date(*slugs, old) == FEB_21
    assert len(asked) == 1


def test_the_approved_correction_audits_the_move_and_clears_its_proposal(cast, draft):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    move(correction.meeting, FEB_21, actor=cast.secretary)
    proposed = AuditEvent.objects.get(action="meeting.correction_proposed")
    assert proposed.data["before"]["date"] == "2025-02-24"
    assert proposed.data["after"]["date"] == "2025-02-21"
    submit_and_approve(correction, cast)
    changed = AuditEvent.objects.get(action="meeting.changed")
    assert changed.actor == cast.chair
    assert changed.data["before"] == {
        "date": "2025-02-24",
        "start_time": "08:30:00",
        "end_time": "10:30:00",
        "place": "Kommunstyrelsesalen",
    }
    assert changed.data["after"]["date"] == "2025-02-21"
    assert changed.data["after"]["place"] == "Kommunstyrelsesalen"
    # applied, the proposal is gone; the approved record states the meeting as it now is
    correction.refresh_from_db()
    assert not correction.has_proposal and correction.proposed_date is None
    assert correction.approved_revision.snapshot["meeting_date"] == "2025-02-21"
    assert correction.stated_meeting()["date"] == FEB_21


def _locked_tables(queries) -> list[str]:
    """The tables that ``queries`` lock rows of, in order (PostgreSQL writes FOR UPDATE)."""
    tables = []
    for query in queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql or "FOR NO KEY UPDATE" in sql:
            of = sql.rsplit("FOR ", 1)[1]
            tables.append(of if " OF " in of else sql.split(" FROM ", 1)[1].split()[0])
    return tables


@pytest.mark.postgres
def test_approving_a_correction_locks_the_meeting_before_its_minutes(cast, draft):
    """meeting_update locks the meeting, then the minutes; so does the approval (and only the
    minutes' row where it locks them), so the two never wait on each other in a cycle."""
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    move(correction.meeting, FEB_21)
    services.minutes_submit(minutes=correction, actor=cast.secretary)
    with CaptureQueriesContext(connection) as asked:
        services.minutes_approve(minutes=correction, actor=cast.chair)
    locked = _locked_tables(asked.captured_queries)
    assert locked[0] == '"minutes_meeting"', locked
    minutes_locks = [t for t in locked if "minutes_minutes" in t]
    assert minutes_locks and all(t.strip() == 'UPDATE OF "minutes_minutes"' for t in minutes_locks)
    assert "meeting" not in " ".join(minutes_locks)
