"""What every staff page of a meeting starts with: the meeting, its minutes (and item or
document) loaded within the council the user belongs to, and the user's rights at the meeting,
decided by ``councils.access`` and already checked. And one answer for a change the minutes'
state does not allow: the 409 page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from councils import access
from councils.access import Need
from minutes import services
from minutes.models import AgendaItem, ItemDocument, Meeting, Minutes


@dataclass(frozen=True)
class MeetingPage:
    rights: access.MeetingRights
    meeting: Meeting
    minutes: Minutes | None
    item: AgendaItem | None = None
    document: ItemDocument | None = None

    @property
    def args(self) -> list:
        """What every address of the meeting's workspace pages starts with."""
        council = self.meeting.council
        return [council.municipality.slug, council.slug, self.meeting.pk]

    def address(self, name: str, *extra: int) -> str:
        """The meeting's workspace page ``drafting:<name>``, with ``extra`` ids (an item's)."""
        return workspace_url(name, *self.args, *extra)

    @property
    def url(self) -> str:
        """The meeting's page in the workspace."""
        return self.address("meeting")

    @property
    def item_url(self) -> str:
        return self.address("item", self.item.pk)


def workspace_url(name: str, municipality: str, council: str, meeting_id: int, *extra) -> str:
    """A meeting's workspace page ``drafting:<name>`` by its address's slugs and ids."""
    return reverse(f"drafting:{name}", args=[municipality, council, meeting_id, *extra])


def load_meeting(
    request: HttpRequest,
    municipality: str,
    council: str,
    meeting_id: int,
    *,
    need: Need = Need.READ,
    action: str = "",
    minutes_required: bool = True,
    item_id: int | None = None,
    document_id: int | None = None,
) -> MeetingPage:
    """The meeting (with its latest minutes, and the item and document asked for) of a council
    the user belongs to, once the user's rights allow ``need``: 404 outside the council or for
    a meeting, item or document not in it, 403 (audited as ``action``) for a role that may not.
    Without ``minutes_required``, a meeting without minutes is loaded with ``minutes=None``."""
    council_rights = access.get_council_for_member(request, municipality, council)
    meeting = get_object_or_404(
        Meeting.objects.select_related("council__municipality", "chaired_by", "secretary"),
        pk=meeting_id,
        council=council_rights.council,
    )
    minutes = meeting.latest_minutes()
    if minutes is None and (minutes_required or item_id is not None):
        raise Http404(_("Mötet har inga minnesanteckningar."))
    item = document = None
    if item_id is not None:
        item = get_object_or_404(AgendaItem, pk=item_id, minutes=minutes)
        if document_id is not None:
            document = get_object_or_404(ItemDocument, pk=document_id, item=item)
    signs_as = ""
    if minutes is not None and meeting.council.numbers_paragraphs:
        from minutes.services import justering

        signs_as = justering.role_of(minutes, access.person_id(request.user))
    rights = access.meeting_rights(request.user, council_rights, meeting, signs_as)
    if need is not Need.READ:
        access.require(request, rights.allows(need), action=action, obj=meeting)
    return MeetingPage(rights, meeting, minutes, item, document)


def meeting_view(*, need: Need = Need.READ, action: str = "", minutes_required: bool = True):
    """A staff view of a meeting gets its MeetingPage from :func:`load_meeting` (404 and 403
    already answered) instead of the address's slugs and ids: ``view(request, page)``."""

    def decorate(view):
        @wraps(view)
        def wrapper(
            request: HttpRequest,
            municipality: str,
            council: str,
            meeting_id: int,
            item_id: int | None = None,
            document_id: int | None = None,
        ) -> HttpResponse:
            page = load_meeting(
                request,
                municipality,
                council,
                meeting_id,
                need=need,
                action=action,
                minutes_required=minutes_required,
                item_id=item_id,
                document_id=document_id,
            )
            return view(request, page)

        return wrapper

    return decorate


def not_editable_page(request: HttpRequest, back_url: str, message: str = "") -> HttpResponse:
    """409: the minutes are not in a state that allows this."""
    return render(
        request,
        "minutes/drafting/not_editable.html",
        {"back_url": back_url, "message": message or services.NotEditable.message},
        status=409,
    )


def not_editable_as_conflict(view):
    """A change the minutes' state does not allow (NotEditable: no longer a draft; NotAllowed: a
    transition the state refuses) is a 409 page that says why and leads back to the meeting,
    never a 500. Views of a meeting take ``municipality``, ``council`` and ``meeting_id``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (services.NotEditable, services.NotAllowed) as refusal:
            back = workspace_url(
                "meeting", kwargs["municipality"], kwargs["council"], kwargs["meeting_id"]
            )
            return not_editable_page(request, back, str(refusal))

    return wrapper
