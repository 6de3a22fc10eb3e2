"""The meeting views: the workspace, a new meeting, the draft page, starting the minutes, the
attendance and the next meeting: happy path, anonymous, other council (404), wrong role (403),
wrong state."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from minutes import services
from minutes.models import Meeting, Minutes
from tests import factories
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import drafting_url, submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SLUGS = ["arboga", "forebyggande-radet"]

url = drafting_url


# --- workspace -----------------------------------------------------------------------------------


def test_workspace_shows_the_users_councils_drafts_and_coming_meetings(client, cast, draft):
    client.force_login(cast.secretary)
    text = page_text(client.get(reverse("drafting:workspace")))
    assert "Förebyggande rådet" in text and "Trygghetsrådet" not in text
    assert "Utkast Förebyggande rådet 24 februari 2025" in text
    assert "Nytt möte" in text


def test_workspace_lists_each_meeting_once(client, cast, draft):
    """Submitted minutes of a meeting held today wait for the chair: listed there, not again
    among the meetings to prepare; a coming meeting's draft is listed among the drafts only."""
    today = timezone.localdate()
    held = services.meeting_create(
        council=cast.council, date=today, start_time=None, end_time=None, place="Salen",
        actor=cast.secretary,
    )  # fmt: skip
    services.minutes_submit(minutes=held.minutes.get(), actor=cast.secretary)
    coming = services.meeting_create(
        council=cast.council, date=today + datetime.timedelta(days=7), start_time=None,
        end_time=None, place="Salen", actor=cast.secretary,
    )  # fmt: skip
    bare = Meeting.objects.create(council=cast.council, date=today + datetime.timedelta(days=9))
    client.force_login(cast.chair)
    html = client.get(reverse("drafting:workspace")).content.decode()
    for meeting in (held, coming, bare):
        link = reverse("drafting:meeting", args=[*SLUGS, meeting.pk])
        assert html.count(f'href="{link}"') == 1, meeting.date
    text = page_text(client.get(reverse("drafting:workspace")))
    assert f"Väntar på dig Förebyggande rådet {today.day}" in text
    assert "Möten att förbereda Förebyggande rådet" in text  # the bare meeting


def test_workspace_of_a_member_offers_no_new_meeting(client, cast, draft):
    client.force_login(cast.member)
    text = page_text(client.get(reverse("drafting:workspace")))
    assert "Förebyggande rådet" in text and "Nytt möte" not in text


def test_administrators_see_every_council_in_the_workspace(client, cast):
    client.force_login(cast.admin)
    text = page_text(client.get(reverse("drafting:workspace")))
    assert "Förebyggande rådet" in text and "Trygghetsrådet" in text


def test_workspace_needs_login(client):
    assert client.get(reverse("drafting:workspace"))["Location"].startswith("/konto/logga-in/")


# --- new meeting ---------------------------------------------------------------------------------


def test_secretary_creates_a_meeting_with_the_default_place_prefilled(client, cast, draft):
    cast.council.default_place = "Rådssalen"
    cast.council.save()
    client.force_login(cast.secretary)
    assert 'value="Rådssalen"' in client.get(url("meeting_new")).content.decode()
    response = client.post(
        url("meeting_new"),
        {"date": "2025-03-31", "start_time": "13:00", "end_time": "15:00", "place": "Rådssalen"},
    )
    meeting = Meeting.objects.get(date="2025-03-31")
    assert response["Location"] == reverse("drafting:meeting", args=[*SLUGS, meeting.pk])
    assert (
        meeting.minutes.get().items.count() == 3
    )  # the year's report is for the first meeting only


def test_the_new_meeting_form_starts_from_the_councils_usual_times(client, cast, draft):
    client.force_login(cast.secretary)
    form = client.get(url("meeting_new")).content.decode()
    assert 'name="start_time"' in form and 'name="start_time" value=' not in form
    cast.council.usual_start_time = datetime.time(8, 30)
    cast.council.usual_end_time = datetime.time(10, 30)
    cast.council.save()
    form = client.get(url("meeting_new")).content.decode()
    assert re.search(r'<input type="time" name="start_time" value="08:30"', form)
    assert re.search(r'<input type="time" name="end_time" value="10:30"', form)


def test_the_attendance_selects_are_bootstrap_selects(client, cast, draft):
    client.force_login(cast.secretary)
    html = client.get(url("meeting", draft)).content.decode()
    selects = re.findall(r"<select[^>]*>", html)
    assert selects and all('class="form-select form-select-sm"' in s for s in selects), selects


def test_a_meeting_that_ends_before_it_starts_gets_a_message(client, cast, draft):
    client.force_login(cast.secretary)
    response = client.post(
        url("meeting_new"), {"date": "2025-03-31", "start_time": "13:00", "end_time": "12:00"}
    )
    assert response.status_code == 200
    assert "Sluttiden måste vara efter starttiden." in response.content.decode()
    assert not Meeting.objects.filter(date="2025-03-31").exists()


@pytest.mark.parametrize("data", [{"date": "inte ett datum"}, {"date": "99999-01-01"}, {}])
def test_bad_dates_get_a_message_not_a_500(client, cast, data):
    client.force_login(cast.secretary)
    assert client.post(url("meeting_new"), data).status_code == 200


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("outsider", 404)])
def test_only_secretaries_create_meetings(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(url("meeting_new")).status_code == status
    assert client.post(url("meeting_new"), {"date": "2025-03-31"}).status_code == status
    assert not Meeting.objects.exists()


def test_a_new_meeting_on_a_day_the_council_already_meets_gets_a_message(client, cast, draft):
    client.force_login(cast.secretary)
    response = client.post(
        url("meeting_new"), {"date": "2025-02-24", "start_time": "13:00", "end_time": "15:00"}
    )
    assert response.status_code == 400
    assert "Rådet har redan ett möte den 24 februari 2025." in page_text(response)
    assert Meeting.objects.filter(council=cast.council, date="2025-02-24").count() == 1


# --- the meeting's date, times and place ---------------------------------------------------------

MOVED = {"date": "2025-02-25", "start_time": "13:00", "end_time": "15:00", "place": "Ráðhúsið"}


def test_secretary_moves_a_drafted_meeting(client, cast, draft):
    client.force_login(cast.secretary)
    page = client.get(url("meeting_details", draft))
    assert page.status_code == 200
    assert 'value="2025-02-24"' in page.content.decode()  # the form starts from the meeting
    response = client.post(url("meeting_details", draft), MOVED)
    assert response.status_code == 302 and response["Location"] == url("meeting", draft)
    meeting = Meeting.objects.get(pk=draft.meeting_id)
    assert (meeting.date, meeting.start_time, meeting.place) == (
        datetime.date(2025, 2, 25),
        datetime.time(13, 0),
        "Ráðhúsið",
    )
    event = AuditEvent.objects.get(action="meeting.changed")
    assert event.data["before"]["date"] == "2025-02-24"
    assert "Ändra datum, tid och plats" in page_text(client.get(url("meeting", draft)))


def test_moving_a_meeting_after_its_notice_asks_for_a_new_notice(client, cast, draft):
    services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    client.force_login(cast.secretary)
    response = client.post(url("meeting_details", draft), MOVED, follow=True)
    text = page_text(response)
    assert "skicka en uppdaterad kallelse" in text
    assert "Plats och tid" in text  # the notice banner names what changed


def test_a_meeting_that_ends_before_it_starts_is_not_moved(client, cast, draft):
    client.force_login(cast.secretary)
    response = client.post(url("meeting_details", draft), {**MOVED, "end_time": "12:00"})
    assert response.status_code == 400
    assert "Sluttiden måste vara efter starttiden." in page_text(response)
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)


def test_moving_a_meeting_needs_login_and_the_council(client, cast, draft):
    assert client.get(url("meeting_details", draft)).status_code == 302
    client.force_login(cast.outsider)
    assert client.post(url("meeting_details", draft), MOVED).status_code == 404


@pytest.mark.parametrize("who", ["member", "chair"])
def test_only_secretaries_move_meetings(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("meeting_details", draft)).status_code == 403
    assert client.post(url("meeting_details", draft), MOVED).status_code == 403
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_submitted_or_approved_meetings_are_not_moved(client, cast, draft, state):
    if state == "submitted":
        services.minutes_submit(minutes=draft, actor=cast.secretary)
    else:
        submit_and_approve(draft, cast)
    client.force_login(cast.secretary)
    response = client.post(url("meeting_details", draft), MOVED)
    assert response.status_code == 409
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)
    if state == "approved":
        assert "genom en rättelse" in page_text(response)


def test_during_a_correction_the_form_edits_its_proposal_not_the_meeting(client, cast, draft):
    first = submit_and_approve(draft, cast)
    client.force_login(cast.chair)
    client.post(url("correction", draft), {"reason": "Mötet hölls en annan dag."})
    correction = draft.meeting.minutes.get(revision=2)
    client.force_login(cast.secretary)
    page = client.get(url("meeting_details", draft))
    assert page.status_code == 200 and 'value="2025-02-24"' in page.content.decode()
    assert "ändras först när rättelsen godkänns" in page_text(page)
    response = client.post(url("meeting_details", draft), MOVED, follow=True)
    assert "när rättelsen godkänns" in page_text(response)
    meeting = Meeting.objects.get(pk=draft.meeting_id)
    assert meeting.date == datetime.date(2025, 2, 24) and meeting.place == "Kommunstyrelsesalen"
    correction.refresh_from_db()
    assert (correction.proposed_date, correction.proposed_place) == (
        datetime.date(2025, 2, 25),
        "Ráðhúsið",
    )
    assert AuditEvent.objects.filter(action="meeting.correction_proposed").count() == 1
    # the staff page, the form and the preview state the proposal
    text = page_text(client.get(url("meeting", draft)))
    assert "Ráðhúsið kl 13.00 – 15.00" in text and "hölls den 25 februari 2025" in text
    again = client.get(url("meeting_details", draft)).content.decode()
    assert 'value="2025-02-25"' in again and 'value="Ráðhúsið"' in again
    preview = client.get(reverse("minutes:draft_preview", args=[*SLUGS, draft.meeting_id]))
    words = " ".join(" ".join(p) for p in pdftext.raw_lines(preview.content))
    assert "25 februari 2025" in words and "Ráðhúsið" in words
    # the chair reviews what the correction changes in the approved version
    services.minutes_submit(minutes=correction, actor=cast.secretary)
    client.force_login(cast.chair)
    review = page_text(client.get(url("review", draft)))
    assert "möte den 25 februari 2025" in review
    assert "Rättelsen ändrar i den godkända versionen" in review
    assert "Ändrat: mötets datum, 25 februari 2025 (tidigare 24 februari 2025)" in review
    assert "Ändrat: plats och tid, Ráðhúsið kl 13.00 – 15.00 (tidigare" in review
    # submitted, it no longer changes; approved, the meeting moved
    client.force_login(cast.secretary)
    assert client.post(url("meeting_details", draft), {**MOVED, "place": "X"}).status_code == 409
    services.minutes_approve(minutes=correction, actor=cast.chair)
    meeting.refresh_from_db()
    assert (meeting.date, meeting.start_time, meeting.place) == (
        datetime.date(2025, 2, 25),
        datetime.time(13, 0),
        "Ráðhúsið",
    )
    assert first.pk != correction.approved_revision.pk
    response = client.post(url("meeting_details", draft), MOVED)
    assert response.status_code == 409 and "genom en rättelse" in page_text(response)


@pytest.mark.parametrize("who", ["member", "chair"])
def test_only_secretaries_propose_a_corrected_date(client, cast, draft, who):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    client.force_login(getattr(cast, who))
    assert client.post(url("meeting_details", draft), MOVED).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url("meeting_details", draft), MOVED).status_code == 404
    correction.refresh_from_db()
    assert correction.proposed_date is None


def test_a_meeting_without_minutes_can_be_moved(client, cast):
    meeting = Meeting.objects.create(council=cast.council, date=datetime.date(2025, 5, 5))
    client.force_login(cast.secretary)
    address = reverse("drafting:meeting_details", args=[*SLUGS, meeting.pk])
    assert address.replace("uppgifter/", "") in client.post(address, MOVED)["Location"]
    assert Meeting.objects.get(pk=meeting.pk).date == datetime.date(2025, 2, 25)


# --- the draft page ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "admin"])
def test_editors_see_attendance_items_and_the_preview(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    response = client.get(url("meeting", draft))
    text = page_text(response)
    assert response.status_code == 200
    assert "Spara närvaron" in text and "Lägg till ärende" in text
    assert (
        "1. Föregående minnesanteckningar Minnesanteckningarna från mötet den 26 november 2024 godkänns."
        in text
    )
    assert "Förhandsgranska (PDF)" in text


@pytest.mark.parametrize("who", ["member", "chair"])
def test_members_read_the_draft_without_editing(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    text = page_text(client.get(url("meeting", draft)))
    assert "Du kan läsa utkastet." in text
    assert "Spara närvaron" not in text and "Lägg till ärende" not in text
    assert "Föregående minnesanteckningar" in text


def test_the_draft_page_is_404_outside_the_council_and_needs_login(client, cast, draft):
    assert client.get(url("meeting", draft)).status_code == 302
    client.force_login(cast.outsider)
    assert client.get(url("meeting", draft)).status_code == 404


def test_a_submitted_draft_is_shown_read_only(client, cast, draft):
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    text = page_text(client.get(url("meeting", draft)))
    assert "väntar på ordförandens godkännande" in text and "Spara närvaron" not in text


# --- attendance ----------------------------------------------------------------------------------


def attendance_post(client, draft, **overrides):
    page = client.get(url("meeting", draft))
    rows = page.context["attendance"]
    data = {"attendance_version": str(draft.attendance_version), "others_present": "Gäst Gästsson"}
    for _pair, form in rows:
        for name in ("person_id", "membership_id", "status", "substitute_for"):
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
    data.update(overrides)
    return client.post(url("attendance", draft), data)


def test_secretary_marks_attendance(client, cast, draft):
    client.force_login(cast.secretary)
    response = attendance_post(client, draft, **{"a0-status": "absent"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.others_present == "Gäst Gästsson" and draft.attendance_version == 2
    assert draft.attendance.filter(status="absent").count() == 1
    assert AuditEvent.objects.filter(action="minutes.attendance_saved").exists()


def test_attendance_saved_from_an_old_page_is_refused_and_says_so(client, cast, draft):
    client.force_login(cast.secretary)
    attendance_post(client, draft)
    response = attendance_post(client, draft, attendance_version="1", others_present="Skriver över")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.others_present == "Gäst Gästsson"
    follow = client.get(response["Location"])
    assert "Någon annan ändrade närvaron" in follow.content.decode()


def test_a_substitute_without_whom_gets_a_message(client, cast, draft):
    client.force_login(cast.secretary)
    response = attendance_post(client, draft, **{"a0-status": "substitute"})
    assert response.status_code == 400
    assert "Ange vem ersättaren tjänstgör för." in response.content.decode()


def test_a_refused_attendance_row_keeps_the_chairs_comment_and_the_notice_banner(
    client, cast, draft
):
    """The 400 page after a bad row is the meeting's page as a GET shows it, with the errors:
    it used to drop the chair's return comment and the notice banner."""
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    services.minutes_return(minutes=draft, actor=cast.chair, comment="Rätta närvaron, tack.")
    services.notice_send(meeting=draft.meeting, actor=cast.secretary)
    client.force_login(cast.secretary)
    response = attendance_post(client, draft, **{"a0-status": "substitute"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Ange vem ersättaren tjänstgör för." in text
    assert "Återsänt av Olle Ordförande" in text and "Rätta närvaron, tack." in text
    assert "Kallelsen skickades" in text


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("outsider", 404)])
def test_only_secretaries_save_attendance(client, cast, draft, who, status):
    client.force_login(getattr(cast, who))
    assert client.post(url("attendance", draft), {"attendance_version": "1"}).status_code == status
    draft.refresh_from_db()
    assert draft.attendance_version == 1


def test_attendance_of_submitted_minutes_cannot_change(client, cast, draft):
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    assert client.post(url("attendance", draft), {"attendance_version": "1"}).status_code == 409


def test_csrf_endpoint_gives_a_token(client):
    response = client.get(reverse("accounts:csrf"))
    assert response.status_code == 200 and len(response.json()["csrfToken"]) > 20
    assert response.json()["authenticated"] is False


def test_a_meeting_without_minutes_offers_to_start_them(client, cast, draft):
    from tests import factories

    meeting = factories.meeting(cast.council, __import__("datetime").date(2025, 5, 5))
    client.force_login(cast.member)
    page = client.get(reverse("drafting:meeting", args=[*SLUGS, meeting.pk]))
    assert "Mötet har inga minnesanteckningar ännu." in page.content.decode()
    assert "Börja skriva" not in page.content.decode()
    start = reverse("drafting:minutes_start", args=[*SLUGS, meeting.pk])
    assert client.post(start).status_code == 403
    client.force_login(cast.secretary)
    assert (
        "Börja skriva"
        in client.get(reverse("drafting:meeting", args=[*SLUGS, meeting.pk])).content.decode()
    )
    assert client.post(start).status_code == 302
    assert meeting.minutes.get().items.count() == 3
    client.post(start)  # twice: nothing more
    assert meeting.minutes.count() == 1


def test_a_crafted_attendance_form_cannot_add_someone_else(client, cast, draft):
    from tests import factories

    stranger = factories.person("Främling")
    client.force_login(cast.secretary)
    response = attendance_post(client, draft, **{"a0-person_id": str(stranger.pk)})
    assert response.status_code == 302
    assert not draft.attendance.filter(person=stranger).exists()


def test_the_minutes_state_the_next_meeting_which_is_created(client, cast, draft):
    following = services.next_meeting_set(
        minutes=draft, date=datetime.date(2025, 5, 12), start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30), place="Kommunstyrelsesalen", actor=cast.secretary,
    )  # fmt: skip
    assert following.minutes.get().items.count() == 3  # the standing agenda, not the year's first
    draft.refresh_from_db()
    assert draft.next_meeting == following
    revision = submit_and_approve(draft, cast)
    line = "Nästa möte: måndag 12 maj 2025 kl 08.30 – 10.30, Kommunstyrelsesalen."
    assert revision.snapshot["next_meeting"] == line
    text = " ".join(
        " ".join(p) for p in pdftext.raw_lines(default_storage.open(revision.pdf_name).read())
    )
    assert line in text


def test_next_meeting_input_is_checked_and_the_page_works(client, cast, draft):
    with pytest.raises(services.InvalidInput, match="efter det här mötet"):
        services.next_meeting_set(
            minutes=draft, date=datetime.date(2025, 1, 1), start_time=None, end_time=None,
            place="", actor=None,
        )  # fmt: skip
    existing = Meeting.objects.get(date=datetime.date(2024, 11, 26))
    client.force_login(cast.secretary)
    response = client.post(url("next_meeting", draft), {"date": "2025-05-12", "start_time": "08:30", "end_time": "10:30", "place": "Salen"}, follow=True)  # fmt: skip
    assert "Nästa möte är den 12 maj 2025" in page_text(response)
    bad = client.post(url("next_meeting", draft), {"date": "igår"}, follow=True)
    assert "giltigt datum" in page_text(bad)
    client.post(url("next_meeting", draft), {"action": "clear"})
    draft.refresh_from_db()
    assert draft.next_meeting is None and Meeting.objects.filter(date="2025-05-12").exists()
    client.force_login(cast.member)
    assert client.post(url("next_meeting", draft), {"date": "2025-06-01"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url("next_meeting", draft), {"date": "2025-06-01"}).status_code == 404
    assert existing.pk and not Meeting.objects.filter(date="2025-06-01").exists()


def test_a_meeting_is_not_moved_onto_another_meetings_day_by_form(client, cast, draft):
    Meeting.objects.create(council=cast.council, date=datetime.date(2025, 2, 25))
    client.force_login(cast.secretary)
    response = client.post(url("meeting_details", draft), MOVED)
    assert response.status_code == 400
    assert "Rådet har redan ett möte den 25 februari 2025." in page_text(response)
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)
    # nor proposed for it by a correction
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    response = client.post(url("meeting_details", draft), MOVED)
    assert response.status_code == 400
    assert "Rådet har redan ett möte den 25 februari 2025." in page_text(response)
    correction.refresh_from_db()
    assert correction.proposed_date is None


def test_the_chair_is_told_when_the_corrected_day_was_taken_meanwhile(client, cast, draft):
    first = submit_and_approve(draft, cast)
    correction = services.correction_start(revision=first, actor=cast.secretary, reason="Datum.")
    client.force_login(cast.secretary)
    assert client.post(url("meeting_details", draft), MOVED).status_code == 302
    services.minutes_submit(minutes=correction, actor=cast.secretary)
    Meeting.objects.create(council=cast.council, date=datetime.date(2025, 2, 25))
    client.force_login(cast.chair)
    response = client.post(
        url("review", draft), {"action": "approve", "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Rådet har redan ett möte den 25 februari 2025." in text
    assert "Rättelsen kan inte godkännas med det datumet" in text
    correction.refresh_from_db()
    assert correction.status == Minutes.Status.SUBMITTED
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2025, 2, 24)
