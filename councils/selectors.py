"""Reads for the public council pages: a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from councils.models import Council, Membership, Municipality


def municipalities_with_councils() -> QuerySet[Municipality]:
    """All municipalities, each with its councils prefetched (two queries)."""
    return Municipality.objects.prefetch_related(
        Prefetch("councils", queryset=Council.objects.order_by("name"))
    ).order_by("name")


@dataclass(frozen=True)
class MemberGroups:
    """A council's current members grouped as the minutes print them."""

    elected: list[Membership]
    substitutes: list[Membership]
    representatives: list[Membership]
    secretaries: list[Membership]

    def __bool__(self) -> bool:
        return bool(self.elected or self.substitutes or self.representatives or self.secretaries)


_ELECTED_ORDER = {
    Membership.Role.CHAIR: 0,
    Membership.Role.VICE_CHAIR: 1,
    Membership.Role.MEMBER: 2,
}


def member_groups(council: Council) -> MemberGroups:
    """Ledamöter (chair first, with party), ersättare, rådsrepresentanter (title or
    organisation, then name) and sekreterare: one query."""
    memberships = list(
        Membership.objects.current()
        .filter(council=council)
        .select_related("person")
        .order_by("position", "person__name")
    )
    R = Membership.Role
    elected = sorted(
        (m for m in memberships if m.role in _ELECTED_ORDER),
        key=lambda m: (_ELECTED_ORDER[m.role], m.position, m.person.name),
    )
    return MemberGroups(
        elected=elected,
        substitutes=[m for m in memberships if m.role == R.SUBSTITUTE],
        representatives=[m for m in memberships if m.role == R.REPRESENTATIVE],
        secretaries=[m for m in memberships if m.role == R.SECRETARY],
    )
