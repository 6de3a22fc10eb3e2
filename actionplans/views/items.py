"""An agenda item's plan tools: linking it to a plan or a report, and the follow-up of a plan
at the meeting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from actionplans import selectors, services
from actionplans.forms import FollowUpForm
from actionplans.models import FollowUp, ItemLink
from actionplans.views.common import editable_council, frozen_as_conflict
from minutes.models import AgendaItem, Minutes


def _item(request, municipality, council, meeting_id, item_id, action):
    council_obj = editable_council(request, municipality, council, action)
    item = get_object_or_404(
        AgendaItem.objects.select_related("minutes__meeting__council__municipality"),
        pk=item_id,
        minutes__meeting_id=meeting_id,
        minutes__meeting__council=council_obj,
    )
    return council_obj, item


def _check_draft(item: AgendaItem) -> None:
    """Nothing is posted to an item in minutes that are no longer a draft (409)."""
    if item.minutes.status != Minutes.Status.DRAFT:
        raise services.PlanFrozen(
            _("Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte ändras.")
        )


def _item_url(item: AgendaItem) -> str:
    meeting = item.minutes.meeting
    council = meeting.council
    return reverse(
        "drafting:item", args=[council.municipality.slug, council.slug, meeting.pk, item.pk]
    )


@frozen_as_conflict
@login_required
@require_http_methods(["GET", "POST"])
def item_link(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, item_id: int
) -> HttpResponse:
    """What the item does with the council's plans and reports: adopt a plan (its goals become
    the item's bullet list), follow one up, adopt an annual report; or remove the link."""
    council_obj, item = _item(request, municipality, council, meeting_id, item_id, "item.link")
    link = selectors.item_link(item)
    if request.method == "POST":
        _check_draft(item)
        action = request.POST.get("action", "")
        try:
            if action == "unlink":
                services.unlink(item=item, actor=request.user, request=request)
                messages.success(request, _("Kopplingen är borttagen."))
                return redirect(_item_url(item))
            target = request.POST.get("target", "")
            if action in ("plan", "follow_up"):
                plan = council_obj.action_plans.filter(pk=_int(target)).first()
                if plan is None:
                    raise services.PlanError(_("Välj en handlingsplan."))
                if action == "plan":
                    services.link_plan(item=item, plan=plan, actor=request.user, request=request)
                    messages.success(request, _("Planens mål står nu som punktlista i ärendet."))
                    return redirect(_item_url(item))
                services.link_follow_up(item=item, plan=plan, actor=request.user, request=request)
                return redirect(
                    reverse("plans:follow_up", args=[municipality, council, meeting_id, item_id])
                )
            if action == "report":
                report = council_obj.annual_reports.filter(pk=_int(target)).first()
                if report is None:
                    raise services.PlanError(_("Välj en verksamhetsberättelse."))
                services.link_report(item=item, report=report, actor=request.user, request=request)
                messages.success(
                    request,
                    _("Verksamhetsberättelsen antas när minnesanteckningarna har godkänts."),
                )
                return redirect(_item_url(item))
            raise services.PlanError(_("Välj vad ärendet ska göra."))
        except services.PlanFrozen:
            raise
        except services.PlanError as error:
            messages.error(request, str(error))
            return redirect(request.path)
    plans = list(council_obj.action_plans.order_by("-year"))
    year = item.minutes.meeting.date.year
    return render(
        request,
        "actionplans/item_link.html",
        {
            "council": council_obj,
            "meeting": item.minutes.meeting,
            "item": item,
            "link": link,
            "editable": item.minutes.status == Minutes.Status.DRAFT,
            "plans": plans,
            "reports": list(council_obj.annual_reports.filter(adopted_at__isnull=True)),
            "suggest_follow_up": item.title.strip() == services.FOLLOW_UP_TITLE,
            "year": year,
        },
    )


def _int(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 10 else 0


@frozen_as_conflict
@login_required
@require_http_methods(["GET", "POST"])
def follow_up(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, item_id: int
) -> HttpResponse:
    """The follow-up of the plan at a meeting: per open activity a short text and a new status.
    They become the item's bullet list, and the statuses take effect when the minutes are
    approved."""
    _council_obj, item = _item(
        request, municipality, council, meeting_id, item_id, "item.follow_up"
    )
    link = selectors.item_link(item)
    if link is None or link.kind != ItemLink.Kind.FOLLOWS_UP:
        raise Http404(_("Ärendet följer inte upp någon handlingsplan."))
    activities = services.follow_up_activities(link)
    existing = {f.activity_id: f for f in FollowUp.objects.filter(item=item)}
    forms = [
        FollowUpForm(
            request.POST or None,
            prefix=f"a{activity.pk}",
            activity=activity,
            initial={
                "status": existing[activity.pk].status
                if activity.pk in existing
                else activity.status,
                "text": existing[activity.pk].text if activity.pk in existing else "",
            },
        )
        for activity in activities
    ]
    status = 200
    if request.method == "POST":
        _check_draft(item)
        if all(form.is_valid() for form in forms):
            try:
                count = services.follow_ups_save(
                    item=item,
                    entries=[
                        services.FollowUpInput(
                            form.activity.pk, form.cleaned_data["status"], form.cleaned_data["text"]
                        )
                        for form in forms
                    ],
                    actor=request.user,
                    request=request,
                )
            except services.PlanFrozen:
                raise
            except services.PlanError as error:
                messages.error(request, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    ngettext(
                        "Uppföljningen är sparad: %(n)s insats står i ärendet.",
                        "Uppföljningen är sparad: %(n)s insatser står i ärendet.",
                        count,
                    )
                    % {"n": count},
                )
                return redirect(_item_url(item))
        else:
            status = 400
    return render(
        request,
        "actionplans/follow_up.html",
        {
            "meeting": item.minutes.meeting,
            "item": item,
            "plan": link.plan,
            "forms": forms,
            "editable": item.minutes.status == Minutes.Status.DRAFT,
        },
        status=status,
    )
