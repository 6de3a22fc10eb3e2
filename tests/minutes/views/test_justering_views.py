"""The justering of a nämnd's protokoll on the staff pages (issue 19, points 1 and 2): the review
page where each signatory (secretary, chair, justerare) signs with their password and second
factor or returns it, the signatories panel there and on the meeting page, and the workspace's
lists of what waits for one's justering and, for the secretary, who has not signed."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from core.dates import long_date
from core.models import AuditEvent
from minutes import pdf as minutes_pdf
from minutes import services
from minutes.models import AdjustmentSignature, Announcement, Minutes
from minutes.services import justering
from tests import factories
from tests.minutes import committee_fixtures as cf
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
SIGNED = re.compile(r"Justerat elektroniskt \d{4}-\d\d-\d\d kl\. \d\d\.\d\d")


@pytest.fixture
def protokoll(cast):
    """The nämnd's meeting and its four signatories (committee_fixtures.signing)."""
    return cf.signing(cast)


def u(name: str, c) -> str:
    return reverse(f"drafting:{name}", args=[*SLUGS, c.minutes.meeting_id])


def fresh(c) -> Minutes:
    return Minutes.objects.get(pk=c.minutes.pk)


def submit(c) -> None:
    services.minutes_submit(minutes=fresh(c), actor=c.users["Sekreterare"])


def as_(client: Client, c, who: str) -> Client:
    client.force_login(c.users[who])
    return client


def read(c) -> int | str:
    """The submission the review page states in its sign form (the one being justerad)."""
    submission = justering.current_submission(fresh(c))
    return submission.pk if submission else ""


def sign(client, c, who: str, **extra):
    return as_(client, c, who).post(
        u("review", c),
        {"action": "sign", "password": factories.PASSWORD, "submission": read(c), **extra},
        follow=True,
    )


def panel(page: str) -> str:
    """The text of the justering panel: from its heading to the end of the table."""
    start = page.index("Justering ")
    return page[start : start + 600]


def test_the_secretary_submits_and_is_taken_to_justera_as_sekreterare(client, protokoll):
    response = as_(client, protokoll, "Sekreterare").post(u("submit", protokoll), follow=True)
    assert response.redirect_chain[-1][0] == u("review", protokoll)
    page = page_text(response)
    assert "Protokollet är skickat till ordföranden och justerarna för justering." in page
    assert "Du justerar protokollet som sekreterare här, nu eller senare" in page
    assert "0 av 4 har justerat." in page
    assert "Ska justeras senast 23 mars 2026." in page and "Försenad" in page
    for role, name in (
        ("Sekreterare", "Sara Sekreterare"),
        ("Ordförande", "Anna Ek"),
        ("Justerare", "Bo Berg"),
        ("Justerare", "Eva Grön"),
    ):
        assert f"{role}{name} Har inte justerat" in page  # the table's cells, as read
    assert "Justera som sekreterare" in page
    # the secretary takes it back on the meeting page; she does not return it
    assert 'value="return"' not in response.content.decode()
    assert "tar du tillbaka det på mötets sida" in page

    signed = sign(client, protokoll, "Sekreterare")
    page = page_text(signed)
    assert signed.redirect_chain[-1][0] == u("review", protokoll)
    assert "Du har justerat protokollet. 1 av 4 har justerat." in page
    assert re.search(r"SekreterareSara Sekreterare " + SIGNED.pattern, page)
    assert "Justera som sekreterare" not in page
    row = AdjustmentSignature.objects.get()
    assert (row.person, row.role) == (protokoll.users["Sekreterare"].person, "Sekreterare")


def test_the_chair_and_the_justerare_sign_and_the_last_signature_posts_the_anslag(
    client, protokoll, django_capture_on_commit_callbacks
):
    submit(protokoll)
    review = page_text(as_(client, protokoll, "Bo Berg").get(u("review", protokoll)))
    assert "Justera som justerare" in review and "Återsänd till sekreteraren" in review
    assert "Protokollet från" in review and "så som det kommer att publiceras" in review
    assert "Du har justerat protokollet. 1 av 4 har justerat." in page_text(
        sign(client, protokoll, "Bo Berg")
    )
    review = page_text(as_(client, protokoll, "Ordförande").get(u("review", protokoll)))
    assert "Justera som ordförande" in review and "Återsänd till sekreteraren" in review
    assert re.search(r"JusterareBo Berg " + SIGNED.pattern, review)
    assert "2 av 4" in page_text(sign(client, protokoll, "Ordförande"))
    assert "3 av 4" in page_text(sign(client, protokoll, "Sekreterare"))
    with django_capture_on_commit_callbacks(execute=True):
        last = sign(client, protokoll, "Eva Grön")
    assert last.redirect_chain[-1][0] == u("meeting", protokoll)
    announcement = Announcement.objects.get(kind=Announcement.Kind.PROTOCOL)
    page = page_text(last)
    assert (
        "Protokollet är justerat och anslaget på anslagstavlan. Sista dag att överklaga är "
        f"{long_date(announcement.last_day_to_appeal)}."
    ) in page
    assert fresh(protokoll).status == Minutes.Status.APPROVED
    # the meeting page: everyone's signature, and that it was justerat too late
    assert len(SIGNED.findall(panel(page))) == 4
    assert "justerades för sent" in page and "Har inte justerat" not in page


def test_the_review_page_says_when_the_justering_is_not_late(client, protokoll):
    submit(protokoll)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 3, 16)):
        page = page_text(as_(client, protokoll, "Eva Grön").get(u("review", protokoll)))
    assert "Ska justeras senast 23 mars 2026." in page and "Försenad" not in page


def test_anonymous_is_sent_to_sign_in(client, protokoll):
    submit(protokoll)
    for response in (client.get(u("review", protokoll)), client.post(u("review", protokoll))):
        assert response.status_code == 302 and "/konto/" in response["Location"]


def test_another_councils_user_gets_404(client, cast, protokoll):
    submit(protokoll)
    client.force_login(cast.outsider)
    assert client.get(u("review", protokoll)).status_code == 404
    posted = client.post(u("review", protokoll), {"action": "sign", "password": "x"})
    assert posted.status_code == 404


def test_a_member_who_does_not_justera_gets_403(client, cast, protokoll):
    submit(protokoll)
    vice_not_adjuster = factories.user("cecilia", person_obj=protokoll["Cecilia Dahl"])
    for user in (cast.member, vice_not_adjuster):
        client.force_login(user)
        assert client.get(u("review", protokoll)).status_code == 403
        for action in ("sign", "return"):
            posted = client.post(
                u("review", protokoll),
                {"action": action, "password": factories.PASSWORD, "comment": "Nej."},
            )
            assert posted.status_code == 403
    assert not AdjustmentSignature.objects.exists()
    assert fresh(protokoll).status == Minutes.Status.SUBMITTED
    # nor is the review offered on the meeting page
    assert "Granska och justera" not in page_text(client.get(u("meeting", protokoll)))


def test_a_draft_is_not_justerat(client, protokoll):
    client = as_(client, protokoll, "Ordförande")
    page = page_text(client.get(u("review", protokoll)))
    assert "Protokollet väntar inte på justering just nu." in page
    assert "Justera som" not in page
    posted = client.post(u("review", protokoll), {"action": "sign", "password": factories.PASSWORD})
    assert posted.status_code == 409
    assert "Bara ett protokoll som väntar på justering kan justeras." in page_text(posted)
    assert not AdjustmentSignature.objects.exists()


def test_a_wrong_password_is_refused_and_audited(client, protokoll):
    submit(protokoll)
    client = as_(client, protokoll, "Bo Berg")
    wrong = client.post(u("review", protokoll), {"action": "sign", "password": "fel"})
    assert wrong.status_code == 400
    assert "Lösenordet stämmer inte. Protokollet är inte justerat." in page_text(wrong)
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert not AdjustmentSignature.objects.exists()
    assert AuditEvent.objects.filter(action="minutes.approve_password_failed").exists()


def test_the_second_factor_is_required_when_it_is_on(client, protokoll, settings):
    settings.OTP_REQUIRED = True
    submit(protokoll)
    client = as_(client, protokoll, "Eva Grön")
    assert "Kod från autentiseringsappen" in page_text(client.get(u("review", protokoll)))
    refused = client.post(
        u("review", protokoll), {"action": "sign", "password": factories.PASSWORD}
    )
    assert refused.status_code == 400 and "Aktivera den under Mina uppdrag" in page_text(refused)
    assert not AdjustmentSignature.objects.exists()


def test_a_second_signature_by_the_same_person_is_refused(client, protokoll):
    submit(protokoll)
    sign(client, protokoll, "Ordförande")
    again = as_(client, protokoll, "Ordförande").post(
        u("review", protokoll),
        {"action": "sign", "password": factories.PASSWORD, "submission": read(protokoll)},
    )
    assert again.status_code == 409
    assert "Du har redan justerat protokollet." in page_text(again)
    assert AdjustmentSignature.objects.count() == 1


def test_a_failed_render_at_the_last_signature_justerar_nothing(client, protokoll, monkeypatch):
    submit(protokoll)
    for who in ("Sekreterare", "Ordförande", "Bo Berg"):
        sign(client, protokoll, who)

    def fail(*args, **kwargs):
        raise minutes_pdf.RenderError("PDF:en tog för lång tid att skapa.")

    monkeypatch.setattr(minutes_pdf.get_renderer(), "render_html", fail)
    response = as_(client, protokoll, "Eva Grön").post(
        u("review", protokoll),
        {"action": "sign", "password": factories.PASSWORD, "submission": read(protokoll)},
    )
    assert response.status_code == 400
    assert "En PDF kunde inte skapas, så protokollet är inte justerat" in page_text(response)
    assert fresh(protokoll).status == Minutes.Status.SUBMITTED
    assert AdjustmentSignature.objects.count() == 3


def test_a_signature_signs_the_submission_the_page_showed(client, protokoll):
    """The secretary takes the protokoll back, changes it and submits it again while a
    justerare has the review page open: the justerare's signature is refused, not given to a
    text they did not read; a form without the submission (or a tampered one) signs nothing."""
    submit(protokoll)
    shown = read(protokoll)
    services.minutes_withdraw(minutes=fresh(protokoll), actor=protokoll.users["Sekreterare"])
    submit(protokoll)
    for posted in (shown, "", "abc"):
        stale = as_(client, protokoll, "Bo Berg").post(
            u("review", protokoll),
            {"action": "sign", "password": factories.PASSWORD, "submission": posted},
        )
        assert stale.status_code == 409
        assert "har skickats på nytt sedan du öppnade sidan" in page_text(stale)
    assert not AdjustmentSignature.objects.exists()
    assert "1 av 4 har justerat." in page_text(sign(client, protokoll, "Bo Berg"))


def test_a_return_voids_the_signatures(client, protokoll):
    submit(protokoll)
    sign(client, protokoll, "Sekreterare")
    sign(client, protokoll, "Ordförande")
    # the secretary does not return (she takes it back)
    refused = as_(client, protokoll, "Sekreterare").post(
        u("review", protokoll), {"action": "return", "comment": "Nej."}
    )
    assert refused.status_code == 403
    returned = as_(client, protokoll, "Bo Berg").post(
        u("review", protokoll), {"action": "return", "comment": "Rätta § 3."}, follow=True
    )
    assert "Protokollet är återsänt till sekreteraren." in page_text(returned)
    assert fresh(protokoll).status == Minutes.Status.DRAFT
    # the secretary's workspace flags it, and the meeting page says who returned it, and why
    workspace = page_text(as_(client, protokoll, "Sekreterare").get(reverse("drafting:workspace")))
    assert "Förebyggande rådet 9 mars 2026 Återsänt – se kommentaren" in workspace
    meeting_page = page_text(as_(client, protokoll, "Sekreterare").get(u("meeting", protokoll)))
    assert "Återsänt av Bo Berg" in meeting_page and "Rätta § 3." in meeting_page
    submit(protokoll)
    page = page_text(as_(client, protokoll, "Ordförande").get(u("review", protokoll)))
    assert "0 av 4 har justerat." in page and not SIGNED.search(page)
    assert "Justera som ordförande" in page
    assert AdjustmentSignature.objects.count() == 2  # kept, but void


def test_the_meeting_page_shows_who_has_signed(client, cast, protokoll):
    meeting_page = page_text(as_(client, protokoll, "Sekreterare").get(u("meeting", protokoll)))
    assert "Har inte justerat" not in meeting_page  # a draft: no panel yet
    submit(protokoll)
    sign(client, protokoll, "Bo Berg")
    client.force_login(cast.member)  # any member reads it
    page = page_text(client.get(u("meeting", protokoll)))
    text = panel(page)
    assert "1 av 4 har justerat." in text and "Ska justeras senast 23 mars 2026." in text
    assert "Försenad" in text
    assert re.search(r"JusterareBo Berg " + SIGNED.pattern, text)
    assert "OrdförandeAnna Ek Har inte justerat" in text


def test_the_workspace_lists_what_waits_for_ones_justering(client, protokoll):
    submit(protokoll)
    client = as_(client, protokoll, "Bo Berg")
    response = client.get(reverse("drafting:workspace"))
    page = page_text(response)
    assert "Väntar på din justering" in page
    assert "Ska justeras senast 23 mars 2026. Försenad" in page
    assert f'href="{u("review", protokoll)}"' in response.content.decode()
    sign(client, protokoll, "Bo Berg")
    assert "Väntar på din justering" not in page_text(client.get(reverse("drafting:workspace")))


def test_the_workspace_shows_the_secretary_who_has_not_signed(client, protokoll):
    submit(protokoll)
    sign(client, protokoll, "Ordförande")
    sign(client, protokoll, "Eva Grön")
    page = page_text(as_(client, protokoll, "Sekreterare").get(reverse("drafting:workspace")))
    assert "Protokoll under justering" in page
    assert "2 av 4 har justerat. Har inte justerat: Sara Sekreterare, Bo Berg." in page
    # her own signature waits for her too
    assert "Väntar på din justering" in page


def test_the_workspace_queries_do_not_grow_with_the_protokoll(
    client, cast, protokoll, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(protokoll)
    client = as_(client, protokoll, "Sekreterare")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("drafting:workspace"))
    second = cf.meeting(protokoll, date=datetime.date(2026, 3, 23))
    meeting = second.meeting
    meeting.secretary = cast.secretary.person
    meeting.save(update_fields=["secretary"])
    for position in range(1, 5):
        item = cf.item_at(second, position)
        cf.save(item, None, parts=services.PartsInput(decision_points="Nämnden beslutar."))
    services.minutes_submit(minutes=Minutes.objects.get(pk=second.pk), actor=cast.secretary)
    with CaptureQueriesContext(connection) as two:
        page = page_text(client.get(reverse("drafting:workspace")))
    assert page.count("0 av 4 har justerat.") == 2
    # the secretary's list reads no more queries for a second protokoll; what waits for her
    # signature (justering.waiting_for) a few per protokoll
    assert len(two) - len(one) <= 6


def test_a_paragraph_sent_at_once_is_listed_with_its_label(client, protokoll):
    item = cf.item_at(protokoll.minutes, 2)
    type(item).objects.filter(pk=item.pk).update(immediate_adjustment=True)
    item.refresh_from_db()
    justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])
    response = as_(client, protokoll, "Eva Grön").get(reverse("drafting:workspace"))
    page = page_text(response)
    assert "Väntar på din justering" in page and "(omedelbar justering)" in page
    try:
        url = reverse("drafting:paragraph_review", args=[*SLUGS, item.minutes.meeting_id, item.pk])
    except Exception:
        url = u("meeting", protokoll)
    assert f'href="{url}"' in response.content.decode()
