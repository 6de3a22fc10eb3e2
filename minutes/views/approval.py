"""Approval under /arbete/: the secretary submits or takes back the draft; the person who
chaired the meeting reviews it as it will be published and approves it with their password (and
second factor) or returns it with a comment; a correction of approved minutes is started."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import audit
from councils import access, second_factor
from councils.access import Need
from councils.views import locked_out
from minutes import selectors, services, snapshot
from minutes.pdf import RenderError
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
    """The secretary sends the draft to the person who chaired the meeting."""
    return _secretary_transition(
        request,
        page,
        service=services.minutes_submit,
        done=page.meeting.council.terms.submitted_message,
    )


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


def _approve(request: HttpRequest, page: MeetingPage) -> HttpResponse | tuple[str, str]:
    """Approve after the password (and second factor) check: the redirect, or why not and the
    id of the field to correct."""
    terms = page.meeting.council.terms
    user = authenticate(
        request, username=request.user.get_username(), password=request.POST.get("password", "")
    )
    if getattr(request, "axes_locked_out", False):
        return locked_out(request)  # too many wrong passwords, here or at sign-in
    if user is None or user.pk != request.user.pk:
        audit.record("minutes.approve_password_failed", request=request, obj=page.meeting)
        return str(terms.wrong_password), "password"
    code = request.POST.get("otp_code", "")
    if reason := second_factor.require_for_approval(request, code, terms=terms):
        return reason, "otp_code"
    services.minutes_approve(minutes=page.minutes, actor=request.user, request=request)
    messages.success(request, terms.approved_message)
    return redirect(page.url)


@login_required
@require_http_methods(["GET", "POST"])
@not_editable_as_conflict
@meeting_view(need=Need.REVIEW, action="minutes.review")
def minutes_review(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The approver reads the minutes exactly as they will be published, then approves with
    their password or returns them with a comment."""
    error, error_status, error_field = None, 400, None
    terms = page.meeting.council.terms
    if request.method == "POST":
        access.require(request, page.rights.can_sign, action="minutes.approve", obj=page.meeting)
        action = request.POST.get("action")
        try:
            if action == "approve":
                outcome = _approve(request, page)
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
        },
        status=error_status if error else 200,
    )


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
