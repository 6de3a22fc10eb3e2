"""The pages: the form on the pages that can be followed, an address's subscriptions reached
from its e-mail (and nobody else's), ending one or all, the privacy text, and the
administrators' counts and masked addresses."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.urls import reverse

from alerts.models import Subscriber, Subscription
from core.models import AuditEvent
from tests.alerts.conftest import ADDRESS, confirmed, link_in, path_of, subscribe
from tests.pages import page_text

pytestmark = pytest.mark.django_db
RAD = {"slag": "rad", "kommun": "arboga", "rad": "forebyggande-radet"}


@pytest.mark.parametrize(
    ("path", "says", "fields"),
    [
        (
            "/arboga/forebyggande-radet/",
            "Få e-post när Förebyggande rådets minnesanteckningar är godkända.",
            ['name="slag" value="rad"', 'name="rad" value="forebyggande-radet"'],
        ),
        (
            "/sok/?q=Trygghet+skola",
            "Få e-post när ett nytt protokoll eller nya minnesanteckningar innehåller "
            "”trygghet skola”.",
            ['name="slag" value="sokning"', 'name="q" value="trygghet skola"'],
        ),
        (
            "/sok/?q=skola&kommun=arboga&rad=forebyggande-radet",
            "Få e-post när ett nytt protokoll från Förebyggande rådet innehåller ”skola”.",
            ['name="slag" value="sokning"', 'name="rad" value="forebyggande-radet"'],
        ),
        (
            "/arboga/anslagstavla/",
            "Få e-post när något nytt sätts upp på Arboga kommuns anslagstavla.",
            ['name="slag" value="anslagstavla"', 'name="kommun" value="arboga"'],
        ),
    ],
)
def test_the_pages_that_can_be_followed_have_the_form(client, cast, path, says, fields):
    response = client.get(path)
    html = response.content.decode()
    assert says in page_text(response)
    assert 'action="/bevaka/"' in html and 'type="email"' in html
    assert all(field in html for field in fields)
    assert "Så hanterar vi din e-postadress" in html
    assert "csrftoken" not in response.cookies  # the page sets no cookie: it stays cacheable


def test_an_empty_search_offers_nothing_to_follow(client, cast):
    assert 'action="/bevaka/"' not in client.get("/sok/?q=").content.decode()


def test_the_request_page_by_a_link_names_what_is_followed(client, cast):
    response = client.get("/bevaka/", RAD)
    assert "Förebyggande rådets minnesanteckningar" in page_text(response)
    assert 'name="rad" value="forebyggande-radet"' in response.content.decode()


def test_the_subscriptions_page_lists_them_and_ends_one_then_the_last_with_the_address(
    client, cast, run_commits
):
    confirmed(client, run_commits, **RAD)
    subscribe(client, run_commits, slag="sokning", q="skola")  # not yet confirmed
    key = Subscriber.objects.get().key
    page = client.get(f"/bevaka/{key}/")
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    text = page_text(page)
    assert "Det här bevakar a•••@e•••.org." in text and ADDRESS not in text
    assert "Förebyggande rådet, Arboga kommun" in text
    assert "Sökningen ”skola” i alla kommuner" in text and "inte bekräftad än" in text
    assert '<meta name="robots" content="noindex">' in page.content.decode()

    search = Subscription.objects.get(kind="search")
    ended = client.post(f"/bevaka/{key}/avsluta/{search.pk}/", follow=True)
    assert "Bevakningen är avslutad: Sökningen ”skola” i alla kommuner." in page_text(ended)
    assert Subscriber.objects.exists()

    last = Subscription.objects.get()
    gone = client.post(f"/bevaka/{key}/avsluta/{last.pk}/")
    assert "Du bevakar inte längre något" in page_text(gone)
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert client.get(f"/bevaka/{key}/").status_code == 404


def test_how_often_is_chosen_on_the_subscriptions_page(client, cast, run_commits):
    confirmed(client, run_commits, **RAD)
    key = Subscriber.objects.get().key
    response = client.post(f"/bevaka/{key}/", {"frequency": "immediate"}, follow=True)
    assert "Sparat." in page_text(response)
    assert Subscriber.objects.get().frequency == "immediate"
    bad = client.post(f"/bevaka/{key}/", {"frequency": "hourly"})
    assert bad.status_code == 400 and Subscriber.objects.get().frequency == "immediate"


def test_the_unsubscribe_link_asks_first_then_ends_all(client, cast, run_commits):
    confirmed(client, run_commits, **RAD)
    confirmed(client, run_commits, slag="anslagstavla", kommun="arboga")
    key = Subscriber.objects.get().key
    ask = client.get(f"/bevaka/{key}/avsluta/")
    assert "a•••@e•••.org har 2 bevakningar. Vill du avsluta alla?" in page_text(ask)
    assert ADDRESS not in ask.content.decode()  # a link passed on shows no address
    assert Subscription.objects.count() == 2  # a GET (a link scanner) ends nothing
    done = client.post(f"/bevaka/{key}/avsluta/")
    assert "Du bevakar inte längre något" in page_text(done)
    assert not Subscriber.objects.exists()


def test_another_address_s_page_cannot_be_reached_or_ended(client, cast, run_commits):
    confirmed(client, run_commits, **RAD)
    confirmed(client, run_commits, "bo@example.org", **RAD)
    ada = Subscriber.objects.get(email=ADDRESS)
    bo_subscription = Subscription.objects.get(subscriber__email="bo@example.org")
    # ada's key cannot end bo's subscription
    assert client.post(f"/bevaka/{ada.key}/avsluta/{bo_subscription.pk}/").status_code == 302
    assert Subscription.objects.filter(pk=bo_subscription.pk).exists()
    # a made-up key finds nothing
    for path in ("/bevaka/{}/", "/bevaka/{}/avsluta/"):
        assert client.get(path.format("A" * 43)).status_code == 404
    assert client.post("/bevaka/" + "A" * 43 + "/avsluta/1/").status_code == 404


def test_every_e_mail_links_the_subscriptions_page(client, cast, run_commits):
    subscribe(client, run_commits, **RAD)
    client.post(path_of(link_in(mail.outbox[0], "bekrafta")))
    mail.outbox.clear()
    subscribe(client, run_commits, **RAD)  # already following: the e-mail links the page
    url = path_of(link_in(mail.outbox[0], ""))
    assert client.get(url).status_code == 200


def test_the_privacy_text_says_what_article_13_asks(client, cast):
    cast.municipality.privacy_contact = "Arboga kommun, registrator@example.org"
    cast.municipality.save()
    text = page_text(client.get("/bevaka/integritet/"))
    for words in (
        "Personuppgiftsansvarig är den kommun",
        "Arboga kommun, registrator@example.org",
        "Ditt samtycke (artikel 6.1 a)",
        "tas bort efter 48 timmar",
        "När du avslutar din sista bevakning tas din e-postadress bort direkt",
        "Integritetsskyddsmyndigheten",
        "Ändamålet",
    ):
        assert words in text


def test_the_english_pages(client, cast, run_commits):
    response = client.get("/en/arboga/forebyggande-radet/")
    assert "Follow by e-mail" in page_text(response)
    assert 'action="/en/bevaka/"' in response.content.decode()
    with run_commits():
        reply = client.post("/en/bevaka/", {"epost": ADDRESS, **RAD})
    assert reply["Location"] == "/en/bevaka/skickat/"
    assert "Confirm in your e-mail" in page_text(client.get(reply["Location"]))
    [message] = mail.outbox
    assert message.subject.startswith("Bekräfta din bevakning")  # the e-mail is Swedish
    assert "/en/" not in message.body


# --- the administrators ------------------------------------------------------------------------


def test_the_administrators_see_masked_addresses_and_counts(client, cast, run_commits):
    confirmed(client, run_commits, **RAD)
    confirmed(
        client, run_commits, slag="sokning", q="skola", kommun="arboga", rad="forebyggande-radet"
    )
    confirmed(client, run_commits, "bo@example.org", slag="anslagstavla", kommun="arboga")
    client.logout()
    client.force_login(cast.admin)
    listing = client.get(reverse("admin:alerts_subscriber_changelist"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert ADDRESS not in html and "bo@example.org" not in html
    assert "a•••@e•••.org" in html
    ada = Subscriber.objects.get(email=ADDRESS)
    detail = client.get(reverse("admin:alerts_subscriber_change", args=[ada.pk]))
    assert ADDRESS not in detail.content.decode() and detail.status_code == 200
    # no search box: an address typed there would travel in the address bar
    assert 'name="q"' not in html

    overview = client.get(reverse("admin:alerts_subscriber_overview"))
    assert "2 adresser bevakar något." in page_text(overview)
    html = overview.content.decode()
    assert "<td>Förebyggande rådet, Arboga kommun</td><td>1</td><td>1</td>" in html
    assert "<td>Arboga kommun</td><td>1</td>" in html


def test_an_administrator_ends_every_subscription_of_an_address_on_request(
    client, cast, run_commits
):
    confirmed(client, run_commits, **RAD)
    confirmed(client, run_commits, slag="sokning", q="skola")
    client.force_login(cast.admin)
    url = reverse("admin:alerts_subscriber_overview")
    response = client.post(url, {"email": " Ada@Example.org "}, follow=True)
    assert "2 bevakningar för a•••@e•••.org avslutades" in page_text(response)
    assert not Subscriber.objects.exists()
    assert AuditEvent.objects.filter(action="alerts.end_address").exists()
    assert ADDRESS not in str(list(AuditEvent.objects.values_list("object_repr", "data")))
    again = client.post(url, {"email": ADDRESS}, follow=True)
    assert "Adressen bevakar ingenting." in page_text(again)


@pytest.mark.parametrize("user", ["secretary", "chair", "member"])
def test_council_members_do_not_see_the_addresses(client, cast, user):
    client.force_login(getattr(cast, user))
    response = client.get(reverse("admin:alerts_subscriber_overview"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_request_log_keeps_no_key(client, cast, run_commits, caplog):
    """The key opens the page that shows the address: the log has the path without it."""
    subscribe(client, run_commits, **RAD)
    confirm_key = Subscription.objects.get().key
    with caplog.at_level(logging.INFO, logger="protokollet.request"):
        client.post(f"/bevaka/bekrafta/{confirm_key}/")
        key = Subscriber.objects.get().key
        client.get(f"/bevaka/{key}/")
        client.get(f"/bevaka/{key}/avsluta/")
    assert "/bevaka/…/" in caplog.text and "/bevaka/bekrafta/…/" in caplog.text
    assert key not in caplog.text and confirm_key not in caplog.text


def test_an_address_s_pages_in_english_have_no_swedish_left(client, cast, run_commits):
    from tests.test_i18n import chrome, swedish_phrases

    subscribe(client, run_commits, **RAD)
    confirm = Subscription.objects.get().key
    ask = client.get(f"/en/bevaka/bekrafta/{confirm}/")
    assert "Yes, confirm the alert" in page_text(ask)
    client.post(f"/en/bevaka/bekrafta/{confirm}/")
    key = Subscriber.objects.get().key
    for path in (
        f"/en/bevaka/{key}/",
        f"/en/bevaka/{key}/avsluta/",
        f"/en/bevaka/bekrafta/{confirm}/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        left = [phrase for phrase in swedish_phrases() if phrase in chrome(response)]
        assert left == [], path
