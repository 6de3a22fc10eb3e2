"""Approval under /arbete/: the secretary submits or takes back the draft; the person who
chaired the meeting reviews it as it will be published and approves it with their password (and
second factor) or returns it with a comment; a correction of approved minutes is started.

A nämnd's protokoll is justerat on the same review page by each of its signatories (the
secretary, the person who chaired and the justerare), one signature each, with the same
password and second-factor check (minutes.services.justering); the chair and the justerare may
return it instead."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core import audit
from core.dates import long_date
from councils import access, second_factor
from councils.access import Need
from councils.views import locked_out
from minutes import selectors, services, snapshot
from minutes.forms import posted_int
from minutes.models import Announcement, Minutes
from minutes.pdf import RenderError
from minutes.services import justering
from minutes.views.loading import MeetingPage, meeting_view, not_editable_as_conflict


def _secretary_transition(
    request: HttpRequest, page: MeetingPage, *, service, done: str
) -> HttpResponse:
    service(minutes=page.minutes, actor=request.user, request=request)
    messages.success(request, done)
    return redirect(page.url)


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="minutes.submit")
def minutes_submit(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The secretary sends the draft to the person who chaired the meeting (a nämnd's
    protokoll: to its signatories; when she signs it too, she is taken to the review page, where
    she may justera it as sekreterare now or later)."""
    terms = page.meeting.council.terms
    if not (page.rights.is_protocol and page.rights.signs_as):
        return _secretary_transition(
            request, page, service=services.minutes_submit, done=terms.submitted_message
        )
    services.minutes_submit(minutes=page.minutes, actor=request.user, request=request)
    messages.success(request, terms.submitted_message)
    messages.info(
        request,
        _(
            "Du justerar protokollet som %(role)s här, nu eller senare, när du har läst det "
            "en sista gång."
        )
        % {"role": page.rights.signs_as.lower()},
    )
    return redirect(page.address("review"))


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="minutes.withdraw")
def minutes_withdraw(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The reverse: the secretary takes a submitted draft back to change it."""
    return _secretary_transition(
        request,
        page,
        service=services.minutes_withdraw,
        done=_("Utkastet är taget tillbaka och kan ändras igen."),
    )


def check_password(
    request: HttpRequest,
    *,
    terms,
    obj,
    audit_action: str = "minutes.approve_password_failed",
    wrong_password: str = "",
    wrong_code: str = "",
) -> HttpResponse | tuple | None:
    """The password (and second factor) of the one who approves or justerar (a protokoll, or a
    § at once): None when they hold, else the lock-out page or why not and the id of the field
    to correct. A wrong password is audited as ``audit_action`` on ``obj``; too many lock the
    account out (axes), here or at sign-in. ``wrong_password``/``wrong_code``: the refusal's
    words when they are not the council's."""
    user = authenticate(
        request, username=request.user.get_username(), password=request.POST.get("password", "")
    )
    if getattr(request, "axes_locked_out", False):
        return locked_out(request)  # too many wrong passwords, here or at sign-in
    if user is None or user.pk != request.user.pk:
        audit.record(audit_action, request=request, obj=obj)
        return wrong_password or str(terms.wrong_password), "password"
    code = request.POST.get("otp_code", "")
    if reason := second_factor.require_for_approval(request, code, terms=terms):
        if wrong_code and reason == str(terms.wrong_code):
            reason = wrong_code
        return reason, "otp_code"
    return None


def _check_password(request: HttpRequest, page: MeetingPage) -> HttpResponse | tuple | None:
    return check_password(request, terms=page.meeting.council.terms, obj=page.meeting)


def _approve(request: HttpRequest, page: MeetingPage) -> HttpResponse | tuple[str, str]:
    """Approve after the password (and second factor) check: the redirect, or why not and the
    id of the field to correct."""
    if refused := _check_password(request, page):
        return refused
    services.minutes_approve(minutes=page.minutes, actor=request.user, request=request)
    messages.success(request, page.meeting.council.terms.approved_message)
    return redirect(page.url)


def _sign(request: HttpRequest, page: MeetingPage) -> HttpResponse | tuple[str, str]:
    """A signatory justerar a nämnd's protokoll after the same check: the redirect (to the
    review page, which shows who has signed), or why not and the field to correct."""
    if refused := _check_password(request, page):
        return refused
    revision = justering.sign(
        minutes=page.minutes,
        actor=request.user,
        request=request,
        # the submission the page showed: a form without it (or tampered) signs nothing
        submission_id=posted_int(request.POST.get("submission"), -1),
    )
    if revision is None:
        state = justering.progress(Minutes.objects.get(pk=page.minutes.pk))
        messages.success(
            request,
            ngettext(
                "Du har justerat protokollet. %(signed)d av %(all)d har justerat.",
                "Du har justerat protokollet. %(signed)d av %(all)d har justerat.",
                len(state.signers),
            )
            % {"signed": len(state.signers) - len(state.missing), "all": len(state.signers)},
        )
        return redirect(page.address("review"))
    announcement = Announcement.objects.filter(
        revision=revision, kind=Announcement.Kind.PROTOCOL
    ).first()
    if announcement is not None and announcement.last_day_to_appeal is not None:
        messages.success(
            request,
            _(
                "Protokollet är justerat och anslaget på anslagstavlan. Sista dag att överklaga "
                "är %(date)s."
            )
            % {"date": long_date(announcement.last_day_to_appeal)},
        )
    else:  # pragma: no cover - the last signature always posts the announcement
        messages.success(request, page.meeting.council.terms.approved_message)
    return redirect(page.url)


def justering_panel(minutes: Minutes) -> dict | None:
    """The justering of a nämnd's protokoll as the staff pages show it: each signatory with
    their signature or none, how many have signed, the due date and whether it is (or was)
    late. None for a råd, and for a protokoll approved without signatures (on paper)."""
    if not minutes.meeting.council.numbers_paragraphs:
        return None
    state = justering.progress(minutes)
    if minutes.status == Minutes.Status.APPROVED and not state.signed:
        return None
    rows = [
        {
            "person_id": signer.person.pk,
            "role": signer.role,
            "name": signer.person.name,
            "signed": services.signed_text(signature.signed_at)
            if (signature := state.signature_of(signer.person.pk))
            else "",
        }
        for signer in state.signers
    ]
    return {
        "rows": rows,
        "signed_count": sum(1 for row in rows if row["signed"]),
        "count": len(rows),
        "due": state.due,
        "late": state.is_late(),
        "adjusted_at": state.adjusted_at,
    }


@login_required
@require_http_methods(["GET", "POST"])
@not_editable_as_conflict
@meeting_view(need=Need.REVIEW, action="minutes.review")
def minutes_review(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The approver reads the minutes exactly as they will be published, then approves with
    their password or returns them with a comment."""
    error, error_status, error_field = None, 400, None
    terms = page.meeting.council.terms
    is_protocol = page.rights.is_protocol
    if is_protocol:  # a nämnd's protokoll is reviewed by those who justerar it
        access.require(
            request, bool(page.rights.signs_as), action="minutes.review", obj=page.meeting
        )
    if request.method == "POST":
        action = request.POST.get("action")
        if is_protocol and action == "return":
            allowed = page.rights.can_return
        else:
            allowed = page.rights.can_sign
        access.require(request, allowed, action="minutes.approve", obj=page.meeting)
        try:
            if action in ("approve", "sign"):
                outcome = _sign(request, page) if is_protocol else _approve(request, page)
                if isinstance(outcome, HttpResponse):
                    return outcome
                error, error_field = outcome
            elif action == "return":
                services.minutes_return(
                    minutes=page.minutes,
                    actor=request.user,
                    comment=request.POST.get("comment", ""),
                    request=request,
                )
                messages.success(request, terms.returned_message)
                return redirect(page.url)
            else:
                error = str(terms.choose_action)
        except services.InvalidInput as invalid:
            error = str(invalid)
        except RenderError as failure:
            # nothing was approved: the approval's transaction rolled back with the render
            error = str(terms.pdf_failed) % {"why": failure}
        except services.StorageUnavailable:
            error_status = 503
            error = str(terms.storage_failed)
    doc = snapshot.build_snapshot(page.minutes)
    before = selectors.previous_submission(page.minutes)
    since_return = before is not None
    if before is None and page.minutes.corrects_id is not None:
        # a correction, submitted once: what it changes in the approved version it replaces
        before = page.minutes.corrects.snapshot
    return render(
        request,
        "minutes/drafting/review.html",
        {
            "meeting": page.meeting,
            "minutes": page.minutes,
            "doc": doc,
            "changes": snapshot.changes(before, doc.as_dict()) if before else None,
            "since_return": since_return,
            "docs_base": page.url + "handlingar/",
            "error": error,
            # the approval form's field to correct: the error stands next to it, it has focus
            "error_field": error_field,
            "is_approver": page.rights.can_sign,
            "otp_needed": settings.OTP_REQUIRED and not request.user.is_verified(),
            **_justering_context(request, page),
        },
        status=error_status if error else 200,
    )


def _justering_context(request: HttpRequest, page: MeetingPage) -> dict:
    """A nämnd's review page: the signatories panel, and whether this user still signs (the
    sign form) and may return (the chair and the justerare)."""
    panel = justering_panel(page.minutes)
    if panel is None:
        return {"justering": None}
    me = access.person_id(request.user)
    mine = next((row for row in panel["rows"] if row["person_id"] == me), None)
    submission = justering.current_submission(page.minutes)
    return {
        "justering": panel,
        "submission_id": submission.pk if submission else "",
        "signs_as": page.rights.signs_as,
        "has_signed": bool(mine and mine["signed"]),
        "can_return": page.rights.can_return,
    }


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.CORRECT, action="minutes.correct")
def correction_start(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The chair (or an administrator) starts a correction of approved minutes, with a reason."""
    revision = getattr(page.minutes, "approved_revision", None)
    if revision is None:
        raise services.NotAllowed(str(page.meeting.council.terms.only_approved_corrected))
    try:
        services.correction_start(
            revision=revision,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except services.InvalidInput as error:
        messages.error(request, str(error))
        return redirect(page.url)
    messages.success(request, page.meeting.council.terms.correction_started)
    return redirect(page.url)
