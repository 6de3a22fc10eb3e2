"""What the approved record says about its meeting (date, times, place, council) is frozen with
it: the admin shows it read-only, the services refuse, and so does the database, whatever
writes. A correction changes it, and the public addresses follow the corrected date."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from minutes import services
from minutes.models import Meeting, Minutes
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


def test_the_old_addresses_of_a_moved_meeting_redirect_for_good(client, cast, draft):
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

    page = client.get(page_address(old))
    assert page.status_code == 301 and page["Location"] == page_address(FEB_21)
    pdf = client.get(pdf_address(old))
    assert pdf.status_code == 301 and pdf["Location"] == pdf_address(FEB_21)
    # the immutable file of the superseded revision, linked from e-mails, stays
    file = client.get(old_file)
    assert file.status_code == 200 and file["ETag"] == f'"{first.pdf_sha256}"'
    # a document's address under the old date leads to the same address under the new one
    old_document = f"{page_address(old)}handlingar/{document.pk}/verksamhetsberattelse-2019.pdf"
    moved_document = old_document.replace(f"{old:%Y-%m-%d}", f"{FEB_21:%Y-%m-%d}")
    response = client.get(old_document)
    assert response.status_code == 301 and response["Location"] == moved_document
    assert client.get(page_address(old) + "handlingar/1/x.pdf").status_code == 301
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
