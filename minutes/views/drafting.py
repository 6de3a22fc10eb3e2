"""The secretary's drafting pages under /arbete/. Every view asks councils.access for the
user's rights: 404 outside the council, 403 for a role that may not act, and a 409 page or
JSON answer when the minutes are no longer a draft."""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit
from core.dates import long_date
from councils import access, second_factor
from councils import tools as council_tools
from councils.models import Council, Membership, Person
from councils.views import locked_out
from minutes import item_tools, notices, services
from minutes.forms import (
    NOT_ATTENDING,
    AttendanceRowForm,
    DocumentEditForm,
    DocumentForm,
    ItemForm,
    ItemTitleForm,
    MeetingForm,
    NextMeetingForm,
    SectionFormSet,
)
from minutes.models import AgendaItem, ApprovedRevision, ItemDocument, Meeting, Minutes
from minutes.pdf import RenderError
from minutes.snapshot import build_snapshot
from minutes.views.downloads import document_response, notice_response, storage_failure_is_503


def _editor_url(meeting: Meeting) -> str:
    council = meeting.council
    return reverse("drafting:meeting", args=[council.municipality.slug, council.slug, meeting.pk])


def _latest_minutes(meeting: Meeting) -> Minutes:
    minutes = meeting.minutes.order_by("-revision").first()
    if minutes is None:
        raise Http404(_("Mötet har inga minnesanteckningar."))
    return minutes


def _load(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, *, required: bool = True
):
    rights = access.get_council_for_member(request, municipality, council)
    meeting = get_object_or_404(
        Meeting.objects.select_related("council__municipality", "chaired_by", "secretary"),
        pk=meeting_id,
        council=rights.council,
    )
    minutes = (
        _latest_minutes(meeting) if required else meeting.minutes.order_by("-revision").first()
    )
    return rights, meeting, minutes


def _may_correct(request: HttpRequest, rights, meeting: Meeting) -> bool:
    """Corrections: the council's chair, the person who chaired the meeting, or an administrator."""
    return (
        rights.is_admin
        or Membership.Role.CHAIR in rights.roles
        or services.chaired_by(meeting, request.user) is not None
    )


def _not_editable(request: HttpRequest, meeting: Meeting, message: str = "") -> HttpResponse:
    """409: the minutes are not in a state that allows this."""
    return render(
        request,
        "minutes/drafting/not_editable.html",
        {"meeting": meeting, "message": message or services.NotEditable.message},
        status=409,
    )


# --- Workspace -----------------------------------------------------------------------------------


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    """The user's councils, the meetings to prepare, the drafts and what waits for them."""
    user = request.user
    today = timezone.localdate()
    if user.is_superuser:
        councils = list(
            Council.objects.select_related("municipality").order_by("municipality__name", "name")
        )
        editable = {c.pk for c in councils}
    else:
        memberships = list(access.current_memberships(user))
        councils = list({m.council_id: m.council for m in memberships}.values())
        editable = {m.council_id for m in memberships if m.role in access.EDITOR_ROLES}
    council_ids = [c.pk for c in councils]
    upcoming = list(
        Meeting.objects.filter(council_id__in=council_ids, date__gte=today)
        .select_related("council__municipality")
        .order_by("date")[:50]
    )
    drafts = list(
        Minutes.objects.filter(meeting__council_id__in=council_ids, status=Minutes.Status.DRAFT)
        .select_related("meeting__council__municipality")
        .order_by("meeting__date")[:50]
    )
    person = Person.objects.filter(user=user).first()
    waiting = list(
        Minutes.objects.filter(status=Minutes.Status.SUBMITTED, meeting__council_id__in=council_ids)
        .filter(Q(meeting__chaired_by=person) if person else Q(pk__in=[]))
        .select_related("meeting__council__municipality")
        .order_by("meeting__date")
    )
    return render(
        request,
        "minutes/drafting/workspace.html",
        {
            "councils": councils,
            "editable": editable,
            "tools": council_tools.editor_tools(),
            "upcoming": upcoming,
            "drafts": drafts,
            "waiting": waiting,
        },
    )


# --- Meetings ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    rights = access.get_council_for_member(request, municipality, council)
    access.require(request, rights.can_edit_minutes, action="meeting.create", obj=rights.council)
    form = MeetingForm(request.POST or None, initial={"place": rights.council.default_place})
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            council=rights.council,
            date=form.cleaned_data["date"],
            start_time=form.cleaned_data["start_time"],
            end_time=form.cleaned_data["end_time"],
            place=form.cleaned_data["place"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Mötet är skapat med rådets stående dagordning."))
        return redirect(_editor_url(meeting))
    return render(
        request, "minutes/drafting/meeting_form.html", {"council": rights.council, "form": form}
    )


def _attendance_forms(minutes: Minutes, data=None) -> list[tuple[object, AttendanceRowForm]]:
    """One row per person serving the council on the meeting day, whether or not they are on
    the attendance list yet, plus anyone already on it."""
    council, day = minutes.meeting.council, minutes.meeting.date
    memberships = list(
        Membership.objects.current(day)
        .filter(council=council)
        .exclude(role=Membership.Role.SECRETARY)
        .select_related("person")
        .order_by("position", "person__name")
    )
    existing = {a.person_id: a for a in minutes.attendance.select_related("person", "membership")}
    people: dict[int, tuple] = {}
    for m in memberships:
        people.setdefault(m.person_id, (m.person, m))
    for a in existing.values():
        people.setdefault(a.person_id, (a.person, a.membership))
    elected = [
        (p.pk, p.name)
        for p, m in people.values()
        if m is None or m.role != Membership.Role.REPRESENTATIVE
    ]
    rows = []
    for index, (person, membership) in enumerate(people.values()):
        row = existing.get(person.pk)
        initial = {
            "person_id": person.pk,
            "membership_id": membership.pk if membership else None,
            "status": row.status if row else NOT_ATTENDING,
            "substitute_for": row.substitute_for_id if row else None,
        }
        form = AttendanceRowForm(
            data,
            prefix=f"a{index}",
            initial=initial,
            substitute_choices=[c for c in elected if c[0] != person.pk],
        )
        rows.append(((person, membership), form))
    return rows


@login_required
@require_GET
def meeting_edit(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The draft: attendance, items, and the minutes as they will read. Members read it;
    secretaries and administrators edit it while it is a draft."""
    rights, meeting, minutes = _load(request, municipality, council, meeting_id, required=False)
    if minutes is None:
        return render(
            request, "minutes/drafting/meeting_empty.html", {"meeting": meeting, "rights": rights}
        )
    can_edit = rights.can_edit_minutes and minutes.status == Minutes.Status.DRAFT
    last_event = minutes.events.order_by("-created_at", "-id").first()
    return render(
        request,
        "minutes/drafting/meeting.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "rights": rights,
            "can_edit": can_edit,
            "returned": last_event if last_event and last_event.kind == "returned" else None,
            "approved_revisions": list(
                ApprovedRevision.objects.filter(minutes__meeting=meeting)
                .select_related("minutes", "withdrawal")
                .order_by("minutes__revision")
            ),
            "can_review": rights.can_approve and minutes.status == Minutes.Status.SUBMITTED,
            "can_correct": minutes.status == Minutes.Status.APPROVED
            and _may_correct(request, rights, meeting),
            "items": list(minutes.items.order_by("position")),
            "attendance": _attendance_forms(minutes) if can_edit else None,
            "new_item_form": ItemTitleForm(),
            "doc": build_snapshot(minutes),
            "docs_base": _editor_url(meeting) + "handlingar/",
            "latest_notice": meeting.notices.order_by("-number").first(),
            "notice_changes": services.notice_pending_changes(meeting),
            "next_meeting_form": NextMeetingForm(
                initial={
                    "start_time": meeting.start_time,
                    "end_time": meeting.end_time,
                    "place": meeting.place,
                }
            )
            if can_edit
            else None,
        },
    )


@login_required
@require_POST
def minutes_start(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """Start the minutes of a meeting that has none yet, from the standing agenda."""
    rights, meeting, _minutes = _load(request, municipality, council, meeting_id, required=False)
    access.require(request, rights.can_edit_minutes, action="minutes.start", obj=meeting)
    try:
        services.minutes_start(meeting=meeting, actor=request.user, request=request)
    except services.InvalidInput as error:
        messages.info(request, str(error))
    return redirect(_editor_url(meeting))


@login_required
@require_POST
def attendance_save(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    access.require(request, rights.can_edit_minutes, action="attendance.save", obj=meeting)
    if minutes.status != Minutes.Status.DRAFT:
        return _not_editable(request, meeting)
    rows = _attendance_forms(minutes, request.POST)
    valid = all(form.is_valid() for _, form in rows)
    try:
        version = int(request.POST.get("attendance_version", ""))
    except ValueError:
        version = -1
    if valid:
        # Who each row is about comes from the server's own list, never from the posted
        # hidden fields, so a crafted form cannot put someone else on the attendance list.
        entries = [
            services.AttendanceEntry(
                person_id=person.pk,
                membership_id=membership.pk if membership else None,
                status=form.cleaned_data["status"],
                substitute_for_id=form.cleaned_data["substitute_for"],
            )
            for (person, membership), form in rows
        ]
        try:
            services.attendance_update(
                minutes=minutes,
                version=version,
                entries=entries,
                others_present=request.POST.get("others_present", "")[:2000],
                actor=request.user,
                request=request,
            )
        except services.Conflict:
            messages.error(
                request,
                _(
                    "Någon annan ändrade närvaron medan du arbetade. Sidan visar nu den sparade "
                    "närvaron; gör om dina ändringar."
                ),
            )
            return redirect(_editor_url(meeting) + "#narvaro")
        except services.InvalidInput as error:
            messages.error(request, str(error))
            return redirect(_editor_url(meeting) + "#narvaro")
        messages.success(request, _("Närvaron är sparad."))
        return redirect(_editor_url(meeting) + "#narvaro")
    messages.error(request, _("Närvaron kunde inte sparas: kontrollera raderna markerade med fel."))
    return render(
        request,
        "minutes/drafting/meeting.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "rights": rights,
            "can_edit": True,
            "items": list(minutes.items.order_by("position")),
            "attendance": rows,
            "new_item_form": ItemTitleForm(),
            "doc": build_snapshot(minutes),
            "docs_base": _editor_url(meeting) + "handlingar/",
        },
        status=400,
    )


# --- Items ---------------------------------------------------------------------------------------


def _load_item(request, municipality, council, meeting_id, item_id):
    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    item = get_object_or_404(AgendaItem, pk=item_id, minutes=minutes)
    return rights, meeting, minutes, item


@login_required
@require_POST
def item_add(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    access.require(request, rights.can_edit_minutes, action="item.create", obj=meeting)
    form = ItemTitleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv en rubrik för det nya ärendet."))
        return redirect(_editor_url(meeting) + "#arenden")
    try:
        item = services.item_create(
            minutes=minutes, title=form.cleaned_data["title"], actor=request.user, request=request
        )
    except services.NotEditable:
        return _not_editable(request, meeting)
    except services.InvalidInput as error:
        messages.error(request, str(error))
        return redirect(_editor_url(meeting) + "#arenden")
    return redirect("drafting:item", municipality, council, meeting.pk, item.pk)


def _sections_from_post(data) -> list[services.SectionInput]:
    formset = SectionFormSet(data, prefix="sections")
    if not formset.is_valid():
        raise services.InvalidInput(_("Underavsnitten kunde inte läsas; ladda om sidan."))
    return [
        services.SectionInput(f.cleaned_data.get("heading", ""), f.cleaned_data.get("body", ""))
        for f in formset.forms
        if f.cleaned_data
    ]


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, item_id: int
) -> HttpResponse:
    """One item: a normal form with a Save button, enhanced by the editor and autosave."""
    rights, meeting, minutes, item = _load_item(request, municipality, council, meeting_id, item_id)
    access.require(request, rights.can_edit_minutes, action="item.edit", obj=meeting)
    if minutes.status != Minutes.Status.DRAFT:
        return _not_editable(request, meeting)
    conflict = None
    if request.method == "POST":
        form = ItemForm(request.POST)
        sections = SectionFormSet(request.POST, prefix="sections")
        if form.is_valid() and sections.is_valid():
            data = form.cleaned_data
            try:
                services.item_save(
                    item=item,
                    version=data["version"],
                    title=data["title"],
                    body=data["body"],
                    decision=data["decision"],
                    is_public=data["is_public"],
                    confidentiality_ground=data["confidentiality_ground"],
                    sections=_sections_from_post(request.POST),
                    actor=request.user,
                    request=request,
                )
            except services.Conflict as error:
                conflict = error.current
            except services.InvalidInput as error:
                form.add_error(None, str(error))
            except services.NotEditable:
                return _not_editable(request, meeting)
            else:
                messages.success(request, _("Ärendet är sparat."))
                return redirect(_editor_url(meeting) + f"#arende-{item.pk}")
        status = 409 if conflict else 400
    else:
        state = services.item_state(item)
        form = ItemForm(initial={k: v for k, v in state.items() if k != "sections"})
        sections = SectionFormSet(initial=state["sections"], prefix="sections")
        status = 200
    item.refresh_from_db()
    return render(
        request,
        "minutes/drafting/item.html",
        {
            "meeting": meeting,
            "item": item,
            "form": form,
            "sections": sections,
            "conflict": conflict,
            "documents": list(item.documents.order_by("position", "id")),
            "document_form": DocumentForm(prefix=DOCUMENT_PREFIX),
            "max_size": settings.DOCUMENT_MAX_BYTES,
            "tools": [
                (
                    tool.label,
                    reverse(tool.url_name, args=[municipality, council, meeting.pk, item.pk]),
                )
                for tool in item_tools.item_tools()
            ],
            "autosave_url": reverse(
                "drafting:item_autosave", args=[municipality, council, meeting.pk, item.pk]
            ),
        },
        status=status,
    )


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def json_endpoint(view):
    """For the editor's requests: 401, 403 and 404 as JSON, never a redirect to the login page
    or an HTML error page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _json_error(
                _("Du är utloggad. Det du skrev finns kvar i webbläsaren; logga in igen."), 401
            )
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _json_error(_("Det finns inte, eller så har du inte tillgång till rådet."), 404)
        except PermissionDenied:
            return _json_error(_("Din roll i rådet tillåter inte detta."), 403)

    return wrapper


@require_POST
@json_endpoint
def item_autosave(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, item_id: int
) -> JsonResponse:
    """Save an item from the editor: JSON in, JSON out. 401 when the session has expired (never
    a redirect to the login page), 403 for a role that may not edit, 404 outside the council,
    409 with the stored text when someone saved in between or the minutes are no longer a draft."""
    rights, meeting, _minutes, item = _load_item(
        request, municipality, council, meeting_id, item_id
    )
    access.require(request, rights.can_edit_minutes, action="item.autosave", obj=meeting)
    try:
        payload = json.loads(request.body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError
        sections = [
            services.SectionInput(str(s.get("heading", "")), str(s.get("body", "")))
            for s in payload.get("sections", [])
            if isinstance(s, dict)
        ]
        version = int(payload["version"])
        fields = {
            "title": str(payload.get("title", "")),
            "body": str(payload.get("body", "")),
            "decision": str(payload.get("decision", "")),
            "is_public": bool(payload.get("is_public", True)),
            "confidentiality_ground": str(payload.get("confidentiality_ground", "")),
        }
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        return _json_error(_("Det som skickades gick inte att läsa."), 400)
    try:
        new_version = services.item_save(
            item=item,
            version=version,
            sections=sections,
            actor=request.user,
            request=request,
            **fields,
        )
    except services.Conflict as error:
        return _json_error(
            _("Någon annan har sparat ärendet medan du skrev. Jämför texterna och välj."),
            409,
            current=error.current,
        )
    except services.NotEditable as error:
        return _json_error(str(error), 409, state="not_editable")
    except services.InvalidInput as error:
        return _json_error(str(error), 400)
    saved = timezone.localtime()
    return JsonResponse({"version": new_version, "saved_at": f"{saved:%H:%M}"})


DOCUMENT_PREFIX = "handling"  # the upload form shares the item page with the item's own fields


def _item_url(meeting: Meeting, item: AgendaItem) -> str:
    council = meeting.council
    return reverse(
        "drafting:item", args=[council.municipality.slug, council.slug, meeting.pk, item.pk]
    )


@login_required
@require_POST
def document_add(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, item_id: int
) -> HttpResponse:
    """Upload a document to a draft item (multipart form from the item page)."""
    rights, meeting, _minutes, item = _load_item(
        request, municipality, council, meeting_id, item_id
    )
    access.require(request, rights.can_edit_minutes, action="document.add", obj=meeting)
    form = DocumentForm(request.POST, request.FILES, prefix=DOCUMENT_PREFIX)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_item_url(meeting, item) + "#handlingar")
    try:
        document = services.document_add(
            item=item,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            is_public=form.cleaned_data["is_public"],
            actor=request.user,
            request=request,
        )
    except services.NotEditable:
        return _not_editable(request, meeting)
    except (services.InvalidInput, services.StorageUnavailable) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Handlingen ”%(title)s” är bifogad.") % {"title": document.title}
        )
    return redirect(_item_url(meeting, item) + "#handlingar")


def _load_document(request, municipality, council, meeting_id, item_id, document_id):
    rights, meeting, _minutes, item = _load_item(
        request, municipality, council, meeting_id, item_id
    )
    document = get_object_or_404(ItemDocument, pk=document_id, item=item)
    return rights, meeting, item, document


@login_required
@require_POST
def document_edit(
    request: HttpRequest,
    municipality: str,
    council: str,
    meeting_id: int,
    item_id: int,
    document_id: int,
) -> HttpResponse:
    rights, meeting, item, document = _load_document(
        request, municipality, council, meeting_id, item_id, document_id
    )
    access.require(request, rights.can_edit_minutes, action="document.edit", obj=meeting)
    form = DocumentEditForm(request.POST)
    try:
        if not form.is_valid():
            raise services.InvalidInput(_("Ge handlingen en titel (högst 200 tecken)."))
        services.document_update(
            document=document,
            title=form.cleaned_data["title"],
            is_public=form.cleaned_data["is_public"],
            actor=request.user,
            request=request,
        )
    except services.NotEditable:
        return _not_editable(request, meeting)
    except (services.InvalidInput, services.StorageUnavailable) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Handlingen är sparad."))
    return redirect(_item_url(meeting, item) + "#handlingar")


@login_required
@require_POST
def document_delete(
    request: HttpRequest,
    municipality: str,
    council: str,
    meeting_id: int,
    item_id: int,
    document_id: int,
) -> HttpResponse:
    rights, meeting, item, document = _load_document(
        request, municipality, council, meeting_id, item_id, document_id
    )
    access.require(request, rights.can_edit_minutes, action="document.delete", obj=meeting)
    try:
        services.document_delete(document=document, actor=request.user, request=request)
    except services.NotEditable:
        return _not_editable(request, meeting)
    messages.success(request, _("Handlingen ”%(title)s” är borttagen.") % {"title": document.title})
    return redirect(_item_url(meeting, item) + "#handlingar")


@login_required
@require_GET
@storage_failure_is_503
def document_download(
    request: HttpRequest,
    municipality: str,
    council: str,
    meeting_id: int,
    document_id: int,
    filename: str,
) -> HttpResponse:
    """Any document of the meeting, public or internal, for the council's members."""
    rights = access.get_council_for_member(request, municipality, council)
    document = get_object_or_404(
        ItemDocument.objects.select_related("item"),
        pk=document_id,
        item__minutes__meeting_id=meeting_id,
        item__minutes__meeting__council=rights.council,
    )
    return document_response(document, filename, cache="private, no-store")


@login_required
@require_POST
def next_meeting(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The minutes state the next meeting (which is created), or no longer state one."""
    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    access.require(request, rights.can_edit_minutes, action="minutes.next_meeting", obj=meeting)
    try:
        if request.POST.get("action") == "clear":
            services.next_meeting_clear(minutes=minutes, actor=request.user, request=request)
            messages.success(request, _("Minnesanteckningarna anger inget nästa möte."))
            return redirect(_editor_url(meeting) + "#nasta-mote")
        form = NextMeetingForm(request.POST)
        if not form.is_valid():
            raise services.InvalidInput(
                " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        following = services.next_meeting_set(
            minutes=minutes,
            date=form.cleaned_data["date"],
            start_time=form.cleaned_data["start_time"],
            end_time=form.cleaned_data["end_time"],
            place=form.cleaned_data["place"],
            actor=request.user,
            request=request,
        )
    except services.NotEditable:
        return _not_editable(request, meeting)
    except services.InvalidInput as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Nästa möte är den %(date)s; det finns nu bland rådets möten.")
            % {"date": long_date(following.date)},
        )
    return redirect(_editor_url(meeting) + "#nasta-mote")


@login_required
@require_GET
def notice_page(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The meeting's notice: the latest one sent (as it was sent), what changed in the agenda
    since, who received each notice and when; for secretaries the button that sends it."""
    rights, meeting, minutes = _load(request, municipality, council, meeting_id, required=False)
    sent = list(meeting.notices.order_by("-number").prefetch_related("recipients__person"))
    latest = sent[0] if sent else None
    can_send = (
        rights.can_edit_minutes
        and minutes is not None
        and minutes.status != Minutes.Status.APPROVED
    )
    preview = None
    if latest is None and minutes is not None:
        preview = notices.build_notice(minutes, sent=timezone.now())
    return render(
        request,
        "minutes/drafting/notice.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "notices": sent,
            "doc": notices.NoticeSnapshot.from_dict(latest.snapshot) if latest else preview,
            "latest": latest,
            "pending": services.notice_pending_changes(meeting) if latest else None,
            "can_send": can_send,
            "docs_base": _editor_url(meeting) + "handlingar/",
        },
    )


@login_required
@require_POST
def notice_send(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    rights, meeting, _minutes = _load(request, municipality, council, meeting_id, required=False)
    access.require(request, rights.can_edit_minutes, action="notice.send", obj=meeting)
    try:
        notice = services.notice_send(meeting=meeting, actor=request.user, request=request)
    except services.NotAllowed as refusal:
        return _not_editable(request, meeting, str(refusal))
    except services.InvalidInput as error:
        messages.error(request, str(error))
    else:
        count = notice.recipients.count()
        messages.success(
            request,
            ngettext(
                "Kallelsen är skickad till %(n)s mottagare.",
                "Kallelsen är skickad till %(n)s mottagare.",
                count,
            )
            % {"n": count},
        )
    return redirect(reverse("drafting:notice", args=[municipality, council, meeting.pk]))


@login_required
@require_GET
def notice_pdf(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The latest notice as the members' PDF (internal documents named too)."""
    rights = access.get_council_for_member(request, municipality, council)
    meeting = get_object_or_404(Meeting, pk=meeting_id, council=rights.council)
    notice = meeting.notices.order_by("-number").first()
    if notice is None:
        raise Http404(_("Ingen kallelse är skickad till mötet."))
    return notice_response(notice, internal=True, cache="private, no-store")


@login_required
@require_POST
def item_delete(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, item_id: int
) -> HttpResponse:
    rights, meeting, _minutes, item = _load_item(
        request, municipality, council, meeting_id, item_id
    )
    access.require(request, rights.can_edit_minutes, action="item.delete", obj=meeting)
    try:
        services.item_delete(item=item, actor=request.user, request=request)
    except services.NotEditable:
        return _not_editable(request, meeting)
    messages.success(request, _("Ärendet ”%(title)s” är borttaget.") % {"title": item.title})
    return redirect(_editor_url(meeting) + "#arenden")


@login_required
@require_POST
def item_move(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, item_id: int
) -> HttpResponse:
    rights, meeting, _minutes, item = _load_item(
        request, municipality, council, meeting_id, item_id
    )
    access.require(request, rights.can_edit_minutes, action="item.move", obj=meeting)
    step = {"upp": -1, "ned": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, _("Okänd riktning."))
        return redirect(_editor_url(meeting) + "#arenden")
    try:
        services.item_move(item=item, step=step, actor=request.user, request=request)
    except services.NotEditable:
        return _not_editable(request, meeting)
    return redirect(_editor_url(meeting) + f"#arende-{item.pk}")


@require_POST
@json_endpoint
def items_order(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> JsonResponse:
    """The order after dragging: {"order": [item ids]}."""
    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    access.require(request, rights.can_edit_minutes, action="items.reorder", obj=meeting)
    try:
        order = [int(i) for i in json.loads(request.body.decode("utf-8"))["order"]]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return _json_error(_("Det som skickades gick inte att läsa."), 400)
    try:
        services.items_reorder(
            minutes=minutes, ordered_ids=order, actor=request.user, request=request
        )
    except services.NotEditable as error:
        return _json_error(str(error), 409, state="not_editable")
    except services.InvalidInput as error:
        return _json_error(str(error), 409)
    return JsonResponse({"order": order})


# --- Approval ------------------------------------------------------------------------------------


def _secretary_transition(request, municipality, council, meeting_id, *, service, action, done):
    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    access.require(request, rights.can_edit_minutes, action=action, obj=meeting)
    try:
        service(minutes=minutes, actor=request.user, request=request)
    except services.NotAllowed as error:
        return _not_editable(request, meeting, str(error))
    messages.success(request, done)
    return redirect(_editor_url(meeting))


@login_required
@require_POST
def minutes_submit(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The secretary sends the draft to the person who chaired the meeting."""
    return _secretary_transition(
        request,
        municipality,
        council,
        meeting_id,
        service=services.minutes_submit,
        action="minutes.submit",
        done=_("Utkastet är skickat till ordföranden för godkännande."),
    )


@login_required
@require_POST
def minutes_withdraw(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The reverse: the secretary takes a submitted draft back to change it."""
    return _secretary_transition(
        request,
        municipality,
        council,
        meeting_id,
        service=services.minutes_withdraw,
        action="minutes.withdraw",
        done=_("Utkastet är taget tillbaka och kan ändras igen."),
    )


def _changes_since_submission(minutes: Minutes, current: dict) -> list[str] | None:
    """After a return: which items changed since the previous submission (None if none)."""
    from minutes.models import MinutesEvent

    submissions = list(
        minutes.events.filter(kind=MinutesEvent.Kind.SUBMITTED).order_by("-created_at")[:2]
    )
    if len(submissions) < 2 or not submissions[1].snapshot:
        return None
    current = json.loads(json.dumps(current))  # tuples become lists, as in the stored snapshot
    before = {i["number"] + ". " + i["title"]: i for i in submissions[1].snapshot["items"]}
    after = {i["number"] + ". " + i["title"]: i for i in current["items"]}
    changes = []
    for heading, item in after.items():
        if heading not in before:
            changes.append(_("Nytt eller omdöpt: %(h)s") % {"h": heading})
        elif item != before[heading]:
            changes.append(_("Ändrat: %(h)s") % {"h": heading})
    changes += [_("Borttaget: %(h)s") % {"h": h} for h in before if h not in after]
    for key, label in (
        ("elected", _("Ledamöter")),
        ("representatives", _("Rådsrepresentanter")),
        ("absent", _("Frånvarande")),
        ("others", _("Övriga")),
    ):
        if current[key] != submissions[1].snapshot[key]:
            changes.append(_("Ändrat: närvaron (%(l)s)") % {"l": label})
    return changes


@login_required
@require_http_methods(["GET", "POST"])
def minutes_review(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The approver reads the minutes exactly as they will be published, then approves with
    their password or returns them with a comment."""
    from django.contrib.auth import authenticate

    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    access.require(request, rights.can_approve, action="minutes.review", obj=meeting)
    error, error_status = None, 400
    is_approver = services.chaired_by(meeting, request.user) is not None
    if request.method == "POST":
        access.require(request, is_approver, action="minutes.approve", obj=meeting)
        try:
            if request.POST.get("action") == "approve":
                password = request.POST.get("password", "")
                user = authenticate(
                    request, username=request.user.get_username(), password=password
                )
                if getattr(request, "axes_locked_out", False):
                    return locked_out(request)  # too many wrong passwords, here or at sign-in
                if user is None or user.pk != request.user.pk:
                    audit.record("minutes.approve_password_failed", request=request, obj=meeting)
                    error = _("Lösenordet stämmer inte. Minnesanteckningarna är inte godkända.")
                elif reason := second_factor.require_for_approval(
                    request, request.POST.get("otp_code", "")
                ):
                    error = reason
                else:
                    services.minutes_approve(minutes=minutes, actor=request.user, request=request)
                    messages.success(request, _("Minnesanteckningarna är godkända och justerade."))
                    return redirect(_editor_url(meeting))
            elif request.POST.get("action") == "return":
                services.minutes_return(
                    minutes=minutes,
                    actor=request.user,
                    comment=request.POST.get("comment", ""),
                    request=request,
                )
                messages.success(request, _("Minnesanteckningarna är återsända till sekreteraren."))
                return redirect(_editor_url(meeting))
            else:
                error = _("Välj att godkänna eller återsända.")
        except services.NotAllowed as refusal:
            return _not_editable(request, meeting, str(refusal))
        except services.InvalidInput as invalid:
            error = str(invalid)
        except RenderError as failure:
            # nothing was approved: the approval's transaction rolled back with the render
            error = _(
                "En PDF kunde inte skapas, så minnesanteckningarna är inte godkända: %(why)s"
            ) % {"why": failure}
        except services.StorageUnavailable:
            error_status = 503
            error = _(
                "Filarkivet svarar inte just nu, så minnesanteckningarna är inte godkända. Försök "
                "igen om en stund; kvarstår felet, kontakta systemförvaltaren."
            )
    snapshot = build_snapshot(minutes)
    return render(
        request,
        "minutes/drafting/review.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "doc": snapshot,
            "changes": _changes_since_submission(minutes, snapshot.as_dict()),
            "docs_base": _editor_url(meeting) + "handlingar/",
            "error": error,
            "is_approver": is_approver,
            "otp_needed": settings.OTP_REQUIRED and not request.user.is_verified(),
        },
        status=error_status if error else 200,
    )


@login_required
@require_GET
@storage_failure_is_503
def internal_pdf(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The internal copy of approved minutes, with confidential items in full: for the
    council's members only, from the private storage."""
    from django.core.files.storage import storages
    from django.http import FileResponse

    _rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    revision = (
        getattr(minutes, "approved_revision", None)
        if minutes.status == Minutes.Status.APPROVED
        else None
    )
    if revision is None or not revision.internal_pdf_name:
        raise Http404(_("Det finns ingen intern version av minnesanteckningarna."))
    audit.record("minutes.internal_pdf_read", request=request, obj=meeting)
    response = FileResponse(
        storages["private"].open(revision.internal_pdf_name, "rb"),
        content_type="application/pdf",
        filename=f"intern-{municipality}-{council}-{meeting.date:%Y-%m-%d}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def correction_start(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The chair (or an administrator) starts a correction of approved minutes, with a reason."""
    rights, meeting, minutes = _load(request, municipality, council, meeting_id)
    access.require(
        request, _may_correct(request, rights, meeting), action="minutes.correct", obj=meeting
    )
    revision = getattr(minutes, "approved_revision", None)
    if revision is None:
        return _not_editable(request, meeting, _("Bara godkända minnesanteckningar kan rättas."))
    try:
        services.correction_start(
            revision=revision,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except services.InvalidInput as error:
        messages.error(request, str(error))
        return redirect(_editor_url(meeting))
    except services.NotAllowed as error:
        return _not_editable(request, meeting, str(error))
    messages.success(
        request, _("En rättelse är påbörjad som ett nytt utkast; den godkänns som vanligt.")
    )
    return redirect(_editor_url(meeting))
