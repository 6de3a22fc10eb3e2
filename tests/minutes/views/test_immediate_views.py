"""Omedelbar justering of one § in the staff pages (minutes.views.immediate): the secretary
sends a flagged §, the chair and the justerare read it as the extract will and sign it with
their password; the last signature freezes it with its announcement; a return voids the
signatures; while it waits the § editor and its autosave refuse changes cleanly."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from core.models import AuditEvent
from minutes.models import AgendaItem, Announcement, Extract
from minutes.services import justering
from tests import factories
from tests.minutes import committee_fixtures as cf
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
SIGNERS = ("Sekreterare", "Ordförande", "Bo Berg", "Eva Grön")


@pytest.fixture
def protokoll(cast):
    """The nämnd's meeting and its four signatories (committee_fixtures.signing), § 3 flagged
    for omedelbar justering (``c.item``)."""
    c = cf.signing(cast)
    c.item = cf.item_at(c.minutes, 3)
    AgendaItem.objects.filter(pk=c.item.pk).update(immediate_adjustment=True)
    c.item.refresh_from_db()
    return c


def url(c, name, item=None):
    item = item or c.item
    return reverse(f"drafting:{name}", args=[*SLUGS, c.minutes.meeting.pk, item.pk])


def meeting_url(c):
    return reverse("drafting:meeting", args=[*SLUGS, c.minutes.meeting.pk])


def read(c) -> int | str:
    """The submission the § page states in its sign form."""
    submission = justering.current_submission(c.minutes, c.item)
    return submission.pk if submission else ""


def sign(client, c, who, password=factories.PASSWORD):
    client.force_login(c.users[who])
    return client.post(
        url(c, "paragraph_review"),
        {"action": "sign", "password": password, "submission": read(c)},
    )


def test_the_secretary_sends_and_each_signatory_signs(client, protokoll):
    c = protokoll
    client.force_login(c.users["Sekreterare"])
    text = page_text(client.get(meeting_url(c)))
    assert "Omedelbar justering" in text and "Skicka för omedelbar justering" in text
    response = client.post(url(c, "paragraph_submit"))
    assert response.status_code == 302 and response["Location"] == url(c, "paragraph_review")
    assert justering.paragraph_state(c.item) == "submitted"
    meeting_page = client.get(meeting_url(c))
    text = page_text(meeting_page)
    assert "Väntar på omedelbar justering (0 av 4)" in text
    # while it waits, the protokoll is not offered for justering, nor its attendance for change
    assert "SN § 3 väntar på omedelbar justering. Protokollet kan skickas för justering" in text
    assert "Närvaron kan inte ändras medan SN § 3 väntar på omedelbar justering" in text
    html = meeting_page.content.decode()
    assert ">Skicka för justering</button>" not in html
    assert 'name="attendance_version"' not in html
    page = client.get(url(c, "paragraph_review"))
    text = page_text(page)
    assert page.status_code == 200
    assert "SN § 3" in text and "Försörjningsstöd" in text
    assert "Delegationsbeslut" not in text  # the extract shows its § alone
    assert text.count("Har inte justerat") == 4
    assert "Ta tillbaka för att ändra" in text

    for n, who in enumerate(SIGNERS, start=1):
        response = sign(client, c, who)
        assert response.status_code == 302, who
        followed = page_text(client.get(response["Location"]))
        if n < len(SIGNERS):
            assert "Du har justerat paragrafen" in followed
            assert followed.count("Justerat elektroniskt") == n
    record = Extract.objects.get(item=c.item, immediate=True)
    announcement = Announcement.objects.get(extract=record)
    assert "Paragrafen är justerad omedelbart och anslagen på anslagstavlan" in followed
    assert "Sista dag att överklaga är" in followed
    assert f"{announcement.last_day_to_appeal.day} " in followed
    assert followed.count("Justerat elektroniskt") >= 4
    assert "Har inte justerat" not in followed
    assert "Justerad omedelbart" in followed
    assert "Protokollsutdraget (PDF, publicerat)" in followed
    # the § list says so, and the internal copy of the extract is there for the members
    assert "Justerad omedelbart" in page_text(client.get(meeting_url(c)))
    download = client.get(url(c, "paragraph_extract_pdf"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_anonymous_is_sent_to_sign_in(client, protokoll):
    for name in ("paragraph_review", "paragraph_submit", "paragraph_withdraw"):
        method = client.get if name == "paragraph_review" else client.post
        response = method(url(protokoll, name))
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert justering.paragraph_state(protokoll.item) == "draft"


def test_another_council_gets_404(client, cast, protokoll):
    client.force_login(cast.outsider)
    assert client.get(url(protokoll, "paragraph_review")).status_code == 404
    assert client.post(url(protokoll, "paragraph_submit")).status_code == 404
    assert client.get(url(protokoll, "paragraph_extract_pdf")).status_code == 404


def test_a_member_who_is_not_a_signatory_may_read_but_not_sign(client, cast, protokoll):
    c = protokoll
    justering.paragraph_submit(item=c.item, actor=c.users["Sekreterare"])
    client.force_login(cast.member)
    page = client.get(url(c, "paragraph_review"))
    assert page.status_code == 200 and 'id="password"' not in page.content.decode()
    response = client.post(
        url(c, "paragraph_review"), {"action": "sign", "password": factories.PASSWORD}
    )
    assert response.status_code == 403
    response = client.post(url(c, "paragraph_review"), {"action": "return", "comment": "Nej."})
    assert response.status_code == 403
    assert client.post(url(c, "paragraph_withdraw")).status_code == 403
    assert justering.progress(c.minutes, c.item).signed == {}
    assert justering.paragraph_state(c.item) == "submitted"


def test_the_secretary_does_not_return_and_a_justerare_does_not_send(client, protokoll):
    c = protokoll
    client.force_login(c.users["Bo Berg"])
    assert client.post(url(c, "paragraph_submit")).status_code == 403
    justering.paragraph_submit(item=c.item, actor=c.users["Sekreterare"])
    client.force_login(c.users["Sekreterare"])
    response = client.post(url(c, "paragraph_review"), {"action": "return", "comment": "Fel."})
    assert response.status_code == 403
    assert 'id="comment"' not in client.get(url(c, "paragraph_review")).content.decode()


def test_wrong_states_are_409(client, protokoll):
    c = protokoll
    # sign a § not sent
    response = sign(client, c, "Bo Berg")
    assert response.status_code == 409
    assert "väntar inte på omedelbar justering" in page_text(response)
    # send a § not flagged
    client.force_login(c.users["Sekreterare"])
    other = cf.item_at(c.minutes, 2)
    response = client.post(url(c, "paragraph_submit", other))
    assert response.status_code == 409
    assert "inte markerad för omedelbar justering" in page_text(response)
    # take back a § not sent; send it twice
    assert client.post(url(c, "paragraph_withdraw")).status_code == 409
    assert client.post(url(c, "paragraph_submit")).status_code == 302
    assert client.post(url(c, "paragraph_submit")).status_code == 409
    # sign twice
    assert sign(client, c, "Bo Berg").status_code == 302
    assert sign(client, c, "Bo Berg").status_code == 409
    # no extract before it is justerad
    assert client.get(url(c, "paragraph_extract_pdf")).status_code == 404


def test_a_wrong_password_signs_nothing_and_is_audited(client, protokoll):
    c = protokoll
    justering.paragraph_submit(item=c.item, actor=c.users["Sekreterare"])
    response = sign(client, c, "Eva Grön", password="fel")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="password-error"' in html and "Lösenordet stämmer inte" in html
    assert "Paragrafen är inte justerad" in html
    assert justering.progress(c.minutes, c.item).signed == {}
    assert AuditEvent.objects.filter(action="paragraph.sign_password_failed").count() == 1


def test_a_return_voids_the_signatures(client, protokoll):
    c = protokoll
    client.force_login(c.users["Sekreterare"])
    client.post(url(c, "paragraph_submit"))
    assert sign(client, c, "Sekreterare").status_code == 302
    assert sign(client, c, "Bo Berg").status_code == 302
    client.force_login(c.users["Ordförande"])
    response = client.post(url(c, "paragraph_review"), {"action": "return", "comment": ""})
    assert response.status_code == 400 and 'id="comment-error"' in response.content.decode()
    response = client.post(
        url(c, "paragraph_review"), {"action": "return", "comment": "Fel belopp i beslutet."}
    )
    assert response.status_code == 302
    assert justering.paragraph_state(c.item) == "draft"
    client.force_login(c.users["Sekreterare"])
    text = page_text(client.get(url(c, "paragraph_review")))
    assert "Fel belopp i beslutet." in text and "Återsänd av Anna Ek" in text
    # the editor is open again; the § is sent anew, and nobody has signed it
    assert 'id="item-form"' in client.get(url(c, "item")).content.decode()
    client.post(url(c, "paragraph_submit"))
    text = page_text(client.get(url(c, "paragraph_review")))
    assert "Justerat elektroniskt" not in text
    assert text.count("Har inte justerat") == 4


def test_the_secretary_takes_it_back(client, protokoll):
    c = protokoll
    client.force_login(c.users["Sekreterare"])
    client.post(url(c, "paragraph_submit"))
    sign(client, c, "Bo Berg")
    client.force_login(c.users["Sekreterare"])
    response = client.post(url(c, "paragraph_withdraw"))
    assert response.status_code == 302 and response["Location"] == url(c, "item")
    assert justering.paragraph_state(c.item) == "draft"
    assert justering.progress(c.minutes, c.item).signed == {}


def test_the_editor_is_read_only_while_the_paragraph_waits(client, protokoll):
    c = protokoll
    justering.paragraph_submit(item=c.item, actor=c.users["Sekreterare"])
    client.force_login(c.users["Sekreterare"])
    page = client.get(url(c, "item"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="item-form"' not in html
    assert "väntar på omedelbar justering" in page_text(page)
    assert url(c, "paragraph_review") in html
    # the form's POST and the autosave are refused cleanly
    response = client.post(url(c, "item"), {"title": "Ändrad", "version": c.item.version})
    assert response.status_code == 409
    assert url(c, "paragraph_review") in response.content.decode()
    response = client.post(
        url(c, "item_autosave"),
        json.dumps({"version": c.item.version, "title": "Ändrad", "body": "<p>x</p>"}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "väntar på omedelbar justering" in response.json()["error"]
    c.item.refresh_from_db()
    assert c.item.title == "Försörjningsstöd"
    # the meeting page's list leads to it, and offers neither to move nor to delete it
    html = client.get(meeting_url(c)).content.decode()
    assert "Väntar på omedelbar justering (0 av 4)" in html
    assert url(c, "paragraph_review") in html
    assert url(c, "item_delete") not in html and url(c, "item_move") not in html
    assert url(c, "item_delete", cf.item_at(c.minutes, 2)) in html


def test_the_editor_says_a_justerad_paragraph_is_frozen(client, protokoll):
    c = protokoll
    justering.paragraph_submit(item=c.item, actor=c.users["Sekreterare"])
    for who in SIGNERS:
        justering.paragraph_sign(item=c.item, actor=c.users[who])
    client.force_login(c.users["Sekreterare"])
    page = client.get(url(c, "item"))
    assert page.status_code == 200
    assert "justerad omedelbart och kan inte ändras" in page_text(page)
    response = client.post(
        url(c, "item_autosave"),
        json.dumps({"version": c.item.version, "title": "Ändrad"}),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["state"] == "not_editable"


def test_signing_requires_the_second_factor_when_it_is_on(client, settings, protokoll):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.councils.test_sign_in_security import code

    c = protokoll
    justering.paragraph_submit(item=c.item, actor=c.users["Sekreterare"])
    settings.OTP_REQUIRED = True
    client.force_login(c.users["Bo Berg"])
    assert "Kod från autentiseringsappen" in page_text(client.get(url(c, "paragraph_review")))
    none = sign(client, c, "Bo Berg")
    assert none.status_code == 400 and "Aktivera den under Mina uppdrag" in page_text(none)
    device = TOTPDevice.objects.create(user=c.users["Bo Berg"], name="app", confirmed=True)
    wrong = client.post(
        url(c, "paragraph_review"),
        {"action": "sign", "password": factories.PASSWORD, "otp_code": "123456"},
    )
    text = page_text(wrong)
    assert wrong.status_code == 400 and "Koden från autentiseringsappen stämmer inte" in text
    assert "Paragrafen är inte justerad" in text
    assert justering.progress(c.minutes, c.item).signed == {}
    # django-otp throttles the device for a second after a wrong code
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    ok = client.post(
        url(c, "paragraph_review"),
        {
            "action": "sign",
            "password": factories.PASSWORD,
            "otp_code": code(device),
            "submission": read(c),
        },
    )
    assert ok.status_code == 302
    assert set(justering.progress(c.minutes, c.item).signed) == {c["Bo Berg"].pk}


def test_a_councils_item_has_no_omedelbar_justering(client, cast, draft):
    item = draft.items.order_by("position").first()
    args = [*SLUGS, draft.meeting.pk, item.pk]
    client.force_login(cast.secretary)
    assert client.get(reverse("drafting:paragraph_review", args=args)).status_code == 404
    assert client.post(reverse("drafting:paragraph_submit", args=args)).status_code == 404
    # the råd's meeting page is as before
    assert "Omedelbar justering" not in page_text(
        client.get(reverse("drafting:meeting", args=[*SLUGS, draft.meeting.pk]))
    )
