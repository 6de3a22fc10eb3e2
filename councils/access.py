"""Per-council rights, derived from memberships. Every view that is not public asks here.

A user's rights in a council come from the person linked to the account and that person's
memberships in force today. Administrators (superusers) may see and edit everything but sign
nothing: approval belongs to the person who chaired the meeting.

Outsiders get 404 for councils they do not belong to (the council's internal pages do not reveal
themselves), and 403 for actions their role in a council does not allow.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core import audit
from councils.models import Council, Membership, Person

Role = Membership.Role

EDITOR_ROLES = frozenset({Role.SECRETARY})
APPROVER_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR})


@dataclass(frozen=True)
class CouncilRights:
    council: Council
    roles: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False

    @property
    def is_member(self) -> bool:
        """May see the council's internal pages and drafts."""
        return self.is_admin or bool(self.roles)

    @property
    def can_edit_minutes(self) -> bool:
        return self.is_admin or bool(self.roles & EDITOR_ROLES)

    @property
    def can_approve(self) -> bool:
        """Holds a role that may approve; the workflow also checks who chaired the meeting."""
        return bool(self.roles & APPROVER_ROLES)


class Need(enum.Enum):
    """What a page of a meeting asks of the person: to read it, to edit its draft, to review it
    (a chair's or vice chair's role), or to start a correction of its approved minutes."""

    READ = "read"
    EDIT = "edit"
    REVIEW = "review"
    CORRECT = "correct"


@dataclass(frozen=True)
class MeetingRights:
    """A person's rights at one meeting: their rights in its council, and whether they are the
    person who chaired it. Only that person approves or returns the minutes (signs); a
    correction may be started by the council's chair, the person who chaired, or an
    administrator."""

    council: CouncilRights
    chaired: bool = False
    # a nämnd's protokoll is justerat by its secretary, the person who chaired and the
    # justerare: the role this person signs in ("Sekreterare", "Ordförande", "Justerare"), or ""
    signs_as: str = ""

    @property
    def is_protocol(self) -> bool:
        return self.council.council.numbers_paragraphs

    @property
    def can_edit_minutes(self) -> bool:
        return self.council.can_edit_minutes

    @property
    def can_review(self) -> bool:
        return self.council.can_approve or bool(self.signs_as)

    @property
    def can_sign(self) -> bool:
        """Approves a råd's minutes (the person who chaired), or justerar a nämnd's protokoll
        (its signatories)."""
        return bool(self.signs_as) if self.is_protocol else self.chaired

    @property
    def can_return(self) -> bool:
        """The chair and the justerare return a protokoll; its secretary takes it back."""
        if self.is_protocol:
            return bool(self.signs_as) and self.signs_as != "Sekreterare"
        return self.chaired

    @property
    def can_correct(self) -> bool:
        return self.council.is_admin or Role.CHAIR in self.council.roles or self.chaired

    def allows(self, need: Need) -> bool:
        return {
            Need.READ: self.council.is_member,
            Need.EDIT: self.can_edit_minutes,
            Need.REVIEW: self.can_review,
            Need.CORRECT: self.can_correct,
        }[need]


def chaired(user, meeting) -> bool:
    """Whether the user's person chaired ``meeting`` (anything with ``chaired_by_id``): the one
    who approves or returns its minutes. No query once the user's person is known."""
    return (
        user is not None
        and user.is_authenticated
        and meeting.chaired_by_id is not None
        and _person_id(user) == meeting.chaired_by_id
    )


def chair_of(user, meeting) -> Person | None:
    """The user's person if that person chaired ``meeting``, else None."""
    return meeting.chaired_by if chaired(user, meeting) else None


def meeting_rights(user, rights: CouncilRights, meeting, signs_as: str = "") -> MeetingRights:
    """``rights`` at ``meeting``; ``signs_as``: the role in which the user's person justerar a
    nämnd's protokoll of it (minutes.services.justering.role_of)."""
    return MeetingRights(council=rights, chaired=chaired(user, meeting), signs_as=signs_as)


def roles_in(user, council: Council, on: datetime.date | None = None) -> frozenset[str]:
    """The roles ``user`` holds in ``council`` on the given day (today by default)."""
    if not user.is_authenticated:
        return frozenset()
    person_id = _person_id(user)
    if person_id is None:
        return frozenset()
    return frozenset(
        Membership.objects.current(on)
        .filter(council=council, person_id=person_id)
        .values_list("role", flat=True)
    )


def rights_for(user, council: Council, on: datetime.date | None = None) -> CouncilRights:
    return CouncilRights(
        council=council,
        roles=roles_in(user, council, on),
        is_admin=bool(user.is_authenticated and user.is_superuser),
    )


def current_memberships(user):
    """The user's memberships in force today, with council and municipality, for listings."""
    person_id = _person_id(user) if user.is_authenticated else None
    if person_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.current()
        .filter(person_id=person_id)
        .select_related("council__municipality")
        .order_by("council__municipality__name", "council__name", "position", "role")
    )


def get_public_council(municipality_slug: str, council_slug: str) -> Council:
    """A council by its public address, for the public pages."""
    return get_object_or_404(
        Council.objects.select_related("municipality"),
        municipality__slug=municipality_slug,
        slug=council_slug,
    )


def get_council_for_member(
    request: HttpRequest, municipality_slug: str, council_slug: str
) -> CouncilRights:
    """A council the signed-in user belongs to, with their rights; 404 for anyone else."""
    council = get_public_council(municipality_slug, council_slug)
    rights = rights_for(request.user, council)
    if not rights.is_member:
        audit.record("access.denied", request=request, obj=council, reason="not_member")
        raise Http404(_("Sidan finns inte."))
    return rights


def require(request: HttpRequest, allowed: bool, *, action: str, obj=None) -> None:
    """Raise 403 (and write the denial to the audit log) unless ``allowed``."""
    if not allowed:
        audit.record("access.denied", request=request, obj=obj, attempted=action)
        raise PermissionDenied(_("Din roll i rådet tillåter inte detta."))


def _person_id(user) -> int | None:
    # The reverse one-to-one raises when no person is linked; cache the answer on the user.
    if not hasattr(user, "_protokollet_person_id"):
        user._protokollet_person_id = (
            Person.objects.filter(user=user).values_list("id", flat=True).first()
        )
    return user._protokollet_person_id


def person_id(user) -> int | None:
    """The id of the person linked to ``user``, or None (anonymous, or no person)."""
    if user is None or not user.is_authenticated:
        return None
    return _person_id(user)
