"""A long nämnd protokoll for the benchmarks (issue 22): about 80 pages with the front page,
the table of contents, 60 §§ with their parts (case number, basis, proposal, decision points,
recipients), motions, two votes with the närvaro- och omröstningslista, reservations and two
confidential §§ (so that an internal copy exists beside the public one).

Built through the services a secretary's clicks go through, on the demo's Socialnämnd
(``minutes.demo_committee``), so the document is what the app itself would make. The text is
our own sentences (``minutes.benchwords``) with a fixed random seed: the same call gives the same
protokoll."""

from __future__ import annotations

import datetime
import random

from councils.demo import load_council
from councils.models import Membership, Person
from minutes import services
from minutes.benchdata import _paragraph
from minutes.benchwords import DECISIONS, TITLES
from minutes.demo_committee import (
    MEMBERS,
    SECRETARY,
    _attendance,
    _meeting,
    _order,
    _text,
    load_committee,
    load_committee_logins,
)
from minutes.demo_committee import (
    _paragraph as _save_paragraph,
)
from minutes.models import Minutes
from minutes.services import deliberation

PARAGRAPHS = 60
CONFIDENTIAL_AT = (17, 43)  # 1-based positions of the confidential §§
VOTES_AT = (12, 38)
MOTIONS_EVERY = 6
ADJUSTERS = ("Johan Fors", "Leila Haddad")
Role = Membership.Role


def committee():
    """The demo's Socialnämnd, its people and their logins (namndsekreterare,
    namndordforande, namndjusterare; the second justerare signs in as ``namndjusterare2``)."""
    from django.contrib.auth import get_user_model

    from councils.demo import DEMO_PASSWORD

    demo = load_council()
    council, people = load_committee(demo)
    load_committee_logins(demo, people)
    second: Person = people[ADJUSTERS[1]]
    if second.user_id is None:
        user = get_user_model().objects.create_user("namndjusterare2", password=DEMO_PASSWORD)
        second.user = user
        second.save(update_fields=["user"])
    return council, people


def long_protocol(day: datetime.date, *, seed: int = 22, paragraphs: int = PARAGRAPHS) -> Minutes:
    """The draft of a nämnd's protokoll of ``day`` with ``paragraphs`` §§, every § written and
    checked as submission checks it; the meeting must not exist yet."""
    council, people = committee()
    rng = random.Random(seed)
    minutes = _meeting(council, day, people)
    if minutes is None:
        raise ValueError(f"{council.name} has a meeting on {day} already")
    titles = ["Val av justerare", "Godkännande av dagordning"]
    while len(titles) < paragraphs - 1:
        titles.append(f"{rng.choice(TITLES)} – {len(titles) + 1:02d}")
    titles.append("Delegationsbeslut och meddelanden")
    _order(minutes, titles)
    _attendance(
        minutes,
        people,
        absent={"Nils Berglund"},
        serving_for={"Elin Roos": "Nils Berglund"},
        present_substitutes={"Oskar Lind"},
        ranges={"Hanna Lövgren": (None, paragraphs - 10)},  # left before the last ten
        adjusters=set(ADJUSTERS),
        adjustment=services.AdjustmentInput("Socialkontoret, Rådhuset", day, datetime.time(16)),
        others="Karin Holmqvist, nämndsekreterare",
    )
    voters = [n for n, _p, role in MEMBERS if role != Role.SUBSTITUTE and n != "Nils Berglund"]
    for position, title in enumerate(titles, start=1):
        if position == 1:
            decision = f"{ADJUSTERS[0]} och {ADJUSTERS[1]} utses att justera protokollet."
            _save_paragraph(minutes, title, parts={"decision": decision})
            continue
        if position == 2:
            _save_paragraph(minutes, title, parts={"decision": "Dagordningen godkänns."})
            continue
        if position in CONFIDENTIAL_AT:
            _save_paragraph(
                minutes,
                title,
                body="Individärende.",
                parts={"decision": "Beslut enligt sekretessbilaga."},
                confidential="OSL 26 kap. 1 §",
            )
            continue
        parts = {
            "case_number": f"SN {day.year}/{100 + position}",
            "basis": f"Tjänsteskrivelse, {day - datetime.timedelta(days=14):%Y-%m-%d}\n"
            + "\n".join(_paragraph(rng).split(".")[0] for _ in range(2)),
            "proposal": _paragraph(rng),
            "decision": "\n".join(
                [rng.choice([d for d in DECISIONS if d]), _paragraph(rng)][: rng.randint(1, 2)]
            ),
            "recipients": "Kommunstyrelsen\nSocialförvaltningen",
        }
        body = _text(*(_paragraph(rng) + " " + _paragraph(rng) for _ in range(rng.randint(3, 5))))
        flow = None
        if position in VOTES_AT or position % MOTIONS_EVERY == 0:
            flow = _deliberation(people, rng, vote=position in VOTES_AT, voters=voters)
        _save_paragraph(minutes, title, body=body, parts=parts, deliberation_input=flow)
    unresolved = deliberation.problems(minutes)
    if unresolved:
        raise RuntimeError(f"the benchmark's protokoll does not add up: {unresolved}")
    minutes.refresh_from_db()
    return minutes


def _deliberation(people, rng: random.Random, *, vote: bool, voters: list[str]):
    P = people
    motions = (
        services.MotionInput(P["Birgitta Sandberg"].pk, "bifall"),
        services.MotionInput(P["Göran Blom"].pk, "andring", f"att {_paragraph(rng).lower()}"),
        services.MotionInput(P["Peter Ström"].pk, "bifall", supports=2),
    )
    if not vote:
        return services.DeliberationInput(
            motions=motions,
            proposition=(
                "Ordföranden ställer proposition på förslaget och Göran Bloms (M) "
                "ändringsyrkande och finner att nämnden beslutar enligt förslaget."
            ),
        )
    no = {"Johan Fors", "Göran Blom", "Sofia Ekdahl", "Peter Ström"}
    ballots = {
        P[name].pk: ("avstar" if name == "Anders Vik" else "nej" if name in no else "ja")
        for name in voters
    }
    ballots[P["Elin Roos"].pk] = "ja"
    return services.DeliberationInput(
        motions=motions,
        proposition=(
            "Ordföranden ställer proposition på förslaget och Göran Bloms (M) ändringsyrkande "
            "och finner att nämnden beslutar enligt förslaget. Votering begärs."
        ),
        votes=(services.VoteInput("förslaget", "Göran Bloms (M) ändringsyrkande", ballots),),
        reservations=(
            services.ReservationInput(P["Göran Blom"].pk, "", True),
            services.ReservationInput(P["Peter Ström"].pk, ""),
        ),
    )


__all__ = ["ADJUSTERS", "PARAGRAPHS", "SECRETARY", "committee", "long_protocol"]
