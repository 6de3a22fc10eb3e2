"""Two secretaries saving at the same moment, on real PostgreSQL with one connection each:
the conditional UPDATE lets exactly one of two saves from the same version win."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from minutes import services
from minutes.models import AgendaItem
from tests.minutes.drafting_fixtures import standing_agenda

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def items(cast):
    import datetime

    standing_agenda(cast.council)
    meeting = services.meeting_create(
        council=cast.council,
        date=datetime.date(2025, 2, 24),
        start_time=None,
        end_time=None,
        place="",
        actor=None,
    )
    return list(meeting.minutes.get().items.order_by("position"))


def save(item_id: int, version: int, text: str, barrier: threading.Barrier) -> str:
    item = AgendaItem.objects.get(pk=item_id)
    barrier.wait()
    try:
        services.item_save(
            item=item,
            version=version,
            title=item.title,
            body=f"<p>{text}</p>",
            decision="",
            is_public=True,
            confidentiality_ground="",
            sections=[],
            actor=None,
        )
        return "won"
    except services.Conflict as conflict:
        assert conflict.current["version"] == version + 1
        return "conflict"
    finally:
        connection.close()


def run_pair(pool, first, second):
    barrier = threading.Barrier(2)
    a = pool.submit(save, *first, barrier)
    b = pool.submit(save, *second, barrier)
    return a.result(timeout=30), b.result(timeout=30)


def test_same_item_same_version_exactly_one_wins_200_times(items):
    assert connection.vendor == "postgresql"
    item = items[-1]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_ in range(200):
            version = AgendaItem.objects.get(pk=item.pk).version
            outcome = run_pair(
                pool, (item.pk, version, f"A{round_}"), (item.pk, version, f"B{round_}")
            )
            assert sorted(outcome) == ["conflict", "won"], (round_, outcome)
            stored = AgendaItem.objects.get(pk=item.pk)
            winner = "A" if outcome[0] == "won" else "B"
            assert stored.body == f"<p>{winner}{round_}</p>"
            assert stored.version == version + 1


def test_different_items_both_win(items):
    a, b = items[0], items[-1]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_ in range(20):
            va = AgendaItem.objects.get(pk=a.pk).version
            vb = AgendaItem.objects.get(pk=b.pk).version
            assert run_pair(pool, (a.pk, va, f"A{round_}"), (b.pk, vb, f"B{round_}")) == (
                "won",
                "won",
            )
    assert AgendaItem.objects.get(pk=a.pk).body == "<p>A19</p>"
    assert AgendaItem.objects.get(pk=b.pk).body == "<p>B19</p>"
