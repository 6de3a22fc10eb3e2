"""A council's standing agenda (stående dagordning) by default: a nämnd that has none opens its
meetings with "Val av justerare" and "Godkännande av dagordning", as nämnder do.

The defaults are real ``StandingItem`` rows, made when a nämnd is saved in the admin (created,
or a råd made a nämnd) without a standing agenda, see ``minutes.admin``: there the administrator
sets a council up, and sees and edits them at once like any other standing item; a new meeting's
draft then starts from them (``minutes_start``). Not at the first draft: a nämnd whose standing
agenda was emptied on purpose keeps it empty (other edits of the council leave it alone), and the
drafting services stay as they were. A råd's standing agenda is never touched."""

from __future__ import annotations

from django.db import transaction

from core import audit
from councils.models import Council
from minutes.models import StandingItem
from minutes.services import paragraphs

# (title, decision) of a nämnd's opening items, in order. The justerare are named at the
# meeting, so that decision is left for the secretary to write.
COMMITTEE_OPENING_ITEMS: tuple[tuple[str, str], ...] = (
    ("Val av justerare", ""),
    ("Godkännande av dagordning", "Dagordningen godkänns."),
)


@transaction.atomic
def standing_agenda_default(*, council: Council, actor=None, request=None) -> list[StandingItem]:
    """Give a nämnd without standing items its opening items (``COMMITTEE_OPENING_ITEMS``);
    the items made, none for a råd or a nämnd that has its own standing agenda. Takes the
    council's lock (as the §§ do), so two first drafts at once make them once."""
    if not council.numbers_paragraphs:
        return []
    paragraphs.lock_council(council)
    if StandingItem.objects.filter(council=council).exists():
        return []
    made = [
        StandingItem.objects.create(
            council=council, position=position, title=title, decision=decision
        )
        for position, (title, decision) in enumerate(COMMITTEE_OPENING_ITEMS, start=1)
    ]
    audit.record(
        "standing_item.defaults_added",
        request=request,
        actor=actor,
        obj=council,
        titles=[item.title for item in made],
    )
    return made
