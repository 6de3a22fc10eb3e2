"""The deliberation on a nämnd's § page (minutes.services.deliberation): the forms that offer
only those serving at the § (after the jäv), the counts as saved, the data for the editor's
script (static/minutes/deliberation.js), the proposition proposed without the script, and both
sides of a conflict in the protokoll's words. The item views (minutes.views.items) use them."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest

from django.contrib import messages
from django.utils.translation import gettext as _

from councils.models import Person
from minutes import services
from minutes.forms import DeliberationForms, posted_int, posted_total
from minutes.services import deliberation
from minutes.services.serving import Roll, name_with_party


@dataclass(frozen=True)
class DeliberationPage:
    """What the § page offers for the deliberation: who may be chosen and the forms."""

    forms: DeliberationForms
    roll: dict  # for the editor's script (drafting.js): names, who serves, who may step in
    serving: list[tuple[int, str]]
    counts: list[tuple[str, str]]  # each stored vote's count and result, in the service's words

    @property
    def vote_rows(self) -> list[tuple]:
        """Each vote's form with its count and result as saved (the script counts live, and
        shows the result the server words after each save)."""
        return [
            (form, *counted)
            for form, counted in zip_longest(
                self.forms.votes.forms, self.counts, fillvalue=("", "")
            )
        ]


def _posted_jav(data) -> list[tuple[int, int | None]]:
    """The jäv as posted (who serves depends on it), read leniently: the formset checks it."""
    pairs = []
    for index in range(posted_total(data, "jav")):
        if data.get(f"jav-{index}-DELETE"):
            continue
        person = posted_int(data.get(f"jav-{index}-person"))
        if person:
            pairs.append((person, posted_int(data.get(f"jav-{index}-substitute")) or None))
    return pairs


def _posted_people(data) -> set[int]:
    """Everyone the posted rows name (people, substitutes, ballots), read leniently."""
    named = set()
    for key, value in data.items():
        if key.endswith(("-person", "-substitute")):
            named.add(posted_int(value))
        elif "-ballot_" in key and value:
            named.add(posted_int(key.rsplit("_", 1)[1]))
    return named - {None, 0}


def deliberation_page(item, data=None, roll: Roll | None = None) -> DeliberationPage:
    """The deliberation forms of a nämnd's §: the stored state, or ``data`` as posted. Only
    those who serve at the § (after the jäv) are offered; anyone the rows already name stays
    choosable, marked, so that the service's refusal can be read and the row corrected. A
    posted id of someone the council does not know is not offered: the form refuses it.

    ``item`` is best read with ``deliberation.prefetch()`` and ``roll`` given when already
    built: the page then reads the same few queries however many motions and votes it has."""
    roll = roll or Roll.of(item.minutes)
    position = item.position
    state = deliberation.state_of(item)
    attending = [r.person_id for r in roll.rows if r.person_id in roll.by_attendance(position)]
    step_in = [r.person_id for r in roll.rows if roll.may_step_in(r.person_id, position)]
    if data is not None:
        jav = _posted_jav(data)
    else:
        jav = [(j.person_id, j.substitute_id) for j in state.disqualifications]
    serving_ids = roll.serving(position, jav)
    known = {r.person_id for r in roll.rows}
    stored = _named(state)
    named = set(stored)
    if data is not None:  # only people of this council: another's are not named, nor offered
        posted = _posted_people(data) - known - stored
        council = item.minutes.meeting.council_id
        named |= known & _posted_people(data)
        named |= set(
            Person.objects.filter(pk__in=posted, memberships__council_id=council).values_list(
                "pk", flat=True
            )
        )
    people = {p.pk: p for p in Person.objects.filter(pk__in=named - known).only("pk", "name")}

    def label(person_id: int) -> str:
        return name_with_party(roll, person_id, people)

    ordered = [r.person_id for r in roll.rows if r.person_id in serving_ids]
    ordered += sorted(serving_ids - set(ordered))
    serving = [(p, label(p)) for p in ordered]
    others = [
        (p, _("%(name)s – tjänstgör inte vid paragrafen") % {"name": label(p)})
        for p in sorted(named - serving_ids)
        if p in known or p in people
    ]
    documents = [(d.pk, d.title) for d in item.documents.order_by("position", "id")]
    forms = DeliberationForms(
        data,
        initial=state,
        people=[*serving, *others],
        jav_people=[(p, label(p)) for p in attending],
        substitutes=[(p, label(p)) for p in step_in],
        documents=documents,
    )
    presiding = roll.presiding(position, item.minutes.meeting.chaired_by_id)
    counts = []
    for vote in state.votes if data is None else []:
        c = deliberation.count(vote)
        counts.append(
            (
                _(
                    "%(yes)s ja, %(no)s nej, %(abstain)s avstår – %(total)s av %(serving)s har röstat."
                )
                % {
                    "yes": c.yes,
                    "no": c.no,
                    "abstain": c.abstain,
                    "total": c.total,
                    "serving": len(serving_ids),
                },
                deliberation.result_line(vote, presiding) if c.total else "",
            )
        )
    all_ids = set(attending) | set(step_in) | named
    return DeliberationPage(
        forms=forms,
        roll={
            "people": {str(p): {"name": label(p)} for p in all_ids if p in known or p in people},
            "attending": attending,
            "stepIn": step_in,
            "suggestion": deliberation.suggested_proposition(roll, state),
            "vote": dict(
                zip(
                    ("yes_means", "no_means"), deliberation.suggested_vote(roll, state), strict=True
                )
            ),
        },
        serving=serving,
        counts=counts,
    )


def saved_answer(minutes, data: deliberation.DeliberationInput, position: int) -> dict:
    """What the editor's script shows after its autosave, in the service's words: the
    proposition proposed from the motions, what a new vote's ja and nej stand for, and each
    vote's result (with the casting vote of whoever presides at the §) and whether it is
    decided. Read after the save, so that the jäv saved decides who presides."""
    roll = Roll.of(minutes)
    presiding = roll.presiding(position, minutes.meeting.chaired_by_id)
    yes_means, no_means = deliberation.suggested_vote(roll, data)
    return {
        "suggested_proposition": deliberation.suggested_proposition(roll, data),
        "suggested_vote": {"yes_means": yes_means, "no_means": no_means},
        "votes": [
            {
                "result": deliberation.result_line(vote, presiding)
                if deliberation.count(vote).total
                else "",
                "decided": deliberation.is_decided(vote, presiding),
            }
            for vote in data.votes
        ],
    }


def _deliberation_words(
    item, data: deliberation.DeliberationInput, roll: Roll | None = None
) -> list[str]:
    """The deliberation as the protokoll words it, for the comparison after a conflict."""
    roll = roll or Roll.of(item.minutes)
    people = {p.pk: p for p in Person.objects.filter(pk__in=_named(data))}
    motions = list(data.motions)
    lines = [deliberation.disqualification_line(roll, j, people) for j in data.disqualifications]
    lines += [deliberation.motion_line(roll, motions, m) for m in motions]
    lines += [data.proposition] if data.proposition.strip() else []
    for vote in data.votes:
        c = deliberation.count(vote)
        lines.append(
            _("Ja-röst för %(yes)s, nej-röst för %(no)s: %(y)s ja, %(n)s nej, %(a)s avstår.")
            % {"yes": vote.yes_means, "no": vote.no_means, "y": c.yes, "n": c.no, "a": c.abstain}
        )
    lines += [deliberation.reservation_line(roll, r) for r in data.reservations]
    return lines


def _named(data: deliberation.DeliberationInput) -> set[int]:
    """Everyone the deliberation's rows name."""
    named = {m.person_id for m in data.motions} | {r.person_id for r in data.reservations}
    named |= {p for v in data.votes for p in v.ballots}
    named |= {p for j in data.disqualifications for p in (j.person_id, j.substitute_id) if p}
    return named


def conflict_words(
    item, debate: DeliberationPage | None, conflict: dict | None, roll: Roll | None = None
):
    """Both sides' deliberation in the protokoll's words, when a save from the plain form met
    a newer version."""
    if not conflict or debate is None or "motions" not in conflict:
        return None
    roll = roll or Roll.of(item.minutes)
    try:
        mine = debate.forms.as_input() if debate.forms.is_valid() else None
    except services.InvalidInput:
        mine = None
    return {
        "mine": _deliberation_words(item, mine, roll) if mine else [],
        "theirs": _deliberation_words(item, deliberation.from_json(conflict), roll),
    }


def suggest_proposition(request, item, form, debate: DeliberationPage, roll: Roll):
    """Without the script, "Föreslå text från yrkandena" posts the form: the proposition is
    proposed from the motions as they stand and written into the form, saved only by Spara."""
    if not debate.forms.is_valid():
        return debate, 400
    try:
        data = debate.forms.as_input()
        deliberation.check(item, data, roll)
    except services.InvalidInput as error:
        form.add_error(None, str(error))
        return debate, 400
    changed = request.POST.copy()
    changed["proposition"] = deliberation.suggested_proposition(roll, data)
    messages.info(
        request, _("Propositionen är föreslagen från yrkandena. Spara för att behålla den.")
    )
    return deliberation_page(item, changed, roll), 200
