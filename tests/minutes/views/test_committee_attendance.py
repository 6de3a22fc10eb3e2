"""A nämnd's attendance on the meeting's page (issue 18, point 4): present or serving from § to
§ (entered as the meeting's §§, stored as item positions), the justerare, and the justering's
place and time; the råd's form is unchanged. Happy path, anonymous, other council (404), wrong
role (403), wrong state (submitted)."""

import datetime

import pytest

from minutes.models import Attendance, Minutes
from tests.minutes import committee_fixtures as cf
from tests.minutes.drafting_fixtures import drafting_url

pytestmark = pytest.mark.django_db

url = drafting_url


@pytest.fixture
def c(cast):
    return cf.committee(cast)


@pytest.fixture
def minutes(c):
    """The year's second meeting: its §§ are 5–8 (the first meeting has §§ 1–4)."""
    cf.meeting(c, date=datetime.date(2026, 2, 9))
    draft = cf.meeting(c)
    assert draft.items.order_by("position").first().paragraph == 5
    return draft


def row_of(rows, name):
    return next(form for (person, _m), form in rows if person.name == name)


def attendance_post(client, minutes, rows=None, **overrides):
    page = client.get(url("meeting", minutes))
    rows = page.context["attendance"]
    data = {
        "attendance_version": str(minutes.attendance_version),
        "others_present": "Kim Åberg, nämndsekreterare",
        "adjustment_place": "Socialkontoret",
        "adjustment_date": "2026-03-16",
        "adjustment_time": "10:00",
    }
    for _pair, form in rows:
        for name in ("person_id", "membership_id", "status", "substitute_for", "from_paragraph",
                     "to_paragraph"):  # fmt: skip
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
        if form["is_adjuster"].value():
            data[form.add_prefix("is_adjuster")] = "on"
    return rows, data | overrides


def prefixed(rows, name, field):
    return row_of(rows, name).add_prefix(field)


def test_the_form_shows_paragraphs_the_justerare_and_the_justering(client, cast, c, minutes):
    client.force_login(cast.secretary)
    html = client.get(url("meeting", minutes)).content.decode()
    assert "Mötets paragrafer är §§ 5–8." in html
    for label in ("Från §", "Till §", "Justerare", "Justeringens plats", "Justeringens dag",
                  "Justeringens tid"):  # fmt: skip
        assert label in html
    assert 'value="Socialkontoret"' in html and 'value="2026-03-16"' in html


def test_the_secretary_saves_ranges_as_positions_and_the_justering(client, cast, c, minutes):
    client.force_login(cast.secretary)
    rows, data = attendance_post(client, minutes)
    data |= {
        prefixed(rows, "Lena Nyberg", "to_paragraph"): "6",  # left after § 6
        prefixed(rows, "Karin Mark", "from_paragraph"): "7",
        prefixed(rows, "Eva Grön", "is_adjuster"): "",
        prefixed(rows, "Hassan Jama", "is_adjuster"): "on",
        "adjustment_place": "Stadshuset",
        "adjustment_date": "2026-03-20",
        "adjustment_time": "09:30",
    }
    data.pop(prefixed(rows, "Eva Grön", "is_adjuster"))
    response = client.post(url("attendance", minutes), data)
    assert response.status_code == 302
    lena = Attendance.objects.get(minutes=minutes, person=c["Lena Nyberg"])
    assert (lena.from_position, lena.to_position) == (None, 2)
    karin = Attendance.objects.get(minutes=minutes, person=c["Karin Mark"])
    assert (karin.from_position, karin.to_position) == (3, None)
    adjusters = Attendance.objects.filter(minutes=minutes, is_adjuster=True)
    assert {a.person.name for a in adjusters} == {"Bo Berg", "Hassan Jama"}
    minutes.refresh_from_db()
    assert minutes.adjustment_place == "Stadshuset"
    assert minutes.adjustment_date == datetime.date(2026, 3, 20)
    assert minutes.adjustment_time == datetime.time(9, 30)
    # shown back as §§
    rows = client.get(url("meeting", minutes)).context["attendance"]
    assert row_of(rows, "Lena Nyberg")["to_paragraph"].value() == 6
    assert row_of(rows, "Karin Mark")["from_paragraph"].value() == 7


def test_a_paragraph_outside_the_meeting_is_refused_keeping_the_rows(client, cast, c, minutes):
    client.force_login(cast.secretary)
    rows, data = attendance_post(client, minutes)
    data |= {
        prefixed(rows, "Lena Nyberg", "to_paragraph"): "3",
        "others_present": "Ny text",
    }
    response = client.post(url("attendance", minutes), data)
    assert response.status_code == 400
    assert "Mötets paragrafer är §§ 5–8." in response.content.decode()
    assert response.context["attendance"] is not None
    assert ">Ny text</textarea>" in response.content.decode()  # nothing typed is lost
    assert Attendance.objects.get(minutes=minutes, person=c["Lena Nyberg"]).to_position is None


def test_three_justerare_are_refused_by_the_service_and_shown(client, cast, c, minutes):
    client.force_login(cast.secretary)
    rows, data = attendance_post(client, minutes)
    data[prefixed(rows, "Hassan Jama", "is_adjuster")] = "on"
    response = client.post(url("attendance", minutes), data)
    assert response.status_code == 400
    assert "Välj en eller två justerare." in response.content.decode()
    # the row as posted is still checked
    assert row_of(response.context["attendance"], "Hassan Jama")["is_adjuster"].value()


def test_a_rad_has_no_paragraph_columns(client, cast):
    from minutes import services

    meeting = services.meeting_create(
        council=cast.council, date=datetime.date(2025, 2, 24), start_time=None, end_time=None,
        place="", actor=cast.secretary,
    )  # fmt: skip
    client.force_login(cast.secretary)
    html = client.get(url("meeting", meeting.minutes.get())).content.decode()
    assert "Från §" not in html and "Justeringens plats" not in html


def test_an_anonymous_visitor_is_sent_to_sign_in(client, c, minutes):
    response = client.post(url("attendance", minutes), {"attendance_version": "1"})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("outsider", 404)])
def test_only_secretaries_save_a_nämnds_attendance(client, cast, c, minutes, who, status):
    client.force_login(getattr(cast, who))
    data = {"attendance_version": str(minutes.attendance_version), "adjustment_place": "X"}
    assert client.post(url("attendance", minutes), data).status_code == status
    minutes.refresh_from_db()
    assert minutes.adjustment_place == "Socialkontoret"


def test_a_submitted_protokolls_attendance_cannot_change(client, cast, c, minutes):
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    data = {"attendance_version": str(minutes.attendance_version), "adjustment_place": "X"}
    assert client.post(url("attendance", minutes), data).status_code == 409
    minutes.refresh_from_db()
    assert minutes.adjustment_place == "Socialkontoret"
