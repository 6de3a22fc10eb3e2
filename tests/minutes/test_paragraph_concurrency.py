"""Two secretaries adding §§ to two drafts of one nämnd at the same moment, on real PostgreSQL
with one connection each: both succeed, one after the other (the council's lock), and the
year's §§ stay unique and gapless; without the lock the unique constraint refuses the second."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction

from councils.models import Council
from minutes import services
from minutes.models import AgendaItem, Minutes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def drafts(cast):
    council = cast.council
    council.kind = Council.Kind.COMMITTEE
    council.paragraph_prefix = "KS"
    council.save()
    out = []
    for day in (datetime.date(2025, 3, 3), datetime.date(2025, 4, 7)):
        meeting = services.meeting_create(
            council=council, date=day, start_time=None, end_time=None, place="", actor=None
        )
        minutes = meeting.minutes.get()
        services.item_create(minutes=minutes, title="Val av justerare", actor=None)
        out.append(minutes)
    return out


def add(minutes_id: int, title: str, barrier: threading.Barrier) -> str:
    minutes = Minutes.objects.get(pk=minutes_id)
    barrier.wait()
    try:
        services.item_create(minutes=minutes, title=title, actor=None)
        return "added"
    finally:
        connection.close()


def test_concurrent_drafts_of_two_meetings_never_share_a_paragraph(drafts):
    assert connection.vendor == "postgresql"
    earlier, later = drafts
    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_ in range(25):
            barrier = threading.Barrier(2)
            a = pool.submit(add, earlier.pk, f"Tidigt {round_}", barrier)
            b = pool.submit(add, later.pk, f"Sent {round_}", barrier)
            assert (a.result(timeout=30), b.result(timeout=30)) == ("added", "added")
            first = list(earlier.items.order_by("position").values_list("paragraph", flat=True))
            second = list(later.items.order_by("position").values_list("paragraph", flat=True))
            assert first == list(range(1, round_ + 3)), round_
            assert second == list(range(round_ + 3, 2 * round_ + 5)), round_
    live = AgendaItem.objects.filter(paragraph_council=earlier.meeting.council_id)
    assert live.count() == 52 == len(set(live.values_list("paragraph", flat=True)))


def grab(minutes_id: int, paragraph: int, barrier: threading.Barrier) -> str:
    """What a writer without the council's lock would do: take the next § directly."""
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes_id)
    try:
        with transaction.atomic():
            barrier.wait()  # both in a transaction; the second INSERT waits for the first
            AgendaItem.objects.create(
                minutes=minutes,
                position=99,
                title="Utan lås",
                paragraph=paragraph,
                paragraph_council_id=minutes.meeting.council_id,
                paragraph_year=2025,
            )
        return "added"
    except IntegrityError:
        return "refused"
    finally:
        connection.close()


def test_the_constraint_refuses_the_second_of_two_concurrent_transactions(drafts):
    earlier, later = drafts
    barrier = threading.Barrier(2, timeout=5)
    with ThreadPoolExecutor(max_workers=2) as pool:
        a = pool.submit(grab, earlier.pk, 3, barrier)
        b = pool.submit(grab, later.pk, 3, barrier)
        outcome = sorted(f.result(timeout=30) for f in (a, b))
    assert outcome == ["added", "refused"]
