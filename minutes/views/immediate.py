"""Omedelbar justering of one § under /arbete/: the secretary sends a § flagged for it to its
signatories (or takes it back); each signatory reads the § as its extract will read and signs
it with their password (and second factor), or — the chair and the justerare — returns it with a
comment. The last signature freezes it as its own record, published as an extract with its own
announcement (minutes.services.justering)."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit
from councils import access
from councils.access import Need
from councils.models import Person
from minutes import publication, services, snapshot
from minutes.forms import posted_int
from minutes.models import AgendaItem, Announcement, Minutes, MinutesEvent
from minutes.pdf import RenderError
from minutes.services import approval as approval_service
from minutes.services import justering
from minutes.views.approval import check_password
from minutes.views.downloads import storage_failure_is_503, stored_file_response
from minutes.views.loading import MeetingPage, meeting_view, not_editable_as_conflict


@dataclasses.dataclass(frozen=True)
class ImmediateState:
    """Where a § flagged for (or once sent for) omedelbar justering stands, for the § list."""

    state: str  # "draft", "submitted", "adjusted"
    signed: int
    total: int
    adjusted_at: object = None  # datetime of the freeze
    sent: bool = False  # once sent: the § stays (its events and signatures name it)

    @property
    def fixed(self) -> bool:
        """Waiting or justerad: the § neither changes nor moves."""
        return self.state in ("submitted", "adjusted")


def states(minutes: Minutes) -> dict[int, ImmediateState]:
    """Item id → its omedelbar justering, for each § flagged for it or once sent (a nämnd's)."""
    if not minutes.meeting.council.numbers_paragraphs:
        return {}
    sent = set(
        MinutesEvent.objects.filter(minutes=minutes, item__isnull=False).values_list(
            "item_id", flat=True
        )
    )
    found = {}
    for item in minutes.items.filter(paragraph__isnull=False).order_by("position"):
        if not (item.immediate_adjustment or item.pk in sent):
            continue
        if item.pk not in sent:  # flagged, never sent: nothing to read
            found[item.pk] = ImmediateState("draft", 0, 0)
            continue
        state = justering.paragraph_state(item)
        progress = justering.progress(minutes, item)
        found[item.pk] = ImmediateState(
            state, len(progress.signed), len(progress.signers), progress.adjusted_at, sent=True
        )
    return found


def annotate(minutes: Minutes, items: list[AgendaItem]) -> list[AgendaItem]:
    """``items`` of ``minutes``, each with ``at_once``: its ImmediateState, or None."""
    found = states(minutes)
    for item in items:
        item.at_once = found.get(item.pk)
    return items


def _paragraph(page: MeetingPage) -> AgendaItem:
    """The page's item, which must be a nämnd's numbered §."""
    if not page.meeting.council.numbers_paragraphs or page.item.paragraph is None:
        raise Http404(_("Bara en nämnds paragrafer kan justeras omedelbart."))
    return page.item


def _review_url(page: MeetingPage) -> str:
    return page.address("paragraph_review", page.item.pk)


def _shown(minutes: Minutes, item: AgendaItem, record, submission) -> snapshot.MinutesSnapshot:
    """The § as its extract reads: the frozen record once justerad, the submitted snapshot
    while it waits, otherwise the draft as it stands."""
    if record is not None:
        return snapshot.MinutesSnapshot.from_dict(record.snapshot)
    if submission is not None and submission.snapshot:
        whole = snapshot.MinutesSnapshot.from_dict(submission.snapshot)
    else:
        whole = snapshot.build_snapshot(minutes)
    index = next(
        (n for n, shown in enumerate(whole.items) if shown.paragraph == item.paragraph), None
    )
    if index is None:  # pragma: no cover - a numbered § is always in its protokoll
        raise Http404(_("Paragrafen finns inte i protokollet."))
    secretary = minutes.meeting.secretary.name if minutes.meeting.secretary else ""
    return snapshot.extract_snapshot(
        whole, index, certified_by=secretary, certified_on=timezone.localdate()
    )


def _name_of(event: MinutesEvent) -> str:
    """Who made ``event``: their name as a person of the council, else their username."""
    person = Person.objects.filter(user_id=event.actor_id).first() if event.actor_id else None
    return person.name if person else event.actor_name


def _sign(request: HttpRequest, page: MeetingPage, item: AgendaItem):
    """Sign after the password (and second factor) check, as the protokoll's approval checks
    them (minutes.views.approval._approve): the redirect, or why not and the field to correct."""
    if justering.paragraph_state(item) != "submitted":
        raise services.NotAllowed(_("Paragrafen väntar inte på omedelbar justering."))
    if refused := check_password(
        request,
        terms=page.meeting.council.terms,
        obj=item,
        audit_action="paragraph.sign_password_failed",
        wrong_password=_("Lösenordet stämmer inte. Paragrafen är inte justerad."),
        wrong_code=_("Koden från autentiseringsappen stämmer inte. Paragrafen är inte justerad."),
    ):
        return refused
    record = justering.paragraph_sign(
        item=item,
        actor=request.user,
        request=request,
        submission_id=posted_int(request.POST.get("submission"), -1),
    )
    if record is None:
        messages.success(request, _("Du har justerat paragrafen."))
    else:
        announcement = Announcement.objects.filter(extract=record).first()
        if announcement is not None and announcement.last_day_to_appeal:
            messages.success(
                request,
                _(
                    "Paragrafen är justerad omedelbart och anslagen på anslagstavlan. Sista "
                    "dag att överklaga är %(day)s."
                )
                % {"day": formats.date_format(announcement.last_day_to_appeal, "j F Y")},
            )
        else:  # pragma: no cover - the freeze always posts its announcement
            messages.success(request, _("Paragrafen är justerad omedelbart."))
    return redirect(_review_url(page))


@login_required
@require_http_methods(["GET", "POST"])
@not_editable_as_conflict
@meeting_view(need=Need.READ)
def paragraph_review(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """One § sent for omedelbar justering: the § as its extract reads, who has signed, and the
    forms to sign it or return it (or, for the secretary, to send it or take it back)."""
    item = _paragraph(page)
    error, error_field, status = None, None, 400
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "sign":
                access.require(request, page.rights.can_sign, action="paragraph.sign", obj=item)
                outcome = _sign(request, page, item)
                if isinstance(outcome, HttpResponse):
                    return outcome
                error, error_field = outcome
            elif action == "return":
                access.require(request, page.rights.can_return, action="paragraph.return", obj=item)
                justering.paragraph_return(
                    item=item,
                    actor=request.user,
                    comment=request.POST.get("comment", ""),
                    request=request,
                )
                messages.success(
                    request, _("Paragrafen är återsänd till sekreteraren med din kommentar.")
                )
                return redirect(_review_url(page))
            else:
                error = _("Välj att justera eller återsända.")
        except services.InvalidInput as invalid:
            error, error_field = str(invalid), "comment"
        except RenderError as failure:
            error = _("En PDF kunde inte skapas, så paragrafen är inte justerad: %(why)s") % {
                "why": failure
            }
        except services.StorageUnavailable:
            status = 503
            error = _(
                "Filarkivet svarar inte just nu, så paragrafen är inte justerad. Försök igen om "
                "en stund."
            )
    minutes = page.minutes
    item.refresh_from_db()
    state = (
        justering.paragraph_state(item) if item.immediate_adjustment or item.events.exists() else ""
    )
    record = justering.immediate_record(item)
    progress = justering.progress(minutes, item)
    person_id = access.person_id(request.user)
    panel = [
        {
            "role": signer.role,
            "name": signer.person.name,
            "signed": approval_service.signed_text(sig.signed_at) if sig else "",
            "is_you": signer.person.pk == person_id,
        }
        for signer in progress.signers
        for sig in [progress.signature_of(signer.person.pk)]
    ]
    latest = (
        MinutesEvent.objects.filter(minutes=minutes, item=item).order_by("-id").first()
        if state == "draft"
        else None
    )
    public_pdf = internal_pdf = None
    announcement = None
    if record is not None:
        announcement = Announcement.objects.filter(extract=record).first()
        if record.pdf_name and not publication.extract_is_withdrawn(record):
            public_pdf = publication.url_for(publication.extract_published_name(record))
        internal_pdf = page.address("paragraph_extract_pdf", item.pk)
    has_signed = person_id is not None and progress.signature_of(person_id) is not None
    return render(
        request,
        "minutes/drafting/paragraph_review.html",
        {
            "meeting": page.meeting,
            "minutes": minutes,
            "item": item,
            "state": state,
            "doc": _shown(minutes, item, record, progress.submission),
            "docs_base": page.url + "handlingar/",
            "panel": panel,
            "progress": progress,
            "record": record,
            "announcement": announcement,
            "public_pdf": public_pdf,
            "internal_pdf": internal_pdf,
            "returned": latest if latest and latest.kind == MinutesEvent.Kind.RETURNED else None,
            "returned_by": _name_of(latest) if latest else "",
            "can_send": page.rights.can_edit_minutes
            and state == "draft"
            and item.immediate_adjustment
            and minutes.status == Minutes.Status.DRAFT,
            "can_withdraw": page.rights.can_edit_minutes and state == "submitted",
            "can_sign": page.rights.can_sign and state == "submitted" and not has_signed,
            "has_signed": has_signed,
            "can_return": page.rights.can_return and state == "submitted",
            "error": error,
            "error_field": error_field,
            "otp_needed": settings.OTP_REQUIRED and not request.user.is_verified(),
        },
        status=status if error else 200,
    )


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="paragraph.submit")
def paragraph_submit(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The secretary sends a § flagged for omedelbar justering to its signatories."""
    item = _paragraph(page)
    justering.paragraph_submit(item=item, actor=request.user, request=request)
    messages.success(
        request,
        _(
            "Paragrafen är skickad för omedelbar justering. Den kan inte ändras förrän den är "
            "justerad eller tagen tillbaka."
        ),
    )
    return redirect(_review_url(page))


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="paragraph.withdraw")
def paragraph_withdraw(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The secretary takes the § back to change it: the signatures given so far are void."""
    item = _paragraph(page)
    justering.paragraph_withdraw(item=item, actor=request.user, request=request)
    messages.success(request, _("Paragrafen är tagen tillbaka och kan ändras igen."))
    return redirect(page.address("item", item.pk))


@login_required
@require_GET
@storage_failure_is_503
@meeting_view(need=Need.READ)
def paragraph_extract_pdf(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The extract of a § justerad at once, for the council's members: the internal copy (with
    what is confidential) when there is one, else the archived public one."""
    item = _paragraph(page)
    record = justering.immediate_record(item)
    if record is None:
        raise Http404(_("Paragrafen är inte justerad omedelbart."))
    internal = bool(record.internal_pdf_name)
    audit.record("paragraph.extract_read", request=request, obj=item, internal=internal)
    return stored_file_response(
        request,
        storage="private" if internal else "default",
        name=record.internal_pdf_name if internal else record.pdf_name,
        sha256=record.internal_pdf_sha256 if internal else record.pdf_sha256,
        filename=("intern-" if internal else "") + record.file_name,
        cache="private, no-store",
        missing=_("Utdragets PDF saknas i arkivet."),
    )
