"""The secretaries' plan pages: the council's plans, a plan's texts, goals and activities, its
revision and its draft PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actionplans import pdf, selectors, services
from actionplans.forms import ActivityForm, GoalForm, PlanCreateForm, PlanForm, ReportCreateForm
from actionplans.models import ActionPlan, Activity, Goal
from actionplans.views.common import editable_council, frozen_as_conflict, year_document, year_url
from minutes.views.downloads import rendered_pdf_response


def _plan(request, municipality, council, year, action) -> ActionPlan:
    return year_document(ActionPlan, request, municipality, council, year, action)


def _plan_url(plan: ActionPlan) -> str:
    return year_url("plans:plan", plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """The council's plans, newest first, and a form for a new year's plan."""
    council_obj = editable_council(request, municipality, council, "actionplan.list")
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
@frozen_as_conflict
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
    if frozen:  # the texts are the adopted plan's, like its goals
        form = PlanForm(instance=plan, frozen=True)
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
    # on the plan's page beside the plan's own form: ids of its own (the names stay)
    return GoalForm(data, submit=_("Lägg till målet"), action=action, auto_id="id_new_goal_%s")


def _new_activity_form(goal: Goal, data=None) -> ActivityForm:
    plan, council = goal.plan, goal.plan.council
    action = reverse(
        "plans:activity_add",
        args=[council.municipality.slug, council.slug, plan.year, goal.pk],
    )
    # on the goal's page beside the goal's own form: ids of its own (the names stay)
    return ActivityForm(
        data, submit=_("Lägg till insatsen"), action=action, auto_id="id_new_activity_%s"
    )


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
