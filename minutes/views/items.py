"""A draft's items under /arbete/: adding one, the item form (a plain form enhanced by the
editor and its autosave), deleting and moving items, and the documents attached to an item."""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.sanitize import allow_list
from councils.access import Need
from minutes import item_tools, services
from minutes.forms import DocumentEditForm, DocumentForm, ItemForm, ItemTitleForm, SectionFormSet
from minutes.services import deliberation, justering
from minutes.services.serving import Roll
from minutes.views.deliberation import (
    conflict_words,
    deliberation_page,
    saved_answer,
    suggest_proposition,
)
from minutes.views.loading import MeetingPage, meeting_view, not_editable_as_conflict

DELIBERATION_KEYS = ("motions", "proposition", "votes", "reservations", "disqualifications")
DOCUMENT_PREFIX = "handling"  # the upload form shares the item page with the item's own fields


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="item.create")
def item_add(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    form = ItemTitleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv en rubrik för det nya ärendet."))
        return redirect(page.url + "#arenden")
    try:
        item = services.item_create(
            minutes=page.minutes,
            title=form.cleaned_data["title"],
            actor=request.user,
            request=request,
        )
    except services.InvalidInput as error:
        messages.error(request, str(error))
        return redirect(page.url + "#arenden")
    return redirect(page.address("item", item.pk))


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
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="item.edit")
def item_edit(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """One item: a normal form with a Save button, enhanced by the editor and autosave."""
    services.ensure_draft(page.minutes)
    item = page.item
    numbers_paragraphs = page.meeting.council.numbers_paragraphs
    if numbers_paragraphs and (locked := _sent_at_once(request, page)) is not None:
        return locked
    conflict = None
    debate = None
    roll = None
    if numbers_paragraphs:  # the deliberation read once, whatever its number of votes
        prefetch_related_objects([item], *deliberation.prefetch())
        roll = Roll.of(page.minutes)
    if request.method == "POST":
        form = ItemForm(request.POST)
        sections = SectionFormSet(request.POST, prefix="sections")
        # a page older than the deliberation's forms leaves it as it is
        if numbers_paragraphs and "yrkanden-TOTAL_FORMS" in request.POST:
            debate = deliberation_page(item, request.POST, roll)
        if debate is not None and "suggest_proposition" in request.POST:
            form.is_valid()  # shown as typed, with any errors
            debate, status = suggest_proposition(request, item, form, debate, roll)
        else:
            if (
                form.is_valid()
                and sections.is_valid()
                and (debate is None or debate.forms.is_valid())
            ):
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
                        parts=form.parts() if numbers_paragraphs else None,
                        deliberation=debate.forms.as_input() if debate else None,
                        actor=request.user,
                        request=request,
                    )
                except services.Conflict as error:
                    conflict = error.current
                except services.InvalidInput as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Ärendet är sparat."))
                    return redirect(page.url + f"#arende-{item.pk}")
            status = 409 if conflict else 400
        if debate is not None and not debate.forms.is_valid() and not form.non_field_errors():
            form.add_error(None, _("Kontrollera raderna markerade med fel nedan."))
            status = 400
        if debate is None and numbers_paragraphs:
            debate = deliberation_page(item, roll=roll)
    else:
        state = services.item_state(item)
        form = ItemForm(initial={k: v for k, v in state.items() if k != "sections"})
        sections = SectionFormSet(initial=state["sections"], prefix="sections")
        status = 200
        if numbers_paragraphs:
            debate = deliberation_page(item, roll=roll)
    item.refresh_from_db()
    if numbers_paragraphs:
        form.fields["body"].label = _("Ärendebeskrivning")
    return render(
        request,
        "minutes/drafting/item.html",
        {
            "meeting": page.meeting,
            "item": item,
            "numbers_paragraphs": numbers_paragraphs,
            "form": form,
            "sections": sections,
            "conflict": conflict,
            "documents": list(item.documents.order_by("position", "id")),
            "document_form": DocumentForm(prefix=DOCUMENT_PREFIX),
            "max_size": settings.DOCUMENT_MAX_BYTES,
            "tools": [
                (tool.label, reverse(tool.url_name, args=[*page.args, item.pk]))
                for tool in item_tools.item_tools()
            ],
            "autosave_url": page.address("item_autosave", item.pk),
            "debate": debate,
            "conflict_words": conflict_words(item, debate, conflict, roll),
            "richtext_rules": allow_list(),
        },
        status=status,
    )


def _sent_at_once(request: HttpRequest, page: MeetingPage) -> HttpResponse | None:
    """A § sent for, or through, omedelbar justering does not change: instead of the editor,
    a notice that says why and leads to the § (a save is refused with 409)."""
    try:
        justering.check_item_editable(page.item)
    except services.NotAllowed as refusal:
        return render(
            request,
            "minutes/drafting/item_locked.html",
            {
                "meeting": page.meeting,
                "item": page.item,
                "message": str(refusal),
                "adjusted": justering.paragraph_state(page.item) == "adjusted",
                "review_url": page.address("paragraph_review", page.item.pk),
            },
            status=409 if request.method == "POST" else 200,
        )
    return None


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def json_endpoint(view):
    """For the editor's requests: 401, 403 and 404 as JSON, never a redirect to the login page
    or an HTML error page; minutes that are no longer a draft are a 409 that says so."""

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
        except (services.NotEditable, services.NotAllowed) as error:
            # no longer a draft, or a § sent for (or through) omedelbar justering
            return _json_error(str(error), 409, state="not_editable")

    return wrapper


@require_POST
@json_endpoint
@meeting_view(need=Need.EDIT, action="item.autosave")
def item_autosave(request: HttpRequest, page: MeetingPage) -> JsonResponse:
    """Save an item from the editor: JSON in, JSON out. 401 when the session has expired (never
    a redirect to the login page), 403 for a role that may not edit, 404 outside the council,
    409 with the stored text when someone saved in between or the minutes are no longer a draft."""
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
        parts = None  # an editor page older than the parts leaves them as they are
        committee = page.meeting.council.numbers_paragraphs
        if committee and any(n in payload for n in ItemForm.PARTS):
            parts = services.PartsInput(
                **{name: str(payload.get(name, "")) for name in ItemForm.PARTS[:-1]},
                immediate_adjustment=bool(payload.get("immediate_adjustment", False)),
            )
        debate = None  # likewise the deliberation: only when the page sent it
        if committee and any(key in payload for key in DELIBERATION_KEYS):
            # a part the payload leaves out stays as stored, never emptied
            sent = {key: payload[key] for key in DELIBERATION_KEYS if key in payload}
            if len(sent) < len(DELIBERATION_KEYS):
                prefetch_related_objects([page.item], *deliberation.prefetch())
                sent = deliberation.as_json(deliberation.state_of(page.item)) | sent
            debate = deliberation.from_json(sent)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        return _json_error(_("Det som skickades gick inte att läsa."), 400)
    try:
        new_version = services.item_save(
            item=page.item,
            version=version,
            sections=sections,
            parts=parts,
            deliberation=debate,
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
    except services.InvalidInput as error:
        return _json_error(str(error), 400)
    saved = timezone.localtime()
    answer = {"version": new_version, "saved_at": f"{saved:%H:%M}"}
    if debate is not None:  # the proposition, the vote's sides and results, in the service's words
        answer |= saved_answer(page.minutes, debate, page.item.position)
    return JsonResponse(answer)


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="item.delete")
def item_delete(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    services.item_delete(item=page.item, actor=request.user, request=request)
    messages.success(request, _("Ärendet ”%(title)s” är borttaget.") % {"title": page.item.title})
    return redirect(page.url + "#arenden")


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="item.move")
def item_move(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    step = {"upp": -1, "ned": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, _("Okänd riktning."))
        return redirect(page.url + "#arenden")
    try:
        services.item_move(item=page.item, step=step, actor=request.user, request=request)
    except services.InvalidInput as error:  # a correction of a nämnd's §§
        messages.error(request, str(error))
    return redirect(page.url + f"#arende-{page.item.pk}")


@require_POST
@json_endpoint
@meeting_view(need=Need.EDIT, action="items.reorder")
def items_order(request: HttpRequest, page: MeetingPage) -> JsonResponse:
    """The order after dragging: {"order": [item ids]}."""
    try:
        order = [int(i) for i in json.loads(request.body.decode("utf-8"))["order"]]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return _json_error(_("Det som skickades gick inte att läsa."), 400)
    try:
        services.items_reorder(
            minutes=page.minutes, ordered_ids=order, actor=request.user, request=request
        )
    except services.InvalidInput as error:
        return _json_error(str(error), 409)
    return JsonResponse({"order": order})


# --- The documents attached to an item ------------------------------------------------------------


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="document.add")
def document_add(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """Upload a document to a draft item (multipart form from the item page)."""
    back = redirect(page.item_url + "#handlingar")
    form = DocumentForm(request.POST, request.FILES, prefix=DOCUMENT_PREFIX)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    try:
        document = services.document_add(
            item=page.item,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            is_public=form.cleaned_data["is_public"],
            actor=request.user,
            request=request,
        )
    except (services.InvalidInput, services.StorageUnavailable) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Handlingen ”%(title)s” är bifogad.") % {"title": document.title}
        )
    return back


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="document.edit")
def document_edit(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    form = DocumentEditForm(request.POST)
    try:
        if not form.is_valid():
            raise services.InvalidInput(_("Ge handlingen en titel (högst 200 tecken)."))
        services.document_update(
            document=page.document,
            title=form.cleaned_data["title"],
            is_public=form.cleaned_data["is_public"],
            actor=request.user,
            request=request,
        )
    except (services.InvalidInput, services.StorageUnavailable) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Handlingen är sparad."))
    return redirect(page.item_url + "#handlingar")


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="document.delete")
def document_delete(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    services.document_delete(document=page.document, actor=request.user, request=request)
    messages.success(
        request, _("Handlingen ”%(title)s” är borttagen.") % {"title": page.document.title}
    )
    return redirect(page.item_url + "#handlingar")
