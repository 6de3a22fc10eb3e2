"""The notice e-mails are delivered to each recipient once: one the mail server refuses is
recorded and tried again with back-off (never twice to one recipient), and the secretary's
notice page says who got it and who did not yet."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.db.models import QuerySet
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from core import delivery
from minutes import services, tasks
from minutes.models import Meeting, NoticeRecipient
from minutes.services import notice as notice_service
from tests.minutes import mailers
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
Delivery = NoticeRecipient.Delivery
BUSY = "ledamot@example.org"
FIRST, LAST = "ordforande@example.org", "sekreterare@example.org"  # in the order sent


@pytest.fixture
def draft(draft):
    """The draft of a meeting still to come, as those whose notices cron sends."""
    meeting = draft.meeting
    meeting.date = timezone.localdate() + datetime.timedelta(days=10)
    Meeting.objects.filter(pk=meeting.pk).update(date=meeting.date)
    return draft


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
    mailers.reset()
    yield mailers.REFUSE
    mailers.reset()


def sent_to(address: str) -> int:
    return sum(address in message.to for message in mail.outbox)


def send(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notice_send(meeting=draft.meeting, actor=None)


def test_a_refused_recipient_is_retried_later_and_sent_once(
    cast, draft, refusing, django_capture_on_commit_callbacks, caplog
):
    refusing[BUSY] = 1
    before = timezone.now()
    with caplog.at_level(logging.WARNING, logger="minutes.services.notice"):
        notice = send(draft, django_capture_on_commit_callbacks)
    # logged under the recipient's id; the server's error names the address, the log does not
    [logged] = [r.getMessage() for r in caplog.records if r.name == "minutes.services.notice"]
    assert "Mailbox busy" in logged and BUSY not in logged
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
        delivery=Delivery.SENDING, emailed_at=None, attempts=0, claimed_at=later
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


def test_any_error_fails_that_recipient_alone_and_it_is_retried(
    cast, draft, refusing, django_capture_on_commit_callbacks, caplog
):
    """Not only the mail server's refusal: whatever the sending raises (a backend's ValueError,
    BadHeaderError, UnicodeEncodeError …) is recorded as a failed attempt of that recipient,
    logged with its traceback under the recipient's id, and the round goes on."""
    mailers.BREAK[FIRST] = 1
    with caplog.at_level(logging.WARNING, logger="minutes.services.notice"):
        notice = send(draft, django_capture_on_commit_callbacks)
    broken = notice.recipients.get(email=FIRST)
    assert broken.pk == notice.recipients.order_by("id").first().pk  # the first one tried
    assert broken.delivery == Delivery.PENDING and broken.attempts == 1
    assert "linefeed" in broken.last_error and broken.next_attempt_at
    assert sent_to(BUSY) == sent_to(LAST) == 1 and sent_to(FIRST) == 0
    [record] = [r for r in caplog.records if r.exc_info]
    assert f"recipient {broken.pk} failed" in record.getMessage()
    assert FIRST not in record.getMessage()
    assert notice_service.notices_retry_due(now=broken.next_attempt_at) == 1
    broken.refresh_from_db()
    assert broken.delivery == Delivery.SENT and broken.attempts == 2
    assert [sent_to(r.email) for r in notice.recipients.exclude(email="")] == [1, 1, 1]


def crash(draft):
    """The notice sent and its first round killed while it sends to BUSY, the second e-mail."""
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    mailers.KILL.add(BUSY)
    with pytest.raises(mailers.WorkerKilled):
        notice_service.notice_deliver(notice.pk)
    mailers.KILL.clear()
    assert sent_to(FIRST) == 1 and sent_to(BUSY) == sent_to(LAST) == 0
    assert notice.recipients.get(email=BUSY).delivery == Delivery.SENDING
    never = notice.recipients.get(email=LAST)
    assert never.delivery == Delivery.PENDING and never.attempts == 0
    return notice


def test_cron_sends_to_those_a_crashed_round_never_tried(cast, draft, refusing):
    notice = crash(draft)
    call_command("send_notices")
    assert sent_to(LAST) == 1
    assert notice.recipients.get(email=LAST).delivery == Delivery.SENT
    # the one being sent when the worker died is not sent again
    assert sent_to(BUSY) == 0 and sent_to(FIRST) == 1
    call_command("send_notices")
    assert len(mail.outbox) == 2


def test_a_send_left_unfinished_fails_as_unknown_and_is_never_sent_again(
    client, cast, draft, refusing
):
    notice = crash(draft)
    claimed = notice.recipients.get(email=BUSY)
    assert claimed.claimed_at and claimed.attempts == 1
    # a worker may still be sending it: left alone for a while
    soon = claimed.claimed_at + notice_service.STALE_CLAIM - datetime.timedelta(seconds=1)
    notice_service.notices_retry_due(now=soon)
    claimed.refresh_from_db()
    assert claimed.delivery == Delivery.SENDING and sent_to(BUSY) == 0
    later = claimed.claimed_at + notice_service.STALE_CLAIM
    notice_service.notices_retry_due(now=later)
    claimed.refresh_from_db()
    assert claimed.delivery == Delivery.FAILED and claimed.delivery_unknown
    assert claimed.last_error == "okänt om det levererades" and claimed.next_attempt_at is None
    # neither a round of the notice nor cron sends it again, days later
    for days in (1, 3):
        notice_service.notice_deliver(notice.pk, now=later + datetime.timedelta(days=days))
        call_command("send_notices")
    assert sent_to(BUSY) == 0 and len(mail.outbox) == 2
    # the secretary sees it, and what to do
    client.force_login(cast.secretary)
    text = page_text(client.get(reverse("drafting:notice", args=[*SLUGS, draft.meeting_id])))
    assert f"{BUSY} – okänt om kallelsen kom fram: sändningen avbröts." in text
    assert "fråga mottagaren" in text


def test_a_recipient_claimed_by_another_worker_meanwhile_is_not_sent_twice(
    cast, draft, refusing, monkeypatch
):
    """Between the round's query and its claim another worker (the task, cron) claims a
    recipient: the claim, conditional on the row still being due, leaves it to that worker."""
    notice = services.notice_send(meeting=draft.meeting, actor=None)  # no round yet
    other = notice.recipients.get(email=BUSY)
    due = delivery.due
    calls = []

    def claimed_meanwhile(now):
        calls.append(now)
        if len(calls) == 3:  # the query, FIRST's claim, then BUSY's claim
            NoticeRecipient.objects.filter(pk=other.pk).update(
                delivery=Delivery.SENDING, attempts=1, claimed_at=now
            )
        return due(now)

    monkeypatch.setattr(delivery, "due", claimed_meanwhile)
    delivered = notice_service.notice_deliver(notice.pk)
    assert delivered.sent == 2 and sent_to(FIRST) == sent_to(LAST) == 1
    assert sent_to(BUSY) == 0
    other.refresh_from_db()
    assert other.delivery == Delivery.SENDING and other.attempts == 1  # the other worker's


def test_a_sent_e_mail_whose_record_fails_is_left_claimed_not_sent_again(
    cast, draft, refusing, monkeypatch
):
    """The database refuses to record FIRST as sent: the round goes on with the others, and
    FIRST, which did get the e-mail, is not retried but failed as unknown in time."""
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    record = delivery.record

    def database_down_once(recipient, **fields):
        if recipient.email == FIRST and fields["delivery"] == Delivery.SENT:
            raise DatabaseError("server closed the connection unexpectedly")
        return record(recipient, **fields)

    monkeypatch.setattr(delivery, "record", database_down_once)
    notice_service.notice_deliver(notice.pk)
    assert [sent_to(a) for a in (FIRST, BUSY, LAST)] == [1, 1, 1]
    first = notice.recipients.get(email=FIRST)
    assert first.delivery == Delivery.SENDING
    notice_service.notices_retry_due(now=first.claimed_at + notice_service.STALE_CLAIM)
    first.refresh_from_db()
    assert first.delivery_unknown and sent_to(FIRST) == 1


class Clock:
    """``timezone.now`` under the test's control: it moves only when told to."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def another_meeting(cast, days: int):
    return services.meeting_create(
        council=cast.council,
        date=timezone.localdate() + datetime.timedelta(days=days),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        place="Kommunstyrelsesalen",
        actor=cast.secretary,
    )


def test_a_claim_is_stamped_with_the_real_time_however_long_the_cron_run_has_gone_on(
    cast, draft, refusing, clock
):
    """A slow mail server, six minutes an e-mail, and two notices in one cron run: the second
    notice's claims carry the time they were made, not the run's start, so a cron run started
    meanwhile does not take a claim being sent for one left by a dead worker."""
    first = services.notice_send(meeting=draft.meeting, actor=None)  # no round yet
    second = services.notice_send(meeting=another_meeting(cast, 20), actor=None)
    sends, seen = [], []

    def slow(address):
        sends.append(address)
        clock.now += datetime.timedelta(minutes=6)
        if len(sends) == 4:  # the second notice's first e-mail: another cron run starts
            notice_service.notices_retry_due()
            claimed = second.recipients.get(email=address)
            seen.append((claimed.delivery, claimed.last_error, claimed.claimed_at))

    mailers.DURING.append(slow)
    start = clock.now
    assert notice_service.notices_retry_due() == 6 - 2  # two of them sent by the other run
    [(delivery, error, claimed_at)] = seen
    assert (delivery, error) == (Delivery.SENDING, "")
    assert claimed_at == start + datetime.timedelta(minutes=18)  # after the first notice's 3
    for notice in (first, second):
        assert [sent_to(r.email) for r in notice.recipients.exclude(email="")] == [2, 2, 2]
        assert not any(r.delivery_unknown for r in notice.recipients.all())


def give_up_while_sending(at: str, clock):
    """While the e-mail to ``at`` is being sent, it takes so long that another run fails its
    claim as unknown."""

    def slow(address):
        if address == at:
            clock.now += notice_service.STALE_CLAIM
            notice_service.notices_retry_due()

    mailers.DURING.append(slow)


def test_a_send_that_fails_after_its_claim_was_given_up_stays_failed_as_unknown(
    cast, draft, refusing, clock, caplog
):
    """The slow worker's send is refused in the end: it might have left all the same, as far
    as anyone knew meanwhile, so it is neither made pending again nor retried."""
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    refusing[BUSY] = 1
    give_up_while_sending(BUSY, clock)
    with caplog.at_level(logging.WARNING, logger="minutes.services.notice"):
        notice_service.notice_deliver(notice.pk)
    busy = notice.recipients.get(email=BUSY)
    assert busy.delivery_unknown and busy.next_attempt_at is None and busy.attempts == 1
    assert any(
        f"recipient {busy.pk}: the send failed after its claim was given up" in r.getMessage()
        for r in caplog.records
    )
    mailers.reset()
    for days in (1, 2):
        clock.now += datetime.timedelta(hours=days)
        notice_service.notices_retry_due()
    busy.refresh_from_db()
    assert busy.delivery_unknown and sent_to(BUSY) == 0


def test_a_send_that_left_after_its_claim_was_given_up_is_recorded_as_sent(
    cast, draft, refusing, clock, caplog
):
    notice = services.notice_send(meeting=draft.meeting, actor=None)
    give_up_while_sending(BUSY, clock)
    with caplog.at_level(logging.WARNING, logger="minutes.services.notice"):
        notice_service.notice_deliver(notice.pk)
    busy = notice.recipients.get(email=BUSY)
    assert busy.delivery == Delivery.SENT and busy.emailed_at == clock.now
    assert not busy.delivery_unknown and busy.last_error == "" and sent_to(BUSY) == 1
    assert any(
        f"recipient {busy.pk}: sent after its claim was given up as unknown; recorded as sent"
        in r.getMessage()
        for r in caplog.records
    )


def test_a_notice_whose_round_breaks_does_not_stop_the_others(
    cast, draft, refusing, monkeypatch, caplog
):
    broken = services.notice_send(meeting=draft.meeting, actor=None)
    other = services.notice_send(meeting=another_meeting(cast, 20), actor=None)
    email = notice_service._notice_email

    def template_broken(notice):
        if notice.pk == broken.pk:
            raise ValueError("template broken")
        return email(notice)

    monkeypatch.setattr(notice_service, "_notice_email", template_broken)
    with caplog.at_level(logging.ERROR, logger="minutes.services.notice"):
        call_command("send_notices")
    assert [sent_to(r.email) for r in other.recipients.exclude(email="")] == [1, 1, 1]
    assert len(mail.outbox) == 3
    [record] = [r for r in caplog.records if r.exc_info]
    assert f"Notice {broken.pk}: the delivery round failed" in record.getMessage()
    assert not broken.recipients.exclude(delivery=Delivery.PENDING).exists()


def test_cron_does_not_send_the_notice_of_a_meeting_already_held(client, cast, draft, refusing):
    notice = services.notice_send(meeting=draft.meeting, actor=None)  # its round never ran
    Meeting.objects.filter(pk=draft.meeting_id).update(
        date=timezone.localdate() - datetime.timedelta(days=1)
    )
    call_command("send_notices")
    assert mail.outbox == []
    for recipient in notice.recipients.exclude(email=""):
        assert recipient.delivery == Delivery.FAILED and recipient.next_attempt_at is None
        assert recipient.last_error == "Mötet har redan hållits"
    client.force_login(cast.secretary)
    text = page_text(client.get(reverse("drafting:notice", args=[*SLUGS, draft.meeting_id])))
    assert f"{BUSY} – inte skickad: Mötet har redan hållits" in text
    # one held today is still sent
    today = services.notice_send(meeting=another_meeting(cast, 0), actor=None)
    call_command("send_notices")
    assert [sent_to(r.email) for r in today.recipients.exclude(email="")] == [1, 1, 1]


def test_a_notice_a_newer_one_replaced_is_not_sent_by_cron_nor_retried(
    client, cast, draft, refusing, django_capture_on_commit_callbacks
):
    refusing[BUSY] = 1
    old = send(draft, django_capture_on_commit_callbacks)  # BUSY is to be retried
    services.item_create(minutes=draft, title="Trygghetsvandring i centrum", actor=None)
    new = services.notice_send(meeting=draft.meeting, actor=None)  # its round never ran
    mail.outbox.clear()
    call_command("send_notices")  # the retry is due, the new notice never tried
    notice_service.notice_deliver(old.pk, now=timezone.now() + datetime.timedelta(hours=1))
    assert [sent_to(r.email) for r in new.recipients.exclude(email="")] == [1, 1, 1]
    assert len(mail.outbox) == 3
    busy = old.recipients.get(email=BUSY)
    assert busy.delivery == Delivery.FAILED and busy.next_attempt_at is None
    assert busy.last_error == "En nyare kallelse har skickats"
    client.force_login(cast.secretary)
    text = page_text(client.get(reverse("drafting:notice", args=[*SLUGS, draft.meeting_id])))
    assert f"{BUSY} – inte skickad: En nyare kallelse har skickats" in text


def test_a_deferred_retry_of_a_replaced_notice_sends_nothing(
    cast, draft, refusing, django_capture_on_commit_callbacks
):
    refusing[BUSY] = 1
    old = send(draft, django_capture_on_commit_callbacks)
    services.item_create(minutes=draft, title="Trygghetsvandring i centrum", actor=None)
    services.notice_send(meeting=draft.meeting, actor=None)
    mail.outbox.clear()
    later = old.recipients.get(email=BUSY).next_attempt_at
    assert notice_service.notice_deliver(old.pk, now=later).sent == 0
    assert mail.outbox == []
    assert old.recipients.get(email=BUSY).last_error == "En nyare kallelse har skickats"


def test_the_log_of_claims_given_up_names_only_those_failed(
    cast, draft, refusing, monkeypatch, caplog
):
    """LAST's worker records its end just as the stale claims are given up: it is left as its
    worker recorded it, and the log names only BUSY."""
    notice = crash(draft)
    busy = notice.recipients.get(email=BUSY)
    last = notice.recipients.get(email=LAST)
    NoticeRecipient.objects.filter(pk=last.pk).update(
        delivery=Delivery.SENDING, attempts=1, claimed_at=busy.claimed_at
    )
    update = QuerySet.update

    def recorded_meanwhile(queryset, **fields):
        if fields.get("last_error") == NoticeRecipient.DELIVERY_UNKNOWN:
            update(NoticeRecipient.objects.filter(pk=last.pk), delivery=Delivery.SENT)
        return update(queryset, **fields)

    monkeypatch.setattr(QuerySet, "update", recorded_meanwhile)
    with caplog.at_level(logging.ERROR, logger="minutes.services.notice"):
        given_up = delivery.give_up_stale(
            NoticeRecipient.objects.all(),
            busy.claimed_at + notice_service.STALE_CLAIM,
            logger=notice_service.logger,
            what="Notice recipients",
        )
    assert given_up == 1
    [logged] = [r.getMessage() for r in caplog.records]
    assert f"[{busy.pk}]" in logged
    last.refresh_from_db()
    assert last.delivery == Delivery.SENT


def test_the_task_logs_the_claims_it_gave_up(cast, draft, refusing, clock, caplog):
    notice = crash(draft)
    clock.now += notice_service.STALE_CLAIM
    with caplog.at_level(logging.WARNING, logger="minutes.tasks"):
        tasks.send_notice.call(notice.pk)
    assert any(
        f"Notice {notice.pk}: 1 recipients left unfinished by an earlier round were failed as "
        "unknown" in r.getMessage()
        for r in caplog.records
        if r.name == "minutes.tasks"
    )
