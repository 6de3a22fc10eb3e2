"""The secretaries' action plan pages under /arbete/<kommun>/<råd>/handlingsplaner/. Rights come
from councils.access: 404 outside the council, 403 for a member who may not edit."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actionplans import pdf, selectors, services
from actionplans.forms import (
    ActivityForm,
    FollowUpForm,
    GoalForm,
    PlanCreateForm,
    PlanForm,
    ReportCreateForm,
    ReportForm,
)
from actionplans.models import ActionPlan, Activity, AnnualReport, FollowUp, Goal, ItemLink
from councils import access
from minutes.models import AgendaItem, Minutes
from minutes.views.downloads import rendered_pdf_response, storage_failure_is_503


def frozen_as_conflict(view):
    """A change the document's state does not allow (an adopted plan's goals, an item in
    minutes under approval) is a 409 with the page that says why, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.PlanFrozen as error:
            return render(request, "actionplans/frozen.html", {"message": str(error)}, status=409)

    return wrapper


def _council(request: HttpRequest, municipality: str, council: str, action: str):
    rights = access.get_council_for_member(request, municipality, council)
    access.require(request, rights.can_edit_minutes, action=action, obj=rights.council)
    return rights.council


def _plan(request, municipality, council, year, action) -> ActionPlan:
    council_obj = _council(request, municipality, council, action)
    return get_object_or_404(
        ActionPlan.objects.select_related("council__municipality"), council=council_obj, year=year
    )


def _plan_url(plan: ActionPlan) -> str:
    council = plan.council
    return reverse("plans:plan", args=[council.municipality.slug, council.slug, plan.year])


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """The council's plans, newest first, and a form for a new year's plan."""
    council_obj = _council(request, municipality, council, "actionplan.list")
    plans = list(council_obj.action_plans.order_by("-year"))
    adopted = set(selectors.public_plans(council_obj).values_list("pk", flat=True))
    for plan in plans:
        plan.adopted = plan.pk in adopted
    latest = plans[0].year if plans else None
    form = PlanCreateForm(
        request.POST or None,
        initial={"year": (latest + 1) if latest else None, "copy_previous": bool(plans)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                council=council_obj,
                year=form.cleaned_data["year"],
                copy_previous=form.cleaned_data["copy_previous"],
                actor=request.user,
                request=request,
            )
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Handlingsplanen för %(year)s är skapad.") % {"year": plan.year}
            )
            return redirect(_plan_url(plan))
    reports = list(council_obj.annual_reports.order_by("-year"))
    return render(
        request,
        "actionplans/plan_list.html",
        {
            "council": council_obj,
            "plans": plans,
            "form": form,
            "reports": reports,
            "report_form": ReportCreateForm(
                initial={"year": (reports[0].year + 1) if reports else latest}
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, municipality: str, council: str, year: int) -> HttpResponse:
    """The plan's texts, its goals in order and their activities."""
    plan = _plan(request, municipality, council, year, "actionplan.edit")
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(
            plan=plan,
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
            situation_picture=form.cleaned_data["situation_picture"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Planen är sparad."))
        return redirect(_plan_url(plan))
    goals = list(plan.goals.prefetch_related("activities").order_by("position"))
    adoptions = selectors.adoptions(plan)
    frozen = any(a.plan_revision == plan.revision for a in adoptions)
    return render(
        request,
        "actionplans/plan_edit.html",
        {
            "plan": plan,
            "council": plan.council,
            "form": form,
            "goals": goals,
            "goal_form": None if frozen else _new_goal_form(plan),
            "adoptions": adoptions,
            "frozen": frozen,
            "pending": list(selectors.pending_links(plan)),
        },
    )


@frozen_as_conflict
@login_required
@require_POST
def goal_add(request: HttpRequest, municipality: str, council: str, year: int) -> HttpResponse:
    plan = _plan(request, municipality, council, year, "actionplan.goal_add")
    form = _new_goal_form(plan, request.POST)
    if form.is_valid():
        services.goal_create(
            plan=plan,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Målet är tillagt."))
        return redirect(_plan_url(plan))
    return render(request, "actionplans/goal_form.html", {"plan": plan, "form": form, "goal": None})


@frozen_as_conflict
@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(
    request: HttpRequest, municipality: str, council: str, year: int, goal_id: int
) -> HttpResponse:
    """A goal's text and its activities, with a form for a new activity."""
    plan = _plan(request, municipality, council, year, "actionplan.goal_edit")
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.goal_update(
            goal=goal,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Målet är sparat."))
        return redirect(_plan_url(plan))
    return render(
        request,
        "actionplans/goal_form.html",
        {
            "plan": plan,
            "goal": goal,
            "form": form,
            "activities": goal.activities.order_by("position", "id"),
            "activity_form": _new_activity_form(goal),
            "frozen": selectors.is_adopted(plan, revision=plan.revision),
        },
    )


@frozen_as_conflict
@login_required
@require_POST
def goal_delete(
    request: HttpRequest, municipality: str, council: str, year: int, goal_id: int
) -> HttpResponse:
    plan = _plan(request, municipality, council, year, "actionplan.goal_delete")
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
    services.goal_delete(goal=goal, actor=request.user, request=request)
    messages.success(request, _("Målet och dess insatser är borttagna."))
    return redirect(_plan_url(plan))


@frozen_as_conflict
@login_required
@require_POST
def goal_move(
    request: HttpRequest, municipality: str, council: str, year: int, goal_id: int
) -> HttpResponse:
    plan = _plan(request, municipality, council, year, "actionplan.goal_move")
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
    offset = -1 if request.POST.get("riktning") == "upp" else 1
    services.goal_move(goal=goal, offset=offset, actor=request.user, request=request)
    return redirect(_plan_url(plan) + f"#mal-{goal.pk}")


@login_required
@require_POST
def activity_add(
    request: HttpRequest, municipality: str, council: str, year: int, goal_id: int
) -> HttpResponse:
    plan = _plan(request, municipality, council, year, "actionplan.activity_add")
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
    form = _new_activity_form(goal, request.POST)
    if form.is_valid():
        services.activity_create(
            goal=goal, actor=request.user, request=request, **_activity_data(form)
        )
        messages.success(request, _("Insatsen är tillagd."))
        return redirect(reverse("plans:goal", args=[municipality, council, year, goal.pk]))
    return render(
        request,
        "actionplans/goal_form.html",
        {
            "plan": plan,
            "goal": goal,
            "form": GoalForm(
                instance=goal,
                action=reverse("plans:goal", args=[municipality, council, year, goal.pk]),
            ),
            "activities": goal.activities.order_by("position", "id"),
            "activity_form": form,
            "frozen": selectors.is_adopted(plan, revision=plan.revision),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(
    request: HttpRequest, municipality: str, council: str, year: int, activity_id: int
) -> HttpResponse:
    plan = _plan(request, municipality, council, year, "actionplan.activity_edit")
    activity = get_object_or_404(
        Activity.objects.select_related("goal"), pk=activity_id, goal__plan=plan
    )
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.activity_update(
            activity=activity, actor=request.user, request=request, **_activity_data(form)
        )
        messages.success(request, _("Insatsen är sparad."))
        return redirect(reverse("plans:goal", args=[municipality, council, year, activity.goal_id]))
    return render(
        request,
        "actionplans/activity_form.html",
        {"plan": plan, "goal": activity.goal, "activity": activity, "form": form},
    )


@frozen_as_conflict
@login_required
@require_POST
def activity_delete(
    request: HttpRequest, municipality: str, council: str, year: int, activity_id: int
) -> HttpResponse:
    plan = _plan(request, municipality, council, year, "actionplan.activity_delete")
    activity = get_object_or_404(
        Activity.objects.select_related("goal"), pk=activity_id, goal__plan=plan
    )
    goal_id = activity.goal_id
    services.activity_delete(activity=activity, actor=request.user, request=request)
    messages.success(request, _("Insatsen är borttagen."))
    return redirect(reverse("plans:goal", args=[municipality, council, year, goal_id]))


def _new_goal_form(plan: ActionPlan, data=None) -> GoalForm:
    council = plan.council
    action = reverse("plans:goal_add", args=[council.municipality.slug, council.slug, plan.year])
    return GoalForm(data, submit=_("Lägg till målet"), action=action)


def _new_activity_form(goal: Goal, data=None) -> ActivityForm:
    plan, council = goal.plan, goal.plan.council
    action = reverse(
        "plans:activity_add",
        args=[council.municipality.slug, council.slug, plan.year, goal.pk],
    )
    return ActivityForm(data, submit=_("Lägg till insatsen"), action=action)


def _activity_data(form: ActivityForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.ACTIVITY_FIELDS}


@frozen_as_conflict
@login_required
@require_POST
def plan_revise(request: HttpRequest, municipality: str, council: str, year: int) -> HttpResponse:
    plan = _plan(request, municipality, council, year, "actionplan.revise")
    try:
        services.plan_revise(plan=plan, actor=request.user, request=request)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Målen kan nu ändras. Den reviderade planen gäller när ett möte har antagit den."),
        )
    return redirect(_plan_url(plan))


@login_required
@require_GET
def plan_draft_pdf(
    request: HttpRequest, municipality: str, council: str, year: int
) -> HttpResponse:
    """The plan as a PDF for those who edit it; UTKAST across it until its revision is adopted."""
    plan = _plan(request, municipality, council, year, "actionplan.pdf")
    adopted = selectors.is_adopted(plan, revision=plan.revision)
    name = selectors.file_name(plan.council, "handlingsplan", plan.year)
    return rendered_pdf_response(
        lambda: pdf.plan_pdf(plan, draft=not adopted), name, cache="private, no-store"
    )


# --- An agenda item linked to a plan or a report -------------------------------------------------


def _item(request, municipality, council, meeting_id, item_id, action):
    council_obj = _council(request, municipality, council, action)
    item = get_object_or_404(
        AgendaItem.objects.select_related("minutes__meeting__council__municipality"),
        pk=item_id,
        minutes__meeting_id=meeting_id,
        minutes__meeting__council=council_obj,
    )
    return council_obj, item


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
        if item.minutes.status != Minutes.Status.DRAFT:
            raise services.PlanFrozen(
                _("Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte ändras.")
            )
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
        if item.minutes.status != Minutes.Status.DRAFT:
            raise services.PlanFrozen(
                _("Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte ändras.")
            )
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


# --- Annual reports ------------------------------------------------------------------------------


def _report(request, municipality, council, year, action) -> AnnualReport:
    council_obj = _council(request, municipality, council, action)
    return get_object_or_404(
        AnnualReport.objects.select_related("council__municipality"), council=council_obj, year=year
    )


def _report_url(report: AnnualReport) -> str:
    council = report.council
    return reverse("plans:report", args=[council.municipality.slug, council.slug, report.year])


@login_required
@require_POST
def report_add(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    council_obj = _council(request, municipality, council, "annualreport.create")
    form = ReportCreateForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_create(
                council=council_obj,
                year=form.cleaned_data["year"],
                actor=request.user,
                request=request,
            )
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Verksamhetsberättelsen är sammanställd. Lägg till en inledning och läs igenom."),
            )
            return redirect(_report_url(report))
    else:
        messages.error(request, _("Ange ett år med fyra siffror."))
    return redirect(reverse("plans:list", args=[municipality, council]))


@frozen_as_conflict
@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, municipality: str, council: str, year: int) -> HttpResponse:
    report = _report(request, municipality, council, year, "annualreport.edit")
    form = ReportForm(request.POST or None, instance=report)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_update(
                    report=report,
                    title=form.cleaned_data["title"],
                    introduction=form.cleaned_data["introduction"],
                    body=form.cleaned_data["body"],
                    actor=request.user,
                    request=request,
                )
            except services.PlanFrozen:
                raise
            except services.PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Verksamhetsberättelsen är sparad."))
                return redirect(_report_url(report))
        status = 400
    return render(
        request,
        "actionplans/report_edit.html",
        {
            "report": report,
            "council": report.council,
            "form": form if not report.is_adopted else None,
            "adoption": selectors.report_adoption(report),
        },
        status=status,
    )


@frozen_as_conflict
@login_required
@require_POST
def report_reassemble(
    request: HttpRequest, municipality: str, council: str, year: int
) -> HttpResponse:
    report = _report(request, municipality, council, year, "annualreport.reassemble")
    services.report_reassemble(report=report, actor=request.user, request=request)
    messages.success(request, _("Texten är sammanställd på nytt ur mötena och handlingsplanen."))
    return redirect(_report_url(report))


@login_required
@require_GET
@storage_failure_is_503
def report_draft_pdf(
    request: HttpRequest, municipality: str, council: str, year: int
) -> HttpResponse:
    """The report for its editors: the frozen PDF once adopted, else a preview marked UTKAST."""
    report = _report(request, municipality, council, year, "annualreport.pdf")
    name = selectors.file_name(report.council, "verksamhetsberattelse", report.year)
    if report.is_adopted:
        return _stored_pdf(report, name)
    return rendered_pdf_response(
        lambda: pdf.report_pdf(report, adopted_on=None, draft=True),
        name,
        cache="private, no-store",
    )


def _stored_pdf(report: AnnualReport, name: str) -> HttpResponse:
    """The frozen PDF of an adopted report. A file lost from the storage (a restore without
    the files) is rendered again from the report, and stored back only when the bytes are
    exactly the adopted ones."""
    if not default_storage.exists(report.pdf_name) and not services.report_restore_pdf(report):
        raise Http404(_("Verksamhetsberättelsens PDF saknas i arkivet."))
    response = FileResponse(
        default_storage.open(report.pdf_name, "rb"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["ETag"] = f'"{report.pdf_sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public --------------------------------------------------------------------------------------


def public_list(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """The council's adopted plans and annual reports, for everyone: three queries."""
    council_obj = access.get_public_council(municipality, council)
    reports = list(selectors.public_reports(council_obj))
    for report in reports:
        name = selectors.file_name(council_obj, "verksamhetsberattelse", report.year)
        report.public_url = reverse(
            "plans_public:report_pdf", args=[municipality, council, report.year, name]
        )
    return render(
        request,
        "actionplans/public_list.html",
        {
            "council": council_obj,
            "plans": list(selectors.public_plans(council_obj)),
            "reports": reports,
        },
    )


def public_plan(request: HttpRequest, municipality: str, council: str, year: int) -> HttpResponse:
    """A plan's goals, activities, status and follow-ups, with how far each goal has come and
    the meetings that adopted it: six queries whatever the plan's size."""
    council_obj = access.get_public_council(municipality, council)
    found = selectors.public_plan(council_obj, year)
    if found is None:
        raise Http404(_("Rådet har ingen antagen handlingsplan för det året."))
    plan, adoptions, goals = found
    return render(
        request,
        "actionplans/public_plan.html",
        {
            "council": council_obj,
            "plan": plan,
            "adoptions": adoptions,
            "adopted_now": any(a.plan_revision == plan.revision for a in adoptions),
            "goals": goals,
            "pdf_name": selectors.file_name(council_obj, "handlingsplan", plan.year),
        },
    )


@require_GET
def public_plan_pdf(
    request: HttpRequest, municipality: str, council: str, year: int, filename: str
) -> HttpResponse:
    """An adopted plan as PDF under its readable name; any other name is not found."""
    year = int(year)
    council_obj = access.get_public_council(municipality, council)
    plan = selectors.public_plans(council_obj).filter(year=year).first()
    if plan is None or filename != selectors.file_name(council_obj, "handlingsplan", year):
        raise Http404(_("Rådet har ingen antagen handlingsplan för det året."))
    plan.council = council_obj
    return rendered_pdf_response(lambda: pdf.plan_pdf(plan), filename, cache="public, max-age=300")


@require_GET
@storage_failure_is_503
def public_report_pdf(
    request: HttpRequest, municipality: str, council: str, year: int, filename: str
) -> HttpResponse:
    """An adopted annual report: the PDF frozen when it was adopted, under its readable name."""
    year = int(year)
    council_obj = access.get_public_council(municipality, council)
    report = selectors.public_reports(council_obj).filter(year=year).first()
    if report is None or filename != selectors.file_name(
        council_obj, "verksamhetsberattelse", year
    ):
        raise Http404(_("Rådet har ingen antagen verksamhetsberättelse för det året."))
    response = _stored_pdf(report, filename)
    response["Cache-Control"] = "public, max-age=86400"
    return response
