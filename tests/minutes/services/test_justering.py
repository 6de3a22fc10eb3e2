"""The justering of a nämnd's protokoll by the secretary, the person who chaired and the
justerare (minutes.services.justering): every order of signing, a return voids the signatures,
the freeze happens once with every signature and the anslagsbevis, a § justerad at once before
the rest, and the fourteen days' reminders."""

from __future__ import annotations

import datetime
import itertools
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from minutes import services
from minutes.models import (
    AdjustmentReminder,
    AdjustmentSignature,
    AgendaItem,
    Announcement,
    ApprovedRevision,
    Extract,
    Minutes,
    Signature,
)
from minutes.pdf import RenderError
from minutes.services import justering
from minutes.snapshot import MinutesSnapshot
from tests import factories
from tests.minutes import committee_fixtures as cf

MEETING_DAY = datetime.date(2026, 3, 9)
SIGNED_DAY = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC)  # a Monday


@pytest.fixture
def protokoll(cast):
    """The nämnd's meeting and its four signatories (committee_fixtures.signing), who read
    e-mail at signer0…signer3@arboga.example."""
    c = cf.signing(cast)
    for n, user in enumerate(c.users.values()):
        user.email = f"signer{n}@arboga.example"
        user.save(update_fields=["email"])
    return c


def submit(c) -> Minutes:
    with mock.patch("django.utils.timezone.now", return_value=SIGNED_DAY):
        services.minutes_submit(minutes=c.minutes, actor=c.users["Sekreterare"])
    return Minutes.objects.get(pk=c.minutes.pk)


def sign(c, who: str, *, at=SIGNED_DAY):
    with mock.patch("django.utils.timezone.now", return_value=at):
        return justering.sign(minutes=Minutes.objects.get(pk=c.minutes.pk), actor=c.users[who])


SIGNERS = ("Sekreterare", "Ordförande", "Bo Berg", "Eva Grön")


@pytest.mark.parametrize("order", list(itertools.permutations(SIGNERS)))
@pytest.mark.django_db
def test_the_protokoll_is_justerat_when_all_have_signed_in_any_order(protokoll, order):
    submit(protokoll)
    for n, who in enumerate(order, start=1):
        outcome = sign(protokoll, who, at=SIGNED_DAY + datetime.timedelta(minutes=n))
        minutes = Minutes.objects.get(pk=protokoll.minutes.pk)
        if n < len(order):
            assert outcome is None
            assert minutes.status == Minutes.Status.SUBMITTED
            assert not ApprovedRevision.objects.filter(minutes=minutes).exists()
    assert isinstance(outcome, ApprovedRevision)
    assert minutes.status == Minutes.Status.APPROVED
    snapshot = MinutesSnapshot.from_dict(outcome.snapshot)
    signed = {(s.role, s.name): s.signed for s in snapshot.signatories}
    assert len(signed) == 4
    assert all(
        text.startswith("Justerat elektroniskt 2026-03-16 kl. 11.") for text in signed.values()
    )
    # each signature under its own name, at its own minute
    minute_of = {who: n for n, who in enumerate(order, start=1)}
    assert signed[("Justerare", "Bo Berg")].endswith(f"kl. 11.{minute_of['Bo Berg']:02d}")
    assert signed[("Justerare", "Eva Grön")].endswith(f"kl. 11.{minute_of['Eva Grön']:02d}")
    assert Signature.objects.filter(revision=outcome).count() == 4
    assert AdjustmentSignature.objects.filter(minutes=minutes).count() == 4


@pytest.mark.django_db
def test_the_last_signature_posts_the_announcement_with_the_appeal_period(protokoll):
    submit(protokoll)
    for who in SIGNERS:
        revision = sign(protokoll, who)
    announcement = Announcement.objects.get(revision=revision)
    # justerat Monday 16 March 2026: up the same day; three weeks → Monday 6 April 2026,
    # annandag påsk → Tuesday 7 April; taken down the day after
    assert announcement.kind == Announcement.Kind.PROTOCOL
    assert announcement.posted_on == datetime.date(2026, 3, 16)
    assert announcement.last_day_to_appeal == datetime.date(2026, 4, 7)
    assert announcement.down_on == datetime.date(2026, 4, 8)
    assert announcement.paragraphs == "1–4"
    assert announcement.meeting_date == MEETING_DAY
    snapshot = MinutesSnapshot.from_dict(revision.snapshot)
    assert snapshot.anslag.posted_on == "2026-03-16"
    assert snapshot.anslag.down_on == "2026-04-08"
    assert snapshot.anslag.secretary == "Sara Sekreterare"


@pytest.mark.django_db
def test_a_return_voids_the_signatures_given_so_far(protokoll):
    submit(protokoll)
    sign(protokoll, "Bo Berg")
    sign(protokoll, "Sekreterare")
    services.minutes_return(
        minutes=protokoll.minutes, actor=protokoll.users["Ordförande"], comment="Rätta § 2."
    )
    minutes = Minutes.objects.get(pk=protokoll.minutes.pk)
    assert minutes.status == Minutes.Status.DRAFT
    assert justering.progress(minutes).signed == {}
    # the signatures stay as rows of their own, signing a submission no longer current
    assert AdjustmentSignature.objects.filter(minutes=minutes).count() == 2
    submit(protokoll)
    state = justering.progress(Minutes.objects.get(pk=minutes.pk))
    assert state.signed == {}
    assert {s.person.name for s in state.missing} == {
        "Sara Sekreterare",
        "Anna Ek",
        "Bo Berg",
        "Eva Grön",
    }
    for who in SIGNERS:
        revision = sign(protokoll, who)
    assert isinstance(revision, ApprovedRevision)


@pytest.mark.django_db
def test_a_justerare_returns_and_the_secretary_does_not(protokoll):
    submit(protokoll)
    with pytest.raises(services.NotAllowed):
        services.minutes_return(
            minutes=protokoll.minutes, actor=protokoll.users["Sekreterare"], comment="Nej."
        )
    services.minutes_return(
        minutes=protokoll.minutes, actor=protokoll.users["Eva Grön"], comment="Fel i § 3."
    )
    assert Minutes.objects.get(pk=protokoll.minutes.pk).status == Minutes.Status.DRAFT


@pytest.mark.django_db
def test_only_the_signatories_sign_and_each_once(protokoll, cast):
    submit(protokoll)
    with pytest.raises(services.NotAllowed):
        justering.sign(minutes=protokoll.minutes, actor=cast.member)
    other = factories.user("hassan", person_obj=protokoll["Hassan Jama"])
    with pytest.raises(services.NotAllowed):
        justering.sign(minutes=protokoll.minutes, actor=other)
    sign(protokoll, "Bo Berg")
    with pytest.raises(services.NotAllowed, match="redan"):
        sign(protokoll, "Bo Berg")


@pytest.mark.django_db
def test_a_draft_is_not_signed_and_the_chair_does_not_approve_a_protokoll_alone(protokoll):
    with pytest.raises(services.NotAllowed):
        sign(protokoll, "Ordförande")
    submit(protokoll)
    with pytest.raises(services.NotAllowed):
        services.minutes_approve(minutes=protokoll.minutes, actor=protokoll.users["Ordförande"])


@pytest.mark.django_db
def test_signatures_are_insert_only(protokoll):
    submit(protokoll)
    sign(protokoll, "Bo Berg")
    row = AdjustmentSignature.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AdjustmentSignature.objects.filter(pk=row.pk).update(name="Någon annan")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdjustmentSignature.objects.filter(pk=row.pk).delete()


@pytest.mark.django_db
@pytest.mark.django_db
def test_a_day_cron_missed_is_caught_up_and_an_unsent_protokoll_reminds_the_secretary(
    protokoll, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # not submitted two days before the end: the secretary is reminded, nobody else
        assert justering.remind(datetime.date(2026, 3, 21)) == 1
        assert justering.remind(datetime.date(2026, 3, 22)) == 0
    (sent,) = mail.outbox
    assert sent.bcc == ["signer0@arboga.example"]
    assert "skicka protokollet för justering" in sent.subject
    assert "ännu inte skickat för justering" in sent.body
    submit(protokoll)
    with django_capture_on_commit_callbacks(execute=True):
        # cron did not run on the 23rd: the last day's reminder goes on the 24th, once
        assert justering.remind(datetime.date(2026, 3, 24)) == 4
        assert justering.remind(datetime.date(2026, 3, 25)) == 0
    assert "sista dagen var 2026-03-23" in mail.outbox[-1].subject
    # a protokoll long overdue is not reminded of anew
    assert justering.remind(datetime.date(2026, 6, 1)) == 0


@pytest.mark.django_db
def test_progress_shows_the_due_date_and_lateness(protokoll):
    submit(protokoll)
    state = justering.progress(Minutes.objects.get(pk=protokoll.minutes.pk))
    assert state.due == datetime.date(2026, 3, 23)
    assert not state.is_late(datetime.date(2026, 3, 23))
    assert state.is_late(datetime.date(2026, 3, 24))
    late = datetime.datetime(2026, 3, 25, 9, 0, tzinfo=datetime.UTC)
    for who in SIGNERS:
        sign(protokoll, who, at=late)
    state = justering.progress(Minutes.objects.get(pk=protokoll.minutes.pk))
    assert state.adjusted_at == late
    assert state.is_late()


@pytest.mark.django_db
def test_the_workspace_list_of_what_waits_for_a_signature(protokoll):
    assert justering.waiting_for(protokoll["Bo Berg"]) == []
    submit(protokoll)
    assert [m.pk for m, _item in justering.waiting_for(protokoll["Bo Berg"])] == [
        protokoll.minutes.pk
    ]
    sign(protokoll, "Bo Berg")
    assert justering.waiting_for(protokoll["Bo Berg"]) == []
    assert len(justering.waiting_for(protokoll["Eva Grön"])) == 1
    assert justering.waiting_for(protokoll["Hassan Jama"]) == []


@pytest.mark.django_db
def test_reminders_three_days_before_and_on_the_day_once_each(
    protokoll, django_capture_on_commit_callbacks
):
    submit(protokoll)
    sign(protokoll, "Bo Berg")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert justering.remind(datetime.date(2026, 3, 20)) == 3  # three days before the 23rd
    assert len(mail.outbox) == 3
    assert all("senast 2026-03-23" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert justering.remind(datetime.date(2026, 3, 20)) == 0  # run twice: nothing more
        assert justering.remind(datetime.date(2026, 3, 21)) == 0  # not a reminder day
        assert justering.remind(datetime.date(2026, 3, 23)) == 3  # the last day
    assert "i dag" not in mail.outbox[-1].subject  # the mocked clock is December's
    assert AdjustmentReminder.objects.count() == 6
    assert "Bo Berg" not in {r.person.name for r in AdjustmentReminder.objects.all()}


# --- a § justerad at once -----------------------------------------------------------------------


def immediate(protokoll, position=3) -> AgendaItem:
    item = cf.item_at(protokoll.minutes, position)
    AgendaItem.objects.filter(pk=item.pk).update(immediate_adjustment=True)
    item.refresh_from_db()
    return item


@pytest.mark.django_db
def test_a_paragraph_is_justerad_at_once_and_the_protokoll_later_holds_it_unchanged(protokoll):
    item = immediate(protokoll)
    day = datetime.datetime(2026, 3, 9, 17, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=day):
        justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])
    assert justering.paragraph_state(item) == "submitted"
    # while it waits, nobody changes it, and the agenda keeps its place
    with pytest.raises(services.NotAllowed):
        cf.save(item, None, body="Ändrad")
    with pytest.raises(services.InvalidInput):
        services.items_reorder(
            minutes=protokoll.minutes,
            ordered_ids=list(
                reversed(protokoll.minutes.items.order_by("position").values_list("pk", flat=True))
            ),
            actor=None,
        )
    record = None
    for who in SIGNERS:
        with mock.patch("django.utils.timezone.now", return_value=day):
            record = justering.paragraph_sign(item=item, actor=protokoll.users[who])
    assert isinstance(record, Extract) and record.immediate
    assert record.paragraph == 3 and record.pdf_sha256
    assert justering.paragraph_state(item) == "adjusted"
    announcement = Announcement.objects.get(extract=record)
    assert announcement.kind == Announcement.Kind.PARAGRAPH
    assert announcement.paragraphs == "3"
    assert announcement.posted_on == datetime.date(2026, 3, 9)
    frozen = record.snapshot["items"][0]
    # the rest of the protokoll changes; the § does not
    other = cf.item_at(protokoll.minutes, 2)
    cf.save(other, None, body="Tillagd text")
    submit(protokoll)
    for who in SIGNERS:
        revision = sign(protokoll, who)
    snapshot = MinutesSnapshot.from_dict(revision.snapshot)
    shown = snapshot.items[2]
    assert shown.adjusted_on == "2026-03-09"
    # the protokoll's announcement says the § had its own, and its own time to appeal
    assert Announcement.objects.get(revision=revision).note == (
        "SN § 3 justerades omedelbart och anslogs den 9 mars 2026, med sista dag att överklaga "
        "30 mars 2026."
    )
    assert {k: v for k, v in revision.snapshot["items"][2].items() if k != "adjusted_on"} == {
        k: v for k, v in frozen.items() if k != "adjusted_on"
    }
    # its extract is the one made at once; the others are made after the commit
    assert justering.render_extracts(revision.pk) == 3
    assert justering.render_extracts(revision.pk) == 0
    assert Extract.objects.filter(minutes=protokoll.minutes).count() == 4


@pytest.mark.django_db
def test_a_returned_paragraph_is_open_again_and_cannot_be_deleted(protokoll):
    item = immediate(protokoll)
    justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])
    justering.paragraph_sign(item=item, actor=protokoll.users["Bo Berg"])
    with pytest.raises(services.NotAllowed):
        services.minutes_submit(minutes=protokoll.minutes, actor=protokoll.users["Sekreterare"])
    justering.paragraph_return(
        item=item, actor=protokoll.users["Ordförande"], comment="Fel belopp."
    )
    assert justering.paragraph_state(item) == "draft"
    cf.save(item, None, body="Rättat belopp")
    with pytest.raises(services.NotAllowed):
        services.item_delete(item=item, actor=None)
    justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])
    assert justering.progress(protokoll.minutes, item).signed == {}


@pytest.mark.django_db
def test_only_a_flagged_paragraph_of_a_draft_is_sent_at_once(protokoll):
    item = cf.item_at(protokoll.minutes, 2)
    with pytest.raises(services.NotAllowed, match="markerad"):
        justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_last_signatures_at_once_freeze_exactly_once(protokoll):
    import threading

    submit(protokoll)
    sign(protokoll, "Sekreterare")
    sign(protokoll, "Ordförande")
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def last(who):
        try:
            barrier.wait()
            # no mock.patch of the clock here: patching from two threads at once leaves the
            # mock in place for every later test of the process
            minutes = Minutes.objects.get(pk=protokoll.minutes.pk)
            outcomes.append(justering.sign(minutes=minutes, actor=protokoll.users[who]))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=last, args=(who,)) for who in ("Bo Berg", "Eva Grön")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(isinstance(o, ApprovedRevision) for o in outcomes) == 1
    assert ApprovedRevision.objects.filter(minutes=protokoll.minutes).count() == 1
    assert Announcement.objects.filter(meeting=protokoll.minutes.meeting).count() == 1
    assert Signature.objects.filter(revision__minutes=protokoll.minutes).count() == 4


# --- what the review found: withdrawal, correction, a failed render, the § at once kept ---------


def justerat(protokoll) -> ApprovedRevision:
    submit(protokoll)
    for who in SIGNERS:
        revision = sign(protokoll, who)
    return revision


def published_extracts() -> list[str]:
    from django.core.files.storage import storages

    try:
        folders, _files = storages["published"].listdir("")
    except FileNotFoundError:
        return []
    return [
        f"{folder}/{name}"
        for folder in folders
        for name in storages["published"].listdir(folder)[1]
        if "-paragraf-" in name
    ]


@pytest.mark.django_db
def test_a_withdrawal_before_the_extracts_are_made_keeps_them_unpublished(
    protokoll, cast, django_capture_on_commit_callbacks, tmp_path, settings
):
    revision = justerat(protokoll)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(revision=revision, actor=cast.admin, reason="Personnummer")
    with django_capture_on_commit_callbacks(execute=True):
        assert justering.render_extracts(revision.pk) == 4
    assert published_extracts() == []
    from minutes import publication

    assert all(publication.extract_is_withdrawn(e) for e in Extract.objects.all())
    publication.sync()  # after a restore or a move: still nothing of it is published
    assert published_extracts() == []


@pytest.mark.django_db
def test_a_correction_after_a_withdrawal_publishes_its_own_extracts(
    protokoll, cast, django_capture_on_commit_callbacks
):
    from minutes import publication

    item = immediate(protokoll)
    justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])
    for who in SIGNERS:
        at_once = justering.paragraph_sign(item=item, actor=protokoll.users[who])
    revision = justerat(protokoll)
    justering.render_extracts(revision.pk)
    services.publication_withdraw(revision=revision, actor=cast.admin, reason="Personnummer")
    assert publication.extract_is_withdrawn(at_once)
    correction = services.correction_start(
        revision=revision, actor=protokoll.users["Ordförande"], reason="Personnummer borttaget"
    )
    # the § justerad at once stays marked and locked in the correction
    copy = correction.items.get(paragraph=3)
    assert justering.paragraph_state(copy) == "adjusted"
    with pytest.raises(services.NotAllowed):
        cf.save(copy, None, body="Ändrad i rättelsen")
    services.minutes_submit(minutes=correction, actor=protokoll.users["Sekreterare"])
    second = None
    for who in SIGNERS:
        second = justering.sign(
            minutes=Minutes.objects.get(pk=correction.pk), actor=protokoll.users[who]
        )
    marked = MinutesSnapshot.from_dict(revision.snapshot).items[2].adjusted_on
    assert marked and MinutesSnapshot.from_dict(second.snapshot).items[2].adjusted_on == marked
    assert justering.render_extracts(second.pk) == 3  # § 3's is the one made at once
    made = Extract.objects.filter(revision=second)
    assert made.count() == 3
    assert not any(publication.extract_is_withdrawn(e) for e in made)
    assert not publication.extract_is_withdrawn(at_once)  # it stands in the correction
    assert {e.paragraph for e in publication.public_extracts(second)} == {1, 2, 3, 4}


@pytest.mark.django_db
def test_a_failed_extract_does_not_stop_the_others_and_is_made_on_the_next_run(protokoll):
    revision = justerat(protokoll)
    real = justering.store_extract
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["item"].paragraph)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(**kwargs)

    with mock.patch.object(justering, "store_extract", flaky), pytest.raises(OSError):
        justering.render_extracts(revision.pk)
    assert Extract.objects.filter(revision=revision).count() == 3
    assert justering.pending_extracts(revision) == ["SN § 2"]
    assert [r.pk for r in justering.revisions_missing_extracts()] == [revision.pk]
    assert justering.render_extracts(revision.pk) == 1
    assert justering.pending_extracts(revision) == []
    assert list(justering.revisions_missing_extracts()) == []


@pytest.mark.django_db
def test_extracts_render_in_batches_and_a_bad_one_fails_alone(protokoll):
    """The extracts render side by side a batch at a time; a batch that fails is rendered again
    one § at a time, so that only the § that cannot be rendered is left for the next run."""
    revision = justerat(protokoll)
    real = justering.render_extract_pdfs
    batches = []

    def picky(snapshots):
        batches.append(len(snapshots))
        if any(s.items[0].label == "SN § 2" for s in snapshots):
            raise RenderError("Dokumentet kunde inte skapas.")
        return real(snapshots)

    with mock.patch.object(justering, "render_extract_pdfs", picky), pytest.raises(RenderError):
        justering.render_extracts(revision.pk)
    assert batches[0] == 4  # every § of the protokoll in one batch
    assert Extract.objects.filter(revision=revision).count() == 3
    assert justering.pending_extracts(revision) == ["SN § 2"]
    assert justering.render_extracts(revision.pk) == 1


@pytest.mark.django_db
def test_a_paragraph_is_frozen_as_its_signatories_read_it(protokoll):
    """What the walk-through found: the secretary changed the meeting while the § waited, and
    the frozen extract showed what nobody had signed. The attendance (who justerar) cannot
    change while it waits; the rest is frozen as it was sent."""
    item = immediate(protokoll)
    justering.paragraph_submit(item=item, actor=protokoll.users["Sekreterare"])
    minutes = Minutes.objects.get(pk=protokoll.minutes.pk)
    with pytest.raises(services.NotAllowed, match="närvaron kan ändras när"):
        services.attendance_update(
            minutes=minutes,
            version=minutes.attendance_version,
            entries=cf.attendance(protokoll),
            others_present="Någon ny",
            actor=None,
        )
    services.meeting_update(
        meeting=minutes.meeting,
        date=minutes.meeting.date,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 0),
        place="Ett annat rum",
        actor=None,
    )
    for who in SIGNERS:
        record = justering.paragraph_sign(item=item, actor=protokoll.users[who])
    frozen = MinutesSnapshot.from_dict(record.snapshot)
    assert frozen.place_and_time == "Sessionssalen kl 13.00 – 16.00"  # as it was read
    assert all(s.signed.startswith("Justerat elektroniskt") for s in frozen.signatories)
    assert frozen.adjustment.startswith("Paragrafen justerades omedelbart ")
    assert frozen.items[0].adjusted_on
    from django.core.files.storage import default_storage

    from tests.minutes import pdftext

    pdf = default_storage.open(record.pdf_name).read()
    words = " ".join(" ".join(line) for line in pdftext.raw_lines(pdf))
    assert "Paragrafen är justerad omedelbart. Justeringen har tillkännagivits genom anslag." in (
        words
    )
    assert "Protokollet är justerat." not in words
    assert "Paragrafen justeras omedelbart." not in words  # the draft's words, replaced
