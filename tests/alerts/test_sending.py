"""What is sent: a saved search's matches in a new protokoll's public text (never a
confidential item's, never a withdrawn copy's), the council's new minutes, the anslagstavla's
new announcements; one digest a day; the RFC 8058 headers; a retry that never sends twice."""

from __future__ import annotations

import datetime
import email

import pytest
from django.core import mail
from django.utils import timezone

from alerts import services
from alerts.models import Alert, Digest, Subscriber, Subscription
from core import delivery
from minutes import services as minutes_services
from minutes.models import Announcement
from tests.alerts.conftest import ADDRESS, approve, confirmed, digests, next_morning, path_of
from tests.minutes import mailers

pytestmark = pytest.mark.django_db
RAD = {"slag": "rad", "kommun": "arboga", "rad": "forebyggande-radet"}
DAY = datetime.date(2026, 10, 5)  # the meetings must have been held to be submitted


def test_a_saved_search_finds_the_public_item_and_never_the_confidential_one(
    client, cast, agenda, run_commits
):
    confirmed(client, run_commits, slag="sokning", q="skolan")
    other = confirmed(client, run_commits, "bo@example.org", slag="sokning", q="idrottshallen")
    approve(
        cast,
        run_commits,
        DAY,
        public="Polisen berättade om tryggheten vid skolan i Kungsör.",
        secret="Idrottshallen och skolans elev som anmälts.",
    )
    assert services.dispatch(next_morning()) == 1
    [message] = digests()
    body = message.body
    assert "3. Aktuell information från verksamheterna" in body
    assert "*skolan*" in body  # the word found, marked
    assert "Idrottshallen" not in body and "elev" not in body
    html = message.alternatives[0].content
    assert "<mark>skolan</mark>" in html and "elev" not in html
    # the confidential item alone held the other's word: nothing for that address
    assert not Alert.objects.filter(subscription=other).exists()
    assert digests("bo@example.org") == []


def test_a_search_within_one_council_ignores_the_others(client, cast, agenda, run_commits):
    from tests import factories

    elsewhere = factories.council(cast.municipality, name="Kulturnämnden", slug="kultur")
    confirmed(client, run_commits, slag="sokning", q="skolan", kommun="arboga", rad="kultur")
    approve(cast, run_commits, DAY, public="Tryggheten vid skolan.")
    services.dispatch(next_morning())
    assert digests() == [] and elsewhere.pk


def test_the_council_s_followers_get_its_public_items_and_the_links(
    client, cast, agenda, run_commits
):
    confirmed(client, run_commits, **RAD)
    revision = approve(cast, run_commits, DAY, public="Trygghetsvandring.", secret="Hemligt.")
    services.dispatch(next_morning())
    [message] = digests()
    assert message.subject == "Bevakning: Förebyggande rådet 5 oktober 2026"
    body = message.body
    assert "Minnesanteckningarna är godkända." in body
    assert "/arboga/forebyggande-radet/2026-10-05/" in body
    assert "arboga-forebyggande-radet-2026-10-05.pdf" in body
    assert "4. Övriga frågor" not in body  # the confidential item is not named
    assert revision.pk


def test_a_withdrawn_copy_sends_nothing(client, cast, agenda, run_commits):
    confirmed(client, run_commits, **RAD)
    confirmed(client, run_commits, "bo@example.org", slag="sokning", q="trygghetsvandring")
    revision = approve(cast, run_commits, DAY, public="Trygghetsvandring i centrum.")
    assert Alert.objects.count() == 2
    with run_commits():
        minutes_services.publication_withdraw(
            revision=revision, actor=cast.chair, reason="Personuppgifter publicerades av misstag."
        )
    assert services.dispatch(next_morning()) == 0
    assert mail.outbox == [] and not Alert.objects.exists() and not Digest.objects.exists()


def test_minutes_approved_long_ago_and_archived_now_are_not_news(cast, client, run_commits):
    from tests import factories
    from tests.minutes.drafting_fixtures import approved_elsewhere

    confirmed(client, run_commits, **RAD)
    with run_commits():
        approved_elsewhere(factories.meeting(cast.council, datetime.date(2019, 3, 4)))
    services.dispatch(next_morning())
    assert mail.outbox == [] and not Alert.objects.exists()


def test_three_approvals_in_a_day_make_one_e_mail_the_next_morning(
    client, cast, agenda, run_commits
):
    confirmed(client, run_commits, **RAD)
    confirmed(client, run_commits, slag="sokning", q="cykel")
    for n, day in enumerate((DAY, DAY + datetime.timedelta(7), DAY + datetime.timedelta(14))):
        approve(cast, run_commits, day, public=f"Cykelstölder, del {n + 1}.")
    assert mail.outbox == []  # not before the morning
    morning = next_morning()
    assert services.dispatch(morning - datetime.timedelta(hours=1)) == 0
    assert services.dispatch(morning) == 1
    [message] = digests()
    assert message.subject.startswith("Bevakning: 6 nyheter")
    for day in ("5 oktober 2026", "12 oktober 2026", "19 oktober 2026"):
        assert message.body.count(f"Förebyggande rådet {day}") == 2  # both subscriptions
    # one a day: more news the same day waits for the next morning
    approve(cast, run_commits, DAY + datetime.timedelta(21), public="Cykel igen.")
    assert services.dispatch(morning + datetime.timedelta(hours=3)) == 0
    assert services.dispatch(morning + datetime.timedelta(days=1)) == 1
    assert len(digests()) == 2


def test_an_address_that_wants_news_at_once_gets_it_at_the_approval(
    client, cast, agenda, run_commits
):
    confirmed(client, run_commits, **RAD)
    Subscriber.objects.update(frequency=Subscriber.Frequency.IMMEDIATE)
    approve(cast, run_commits, DAY, public="Nytt.")
    assert len(digests()) == 1  # the match's round sent it, no cron needed


def test_a_new_announcement_on_the_anslagstavla_reaches_its_followers(
    client, cast, agenda, run_commits
):
    confirmed(client, run_commits, slag="anslagstavla", kommun="arboga")
    subscription = Subscription.objects.get()
    meeting = approve(cast, run_commits, DAY, public="Text.").minutes.meeting
    today = timezone.localdate()
    with run_commits():
        Announcement.objects.create(
            municipality=cast.municipality,
            council=cast.council,
            meeting=meeting,
            kind=Announcement.Kind.NOTICE,
            organ="Förebyggande rådet",
            meeting_date=meeting.date,
            posted_on=today,
            down_on=today + datetime.timedelta(days=21),
        )
    services.dispatch(next_morning())
    [message] = digests()
    assert "Arboga kommuns anslagstavla" in message.body
    assert "Kungörelse" in message.body and "kallelse.pdf" in message.body
    assert subscription.alerts.count() == 1
    services.dispatch(next_morning() + datetime.timedelta(days=1))
    assert subscription.alerts.count() == 1 and len(digests()) == 1  # once


def test_every_digest_carries_the_one_click_unsubscribe_of_rfc_8058(
    client, cast, agenda, run_commits
):
    confirmed(client, run_commits, **RAD)
    approve(cast, run_commits, DAY, public="Text.")
    services.dispatch(next_morning())
    [message] = digests()
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = parsed["List-Unsubscribe"].strip("<>")
    assert url.startswith("http") and "/bevaka/" in url and url.endswith("/avsluta/")
    assert url in message.body  # and as a link
    html = message.alternatives[0].content
    assert '<html lang="sv">' in html and "<img" not in html  # no tracking pixel
    # the links go straight to the pages: nothing rewritten, no tracking parameters
    assert "utm_" not in html and "utm_" not in message.body

    # the mail client's POST, without a cookie or a token: the address is gone at once
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        path_of(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    # the same POST again (the client retries) answers the same
    assert (
        csrf_client.post(
            path_of(url),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 200
    )


@pytest.fixture
def refusing(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.minutes.mailers.RefusingBackend"}}
    mailers.reset()
    yield mailers.REFUSE
    mailers.reset()


def test_the_mail_server_refuses_twice_then_accepts_and_exactly_one_e_mail_arrives(
    client, cast, agenda, run_commits, refusing
):
    confirmed(client, run_commits, **RAD)
    approve(cast, run_commits, DAY, public="Text.")
    refusing[ADDRESS] = 2
    morning = next_morning()
    assert services.dispatch(morning) == 0
    digest = Digest.objects.get()
    assert digest.delivery == delivery.Delivery.PENDING and digest.attempts == 1
    assert "Mailbox busy" in digest.last_error
    assert services.dispatch(digest.next_attempt_at - datetime.timedelta(seconds=1)) == 0
    assert services.dispatch(digest.next_attempt_at) == 0  # refused again
    digest.refresh_from_db()
    assert digest.attempts == 2
    assert services.dispatch(digest.next_attempt_at) == 1
    for later in (1, 2, 3):  # the rounds after send nothing more
        services.dispatch(digest.next_attempt_at + datetime.timedelta(hours=later))
    assert len(digests()) == 1 and Digest.objects.count() == 1
    digest.refresh_from_db()
    assert digest.delivery == delivery.Delivery.SENT and digest.attempts == 3


def test_a_digest_claimed_by_a_worker_that_died_is_never_sent_again(
    client, cast, agenda, run_commits
):
    confirmed(client, run_commits, **RAD)
    approve(cast, run_commits, DAY, public="Text.")
    morning = next_morning()
    services.dispatch(morning - datetime.timedelta(hours=2))  # nothing due
    Digest.objects.create(subscriber=Subscriber.objects.get(), created_at=morning)
    Alert.objects.update(digest=Digest.objects.get())
    Digest.objects.update(delivery=delivery.Delivery.SENDING, claimed_at=morning, attempts=1)
    services.dispatch(morning + delivery.STALE_CLAIM)
    assert Digest.objects.get().delivery_unknown and mail.outbox == []


def test_what_was_sent_is_forgotten(client, cast, agenda, run_commits):
    """The text an e-mail quoted is not kept beside it, and the record of the e-mail goes after
    thirty days."""
    confirmed(client, run_commits, **RAD)
    approve(cast, run_commits, DAY, public="Text.")
    morning = next_morning()
    services.dispatch(morning)
    assert Alert.objects.get().hits == []
    services.purge(morning + services.KEEP_SENT - datetime.timedelta(minutes=1))
    assert Digest.objects.count() == 1
    services.purge(morning + services.KEEP_SENT + datetime.timedelta(minutes=1))
    assert not Digest.objects.exists() and not Alert.objects.exists()
    assert Subscription.objects.get().confirmed_at  # the subscription goes on


def test_a_kungorelse_reaches_those_who_want_news_at_once_when_it_goes_up(
    client, cast, agenda, run_commits
):
    """The notice service puts the kungörelse up (minutes.signals.announcement_posted): an
    address that wants news at once has it before any cron round."""
    from tests.alerts.conftest import new_minutes

    confirmed(client, run_commits, slag="anslagstavla", kommun="arboga")
    Subscriber.objects.update(frequency=Subscriber.Frequency.IMMEDIATE)
    coming = new_minutes(cast, timezone.localdate() + datetime.timedelta(days=10))
    with run_commits():
        minutes_services.notice_send(meeting=coming.meeting, actor=cast.secretary, announce=True)
    [message] = digests()
    assert "Kungörelse" in message.body and "Arboga kommuns anslagstavla" in message.body


def test_an_announcement_up_longer_than_a_sent_e_mail_is_kept_is_not_sent_again(
    client, cast, agenda, run_commits
):
    """A kungörelse may hang for weeks: when the record of its e-mail is forgotten it is still
    not news."""
    confirmed(client, run_commits, slag="anslagstavla", kommun="arboga")
    meeting = approve(cast, run_commits, DAY, public="Text.").minutes.meeting
    today = timezone.localdate()
    Announcement.objects.create(
        municipality=cast.municipality,
        council=cast.council,
        meeting=meeting,
        kind=Announcement.Kind.NOTICE,
        organ="Förebyggande rådet",
        meeting_date=meeting.date,
        posted_on=today,
        down_on=today + datetime.timedelta(days=60),
    )
    morning = next_morning()
    services.dispatch(morning)
    assert len(digests()) == 1
    for days in (31, 32):
        services.dispatch(morning + datetime.timedelta(days=days))
    assert len(digests()) == 1 and not Alert.objects.exists()
