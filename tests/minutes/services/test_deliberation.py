"""A nämnd's deliberation at a § (issue 18, points 3 and 4): who may move, vote, reserve and
step in for a disqualified member at a §, the count of a vote, the words the protokoll uses,
the check at submission, and the snapshot round-trip with every part."""

import re

import pytest

from minutes import services
from minutes.models import Ballot, Minutes, Motion
from minutes.services import deliberation
from minutes.services.serving import Roll
from minutes.snapshot import MinutesSnapshot, build_snapshot
from tests.minutes import committee_fixtures as cf

pytestmark = pytest.mark.django_db

D = services.DeliberationInput
M = services.MotionInput
V = services.VoteInput
R = services.ReservationInput
J = services.DisqualificationInput
YES, NO, ABSTAIN = "ja", "nej", "avstar"


@pytest.fixture
def c(cast):
    return cf.committee(cast)


@pytest.fixture
def minutes(c):
    return cf.meeting(c)


def ballots(c, yes, no, abstain=()):
    return {
        **{c[n].pk: YES for n in yes},
        **{c[n].pk: NO for n in no},
        **{c[n].pk: ABSTAIN for n in abstain},
    }


# 11 serve at § 2 (ten members present and Karin Mark for Jonas Lind): 5–4, one abstains, and
# David Falk is disqualified with Lars Olsson stepping in
YES_SIDE = ("Anna Ek", "Cecilia Dahl", "Lars Olsson", "Eva Grön", "Lena Nyberg")
NO_SIDE = ("Bo Berg", "Fredrik Holm", "Greta Ivarsson", "Ida Karlsson")
ABSTAINING = ("Hassan Jama",)
# and Karin Mark (L) does not vote in the full example below: the submission check names her


def full(c, *, karin=YES):
    votes = ballots(c, YES_SIDE, NO_SIDE, ABSTAINING)
    if karin:
        votes[c["Karin Mark"].pk] = karin
    return D(
        motions=(
            M(c["Cecilia Dahl"].pk, "bifall"),
            M(c["Bo Berg"].pk, "avslag"),
            M(c["Fredrik Holm"].pk, "bifall", supports=2),
            M(c["Hassan Jama"].pk, "aterremiss", "utred kostnaderna först"),
        ),
        proposition="Ordföranden ställer proposition på förslaget och Bo Bergs (M) avslagsyrkande.",
        votes=(V("förslaget", "Bo Bergs (M) avslagsyrkande", votes),),
        reservations=(R(c["Bo Berg"].pk, "", True), R(c["Ida Karlsson"].pk, "beslutspunkt 2")),
        disqualifications=(J(c["David Falk"].pk, c["Lars Olsson"].pk),),
    )


def test_who_serves_follows_the_attendance_ranges_and_the_jav(c, cast):
    minutes = cf.meeting(c, **{"Lena Nyberg": (1, 2), "Karin Mark": (2, None)})
    cf.save(
        cf.item_at(minutes, 2), D(disqualifications=(J(c["David Falk"].pk, c["Lars Olsson"].pk),))
    )
    roll = Roll.of(minutes)
    names = {p: n for n, p in ((n, c[n].pk) for n in c.people)}
    at = {pos: {names[p] for p in roll.serving(pos)} for pos in (1, 2, 3)}
    assert "Lena Nyberg" in at[1] and "Lena Nyberg" in at[2] and "Lena Nyberg" not in at[3]
    assert "Karin Mark" not in at[1] and "Karin Mark" in at[2] and "Karin Mark" in at[3]
    # jäv at § 2 only: David Falk leaves it, Lars Olsson serves there and nowhere else
    assert "David Falk" not in at[2] and "Lars Olsson" in at[2]
    assert "David Falk" in at[1] and "Lars Olsson" not in at[1] and "Lars Olsson" not in at[3]
    # the absent member, the substitute who does not serve and the official never serve
    for pos in at:
        assert not {"Jonas Lind", "Maria Svensson"} & at[pos]


def test_a_full_paragraph_is_saved_and_read_back(c, minutes):
    item = cf.item_at(minutes, 2)
    cf.save(item, full(c))
    item.refresh_from_db()
    stored = deliberation.state_of(item)
    assert stored == full(c)
    assert Motion.objects.get(item=item, position=3).supports.person == c["Bo Berg"]
    assert Ballot.objects.filter(vote__item=item).count() == 11


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda c: D(motions=(M(c["Jonas Lind"].pk, "bifall"),)), "Jonas Lind (L) tjänstgör inte"),
        (
            lambda c: D(motions=(M(c["Lars Olsson"].pk, "avslag"),)),
            "Lars Olsson (S) tjänstgör inte",
        ),
        (lambda c: D(motions=(M(c["Maria Svensson"].pk, "avslag"),)), "tjänstgör inte"),
        (
            lambda c: D(votes=(V("förslaget", "avslag", {c["Lars Olsson"].pk: YES}),)),
            "kan inte rösta",
        ),
        (lambda c: D(reservations=(R(c["Jonas Lind"].pk),)), "kan inte reservera sig"),
        (
            lambda c: D(
                motions=(M(c["David Falk"].pk, "avslag"),),
                disqualifications=(J(c["David Falk"].pk),),
            ),
            "David Falk (S) tjänstgör inte vid paragrafen och kan inte yrka",
        ),
        (lambda c: D(disqualifications=(J(c["Jonas Lind"].pk),)), "kan inte anmäla jäv"),
        (
            lambda c: D(disqualifications=(J(c["David Falk"].pk, c["Bo Berg"].pk),)),
            "kan inte tjänstgöra i",
        ),
        (lambda c: D(motions=(M(c["Bo Berg"].pk, "andring"),)), "ändringsyrkande"),
        (
            lambda c: D(
                motions=(M(c["Bo Berg"].pk, "avslag"), M(c["Bo Berg"].pk, "bifall", supports=1))
            ),
            "sitt eget yrkande",
        ),
        (lambda c: D(reservations=(R(c["Bo Berg"].pk, "", True),)), "inget eget yrkande"),
        (lambda c: D(votes=(V("förslaget", "", {}),)), "ja-röst och en nej-röst"),
    ],
)
def test_what_cannot_be_saved_is_refused_in_swedish_and_nothing_changes(c, minutes, data, message):
    item = cf.item_at(minutes, 2)
    version = item.version
    with pytest.raises(services.InvalidInput, match=re.escape(message)):
        cf.save(item, data(c))
    item.refresh_from_db()
    assert item.version == version and not item.motions.exists()


def test_the_stepping_in_substitute_may_move_and_vote_at_that_paragraph_only(c, minutes):
    jav = (J(c["David Falk"].pk, c["Lars Olsson"].pk),)
    cf.save(
        cf.item_at(minutes, 2),
        D(motions=(M(c["Lars Olsson"].pk, "avslag"),), disqualifications=jav),
    )
    with pytest.raises(services.InvalidInput, match="Lars Olsson"):
        cf.save(cf.item_at(minutes, 3), D(motions=(M(c["Lars Olsson"].pk, "avslag"),)))


def test_the_count_and_the_result(c):
    vote = V("förslaget", "avslag", ballots(c, YES_SIDE, NO_SIDE, ABSTAINING))
    assert deliberation.count(vote) == deliberation.Count(5, 4, 1)
    assert (
        deliberation.result_line(vote, c["Anna Ek"].pk)
        == "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget."
    )
    tie = V("förslaget", "avslaget", ballots(c, YES_SIDE[:4], NO_SIDE))
    assert "ordförandens utslagsröst beslutar nämnden enligt förslaget" in deliberation.result_line(
        tie, c["Anna Ek"].pk
    )
    no_chair = V("förslaget", "avslaget", ballots(c, YES_SIDE[1:], NO_SIDE))
    assert not deliberation.is_decided(no_chair, c["Anna Ek"].pk)


def test_submission_is_refused_until_the_vote_adds_up(c, minutes, cast):
    item = cf.item_at(minutes, 2)
    cf.save(item, full(c, karin=None))
    with pytest.raises(services.NotAllowed, match="saknar röst från Karin Mark"):
        services.minutes_submit(minutes=minutes, actor=cast.secretary)
    cf.save(item, full(c))
    services.minutes_submit(minutes=minutes, actor=cast.secretary)
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.SUBMITTED


def test_submission_names_a_motion_by_someone_who_no_longer_serves(c, minutes, cast):
    cf.save(cf.item_at(minutes, 2), D(motions=(M(c["Lena Nyberg"].pk, "avslag"),)))
    minutes.refresh_from_db()
    services.attendance_update(
        minutes=minutes,
        version=minutes.attendance_version,
        entries=cf.attendance(c, **{"Lena Nyberg": (3, None)}),
        others_present="",
        actor=None,
    )
    with pytest.raises(services.NotAllowed, match="Lena Nyberg"):
        services.minutes_submit(minutes=minutes, actor=cast.secretary)


def test_the_words_of_the_protokoll(c, minutes):
    cf.save(cf.item_at(minutes, 2), full(c))
    doc = build_snapshot(minutes)
    item = doc.items[1]
    assert item.motions == (
        "Cecilia Dahl (S) yrkar bifall till förslaget.",
        "Bo Berg (M) yrkar avslag på förslaget.",
        "Fredrik Holm (M) yrkar bifall till Bo Bergs (M) yrkande.",
        "Hassan Jama (C) yrkar att ärendet återremitteras med motiveringen: utred kostnaderna först.",
    )
    assert item.disqualifications == (
        "David Falk (S) anmäler jäv och deltar inte i handläggningen av ärendet. "
        "Lars Olsson (S) tjänstgör i stället.",
    )
    assert item.reservations == (
        "Bo Berg (M) reserverar sig mot beslutet till förmån för eget yrkande.",
        "Ida Karlsson (SD) reserverar sig mot beslutspunkt 2.",
    )
    (vote,) = item.votes
    assert (
        vote.proposition_line == "Ja-röst för förslaget, nej-röst för Bo Bergs (M) avslagsyrkande."
    )
    assert (len(vote.yes), len(vote.no), len(vote.abstain)) == (6, 4, 1)
    assert vote.count_line == "6 ja, 4 nej, 1 avstår"
    assert vote.column == "§ 2"
    roll = {r.name: r for r in doc.roll}
    assert roll["Jonas Lind"].serving == "Frånvarande" and roll["Jonas Lind"].votes == ("",)
    assert roll["Bo Berg"].votes == ("Nej",) and roll["Hassan Jama"].votes == ("Avstår",)
    assert roll["Lars Olsson"].votes == ("Ja",) and roll["Lars Olsson"].serving == "Tjänstgör § 2"
    assert roll["David Falk"].serving == "Tjänstgör, jäv § 2" and roll["David Falk"].votes == ("",)
    assert "David Falk (S), jäv § 2" in doc.deciding
    assert "Maria Svensson" not in roll
    assert "Karin Mark (L), ersätter Jonas Lind (L)" in doc.deciding
    assert doc.deciding[0] == "Anna Ek (S), ordförande"
    assert doc.substitutes == ("Lars Olsson (S), tjänstgör § 2",)
    assert doc.officials == ("Maria Svensson, Socialchef", "Kim Åberg, nämndsekreterare")
    assert doc.adjusters == ("Bo Berg (M)", "Eva Grön (V)")
    assert doc.adjustment == "Socialkontoret, 2026-03-16 kl 10.00"
    assert doc.paragraphs == "1–4"
    assert [s.role for s in doc.signatories] == ["Ordförande", "Justerare", "Justerare"]


def test_the_suggested_proposition_puts_deferring_motions_first(c, minutes):
    data = full(c)
    text = deliberation.suggested_proposition(Roll.of(minutes), data)
    first, second = text.split("\n\n")
    assert first.startswith("Ordföranden ställer proposition på om ärendet ska avgöras i dag")
    assert second == (
        "Ordföranden ställer proposition på förslaget och Bo Bergs (M) avslagsyrkande och finner "
        "att nämnden beslutar enligt förslaget."
    )


def test_the_snapshot_round_trips_with_every_part(c, minutes):
    cf.save(
        cf.item_at(minutes, 2),
        full(c),
        parts=services.PartsInput(
            case_number="SN 2026/14",
            basis="Tjänsteskrivelse, 2026-02-20",
            proposal="Förvaltningen föreslår att nämnden antar planen.",
            decision_points="Planen antas.\nFörvaltningen följer upp.",
            protocol_note="Eva Grön (V) låter anteckna att underlaget kom sent.",
            recipients="Socialförvaltningen",
            immediate_adjustment=True,
        ),
    )
    doc = build_snapshot(minutes)
    again = MinutesSnapshot.from_dict(doc.as_dict())
    assert again == doc
    assert again.items[1].votes[0].yes == doc.items[1].votes[0].yes
    assert again.roll == doc.roll and again.votes == doc.votes


def test_a_correction_keeps_the_deliberation(c, minutes, cast):
    from tests.minutes.drafting_fixtures import submit_and_approve

    cf.save(cf.item_at(minutes, 2), full(c))
    before = build_snapshot(minutes)
    revision = submit_and_approve(minutes, cast)
    correction = services.correction_start(revision=revision, actor=cast.chair, reason="Stavfel")
    after = build_snapshot(correction)
    assert after.items[1].votes == before.items[1].votes
    assert after.items[1].reservations == before.items[1].reservations
    assert after.adjusters == before.adjusters and after.deciding == before.deciding


def test_a_council_ignores_the_deliberation(cast):
    from tests import factories

    meeting = factories.meeting(cast.council)
    minutes = factories.minutes(meeting)
    item = factories.item(minutes)
    services.item_save(
        item=item,
        version=item.version,
        title="Aktuellt",
        body="",
        decision="",
        is_public=True,
        confidentiality_ground="",
        sections=[],
        deliberation=D(motions=(M(cast.member.person.pk, "avslag"),)),
        actor=None,
    )
    assert not item.motions.exists()
    assert build_snapshot(minutes).roll == ()


def test_the_changes_since_submission_name_the_paragraph_and_the_justerare(c, minutes):
    from minutes.snapshot import changes

    before = build_snapshot(minutes).as_dict()
    cf.save(cf.item_at(minutes, 2), full(c))
    minutes.refresh_from_db()
    services.attendance_update(
        minutes=minutes,
        version=minutes.attendance_version,
        entries=[
            e
            if e.person_id != c["Eva Grön"].pk
            else type(e)(**{**e.__dict__, "is_adjuster": False})
            for e in cf.attendance(c)
        ],
        others_present="Kim Åberg, nämndsekreterare",
        actor=None,
    )
    after = build_snapshot(minutes).as_dict()
    listed = changes(before, after)
    assert any(line.startswith("Ändrat: 2. Ekonomisk uppföljning") for line in listed), listed
    assert "Ändrat: närvaron (Utses att justera)" in listed


def test_a_protokolls_snapshot_reads_in_a_fixed_number_of_queries(c, minutes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cf.save(cf.item_at(minutes, 2), full(c))
    with CaptureQueriesContext(connection) as one:
        build_snapshot(minutes)
    for position in (3, 4):
        cf.save(cf.item_at(minutes, position), full(c))
    with CaptureQueriesContext(connection) as three:
        build_snapshot(minutes)
    assert len(three) == len(one)


# --- found in review -----------------------------------------------------------------------


def test_a_bifall_may_support_a_later_motion(c, minutes):
    item = cf.item_at(minutes, 2)
    cf.save(
        item,
        D(motions=(M(c["Fredrik Holm"].pk, "bifall", supports=2), M(c["Bo Berg"].pk, "avslag"))),
    )
    first = Motion.objects.get(item=item, position=1)
    assert first.supports.person == c["Bo Berg"]
    assert deliberation.state_of(item).motions[0].supports == 2


def test_two_substitutes_cannot_fill_one_seat_and_only_a_member_is_replaced(c, minutes):
    entries = cf.attendance(c)
    olsson = next(e for e in entries if e.person_id == c["Lars Olsson"].pk)
    twice = [
        e if e is not olsson else type(e)(**{**e.__dict__, "status": "substitute",
                                             "substitute_for_id": c["Jonas Lind"].pk})
        for e in entries
    ]  # fmt: skip
    with pytest.raises(services.InvalidInput, match="kan inte båda ersätta Jonas Lind"):
        services.attendance_update(
            minutes=minutes, version=minutes.attendance_version, entries=twice,
            others_present="", actor=None,
        )  # fmt: skip

    # split over the §§, the two may share the seat
    def split(e):
        if e.person_id == c["Karin Mark"].pk:
            return type(e)(**{**e.__dict__, "to_position": 2})
        if e.person_id == c["Lars Olsson"].pk:
            return type(e)(**{**e.__dict__, "from_position": 3})
        return e

    split = [split(e) for e in twice]
    services.attendance_update(
        minutes=minutes, version=minutes.attendance_version, entries=split,
        others_present="", actor=None,
    )  # fmt: skip
    minutes.refresh_from_db()
    roll = Roll.of(minutes)
    assert len(roll.serving(2)) == len(roll.serving(3)) == 11
    ersattare = [
        e if e.person_id != olsson.person_id else type(e)(**{**e.__dict__, "status": "substitute",
                                             "substitute_for_id": c["Karin Mark"].pk})
        for e in cf.attendance(c)
    ]  # fmt: skip
    with pytest.raises(services.InvalidInput, match="kan bara ersätta en ledamot"):
        services.attendance_update(
            minutes=minutes, version=minutes.attendance_version, entries=ersattare,
            others_present="", actor=None,
        )  # fmt: skip


def test_a_jävig_chair_leaves_the_casting_vote_to_the_vice_chair(c, minutes, cast):
    item = cf.item_at(minutes, 2)
    yes = ("Cecilia Dahl", "David Falk", "Eva Grön", "Lena Nyberg", "Karin Mark")
    no = ("Bo Berg", "Fredrik Holm", "Greta Ivarsson", "Ida Karlsson", "Hassan Jama")
    data = D(
        votes=(V("förslaget", "avslaget", ballots(c, yes, no)),),
        disqualifications=(J(c["Anna Ek"].pk),),
    )
    cf.save(item, data)
    doc = build_snapshot(minutes)
    assert doc.items[1].votes[0].result == (
        "Med 5 ja-röster mot 5 nej-röster och ordförandens utslagsröst beslutar nämnden "
        "enligt avslaget."
    )  # Bo Berg, vice ordförande, presides at the § and voted nej
    services.minutes_submit(minutes=minutes, actor=cast.secretary)


def test_a_member_who_has_left_cannot_step_in_for_a_jävig_member(c):
    minutes = cf.meeting(c, **{"Lena Nyberg": (1, 2)})
    with pytest.raises(services.InvalidInput, match="kan inte tjänstgöra i David Falks"):
        cf.save(
            cf.item_at(minutes, 4),
            D(disqualifications=(J(c["David Falk"].pk, c["Lena Nyberg"].pk),)),
        )


def test_who_abstained_cannot_reserve(c, minutes):
    data = full(c)
    abstaining = D(
        votes=data.votes, reservations=(R(c["Hassan Jama"].pk),),
        disqualifications=data.disqualifications,
    )  # fmt: skip
    with pytest.raises(
        services.InvalidInput, match=re.escape("Hassan Jama (C) avstod från att rösta")
    ):
        cf.save(cf.item_at(minutes, 2), abstaining)


def test_justerare_are_deciding_members_other_than_the_chair(c, minutes):
    def with_adjusters(*names):
        return [
            type(e)(**{**e.__dict__, "is_adjuster": any(c[n].pk == e.person_id for n in names)})
            for e in cf.attendance(c)
        ]

    for names, message in (
        (("Lars Olsson",), "kan inte justera"),  # an ersättare present, not serving
        (("Anna Ek",), "är ordförande och justerar redan"),
    ):
        minutes.refresh_from_db()
        with pytest.raises(services.InvalidInput, match=message):
            services.attendance_update(
                minutes=minutes, version=minutes.attendance_version,
                entries=with_adjusters(*names), others_present="", actor=None,
            )  # fmt: skip
    minutes.refresh_from_db()
    services.attendance_update(
        minutes=minutes, version=minutes.attendance_version,
        entries=with_adjusters("Karin Mark", "Cecilia Dahl"), others_present="", actor=None,
    )  # fmt: skip


def test_a_jäv_at_a_confidential_paragraph_stays_out_of_the_front_page_and_the_list(c, minutes):
    item = cf.item_at(minutes, 3)
    cf.save(
        item,
        D(disqualifications=(J(c["David Falk"].pk, c["Lars Olsson"].pk),)),
        is_public=False,
        confidentiality_ground="OSL 26 kap. 1 §",
    )
    doc = build_snapshot(minutes)
    front = " ".join(doc.deciding + doc.substitutes + tuple(r.serving for r in doc.roll))
    assert "jäv" not in front and "§ 3" not in front
    assert doc.items[2].disqualifications  # the § itself states it, for the internal copy


def test_an_internal_written_reservation_is_not_named(c, minutes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = cf.item_at(minutes, 2)
    document = services.document_add(
        item=item, upload=SimpleUploadedFile("r.pdf", b"%PDF-1.7\n%%EOF\n"),
        title="Reservation från Bo Berg om skyddade personuppgifter", is_public=False, actor=None,
    )  # fmt: skip
    data = full(c)
    cf.save(
        item,
        D(
            motions=data.motions, votes=data.votes, disqualifications=data.disqualifications,
            reservations=(R(c["Bo Berg"].pk, "", True, document.pk),),
        ),
    )  # fmt: skip
    line = build_snapshot(minutes).items[1].reservations[0]
    assert "skyddade" not in line and line.endswith("Skriftlig reservation i en intern handling.")


def test_attendance_for_part_of_the_meeting_follows_its_items(c):
    from minutes.models import Attendance

    minutes = cf.meeting(c, **{"Lena Nyberg": (2, 3)})  # present at the 2nd and 3rd items

    def lena():
        row = Attendance.objects.get(minutes=minutes, person=c["Lena Nyberg"])
        return row.from_position, row.to_position

    services.item_create(minutes=minutes, title="Nytt ärende", actor=None)  # at the end
    assert lena() == (2, 3)
    first = minutes.items.get(position=1)
    services.item_move(item=first, step=1, actor=None)  # the 1st and 2nd swap places
    assert lena() == (1, 3)  # still "Ekonomisk uppföljning" to "Försörjningsstöd"
    services.item_delete(item=minutes.items.get(position=1), actor=None)
    assert lena() == (1, 2)
