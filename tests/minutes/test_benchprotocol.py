"""The long nämnd protokoll the benchmarks render and justera (issue 22): built through the
drafting services, it must keep the shape the figures are reported for."""

import datetime

import pytest

from minutes.benchprotocol import CONFIDENTIAL_AT, PARAGRAPHS, long_protocol
from minutes.pdf import build_html
from minutes.services import deliberation
from minutes.snapshot import build_snapshot

pytestmark = pytest.mark.django_db


def test_the_long_protocol_has_sixty_paragraphs_two_votes_and_confidential_items():
    minutes = long_protocol(datetime.date(2026, 3, 9))
    snapshot = build_snapshot(minutes)
    assert snapshot.is_protocol
    assert len(snapshot.items) == PARAGRAPHS
    assert [i.label for i in snapshot.items][:2] == ["SN § 1", "SN § 2"]
    assert len(snapshot.votes) == 2 and len(snapshot.public_votes) == 2
    assert sum(1 for i in snapshot.items if not i.is_public) == len(CONFIDENTIAL_AT)
    assert sum(1 for i in snapshot.items if i.motions) >= 10
    assert deliberation.problems(minutes) == []
    # the public copy leaves the confidential §§' text out, so an internal copy differs
    assert build_html(snapshot) != build_html(snapshot, internal=True)


def test_the_same_seed_gives_the_same_text_and_the_paragraphs_run_on_through_the_year():
    first = build_snapshot(long_protocol(datetime.date(2026, 3, 9))).items
    second = build_snapshot(long_protocol(datetime.date(2026, 4, 13))).items
    assert [(i.title, i.body_html, i.decision_points) for i in first] == [
        (i.title, i.body_html, i.decision_points) for i in second
    ]
    assert second[0].label == f"SN § {PARAGRAPHS + 1}"
