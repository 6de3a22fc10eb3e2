"""Double opt-in: nothing but the confirmation until its link is followed, within 48 hours;
an expired or reused link; the same answer whether the address already follows or not; rate
limits per address and per client."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from alerts import services
from alerts.models import CONFIRM_WITHIN, Alert, RequestEmail, Subscriber, Subscription
from tests.alerts.conftest import (
    ADDRESS,
    approve,
    confirmed,
    digests,
    link_in,
    next_morning,
    path_of,
    subscribe,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db
RAD = {"slag": "rad", "kommun": "arboga", "rad": "forebyggande-radet"}
TODAY = datetime.date(2026, 10, 5)  # meetings held before the tests run


def test_a_request_sends_the_confirmation_and_nothing_else_until_it_is_followed(
    client, cast, agenda, run_commits
):
    response = subscribe(client, run_commits, **RAD)
    assert response.status_code == 302 and response["Location"] == "/bevaka/skickat/"
    [message] = mail.outbox
    assert message.to == [ADDRESS] and message.subject.startswith("Bekräfta din bevakning")
    assert "Förebyggande rådet, Arboga kommun" in message.body
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.key in message.body
    assert "48" in page_text(client.get("/bevaka/skickat/"))

    # minutes approved before the confirmation tell the address nothing, today or later
    mail.outbox.clear()
    approve(cast, run_commits, TODAY, public="Trygghetsvandring i centrum.")
    services.dispatch(next_morning())
    assert mail.outbox == [] and not Alert.objects.exists()

    link = path_of(link_in(message, "bekrafta"))
    # opening the link (a mail scanner, a preview) confirms nothing: its button does
    for look in (client.get, client.head):
        assert look(link).status_code == 200
    assert "Ja, bekräfta bevakningen" in page_text(client.get(link))
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    confirm = client.post(link)
    assert confirm.status_code == 200
    assert "Du bevakar nu: Förebyggande rådet, Arboga kommun." in page_text(confirm)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    approve(cast, run_commits, TODAY + datetime.timedelta(days=7), public="Nytt ärende.")
    services.dispatch(next_morning())
    assert len(digests()) == 1


def test_a_link_followed_after_48_hours_has_expired_and_the_request_is_gone(
    client, cast, run_commits
):
    subscribe(client, run_commits, **RAD)
    [message] = mail.outbox
    Subscription.objects.update(created_at=timezone.now() - CONFIRM_WITHIN)
    link = path_of(link_in(message, "bekrafta"))
    assert client.get(link).status_code == 410  # says so before the button
    response = client.post(link)
    assert response.status_code == 410
    assert "Länken har gått ut" in page_text(response)
    assert not Subscription.objects.exists() and not Subscriber.objects.exists()


def test_unconfirmed_requests_are_deleted_after_48_hours_with_their_address(
    client, cast, run_commits
):
    subscribe(client, run_commits, **RAD)
    subscribe(client, run_commits, "bo@example.org", **RAD)
    Subscription.objects.filter(subscriber__email=ADDRESS).update(
        created_at=timezone.now() - CONFIRM_WITHIN - datetime.timedelta(minutes=1)
    )
    Subscriber.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    assert services.purge() == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bo@example.org"]


def test_a_link_used_twice_confirms_once_and_says_so(client, cast, run_commits):
    subscribe(client, run_commits, **RAD)
    url = path_of(link_in(mail.outbox[0], "bekrafta"))
    assert client.post(url).status_code == 200
    first = Subscription.objects.get().confirmed_at
    again = client.post(url)
    assert again.status_code == 200
    assert "Du har redan bekräftat den här bevakningen" in page_text(again)
    assert Subscription.objects.get().confirmed_at == first and len(mail.outbox) == 1


def test_an_unknown_link_is_a_404_that_says_what_to_do(client, db):
    assert client.get("/bevaka/bekrafta/" + "x" * 43 + "/").status_code == 404
    response = client.post("/bevaka/bekrafta/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert "Länken gäller inte" in page_text(response)


def test_a_new_request_makes_the_earlier_link_stop_working(client, cast, run_commits):
    subscribe(client, run_commits, **RAD)
    subscribe(client, run_commits, **RAD)
    first, second = (path_of(link_in(m, "bekrafta")) for m in mail.outbox)
    assert first != second
    assert client.post(first).status_code == 404
    assert client.post(second).status_code == 200


def test_the_answer_never_tells_whether_the_address_already_follows(client, cast, run_commits):
    """The page and the status are the same; only the address's owner reads the difference,
    in their own mailbox."""
    first = subscribe(client, run_commits, **RAD)
    path = path_of(link_in(mail.outbox[0], "bekrafta"))
    client.post(path)
    mail.outbox.clear()
    again = subscribe(client, run_commits, **RAD)
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    [message] = mail.outbox
    assert message.subject.startswith("Du bevakar redan")
    assert "bekrafta" not in message.body and "/bevaka/" in link_in(message, "")
    assert Subscription.objects.count() == 1


def test_one_address_follows_many_things_each_confirmed_on_its_own(client, cast, run_commits):
    confirmed(client, run_commits, **RAD)
    confirmed(client, run_commits, slag="sokning", q="Trygghet")
    confirmed(client, run_commits, slag="anslagstavla", kommun="arboga")
    subscriber = Subscriber.objects.get()
    assert subscriber.subscriptions.filter(confirmed_at__isnull=False).count() == 3
    assert set(subscriber.subscriptions.values_list("kind", "query")) == {
        ("council", ""),
        ("search", "trygghet"),
        ("noticeboard", ""),
    }


def test_the_keys_cannot_be_guessed(client, cast, run_commits):
    subscribe(client, run_commits, **RAD)
    subscribe(client, run_commits, "bo@example.org", **RAD)
    keys = list(Subscription.objects.values_list("key", flat=True))
    keys += list(Subscriber.objects.values_list("key", flat=True))
    assert len(set(keys)) == 4 and all(len(key) >= 43 for key in keys)  # 256 bits each


def test_an_address_gets_at_most_five_requests_a_day_and_the_answer_does_not_change(
    client, cast, run_commits, settings
):
    settings.ALERTS_LIMIT_PER_CLIENT = 100
    answers = [subscribe(client, run_commits, **RAD) for _ in range(7)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/bevaka/skickat/")}
    assert len(mail.outbox) == 5
    # a day on, the address may ask again
    later = timezone.now() + datetime.timedelta(hours=24, minutes=1)
    target = services.Target(Subscription.Kind.COUNCIL, council=cast.council)
    with run_commits():
        services.request_subscription(ADDRESS, target, client="192.0.2.9", now=later)
    assert len(mail.outbox) == 6


def test_a_client_that_asks_too_often_is_told_to_wait_and_keeps_what_it_wrote(
    client, cast, run_commits, settings
):
    settings.ALERTS_LIMIT_PER_CLIENT = 3
    for n in range(3):
        assert subscribe(client, run_commits, f"n{n}@example.org", **RAD).status_code == 302
    refused = subscribe(client, run_commits, "fjarde@example.org", **RAD)
    assert refused.status_code == 429
    text = page_text(refused)
    assert "Vänta en stund och försök igen" in text
    assert 'value="fjarde@example.org"' in refused.content.decode()
    assert len(mail.outbox) == 3
    # another client is not held back
    other = client.post(
        "/bevaka/", {"epost": "annan@example.org", **RAD}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_the_rate_limits_keep_no_address_and_no_ip_in_the_clear(client, cast, run_commits):
    from alerts.models import Attempt

    subscribe(client, run_commits, **RAD)
    keys = " ".join(Attempt.objects.values_list("key", flat=True))
    assert ADDRESS not in keys and "127.0.0.1" not in keys and len(keys.split()) == 2


def test_no_address_is_logged(client, cast, agenda, run_commits, caplog):
    with caplog.at_level(logging.DEBUG):
        confirmed(client, run_commits, **RAD)
        approve(cast, run_commits, TODAY, public="Text.")
        services.dispatch(next_morning())
    assert ADDRESS not in caplog.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"epost": "", **RAD}, "Skriv din e-postadress."),
        ({"epost": "inte en adress", **RAD}, "Skriv en hel e-postadress"),
        ({"epost": ADDRESS, "slag": "rad", "kommun": "arboga", "rad": "finns-inte"}, "finns inte"),
        ({"epost": ADDRESS, "slag": "anslagstavla", "kommun": "ingen"}, "Kommunen finns inte"),
        ({"epost": ADDRESS, "slag": "sokning", "q": " ,.! "}, "Skriv minst ett ord att bevaka."),
        # "ß" casefolds to "ss": 167 characters typed, 319 to keep
        (
            {"epost": ADDRESS, "slag": "sokning", "q": " ".join("ß" * 19 + c for c in "abcdefgh")},
            "Sökningen är för lång att bevaka.",
        ),
        ({"epost": ADDRESS, "slag": "okänd"}, "Formuläret kom inte fram helt"),
        ({"epost": ADDRESS, "slag": "rad", "rad": "a" * 500}, "Formuläret kom inte fram helt"),
        ({"epost": ADDRESS, "slag": "rad", "kommun": "arboga"}, "Välj ett råd eller en nämnd"),
    ],
)
def test_bad_input_gets_a_swedish_message_and_keeps_the_address(client, cast, data, message):
    response = client.post("/bevaka/", data)
    assert response.status_code == 400
    assert message in page_text(response)
    if "@" in data["epost"]:
        assert f'value="{data["epost"]}"' in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_a_confirmation_the_mail_server_refuses_is_sent_later_once_and_logs_no_address(
    client, cast, run_commits, settings, caplog
):
    from tests.minutes import mailers

    settings.MAILERS = {"default": {"BACKEND": "tests.minutes.mailers.RefusingBackend"}}
    mailers.reset()
    mailers.REFUSE[ADDRESS] = 2
    with caplog.at_level(logging.DEBUG):
        answer = subscribe(client, run_commits, **RAD)
        assert answer.status_code == 302 and mail.outbox == []
        email = RequestEmail.objects.get()
        assert email.attempts == 1 and ADDRESS not in email.last_error
        services.dispatch(email.next_attempt_at)
        email.refresh_from_db()
        services.dispatch(email.next_attempt_at)
        services.dispatch(email.next_attempt_at + datetime.timedelta(hours=1))
    mailers.reset()
    [message] = mail.outbox
    assert message.subject.startswith("Bekräfta din bevakning")
    assert ADDRESS not in caplog.text
    # forgotten after a day
    services.purge(timezone.now() + datetime.timedelta(days=1, minutes=1))
    assert not RequestEmail.objects.exists() and Subscription.objects.exists()
