"""A nämnd's deliberation at a §: motions (yrkanden), the proposition, votes (voteringar),
reservations and jäv, saved with the item (minutes.services.drafting.item_save, one version
check for the whole §) and written out as the protokoll words them.

Who may move, vote and reserve is who serves at the § (minutes.services.serving): a person who
does not serve there is refused on saving. A vote may be saved while the secretary is still
filling it in; submission refuses a protokoll whose votes do not add up
(:func:`problems`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

from councils.models import Person
from minutes.models import (
    AgendaItem,
    Ballot,
    Disqualification,
    ItemDocument,
    Minutes,
    Motion,
    Reservation,
    Vote,
)
from minutes.services.errors import InvalidInput
from minutes.services.serving import Roll, genitive_with_party, name_with_party
from minutes.services.text import check_text

MAX_ROWS = 50
MAX_BALLOTS = 1000  # a vote's ballots as read from the editor: more than any body's members
Kind = Motion.Kind
Choice = Ballot.Choice
# kinds that defer the matter instead of deciding it; the chair puts them first
DEFERRING = (Kind.REFERRAL, Kind.POSTPONEMENT)
# kinds that are their own proposition against the proposal
COUNTER = (Kind.REJECTION, Kind.AMENDMENT)
NEEDS_TEXT = (Kind.AMENDMENT, Kind.ADDITION)


@dataclass(frozen=True)
class MotionInput:
    person_id: int
    kind: str
    text: str = ""
    supports: int | None = None  # 1-based number of the motion supported, in this list


@dataclass(frozen=True)
class VoteInput:
    yes_means: str
    no_means: str
    ballots: dict[int, str]  # person id → Ballot.Choice


@dataclass(frozen=True)
class ReservationInput:
    person_id: int
    against: str = ""
    for_own_motion: bool = False
    document_id: int | None = None


@dataclass(frozen=True)
class DisqualificationInput:
    person_id: int
    substitute_id: int | None = None


@dataclass(frozen=True)
class DeliberationInput:
    motions: tuple[MotionInput, ...] = ()
    proposition: str = ""
    votes: tuple[VoteInput, ...] = ()
    reservations: tuple[ReservationInput, ...] = ()
    disqualifications: tuple[DisqualificationInput, ...] = ()


def _names(roll: Roll, people: dict[int, Person], ids) -> str:
    return ", ".join(sorted(name_with_party(roll, i, people) for i in ids))


def check(
    item: AgendaItem,
    data: DeliberationInput,
    roll: Roll | None = None,
    *,
    people: dict[int, Person] | None = None,
    documents: set[int] | None = None,
) -> None:
    """InvalidInput, in Swedish, for what cannot be saved at this §. ``roll``, ``people`` (by
    id) and ``documents`` (the item's document ids) may be given when already read."""
    check_text(
        data.proposition,
        *(m.text for m in data.motions),
        *(v.yes_means for v in data.votes),
        *(v.no_means for v in data.votes),
        *(r.against for r in data.reservations),
    )
    if max(len(data.motions), len(data.votes), len(data.reservations)) > MAX_ROWS:
        raise InvalidInput(
            f"Högst {MAX_ROWS} yrkanden, voteringar eller reservationer per paragraf."
        )
    roll = roll or Roll.of(item.minutes)
    if people is None:
        people = {p.pk: p for p in Person.objects.filter(pk__in=_person_ids(data))}
    unknown = _person_ids(data) - set(people)
    if unknown:
        raise InvalidInput("En person i paragrafen finns inte längre; ladda om sidan.")
    position = item.position

    seen: set[int] = set()
    by_attendance = roll.by_attendance(position)
    for jav in data.disqualifications:
        name = name_with_party(roll, jav.person_id, people)
        if jav.person_id in seen:
            raise InvalidInput(f"Jävet för {name} är antecknat två gånger.")
        seen.add(jav.person_id)
        if jav.person_id not in by_attendance:
            raise InvalidInput(f"{name} tjänstgör inte vid paragrafen och kan inte anmäla jäv.")
        if jav.substitute_id is not None:
            stand_in = name_with_party(roll, jav.substitute_id, people)
            if jav.substitute_id == jav.person_id:
                raise InvalidInput("Den jävige kan inte ersätta sig själv.")
            if not roll.may_step_in(jav.substitute_id, position):
                raise InvalidInput(
                    f"{stand_in} kan inte tjänstgöra i "
                    f"{genitive_with_party(roll, jav.person_id)} ställe: bara en närvarande "
                    "ersättare eller ledamot som inte redan tjänstgör kan gå in."
                )
    substitutes = [j.substitute_id for j in data.disqualifications if j.substitute_id]
    if len(substitutes) != len(set(substitutes)):
        raise InvalidInput("En ersättare kan gå in för en jävig ledamot, inte för två.")
    serving = roll.serving(
        position, [(j.person_id, j.substitute_id) for j in data.disqualifications]
    )

    def must_serve(person_id: int, what: str) -> None:
        if person_id not in serving:
            raise InvalidInput(
                f"{name_with_party(roll, person_id, people)} tjänstgör inte vid paragrafen och "
                f"kan inte {what}."
            )

    for number, motion in enumerate(data.motions, start=1):
        if motion.kind not in Kind.values:
            raise InvalidInput(
                "Välj vad yrkandet gäller: bifall, avslag, ändring, tillägg, återremiss eller bordläggning."
            )
        must_serve(motion.person_id, "yrka")
        if motion.kind in NEEDS_TEXT and not motion.text.strip():
            raise InvalidInput(
                f"Skriv vad {genitive_with_party(roll, motion.person_id)} "
                f"{NOUNS[Kind(motion.kind)]} går ut på."
            )
        if motion.supports is not None:
            if motion.kind != Kind.APPROVAL:
                raise InvalidInput("Bara ett bifallsyrkande stöder ett annat yrkande.")
            if not 1 <= motion.supports <= len(data.motions) or motion.supports == number:
                raise InvalidInput("Yrkandet stöder ett yrkande som inte finns; ladda om sidan.")
            supported = data.motions[motion.supports - 1]
            if supported.supports is not None:
                raise InvalidInput(
                    "Yrka bifall till det ursprungliga yrkandet, inte till ett bifall."
                )
            if supported.person_id == motion.person_id:
                raise InvalidInput(
                    f"{name_with_party(roll, motion.person_id, people)} kan inte yrka bifall "
                    "till sitt eget yrkande."
                )

    for vote in data.votes:
        if not vote.yes_means.strip() or not vote.no_means.strip():
            raise InvalidInput("Skriv vad en ja-röst och en nej-röst står för i voteringen.")
        if len(vote.yes_means) > 255 or len(vote.no_means) > 255:
            raise InvalidInput("Voteringens ja- och nej-förslag får vara högst 255 tecken.")
        for person_id, choice in vote.ballots.items():
            if choice not in Choice.values:
                raise InvalidInput("En röst är ja, nej eller avstår.")
            must_serve(person_id, "rösta")

    if documents is None:
        documents = set(ItemDocument.objects.filter(item=item).values_list("pk", flat=True))
    reserved: set[tuple[int, str]] = set()
    for reservation in data.reservations:
        must_serve(reservation.person_id, "reservera sig")
        # only who took part in the decision may reserve (KL 4 kap. 26 §): not who abstained
        if data.votes and all(
            v.ballots.get(reservation.person_id) == Choice.ABSTAIN for v in data.votes
        ):
            raise InvalidInput(
                f"{name_with_party(roll, reservation.person_id, people)} avstod från att rösta "
                "och deltog inte i beslutet, och kan därför inte reservera sig."
            )
        if len(reservation.against) > 150:
            raise InvalidInput("Vad reservationen gäller får vara högst 150 tecken.")
        key = (reservation.person_id, reservation.against.strip().casefold())
        if key in reserved:
            raise InvalidInput(
                f"{name_with_party(roll, reservation.person_id, people)} har redan reserverat "
                "sig mot det."
            )
        reserved.add(key)
        if reservation.document_id is not None and reservation.document_id not in documents:
            raise InvalidInput("Den skriftliga reservationen ska vara en handling i paragrafen.")
        if reservation.for_own_motion and not any(
            m.person_id == reservation.person_id for m in data.motions
        ):
            raise InvalidInput(
                f"{name_with_party(roll, reservation.person_id, people)} har inget eget yrkande "
                "i paragrafen att reservera sig till förmån för."
            )


def _person_ids(data: DeliberationInput) -> set[int]:
    ids = {m.person_id for m in data.motions} | {r.person_id for r in data.reservations}
    ids |= {p for v in data.votes for p in v.ballots}
    for jav in data.disqualifications:
        ids.add(jav.person_id)
        if jav.substitute_id:
            ids.add(jav.substitute_id)
    return ids


def replace(item: AgendaItem, data: DeliberationInput) -> None:
    """Store ``data`` as the item's deliberation (checked by :func:`check` first)."""
    Motion.objects.filter(item=item).delete()
    Vote.objects.filter(item=item).delete()
    Reservation.objects.filter(item=item).delete()
    Disqualification.objects.filter(item=item).delete()
    AgendaItem.objects.filter(pk=item.pk).update(proposition=data.proposition.strip())
    # all motions first, then who supports whom: a bifall may name a later motion
    created = [
        Motion.objects.create(
            item=item,
            position=position,
            person_id=motion.person_id,
            kind=motion.kind,
            text=motion.text.strip(),
        )
        for position, motion in enumerate(data.motions, start=1)
    ]
    supporting = []
    for row, motion in zip(created, data.motions, strict=True):
        if motion.supports is not None:
            row.supports = created[motion.supports - 1]
            supporting.append(row)
    Motion.objects.bulk_update(supporting, ["supports"])
    for position, vote in enumerate(data.votes, start=1):
        row = Vote.objects.create(
            item=item,
            position=position,
            yes_means=vote.yes_means.strip(),
            no_means=vote.no_means.strip(),
        )
        Ballot.objects.bulk_create(
            Ballot(vote=row, person_id=p, choice=c) for p, c in vote.ballots.items()
        )
    Reservation.objects.bulk_create(
        Reservation(
            item=item,
            position=position,
            person_id=r.person_id,
            against=r.against.strip(),
            for_own_motion=r.for_own_motion,
            document_id=r.document_id,
        )
        for position, r in enumerate(data.reservations, start=1)
    )
    Disqualification.objects.bulk_create(
        Disqualification(item=item, person_id=j.person_id, substitute_id=j.substitute_id)
        for j in data.disqualifications
    )


def copy(source: AgendaItem, target: AgendaItem) -> None:
    """A correction's copy of an item keeps its deliberation (documents by their position)."""
    replace(target, state_of(source, documents=_document_map(source, target)))


def _document_map(source: AgendaItem, target: AgendaItem) -> dict[int, int]:
    old = dict(ItemDocument.objects.filter(item=source).values_list("position", "pk"))
    new = dict(ItemDocument.objects.filter(item=target).values_list("position", "pk"))
    return {pk: new[pos] for pos, pk in old.items() if pos in new}


def prefetch() -> list[Prefetch]:
    """What :func:`state_of` reads, for a queryset of items."""
    return [
        Prefetch("motions", queryset=Motion.objects.order_by("position")),
        Prefetch("votes", queryset=Vote.objects.order_by("position").prefetch_related("ballots")),
        Prefetch("reservations", queryset=Reservation.objects.order_by("position")),
        Prefetch("disqualifications", queryset=Disqualification.objects.order_by("id")),
    ]


def state_of(item: AgendaItem, *, documents: dict[int, int] | None = None) -> DeliberationInput:
    """The stored deliberation of ``item`` as input (for the editor, a copy, a check)."""
    motions = list(item.motions.all())
    number = {m.pk: n for n, m in enumerate(motions, start=1)}
    return DeliberationInput(
        motions=tuple(
            MotionInput(m.person_id, m.kind, m.text, number.get(m.supports_id)) for m in motions
        ),
        proposition=item.proposition,
        votes=tuple(
            VoteInput(v.yes_means, v.no_means, {b.person_id: b.choice for b in v.ballots.all()})
            for v in item.votes.all()
        ),
        reservations=tuple(
            ReservationInput(
                r.person_id,
                r.against,
                r.for_own_motion,
                (documents or {}).get(r.document_id, r.document_id if documents is None else None),
            )
            for r in item.reservations.all()
        ),
        disqualifications=tuple(
            DisqualificationInput(j.person_id, j.substitute_id)
            for j in item.disqualifications.all()
        ),
    )


def as_json(data: DeliberationInput) -> dict:
    """For the editor and the conflict view."""
    return {
        "motions": [
            {"person": m.person_id, "kind": m.kind, "text": m.text, "supports": m.supports}
            for m in data.motions
        ],
        "proposition": data.proposition,
        "votes": [
            {
                "yes_means": v.yes_means,
                "no_means": v.no_means,
                "ballots": {str(p): c for p, c in v.ballots.items()},
            }
            for v in data.votes
        ],
        "reservations": [
            {
                "person": r.person_id,
                "against": r.against,
                "for_own_motion": r.for_own_motion,
                "document": r.document_id,
            }
            for r in data.reservations
        ],
        "disqualifications": [
            {"person": j.person_id, "substitute": j.substitute_id} for j in data.disqualifications
        ],
    }


def from_json(payload: dict) -> DeliberationInput:
    """The editor's JSON (:func:`as_json`'s shape) as input; ValueError/TypeError/KeyError for
    what cannot be read."""

    def pk(value) -> int:
        number = int(value)
        if not 0 < number < 2**63:  # no row has it, and the database cannot look it up
            raise ValueError(value)
        return number

    def opt_int(value) -> int | None:
        return None if value in (None, "") else int(value)

    def opt_pk(value) -> int | None:
        return None if value in (None, "") else pk(value)

    def ballots(value) -> dict[int, str]:
        given = dict(value)
        if len(given) > MAX_BALLOTS:  # more than any body has members: not the editor's
            raise ValueError("ballots")
        return {pk(p): str(c) for p, c in given.items() if c}

    return DeliberationInput(
        motions=tuple(
            MotionInput(
                pk(m["person"]), str(m["kind"]), str(m.get("text", "")), opt_int(m.get("supports"))
            )
            for m in payload.get("motions", [])
        ),
        proposition=str(payload.get("proposition", "")),
        votes=tuple(
            VoteInput(
                str(v.get("yes_means", "")),
                str(v.get("no_means", "")),
                ballots(v.get("ballots", {})),
            )
            for v in payload.get("votes", [])
        ),
        reservations=tuple(
            ReservationInput(
                pk(r["person"]),
                str(r.get("against", "")),
                bool(r.get("for_own_motion", False)),
                opt_pk(r.get("document")),
            )
            for r in payload.get("reservations", [])
        ),
        disqualifications=tuple(
            DisqualificationInput(pk(j["person"]), opt_pk(j.get("substitute")))
            for j in payload.get("disqualifications", [])
        ),
    )


# ---- the protokoll's words -------------------------------------------------------------


def motion_line(roll: Roll, motions: list[MotionInput], motion: MotionInput) -> str:
    """ "Per Holm (M) yrkar avslag på förslaget." """
    who = name_with_party(roll, motion.person_id)
    text = motion.text.strip().rstrip(".")
    if motion.kind == Kind.APPROVAL:
        if motion.supports is not None:
            supported = motions[motion.supports - 1]
            return (
                f"{who} yrkar bifall till {genitive_with_party(roll, supported.person_id)} yrkande."
            )
        return f"{who} yrkar bifall till {text or 'förslaget'}."
    if motion.kind == Kind.REJECTION:
        return f"{who} yrkar avslag på {text or 'förslaget'}."
    if motion.kind == Kind.AMENDMENT:
        return f"{who} yrkar följande ändring: {text}."
    if motion.kind == Kind.ADDITION:
        return f"{who} yrkar följande tillägg: {text}."
    if motion.kind == Kind.REFERRAL:
        return f"{who} yrkar att ärendet återremitteras" + (
            f" med motiveringen: {text}." if text else "."
        )
    return f"{who} yrkar att ärendet bordläggs" + (f": {text}." if text else ".")


NOUNS = {
    Kind.REJECTION: "avslagsyrkande",
    Kind.AMENDMENT: "ändringsyrkande",
    Kind.ADDITION: "tilläggsyrkande",
    Kind.REFERRAL: "återremissyrkande",
    Kind.POSTPONEMENT: "bordläggningsyrkande",
}


def motion_name(roll: Roll, motion: MotionInput) -> str:
    """ "Per Holms (M) avslagsyrkande" """
    return f"{genitive_with_party(roll, motion.person_id)} {NOUNS[Kind(motion.kind)]}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} och {parts[-1]}"


def suggested_proposition(roll: Roll, data: DeliberationInput, body: str = "nämnden") -> str:
    """The proposition as the chair usually puts it, from the motions: deferring motions first
    (decide today or not), then the proposal against the counter-motions, then each addition.
    The finding names the proposal; the secretary edits it to what the chair found, and a
    vote's result states the outcome on its own."""
    own = [m for m in data.motions if m.supports is None and m.kind != Kind.APPROVAL]
    lines = []
    for motion in (m for m in own if m.kind in DEFERRING):
        verb = "återremitteras" if motion.kind == Kind.REFERRAL else "bordläggas"
        lines.append(
            f"Ordföranden ställer proposition på om ärendet ska avgöras i dag eller {verb} "
            f"och finner att ärendet ska avgöras i dag."
        )
    counter = [motion_name(roll, m) for m in own if m.kind in COUNTER]
    if counter:
        lines.append(
            f"Ordföranden ställer proposition på förslaget och {_and(counter)} och finner att "
            f"{body} beslutar enligt förslaget."
        )
    for motion in (m for m in own if m.kind == Kind.ADDITION):
        lines.append(
            f"Ordföranden ställer proposition på {motion_name(roll, motion)} och finner att "
            f"{body} bifaller det."
        )
    if not lines and data.motions:
        lines.append(
            f"Ordföranden ställer proposition på förslaget och finner att {body} bifaller det."
        )
    return "\n\n".join(lines)


def suggested_vote(roll: Roll, data: DeliberationInput) -> tuple[str, str]:
    """What a new vote's ja and nej stand for, as the editor prefills them: the proposal (or,
    against a referral or postponement, deciding the matter today) against the last motion of
    the motions' own that is not a bifall, named by :func:`motion_name`."""
    counter = [m for m in data.motions if m.supports is None and m.kind in NOUNS]
    if not counter:
        return "förslaget", ""
    last = counter[-1]
    yes = "att ärendet avgörs i dag" if last.kind in DEFERRING else "förslaget"
    return yes, motion_name(roll, last)


@dataclass(frozen=True)
class Count:
    yes: int
    no: int
    abstain: int

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain


def count(vote: VoteInput) -> Count:
    c = Counter(vote.ballots.values())
    return Count(c[Choice.YES], c[Choice.NO], c[Choice.ABSTAIN])


def is_decided(vote: VoteInput, chair_id: int | None) -> bool:
    """Whether the vote has a winner: more votes on one side, or on a tie the casting vote
    (utslagsröst, KL 6 kap. 33 §) of ``chair_id``, who presides at the § (Roll.presiding)."""
    c = count(vote)
    return c.yes != c.no or (
        chair_id is not None and vote.ballots.get(chair_id) in (Choice.YES, Choice.NO)
    )


def result_line(vote: VoteInput, chair_id: int | None, body: str = "nämnden") -> str:
    """ "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget." A tie
    is decided by the chair's casting vote (utslagsröst, KL 6 kap. 33 §)."""
    c = count(vote)
    abstain = f", {c.abstain} avstår," if c.abstain else ""
    ja = "ja-röst" if c.yes == 1 else "ja-röster"
    nej = "nej-röst" if c.no == 1 else "nej-röster"
    if not is_decided(vote, chair_id):
        return f"Voteringen slutar {c.yes}–{c.no}{abstain.rstrip(',')} och är inte avgjord."
    if c.yes == c.no:
        winner = vote.yes_means if vote.ballots[chair_id] == Choice.YES else vote.no_means
        return (
            f"Med {c.yes} {ja} mot {c.no} {nej}{abstain} och ordförandens utslagsröst beslutar "
            f"{body} enligt {winner}."
        )
    winner = vote.yes_means if c.yes > c.no else vote.no_means
    return f"Med {c.yes} {ja} mot {c.no} {nej}{abstain} beslutar {body} enligt {winner}."


def reservation_line(
    roll: Roll, reservation: ReservationInput, document_title: str = "", *, public: bool = True
) -> str:
    """ "Per Holm (M) reserverar sig mot beslutet till förmån för eget yrkande." A written
    reservation is named by its document's title, unless that document is internal (the
    public protokoll names no internal document)."""
    against = reservation.against.strip() or "beslutet"
    line = f"{name_with_party(roll, reservation.person_id)} reserverar sig mot {against}"
    if reservation.for_own_motion:
        line += " till förmån för eget yrkande"
    line += "."
    if document_title and public:
        line += f" Skriftlig reservation, bilaga: {document_title}."
    elif document_title:
        line += " Skriftlig reservation i en intern handling."
    return line


def disqualification_line(roll: Roll, jav: DisqualificationInput, people: dict[int, Person]) -> str:
    """ "Per Holm (M) anmäler jäv och deltar inte i handläggningen av ärendet. Eva Lund (M)
    tjänstgör i stället." """
    who = name_with_party(roll, jav.person_id, people)
    line = f"{who} anmäler jäv och deltar inte i handläggningen av ärendet."
    if jav.substitute_id:
        stand_in = name_with_party(roll, jav.substitute_id, people)
        line += f" {stand_in} tjänstgör i stället."
    return line


def problems(minutes: Minutes) -> list[str]:
    """What stops a nämnd's protokoll from being submitted: a vote that does not add up (a
    serving member without a vote, a tie without the chair's vote), or a motion, vote or
    reservation by someone who no longer serves at the § after the attendance changed."""
    roll = Roll.of(minutes)
    chaired_by = minutes.meeting.chaired_by_id
    out = []
    items = list(
        AgendaItem.objects.filter(minutes=minutes)
        .select_related("minutes__meeting__council")  # each refusal names its § (item.label)
        .order_by("position")
        .prefetch_related(*prefetch(), "documents")
    )
    states = {item.pk: state_of(item) for item in items}
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=set().union(*(_person_ids(d) for d in states.values()))
        )
    }
    for item in items:
        data = states[item.pk]
        if not (data.motions or data.votes or data.reservations or data.disqualifications):
            continue
        chair_id = roll.presiding(item.position, chaired_by)
        try:
            check(item, data, roll, people=people, documents={d.pk for d in item.documents.all()})
        except InvalidInput as error:
            out.append(f"{item.label or item.title}: {error}")
            continue
        serving = roll.serving(item.position)
        for number, vote in enumerate(data.votes, start=1):
            missing = serving - set(vote.ballots)
            which = f"voteringen {number}" if len(data.votes) > 1 else "voteringen"
            if missing:
                out.append(
                    f"{item.label}: {which} saknar röst från {_names(roll, {}, missing)}; "
                    "varje tjänstgörande ledamot röstar ja, nej eller avstår."
                )
            elif not is_decided(vote, chair_id):
                out.append(
                    f"{item.label}: {which} slutar lika och den som var ordförande vid "
                    "paragrafen har inte röstat ja eller nej; ordföranden har utslagsröst."
                )
    return out
