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
from minutes.forms import DeliberationForms
from minutes.services import deliberation
from minutes.services.serving import Roll, genitive_with_party, name_with_party


@dataclass(frozen=True)
class DeliberationPage:
    """What the § page offers for the deliberation: who may be chosen and the forms."""

    forms: DeliberationForms
    roll: dict  # for the editor's script (drafting.js): names, who serves, who may step in
    serving: list[tuple[int, str]]
    counts: list[str]

    @property
    def vote_rows(self) -> list[tuple]:
        """Each vote's form with its count as saved (the script counts live)."""
        return list(zip_longest(self.forms.votes.forms, self.counts, fillvalue=""))


def _posted_jav(data) -> list[tuple[int, int | None]]:
    """The jäv as posted (who serves depends on it), read leniently: the formset checks it."""
    pairs = []
    for index in range(min(int(data.get("jav-TOTAL_FORMS", 0) or 0), 50)):
        if data.get(f"jav-{index}-DELETE"):
            continue
        try:
            person = int(data.get(f"jav-{index}-person") or 0)
            substitute = int(data.get(f"jav-{index}-substitute") or 0) or None
        except ValueError:
            continue
        if person:
            pairs.append((person, substitute))
    return pairs


def deliberation_page(item, data=None) -> DeliberationPage:
    """The deliberation forms of a nämnd's §: the stored state, or ``data`` as posted. Only
    those who serve at the § (after the jäv) are offered; anyone the rows already name stays
    choosable, marked, so that the service's refusal can be read and the row corrected."""
    roll = Roll.of(item.minutes)
    position = item.position
    state = deliberation.state_of(item)
    attending = [r.person_id for r in roll.rows if r.person_id in roll.by_attendance(position)]
    step_in = [r.person_id for r in roll.rows if roll.may_step_in(r.person_id, position)]
    if data is not None:
        jav = _posted_jav(data)
    else:
        jav = [(j.person_id, j.substitute_id) for j in state.disqualifications]
    serving_ids = roll.serving(position, jav)
    named = _named(state)
    if data is not None:
        for key, value in data.items():
            if key.endswith("-person") and str(value).isdigit():
                named.add(int(value))
            elif "-ballot_" in key and value and key.rsplit("_", 1)[1].isdigit():
                named.add(int(key.rsplit("_", 1)[1]))
    known = {r.person_id for r in roll.rows}
    people = {p.pk: p.name for p in Person.objects.filter(pk__in=named - known).only("pk", "name")}

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
    chair_id = item.minutes.meeting.chaired_by_id
    counts = []
    for vote in state.votes if data is None else []:
        c = deliberation.count(vote)
        counts.append(
            _("%(yes)s ja, %(no)s nej, %(abstain)s avstår – %(total)s av %(serving)s har röstat")
            % {
                "yes": c.yes,
                "no": c.no,
                "abstain": c.abstain,
                "total": c.total,
                "serving": len(serving_ids),
            }
            + ". "
            + deliberation.result_line(vote, chair_id)
        )
    all_ids = set(attending) | set(step_in) | named
    return DeliberationPage(
        forms=forms,
        roll={
            "people": {
                str(p): {"name": label(p), "genitive": genitive_with_party(roll, p)}
                for p in all_ids
                if p in known or p in people
            },
            "attending": attending,
            "stepIn": step_in,
            "chair": chair_id,
            "body": "nämnden",
            "suggestion": deliberation.suggested_proposition(roll, state),
        },
        serving=serving,
        counts=counts,
    )


def _deliberation_words(item, data: deliberation.DeliberationInput) -> list[str]:
    """The deliberation as the protokoll words it, for the comparison after a conflict."""
    roll = Roll.of(item.minutes)
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


def conflict_words(item, debate: DeliberationPage | None, conflict: dict | None):
    """Both sides' deliberation in the protokoll's words, when a save from the plain form met
    a newer version."""
    if not conflict or debate is None or "motions" not in conflict:
        return None
    try:
        mine = debate.forms.as_input() if debate.forms.is_valid() else None
    except services.InvalidInput:
        mine = None
    return {
        "mine": _deliberation_words(item, mine) if mine else [],
        "theirs": _deliberation_words(item, deliberation.from_json(conflict)),
    }


def suggest_proposition(request, item, form, debate: DeliberationPage):
    """Without the script, "Föreslå text från yrkandena" posts the form: the proposition is
    proposed from the motions as they stand and written into the form, saved only by Spara."""
    if not debate.forms.is_valid():
        return debate, 400
    try:
        data = debate.forms.as_input()
        deliberation.check(item, data)
    except services.InvalidInput as error:
        form.add_error(None, str(error))
        return debate, 400
    changed = request.POST.copy()
    changed["proposition"] = deliberation.suggested_proposition(Roll.of(item.minutes), data)
    messages.info(
        request, _("Propositionen är föreslagen från yrkandena. Spara för att behålla den.")
    )
    return deliberation_page(item, changed), 200
