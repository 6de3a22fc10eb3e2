"""Submit, return, resubmit, approve: the approved record is frozen, signed and stored once."""

import hashlib
import json
import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from core.models import AuditEvent
from councils.models import Membership
from minutes import services
from minutes.models import AgendaItem, ApprovedRevision, Minutes, MinutesEvent, Signature
from tests import factories
from tests.minutes import pdftext
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]


def u(name, draft):
    return reverse(f"drafting:{name}", args=[*SLUGS, draft.meeting.pk])


@pytest.fixture
def people_with_email(cast):
    for user in (cast.secretary, cast.chair, cast.member):
        person = user.person
        person.email = f"{user.username}@example.org"
        person.save()


def approve(client, cast, draft, password=factories.PASSWORD):
    client.force_login(cast.chair)
    return client.post(u("review", draft), {"action": "approve", "password": password})


def test_the_whole_loop_submit_return_resubmit_approve(
    client, cast, draft, people_with_email, django_capture_on_commit_callbacks
):
    def after_commit():
        return django_capture_on_commit_callbacks(execute=True)

    AgendaItem.objects.filter(minutes=draft, position=3).first().sections.filter(
        heading="ABO"
    ).update(body="<p>Kameror.</p>")
    client.force_login(cast.secretary)
    with after_commit():
        assert client.post(u("submit", draft))["Location"] == u("meeting", draft)
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.SUBMITTED
    assert list(draft.items.get(position=3).sections.values_list("heading", flat=True)) == ["ABO"]
    assert mail.outbox[-1].bcc == ["ordforande@example.org"]
    assert "väntar på ditt godkännande" in mail.outbox[-1].body

    client.force_login(cast.chair)
    assert client.post(u("review", draft), {"action": "return", "comment": ""}).status_code == 400
    with after_commit():
        client.post(
            u("review", draft), {"action": "return", "comment": "Rätta stavningen i punkt 4."}
        )
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.DRAFT
    assert "Rätta stavningen i punkt 4." in mail.outbox[-1].body
    assert "sekreterare@example.org" in mail.outbox[-1].bcc

    client.force_login(cast.secretary)
    assert "Rätta stavningen i punkt 4." in page_text(client.get(u("meeting", draft)))
    item = draft.items.get(position=4)
    services.item_save(
        item=item,
        version=item.version,
        title=item.title,
        body="<p>Inga frågor.</p>",
        decision="",
        is_public=True,
        confidentiality_ground="",
        sections=[],
        actor=cast.secretary,
    )
    client.post(u("submit", draft))

    client.force_login(cast.chair)
    review = page_text(client.get(u("review", draft)))
    changes = review[review.index("Ändrat sedan du återsände") : review.index("Plats och tid")]
    assert changes.strip() == "Ändrat sedan du återsände Ändrat: 4. Övriga frågor"

    wrong = approve(client, cast, draft, password="fel")
    assert wrong.status_code == 400 and "Lösenordet stämmer inte" in wrong.content.decode()
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()  # throttling sees it

    with after_commit():
        assert approve(client, cast, draft, password=factories.PASSWORD).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.APPROVED
    revision = draft.approved_revision
    stored = default_storage.open(revision.pdf_name).read()
    assert (
        hashlib.sha256(stored).hexdigest() == revision.pdf_sha256
        and len(stored) == revision.pdf_size
    )
    signature = revision.signatures.get()
    assert (signature.name, signature.role, signature.user) == (
        "Olle Ordförande",
        "Ordförande",
        cast.chair,
    )
    assert signature.ip_address == "127.0.0.1"
    lines = pdftext.raw_lines(stored)[-1]
    assert lines[lines.index("Olle Ordförande") + 1 : lines.index("Olle Ordförande") + 3] == [
        "Ordförande",
        f"Justerat elektroniskt {services.signed_text(revision.approved_at)[22:]}",
    ]
    assert [e.kind for e in draft.events.all()] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    assert "är godkända" in mail.outbox[-1].body and "ledamot@example.org" in mail.outbox[-1].bcc

    download = client.get(
        reverse("minutes:approved_pdf", args=[*SLUGS, draft.meeting.pk]), follow=True
    )
    assert b"".join(download.streaming_content) == stored
    assert download["ETag"] == f'"{revision.pdf_sha256}"'


def test_a_wrong_password_stands_next_to_the_field_which_has_focus(client, cast, draft):
    """Without script: the form comes before the long minutes, the error next to the field
    (and read with it), which has focus."""
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    client.force_login(cast.chair)
    html = approve(client, cast, draft, password="fel").content.decode()
    field = re.search(r'<input[^>]*\bid="password"[^>]*>', html).group(0)
    assert "autofocus" in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="password-error"' in field
    after = html[html.index(field) + len(field) :]
    assert re.match(
        r'\s*<p class="invalid-feedback d-block" id="password-error">Lösenordet stämmer inte', after
    )
    assert html.index(field) < html.index('class="minutes-doc"')  # the form comes first
    assert html.count("autofocus") == 1
    # a page without an error focuses nothing, and the form follows the minutes
    html = client.get(u("review", draft)).content.decode()
    assert "autofocus" not in html
    assert html.index('class="minutes-doc"') < html.index('id="password"')


def test_the_approved_record_cannot_be_changed_by_any_path(client, cast, draft):
    client.force_login(cast.secretary)
    client.post(u("submit", draft))
    approve(client, cast, draft)
    revision = ApprovedRevision.objects.get()
    before = default_storage.open(revision.pdf_name).read()

    revision.pdf_sha256 = "0" * 64
    with pytest.raises(DatabaseError), transaction.atomic():
        revision.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ApprovedRevision.objects.update(correction_reason="ändrat")
    with pytest.raises(DatabaseError), transaction.atomic():
        ApprovedRevision.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.update(name="Någon annan")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE minutes_approvedrevision SET snapshot = %s", [json.dumps({})])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM minutes_signature")

    # The live items are locked by the services' state checks; the views answer 409.
    item = draft.items.get(position=4)
    client.force_login(cast.secretary)
    assert client.post(u("item_add", draft), {"title": "Sent"}).status_code == 409
    with pytest.raises(services.NotEditable):
        services.item_save(
            item=item,
            version=item.version,
            title="x",
            body="",
            decision="",
            is_public=True,
            confidentiality_ground="",
            sections=[],
            actor=None,
        )
    # The admin refuses deletion with a message, never a 500.
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:minutes_minutes_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert response.status_code in (200, 403)
    assert Minutes.objects.filter(pk=draft.pk).exists()

    fresh = ApprovedRevision.objects.get()
    assert fresh.pdf_sha256 == hashlib.sha256(before).hexdigest()
    download = client.get(
        reverse("minutes:approved_pdf", args=[*SLUGS, draft.meeting.pk]), follow=True
    )
    assert b"".join(download.streaming_content) == before


WORKFLOW = ["submit", "withdraw", "review"]


@pytest.mark.parametrize(
    ("who", "submit", "review_get", "review_post"),
    [
        (None, 302, 302, 302),
        ("outsider", 404, 404, 404),
        ("member", 403, 403, 403),
        ("chair", 403, 200, 302),
        ("vice_chair", 403, 200, 403),
        ("secretary", 302, 403, 403),
    ],
)
def test_workflow_permission_matrix(client, cast, draft, who, submit, review_get, review_post):
    if who == "vice_chair":
        vice = factories.person("Vera Vice")
        factories.membership(vice, cast.council, Membership.Role.VICE_CHAIR)
        user = factories.user("vice", person_obj=vice)
    else:
        user = getattr(cast, who) if who else None
    if user:
        client.force_login(user)
    response = client.post(u("submit", draft))
    assert response.status_code == submit
    if submit != 302 or who is None:
        draft.refresh_from_db()
        assert draft.status == Minutes.Status.DRAFT
        services.minutes_submit(minutes=draft, actor=cast.secretary)
    assert client.get(u("review", draft)).status_code == review_get
    response = client.post(u("review", draft), {"action": "return", "comment": "Ändra."})
    assert response.status_code == review_post
    draft.refresh_from_db()
    expected = Minutes.Status.DRAFT if who == "chair" else Minutes.Status.SUBMITTED
    assert draft.status == expected


def test_wrong_states_are_refused(client, cast, draft):
    client.force_login(cast.secretary)
    assert client.post(u("withdraw", draft)).status_code == 409  # not submitted
    client.post(u("submit", draft))
    assert client.post(u("submit", draft)).status_code == 409
    assert client.post(u("withdraw", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.DRAFT
    client.force_login(cast.chair)
    assert approve(client, cast, draft).status_code == 409
    assert not ApprovedRevision.objects.exists()
    assert MinutesEvent.objects.filter(kind="withdrawn").count() == 1


def move_meeting(draft, day):
    from minutes.models import Meeting

    Meeting.objects.filter(pk=draft.meeting_id).update(date=day)
    draft.meeting.refresh_from_db()


def test_minutes_are_not_submitted_before_the_meeting_is_held(client, cast, draft):
    import datetime

    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    move_meeting(draft, tomorrow)
    client.force_login(cast.secretary)
    response = client.post(u("submit", draft))
    assert response.status_code == 409
    text = page_text(response)
    assert f"Mötet hålls den {tomorrow.day} " in text
    assert "kan skickas för godkännande först när mötet har hållits" in text
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.DRAFT
    assert not MinutesEvent.objects.exists()

    move_meeting(draft, timezone.localdate())  # on the day itself, after the meeting
    assert client.post(u("submit", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.SUBMITTED


def test_minutes_are_not_approved_before_the_meeting_is_held(client, cast, draft):
    import datetime

    from django.utils import timezone

    services.minutes_submit(minutes=draft, actor=cast.secretary)
    move_meeting(draft, timezone.localdate() + datetime.timedelta(days=60))
    response = approve(client, cast, draft)
    assert response.status_code == 409
    assert "kan godkännas först när mötet har hållits" in page_text(response)
    assert not ApprovedRevision.objects.exists()
    with pytest.raises(services.NotAllowed, match="först när mötet har hållits"):
        services.minutes_approve(minutes=draft, actor=cast.chair)


def test_minutes_of_a_coming_meeting_are_not_recorded_as_approved_on_paper(cast):
    import datetime

    from django.utils import timezone

    meeting = factories.meeting(cast.council, timezone.localdate() + datetime.timedelta(days=5))
    minutes = factories.minutes(meeting, status="approved")
    with pytest.raises(services.NotAllowed, match="först när mötet har hållits"):
        services.record_historical_revision(minutes=minutes, approved_at=timezone.now())
    assert not ApprovedRevision.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_give_exactly_one(cast):
    import datetime
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from minutes.models import Minutes as M
    from tests.minutes.drafting_fixtures import standing_agenda

    standing_agenda(cast.council)
    meeting = services.meeting_create(
        council=cast.council,
        date=datetime.date(2025, 2, 24),
        start_time=None,
        end_time=None,
        place="",
        actor=cast.secretary,
    )
    minutes = meeting.minutes.get()
    services.minutes_submit(minutes=minutes, actor=cast.secretary)
    barrier = threading.Barrier(2)

    def approve_once() -> str:
        try:
            barrier.wait()
            services.minutes_approve(minutes=M.objects.get(pk=minutes.pk), actor=cast.chair)
            return "approved"
        except services.NotAllowed:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(
            f.result(timeout=60) for f in [pool.submit(approve_once), pool.submit(approve_once)]
        )
    assert outcomes == ["approved", "refused"]
    assert ApprovedRevision.objects.filter(minutes=minutes).count() == 1
    assert Signature.objects.count() == 1


def test_confidential_items_give_a_public_and_an_internal_pdf(client, cast, draft):
    from django.core.files.storage import storages

    item = draft.items.get(position=4)
    services.item_save(
        item=item,
        version=1,
        title="Enskilt ärende",
        body="<p>Känsliga uppgifter.</p>",
        decision="",
        is_public=False,
        confidentiality_ground="OSL 26 kap. 1 §",
        sections=[],
        actor=None,
    )
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    revision = services.minutes_approve(minutes=draft, actor=cast.chair)
    public = " ".join(
        " ".join(p) for p in pdftext.raw_lines(default_storage.open(revision.pdf_name).read())
    )
    assert "4. Sekretessbelagt ärende – utelämnat enligt OSL 26 kap. 1 §" in public
    assert "Känsliga" not in public and "Enskilt ärende" not in public
    internal_bytes = storages["private"].open(revision.internal_pdf_name).read()
    assert hashlib.sha256(internal_bytes).hexdigest() == revision.internal_pdf_sha256
    assert not default_storage.exists(revision.internal_pdf_name)  # never in the public storage

    url = reverse("drafting:internal_pdf", args=[*SLUGS, draft.meeting.pk])
    client.force_login(cast.member)
    response = client.get(url)
    internal = " ".join(
        " ".join(p) for p in pdftext.raw_lines(b"".join(response.streaming_content))
    )
    assert "4. Enskilt ärende" in internal and "Känsliga uppgifter." in internal
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_correction_becomes_a_new_revision_that_supersedes_the_old(client, cast, draft):
    draft.items.filter(position=2).update(points=[{"text": "Ett mål"}])
    first = submit_and_approve(draft, cast)
    first_bytes = default_storage.open(first.pdf_name).read()
    client.force_login(cast.member)
    assert client.post(u("correction", draft), {"reason": "Fel datum"}).status_code == 403
    client.force_login(cast.chair)
    assert (
        client.post(u("correction", draft), {"reason": " "}).status_code == 302
    )  # message, nothing made
    assert draft.meeting.minutes.count() == 1
    client.post(u("correction", draft), {"reason": "Fel namn i närvarolistan."})
    correction = draft.meeting.minutes.get(revision=2)
    assert correction.status == Minutes.Status.DRAFT and correction.corrects == first
    assert correction.items.count() == draft.items.count()
    assert correction.items.get(position=2).points == [{"text": "Ett mål"}]  # item data too
    assert (
        client.post(u("correction", draft), {"reason": "igen"}).status_code == 409
    )  # the draft is not approved

    item = correction.items.get(position=4)
    services.item_save(
        item=item,
        version=1,
        title=item.title,
        body="<p>Rättad text.</p>",
        decision="",
        is_public=True,
        confidentiality_ground="",
        sections=[],
        actor=None,
    )
    second = submit_and_approve(correction, cast)
    assert second.supersedes == first and second.correction_reason == "Fel namn i närvarolistan."
    text = " ".join(
        " ".join(p) for p in pdftext.raw_lines(default_storage.open(second.pdf_name).read())
    )
    assert "Rättelse, version 2, ersätter version 1. Skäl: Fel namn i närvarolistan." in text

    latest = client.get(
        reverse("minutes:approved_pdf", args=[*SLUGS, draft.meeting.pk]), follow=True
    )
    assert b"".join(latest.streaming_content) == default_storage.open(second.pdf_name).read()
    old = client.get(
        reverse("minutes:approved_pdf_revision", args=[*SLUGS, draft.meeting.pk, 1]), follow=True
    )
    assert b"".join(old.streaming_content) == first_bytes
    client.force_login(cast.secretary)
    page = page_text(client.get(u("meeting", draft)))
    assert "Version 1" in page and "ersatt av version 2" in page


def test_an_administrator_withdraws_the_public_copy_and_the_record_stays(client, cast, draft):
    revision = submit_and_approve(draft, cast)
    stored = default_storage.open(revision.pdf_name).read()
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:minutes_publicationwithdrawal_add"),
        {"revision": revision.pk, "reason": "Personuppgifter publicerades av misstag."},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="minutes.publication_withdrawn").exists()
    public = client.get(reverse("minutes:approved_pdf", args=[*SLUGS, draft.meeting.pk]))
    assert public.status_code == 410
    assert "Personuppgifter publicerades av misstag." in public.content.decode()
    assert default_storage.open(revision.pdf_name).read() == stored
    again = client.post(
        reverse("admin:minutes_publicationwithdrawal_add"),
        {"revision": revision.pk, "reason": "Igen"},
    )
    assert again.status_code == 200  # already withdrawn: a message, not a second row
    client.force_login(cast.secretary)
    assert "Publiceringen tillbakadragen" in page_text(client.get(u("meeting", draft)))


@pytest.mark.django_db(transaction=True)
def test_in_production_the_emails_wait_for_the_database_worker(cast, settings):
    import datetime

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from tests.minutes.drafting_fixtures import standing_agenda

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    person = cast.chair.person
    person.email = "ordforande@example.org"
    person.save()
    standing_agenda(cast.council)
    meeting = services.meeting_create(
        council=cast.council,
        date=datetime.date(2025, 2, 24),
        start_time=None,
        end_time=None,
        place="",
        actor=cast.secretary,
    )
    services.minutes_submit(minutes=meeting.minutes.get(), actor=cast.secretary)
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.bcc for m in mail.outbox] == [["ordforande@example.org"]]


@pytest.mark.parametrize(
    ("who", "withdraw", "correction", "internal"),
    [
        (None, 302, 302, 302),
        ("outsider", 404, 404, 404),
        ("member", 403, 403, 404),
        ("vice_chair", 403, 403, 404),
        ("secretary", 409, 403, 404),
        ("chair", 403, 302, 404),
        ("admin", 409, 302, 404),
    ],
)
def test_approved_minutes_permission_matrix(
    client, cast, draft, who, withdraw, correction, internal
):
    """Over approved minutes without confidential items: nobody withdraws them back to draft,
    the chair and administrators start corrections, there is no internal copy to read."""
    submit_and_approve(draft, cast)
    if who == "vice_chair":
        vice = factories.person("Vera Vice")
        factories.membership(vice, cast.council, Membership.Role.VICE_CHAIR)
        client.force_login(factories.user("vice", person_obj=vice))
    elif who:
        client.force_login(getattr(cast, who))
    assert client.post(u("withdraw", draft)).status_code == withdraw
    assert (
        client.get(reverse("drafting:internal_pdf", args=[*SLUGS, draft.meeting.pk])).status_code
        == internal
    )
    assert client.post(u("correction", draft), {"reason": "Skäl"}).status_code == correction
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.APPROVED
    assert draft.meeting.minutes.count() == (2 if correction == 302 and who else 1)
