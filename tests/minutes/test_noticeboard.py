"""The municipality's digital anslagstavla (/<kommun>/anslagstavla/, issue 19 points 4, 5 and 8):
on a given day exactly the announcements whose period covers it are current and the rest are in
the archive; a withdrawn publication takes its announcement down with the reason; the Atom feed;
a kungörelse posted with the notice; the links from the municipality and nämnd pages; search;
a fixed number of queries; and a council cannot take the address's slug."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils.models import Council
from minutes import search, services
from minutes.models import Announcement, Extract, Meeting, Minutes, Notice
from minutes.services import justering
from tests import factories
from tests.minutes import committee_fixtures as cf
from tests.minutes.services import test_justering
from tests.minutes.services.test_justering import SIGNERS, immediate, sign, submit
from tests.pages import page_text

pytestmark = pytest.mark.django_db
protokoll = test_justering.protokoll  # the fixture: a nämnd's meeting and its signatories
BOARD = "/arboga/anslagstavla/"
ARCHIVE = "/arboga/anslagstavla/arkiv/"
FEED = "/arboga/anslagstavla.atom"
D = datetime.date


def on(day: datetime.date):
    """The clock at noon (Stockholm) on ``day``: timezone.localdate() answers ``day``."""
    moment = datetime.datetime(day.year, day.month, day.day, 11, 0, tzinfo=datetime.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def post(council, meeting_day, posted, down, *, kind=Announcement.Kind.PROTOCOL, **fields):
    meeting = Meeting.objects.filter(council=council, date=meeting_day).first()
    meeting = meeting or factories.meeting(council, meeting_day)
    return Announcement.objects.create(
        municipality=council.municipality,
        council=council,
        meeting=meeting,
        kind=kind,
        organ=council.name,
        meeting_date=meeting_day,
        paragraphs=fields.pop("paragraphs", "1–7"),
        posted_on=posted,
        last_day_to_appeal=fields.pop("last_day", down - datetime.timedelta(days=1)),
        down_on=down,
        kept_at="Kommunledningskontoret, Rådhuset, Arboga",
        secretary="Sara Sekreterare",
        **fields,
    )


def ids(section: str, html: str) -> set[int]:
    """The announcements a section of the page shows, by their ``anslag-<pk>`` headings."""
    return {int(pk) for pk in re.findall(r'id="anslag-(\d+)"', section_of(section, html))}


def section_of(section: str, html: str) -> str:
    start = html.index(f'id="{section}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


# --- which announcements are up ----------------------------------------------------------------

# (posted_on, down_on): up from the first through the day before the second
PERIODS = {
    "past": (D(2026, 2, 2), D(2026, 2, 24)),
    "ends_today": (D(2026, 2, 20), D(2026, 3, 16)),  # taken down this morning
    "last_day": (D(2026, 2, 23), D(2026, 3, 17)),  # today is its last day shown
    "posted_today": (D(2026, 3, 16), D(2026, 4, 8)),
    "running": (D(2026, 3, 2), D(2026, 3, 24)),
    "tomorrow": (D(2026, 3, 17), D(2026, 4, 8)),  # not yet posted: in neither list
}
TODAY = D(2026, 3, 16)


@pytest.fixture
def board(cast):
    cf.committee(cast)
    council = Council.objects.get(pk=cast.council.pk)
    return {
        name: post(council, posted - datetime.timedelta(days=7), posted, down)
        for name, (posted, down) in PERIODS.items()
    }


def test_on_a_given_day_exactly_the_announcements_that_cover_it_are_current(client, board):
    with on(TODAY):
        html = client.get(BOARD).content.decode()
    current = {board[n].pk for n in ("last_day", "posted_today", "running")}
    archived = {board[n].pk for n in ("past", "ends_today")}
    assert ids("aktuella", html) == current
    assert ids("arkiv", html) == archived
    for name, announcement in board.items():
        assert announcement.is_up(TODAY) == (announcement.pk in current), name
    # newest first
    order = [int(pk) for pk in re.findall(r'id="anslag-(\d+)"', html)]
    assert order[:3] == [board["posted_today"].pk, board["running"].pk, board["last_day"].pk]
    # the day after, the one on its last day is down too; before, none
    with on(TODAY + datetime.timedelta(days=1)):
        html = client.get(BOARD).content.decode()
    assert ids("aktuella", html) == {board[n].pk for n in ("posted_today", "running", "tomorrow")}
    with on(D(2026, 1, 1)):
        html = client.get(BOARD).content.decode()
    assert ids("aktuella", html) == set() and ids("arkiv", html) == set()
    assert "Inga anslag just nu." in page_text(client.get(BOARD))


def test_the_page_shows_each_announcements_facts_and_links(client, board):
    with on(TODAY):
        response = client.get(BOARD)
    text = page_text(response)
    html = response.content.decode()
    running = board["running"]
    assert "Anslag den 16 mars 2026" in text
    assert "Förebyggande rådet Justerat protokoll · SN §§ 1–7" in text
    assert "Anslaget den 2 mars 2026" in text
    assert "Sista dag att överklaga 23 mars 2026" in text
    assert "Anslaget tas ned den 24 mars 2026" in text  # the day it comes down, as the anslagsbevis
    assert "Anslaget togs ned den 16 mars 2026" in text  # in the archive
    assert "Protokollet förvaras Kommunledningskontoret, Rådhuset, Arboga" in text
    day = f"{running.meeting.date:%Y-%m-%d}"
    meeting_url = f"/arboga/forebyggande-radet/{day}/"
    assert f'href="{meeting_url}"' in html
    assert f'href="{meeting_url}arboga-forebyggande-radet-{day}.pdf"' in html
    assert "laglighetsprövning" in text and "förvaltningsrätten inom tre veckor" in text
    assert '<link rel="alternate" type="application/atom+xml"' in html and FEED in html


def test_the_archive_is_paginated(client, cast):
    for n in range(27):
        start = D(2025, 1, 1) + datetime.timedelta(days=n)
        post(cast.council, start, start, start + datetime.timedelta(days=22))
    with on(TODAY):
        first = client.get(ARCHIVE)
        second = client.get(ARCHIVE + "?sida=2")
        board = client.get(BOARD)
    assert first.content.decode().count('id="anslag-') == 25
    assert second.content.decode().count('id="anslag-') == 2
    assert "Sida 2 av 2" in page_text(second)
    assert board.content.decode().count('id="anslag-') == 10
    assert "Hela arkivet" in page_text(board)
    assert client.get(ARCHIVE + "?sida=x").status_code == 200


def test_an_unknown_municipality_is_404(client, db):
    for url in (
        "/nowhere/anslagstavla/",
        "/nowhere/anslagstavla/arkiv/",
        "/nowhere/anslagstavla.atom",
    ):
        assert client.get(url).status_code == 404


def test_the_english_page(client, board):
    with on(TODAY):
        response = client.get("/en" + BOARD)
    assert response.status_code == 200
    assert "Noticeboard" in page_text(response)
    assert "Last day to appeal" in page_text(response)


def test_a_fixed_number_of_queries_whatever_the_number_of_announcements(client, cast, board):
    with on(TODAY), CaptureQueriesContext(connection) as few:
        client.get(BOARD)
        client.get(ARCHIVE)
    for n in range(12):
        start = TODAY - datetime.timedelta(days=n)
        post(
            cast.council,
            start - datetime.timedelta(days=40),
            start,
            start + datetime.timedelta(days=21),
        )
        post(
            cast.council,
            start - datetime.timedelta(days=80),
            start - datetime.timedelta(days=60),
            start - datetime.timedelta(days=30),
            kind=Announcement.Kind.NOTICE,
            paragraphs="",
        )
    with on(TODAY), CaptureQueriesContext(connection) as many:
        client.get(BOARD)
        client.get(ARCHIVE)
    assert len(many) == len(few)
    # the municipality, the current ones, the latest taken down
    with on(TODAY), CaptureQueriesContext(connection) as page:
        client.get(BOARD)
    assert len(page) == 3, [q["sql"] for q in page]


def card(pk: int, html: str) -> str:
    start = html.index(f'aria-labelledby="anslag-{pk}"')
    return html[start : html.index("</article>", start)]


def test_a_remembered_card_says_it_came_down_once_its_day_has_passed(client, board):
    """The cards are remembered per process under what they show: the day passing makes
    "tas ned" into "togs ned" in the archive, never a stale current card."""
    running = board["running"]
    with on(TODAY):
        html = client.get(BOARD).content.decode()
    assert running.pk in ids("aktuella", html)
    assert "Anslaget tas ned den" in card(running.pk, html)
    with on(D(2026, 3, 24)):
        html = client.get(BOARD).content.decode()
    assert running.pk in ids("arkiv", html) and running.pk not in ids("aktuella", html)
    assert "Anslaget togs ned den" in card(running.pk, html)
    assert "Anslaget tas ned den" not in card(running.pk, html)


# --- with the real justering --------------------------------------------------------------------


def test_a_justerat_protokoll_goes_up_comes_down_and_a_withdrawal_takes_it_down(client, protokoll):
    submit(protokoll)
    for who in SIGNERS:
        revision = sign(protokoll, who)
    # justerat Monday 16 March 2026; the last day to appeal Tuesday 7 April (annandag påsk)
    with on(D(2026, 4, 7)):
        text = page_text(client.get(BOARD))
        html = client.get(BOARD).content.decode()
        municipality = page_text(client.get("/arboga/"))
        council = client.get("/arboga/forebyggande-radet/").content.decode()
    (announcement,) = Announcement.objects.all()
    assert ids("aktuella", html) == {announcement.pk}
    assert "SN §§ 1–4" in text
    assert "Anslaget den 16 mars 2026 Sista dag att överklaga 7 april 2026" in text
    assert "Anslaget tas ned den 8 april 2026" in text
    assert "Anslagstavla (1 aktuellt anslag)" in municipality
    assert f'href="{BOARD}"' in council
    with on(D(2026, 4, 8)):
        html = client.get(BOARD).content.decode()
        assert "Anslagstavla (0 aktuella anslag)" in page_text(client.get("/arboga/"))
    assert ids("aktuella", html) == set() and ids("arkiv", html) == {announcement.pk}
    services.publication_withdraw(
        revision=revision, actor=None, reason="Personuppgifter publicerades av misstag."
    )
    with on(D(2026, 3, 20)):
        response = client.get(BOARD)
    html = response.content.decode()
    assert ids("aktuella", html) == set() and ids("arkiv", html) == {announcement.pk}
    assert "Tillbakadraget" in page_text(response)
    assert "Personuppgifter publicerades av misstag." in page_text(response)
    assert ".pdf" not in section_of("arkiv", html)  # no link to a withdrawn file
    with on(D(2026, 3, 20)):
        assert feedparser.parse(client.get(FEED).content).entries == []


def test_a_withdrawal_replaces_the_remembered_card_the_same_day(client, protokoll):
    submit(protokoll)
    for who in SIGNERS:
        revision = sign(protokoll, who)
    with on(D(2026, 3, 20)):
        html = client.get(BOARD).content.decode()  # the card is remembered now
    (announcement,) = Announcement.objects.all()
    assert ids("aktuella", html) == {announcement.pk}
    assert ".pdf" in section_of("aktuella", html)
    services.publication_withdraw(revision=revision, actor=None, reason="Fel protokoll.")
    with on(D(2026, 3, 20)):
        response = client.get(BOARD)
    html = response.content.decode()
    assert ids("aktuella", html) == set() and ids("arkiv", html) == {announcement.pk}
    assert "Tillbakadraget" in page_text(response) and "Fel protokoll." in page_text(response)
    assert ".pdf" not in section_of("arkiv", html)


def test_a_paragraph_justerad_at_once_links_its_extract_and_goes_down_with_the_protokoll(
    client, protokoll
):
    from minutes import publication

    item = immediate(protokoll)
    day = datetime.datetime(2026, 3, 9, 17, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=day):
        justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])
        for who in SIGNERS:
            extract = justering.paragraph_sign(item=item, actor=protokoll.users[who])
    assert isinstance(extract, Extract)
    extract = Extract.objects.select_related("minutes__meeting__council__municipality").get(
        pk=extract.pk
    )
    with on(D(2026, 3, 10)):
        response = client.get(BOARD)
    text = page_text(response)
    assert "Omedelbart justerad paragraf · SN § 3" in text
    assert publication.url_for(publication.extract_published_name(extract)) in (
        response.content.decode()
    )
    # the whole protokoll, justerat later, is withdrawn: the § goes down with it
    submit(protokoll)
    for who in SIGNERS:
        revision = sign(protokoll, who)
    services.publication_withdraw(revision=revision, actor=None, reason="Fel bilaga.")
    with on(D(2026, 3, 20)):
        html = client.get(BOARD).content.decode()
    assert ids("aktuella", html) == set()
    assert len(ids("arkiv", html)) == 2 and html.count("Fel bilaga.") == 2


def test_search_finds_the_meeting_by_its_organ_and_anslag(protokoll):
    submit(protokoll)
    for who in SIGNERS:
        sign(protokoll, who)
    results = search.search("förebyggande anslag")
    (hit,) = results.hits
    day = f"{protokoll.minutes.meeting.date:%Y-%m-%d}"
    assert hit.url == f"/arboga/forebyggande-radet/{day}/#anslag"
    assert "2026-04-07" in hit.snippet  # the last day to appeal
    assert search.search("kungsör anslag").hits == []
    # withdrawn: nothing public, nothing found
    revision = Minutes.objects.get(pk=protokoll.minutes.pk).approved_revision
    services.publication_withdraw(revision=revision, actor=None, reason="Fel.")
    assert search.search("förebyggande anslag").hits == []


# --- the feed -----------------------------------------------------------------------------------


def test_the_feed_is_valid_atom_with_an_entry_per_announcement_as_it_goes_up(client, board):
    with on(TODAY):
        parsed = feedparser.parse(client.get(FEED).content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Anslagstavla – Arboga kommun"
    assert parsed.feed.author == "Arboga kommun"
    # all but the one not yet posted, each with a stable id
    assert len(parsed.entries) == len(PERIODS) - 1
    running = board["running"]
    entry = next(e for e in parsed.entries if e.id.endswith(f"anslag/{running.pk}"))
    assert (
        entry.title
        == f"Justerat protokoll: Förebyggande rådet {running.meeting_date:%Y-%m-%d} SN §§ 1–7"
    )
    assert "Sista dag att överklaga 2026-03-23" in entry.summary
    assert entry.link.endswith(f"/arboga/forebyggande-radet/{running.meeting.date:%Y-%m-%d}/")
    assert entry.updated_parsed[:3] == running.created_at.timetuple()[:3]
    with on(TODAY):
        again = feedparser.parse(client.get(FEED).content)
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries]
    with on(TODAY):
        assert feedparser.parse(client.get("/kungsor/anslagstavla.atom").content).entries == []


# --- the kungörelse -----------------------------------------------------------------------------


def coming(draft, days=10) -> Meeting:
    meeting = draft.meeting
    meeting.date = timezone.localdate() + datetime.timedelta(days=days)
    meeting.save()
    return meeting


def test_the_notice_posts_a_kungorelse_until_the_meeting(client, cast, draft):
    meeting = coming(draft)
    today = timezone.localdate()
    notice = services.notice_send(meeting=meeting, actor=None, announce=True)
    (announcement,) = Announcement.objects.all()
    assert announcement.kind == Announcement.Kind.NOTICE and announcement.notice == notice
    assert announcement.posted_on == today
    assert announcement.down_on == meeting.date + datetime.timedelta(days=1)
    assert announcement.last_day_to_appeal is None and announcement.paragraphs == ""
    assert announcement.kept_at == "Förebyggande rådet, Arboga kommun"
    response = client.get(BOARD)
    text = page_text(response)
    assert "Kungörelse" in text and "Sista dag att överklaga" not in text
    day = f"{meeting.date:%Y-%m-%d}"
    assert f'href="/arboga/forebyggande-radet/{day}/kallelse.pdf"' in response.content.decode()
    assert client.get(f"/arboga/forebyggande-radet/{day}/kallelse.pdf").status_code == 200
    # an updated notice announced again: the kungörelse already up stays the only one
    draft.items.filter(position=1).update(title="Ändrad rubrik")
    services.notice_send(meeting=meeting, actor=None, announce=True)
    assert Notice.objects.count() == 2 and Announcement.objects.count() == 1


def test_a_notice_of_a_meeting_today_or_past_is_not_announced(cast, draft):
    meeting = coming(draft, days=0)
    with pytest.raises(services.InvalidInput, match="i dag eller har redan hållits"):
        services.notice_send(meeting=meeting, actor=None, announce=True)
    assert not Notice.objects.exists() and not Announcement.objects.exists()
    # without the box the notice goes as before
    services.notice_send(meeting=meeting, actor=None)
    assert Notice.objects.count() == 1 and not Announcement.objects.exists()


def notice_url(name, draft):
    return reverse(f"drafting:{name}", args=["arboga", "forebyggande-radet", draft.meeting_id])


def test_the_notice_page_offers_the_box_and_the_view_posts_it(client, cast, draft):
    meeting = coming(draft)
    client.force_login(cast.secretary)
    page = client.get(notice_url("notice", draft)).content.decode()
    assert "Anslå kungörelsen på anslagstavlan" in page
    assert 'name="anslag" value="1" id="anslag">' in page  # a råd: off by default
    client.post(notice_url("notice_send", draft))  # not checked
    assert Notice.objects.count() == 1 and not Announcement.objects.exists()
    draft.items.filter(position=1).update(title="Ändrad rubrik")
    client.post(notice_url("notice_send", draft), {"anslag": "1"})
    assert Notice.objects.count() == 2 and Announcement.objects.count() == 1
    page = page_text(client.get(notice_url("notice", draft)))
    assert "Kungörelsen anslogs på anslagstavlan" in page
    # the past meeting: no box, and a forged post is refused with the message
    Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2025, 2, 24))
    draft.items.filter(position=1).update(title="Ändrad igen")
    assert "Anslå kungörelsen" not in page_text(client.get(notice_url("notice", draft)))
    refused = client.post(notice_url("notice_send", draft), {"anslag": "1"}, follow=True)
    assert "kan inte anslås" in page_text(refused)
    assert Notice.objects.count() == 2


def test_a_namnds_notice_page_checks_the_box(client, cast, draft):
    coming(draft)
    cf.committee(cast)
    client.force_login(cast.secretary)
    page = client.get(notice_url("notice", draft)).content.decode()
    assert 'name="anslag" value="1" id="anslag" checked>' in page


# --- the council's slug -------------------------------------------------------------------------


def test_a_council_cannot_take_the_noticeboards_slug(cast):
    council = Council(municipality=cast.municipality, name="Anslagstavla", slug="anslagstavla")
    with pytest.raises(ValidationError) as refused:
        council.full_clean()
    assert "används redan av kommunens sidor" in str(refused.value.message_dict["slug"])
    council.slug = "Anslagstavla"
    with pytest.raises(ValidationError):
        council.full_clean()
    council.slug = "anslagsnamnden"
    council.full_clean()
    assert reverse("minutes:noticeboard", args=["arboga"]) == BOARD
