"""The secretaries' action plan pages, under /arbete/."""

from django.urls import path

from actionplans.views import items, plans, reports

app_name = "plans"

C = "<slug:municipality>/<slug:council>/handlingsplaner/"
P = C + "<int:year>/"
R = "<slug:municipality>/<slug:council>/verksamhetsberattelser/"
I = "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/arenden/<int:item_id>/"  # noqa: E741

urlpatterns = [
    path(C, plans.plan_list, name="list"),
    path(P, plans.plan_edit, name="plan"),
    path(P + "revidera/", plans.plan_revise, name="plan_revise"),
    path(P + "handlingsplan.pdf", plans.plan_draft_pdf, name="plan_pdf"),
    path(R + "ny/", reports.report_add, name="report_add"),
    path(R + "<int:year>/", reports.report_edit, name="report"),
    path(R + "<int:year>/sammanstall/", reports.report_reassemble, name="report_reassemble"),
    path(R + "<int:year>/verksamhetsberattelse.pdf", reports.report_draft_pdf, name="report_pdf"),
    path(I + "handlingsplan/", items.item_link, name="item_link"),
    path(I + "uppfoljning/", items.follow_up, name="follow_up"),
    path(P + "mal/nytt/", plans.goal_add, name="goal_add"),
    path(P + "mal/<int:goal_id>/", plans.goal_edit, name="goal"),
    path(P + "mal/<int:goal_id>/ta-bort/", plans.goal_delete, name="goal_delete"),
    path(P + "mal/<int:goal_id>/flytta/", plans.goal_move, name="goal_move"),
    path(P + "mal/<int:goal_id>/insatser/nytt/", plans.activity_add, name="activity_add"),
    path(P + "insatser/<int:activity_id>/", plans.activity_edit, name="activity"),
    path(P + "insatser/<int:activity_id>/ta-bort/", plans.activity_delete, name="activity_delete"),
]
