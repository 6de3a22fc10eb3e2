"""The notice e-mails are delivered to each recipient once: one the mail server refuses is
recorded and tried again with back-off (never twice to one recipient), and the secretary's
notice page says who got it and who did not yet."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from minutes import services, tasks
from minutes.models import NoticeRecipient
from minutes.services import notice as notice_service
from tests.minutes import mailers
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
Delivery = NoticeRecipient.Delivery
BUSY = "ledamot@example.org"


@pytest.fixture
def english_default(settings):
    """LANGUAGE_CODE=en, a worker's language; the resolver's addresses (kept per language,
    prefixes included) are forgotten before and after."""
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def refusing(settings, cast):
    for user in (cast.secretary, cast.chair, cast.member):
        person = user.person
        person.email = f"{user.username}@example.org"
        person.save()
    settings.MAILERS = {"default": {"BACKEND": "tests.minutes.mailers.RefusingBackend"}}
    mailers.REFUSE.clear()
    yield mailers.REFUSE
    mailers.REFUSE.clear()


def sent_to(address: str) -> int:
    return sum(address in message.to for message in mail.outbox)


def send(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notice_send(meeting=draft.meeting, actor=None)


def test_a_refused_recipient_is_retried_later_and_sent_once(
    cast, draft, refusing, django_capture_on_commit_callbacks
):
    refusing[BUSY] = 1
    before = timezone.now()
    notice = send(draft, django_capture_on_commit_callbacks)
    busy = notice.recipients.get(email=BUSY)
    assert busy.delivery == Delivery.PENDING and busy.attempts == 1 and busy.emailed_at is None
    assert "Mailbox busy" in busy.last_error
    assert before + datetime.timedelta(minutes=1) <= busy.next_attempt_at
    assert busy.next_attempt_at <= timezone.now() + datetime.timedelta(minutes=1)
    # the others were sent all the same
    assert sent_to("sekreterare@example.org") == sent_to("ordforande@example.org") == 1
    assert sent_to(BUSY) == 0
    # not before the back-off
    assert notice_service.notices_retry_due(now=busy.next_attempt_at - datetime.timedelta(1)) == 0
    assert notice_service.notices_retry_due(now=busy.next_attempt_at) == 1
    busy.refresh_from_db()
    assert busy.delivery == Delivery.SENT and busy.attempts == 2 and busy.emailed_at
    assert busy.next_attempt_at is None
    assert [sent_to(r.email) for r in notice.recipients.exclude(email="")] == [1, 1, 1]


def test_a_retry_never_sends_again_to_a_delivered_recipient(
    cast, draft, refusing, django_capture_on_commit_callbacks
):
    refusing[BUSY] = 1
    notice = send(draft, django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(hours=1)
    for _round in range(3):  # the task queued twice, a cron run besides
        notice_service.notice_deliver(notice.pk, now=later)
        notice_service.notices_retry_due(now=later)
    tasks.send_notice.call(notice.pk)
    assert len(mail.outbox) == 3
    assert all(sent_to(r.email) == 1 for r in notice.recipients.exclude(email=""))
    # a recipient another worker has claimed is left to it
    mail.outbox.clear()
    notice.recipients.filter(email=BUSY).update(
        delivery=Delivery.SENDING, emailed_at=None, attempts=0
    )
    notice_service.notice_deliver(notice.pk, now=later)
    assert mail.outbox == []


def test_the_back_off_grows_and_ends_in_failed(
    cast, draft, refusing, django_capture_on_commit_callbacks
):
    refusing[BUSY] = 100
    notice = send(draft, django_capture_on_commit_callbacks)
    busy = notice.recipients.get(email=BUSY)
    waits = []
    while busy.delivery == Delivery.PENDING:
        now = busy.next_attempt_at
        notice_service.notice_deliver(notice.pk, now=now)
        busy.refresh_from_db()
        if busy.next_attempt_at:
            waits.append(busy.next_attempt_at - now)
    assert [w.total_seconds() / 60 for w in waits] == [5, 30, 120, 480]
    assert busy.delivery == Delivery.FAILED and busy.attempts == notice_service.MAX_ATTEMPTS
    assert busy.next_attempt_at is None and sent_to(BUSY) == 0
    # nothing more is tried once it failed
    assert notice_service.notices_retry_due(now=timezone.now() + datetime.timedelta(days=2)) == 0


def test_a_task_backend_that_defers_queues_the_retry_for_when_it_is_due(
    cast, draft, refusing, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    refusing[BUSY] = 1
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    assert tasks.send_notice.call(notice.pk) == 2
    busy = notice.recipients.get(email=BUSY)
    queued = tasks.send_notice.get_backend().results
    assert [r.task.run_after for r in queued] == [busy.next_attempt_at]
    assert [r.args for r in queued] == [[notice.pk]]


def test_the_command_sends_the_due_retries(
    cast, draft, refusing, django_capture_on_commit_callbacks
):
    refusing[BUSY] = 1
    notice = send(draft, django_capture_on_commit_callbacks)
    notice.recipients.filter(email=BUSY).update(next_attempt_at=timezone.now())
    call_command("send_notices")
    assert sent_to(BUSY) == 1


def test_the_notice_page_says_who_got_it_and_who_did_not_yet(
    client, cast, draft, refusing, django_capture_on_commit_callbacks
):
    refusing[BUSY] = 1
    send(draft, django_capture_on_commit_callbacks)
    client.force_login(cast.secretary)
    url = reverse("drafting:notice", args=[*SLUGS, draft.meeting_id])
    text = page_text(client.get(url))
    assert "2 av 4 mottagare har fått kallelsen per e-post." in text
    assert "sekreterare@example.org, skickad" in text
    assert f"{BUSY} – inte mottagen ännu, nytt försök" in text and "Mailbox busy" in text
    assert "ingen e-postadress" in text


def test_the_notice_links_the_swedish_pages_whatever_the_workers_language(
    cast, draft, refusing, english_default
):
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    notice_service.notice_deliver(notice.pk)
    body = mail.outbox[0].body
    assert f"/sv/arboga/forebyggande-radet/{draft.meeting.date:%Y-%m-%d}/" in body
    assert mail.outbox[0].subject.startswith("Kallelse: ")
