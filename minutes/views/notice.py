"""The notice (kallelse) of a meeting under /arbete/: the latest one as it was sent, what changed
in the agenda since, who received each notice and when, and for secretaries the button that
sends it. The PDFs are served by ``minutes.views.downloads``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from councils.access import Need
from minutes import notices, services
from minutes.models import Announcement, Minutes
from minutes.pdf import RenderError
from minutes.views.loading import MeetingPage, meeting_view, not_editable_as_conflict


@login_required
@require_GET
@meeting_view(minutes_required=False)
def notice_page(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The meeting's notice: the latest one sent (as it was sent), what changed in the agenda
    since, who received each notice and when; for secretaries the button that sends it."""
    meeting, minutes = page.meeting, page.minutes
    sent = list(meeting.notices.order_by("-number").prefetch_related("recipients__person"))
    latest = sent[0] if sent else None
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
            "can_send": page.rights.can_edit_minutes
            and minutes is not None
            and minutes.status != Minutes.Status.APPROVED,
            "docs_base": page.url + "handlingar/",
            # a nämnd's kungörelse goes up on the anslagstavla unless the secretary says not
            "announce_default": meeting.council.numbers_paragraphs,
            "can_announce": meeting.date > timezone.localdate(),
            "announced": meeting.announcements.filter(kind=Announcement.Kind.NOTICE)
            .order_by("-id")
            .first(),
        },
    )


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="notice.send", minutes_required=False)
def notice_send(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    try:
        notice = services.notice_send(
            meeting=page.meeting,
            actor=request.user,
            request=request,
            announce=request.POST.get("anslag") == "1",
        )
    except services.InvalidInput as error:
        messages.error(request, str(error))
    except RenderError as failure:
        messages.error(
            request,
            _("Kallelsens PDF kunde inte skapas, så kallelsen är inte skickad: %(why)s")
            % {"why": failure},
        )
    except services.StorageUnavailable as failure:
        messages.error(request, str(failure))
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
    return redirect(page.address("notice"))
