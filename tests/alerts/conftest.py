"""Residents who follow the Arboga råd, its searches and its anslagstavla, and the råd's
minutes approved as the chair approves them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from alerts.models import Subscription
from minutes import services as minutes_services
from tests.minutes.drafting_fixtures import standing_agenda, submit_and_approve, write_item

ADDRESS = "ada@example.org"


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the tasks: e-mails, matching), as the real commit does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def agenda(cast):
    standing_agenda(cast.council)


def new_minutes(cast, day: datetime.date):
    meeting = minutes_services.meeting_create(
        council=cast.council,
        date=day,
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        place="Kommunstyrelsesalen",
        actor=cast.secretary,
    )
    return meeting.minutes.get()


def approve(cast, run_commits, day: datetime.date, *, public: str = "", secret: str = ""):
    """Minutes of ``day`` with ``public`` in item 3's text and ``secret`` in item 4's, which is
    confidential, approved by the chair (the matching runs after the commit): the revision."""
    draft = new_minutes(cast, day)
    if public:
        write_item(draft, 3, f"<p>{public}</p>")
    if secret:
        write_item(draft, 4, f"<p>{secret}</p>", public=False, ground="OSL 26 kap. 1 §")
    with run_commits():
        return submit_and_approve(draft, cast)


def link_in(message, name: str) -> str:
    """The first address of the site's ``/bevaka/<name>/…`` in an e-mail's text."""
    found = re.search(rf"https?://\S+/bevaka/{name}\S*", message.body)
    assert found, message.body
    return found.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def subscribe(client, run_commits, address=ADDRESS, **target):
    """Ask to follow (``slag`` and the rest as the form on the page sends them)."""
    with run_commits():
        return client.post("/bevaka/", {"epost": address, **target})


def confirmed(client, run_commits, address=ADDRESS, **target) -> Subscription:
    """Asked for and confirmed from the e-mail: the subscription (the outbox emptied)."""
    mail.outbox.clear()
    subscribe(client, run_commits, address, **target)
    [message] = mail.outbox
    response = client.post(path_of(link_in(message, "bekrafta")))
    assert response.status_code == 200
    mail.outbox.clear()
    return Subscription.objects.filter(subscriber__email=address).latest("confirmed_at")


def next_morning(hour: int = 7) -> datetime.datetime:
    """Tomorrow at ``hour`` local time: when the daily digests go out."""
    local = timezone.localtime() + datetime.timedelta(days=1)
    return local.replace(hour=hour, minute=5, second=0, microsecond=0)


def digests(address=ADDRESS):
    return [m for m in mail.outbox if m.to == [address] and m.subject.startswith("Bevakning")]
