"""The secretaries' action plan pages, under /arbete/."""

from django.urls import path

from actionplans import views

app_name = "plans"

C = "<slug:municipality>/<slug:council>/handlingsplaner/"
P = C + "<int:year>/"
R = "<slug:municipality>/<slug:council>/verksamhetsberattelser/"
I = "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/arenden/<int:item_id>/"  # noqa: E741

urlpatterns = [
    path(C, views.plan_list, name="list"),
    path(P, views.plan_edit, name="plan"),
    path(P + "revidera/", views.plan_revise, name="plan_revise"),
    path(P + "handlingsplan.pdf", views.plan_draft_pdf, name="plan_pdf"),
    path(R + "ny/", views.report_add, name="report_add"),
    path(R + "<int:year>/", views.report_edit, name="report"),
    path(R + "<int:year>/sammanstall/", views.report_reassemble, name="report_reassemble"),
    path(R + "<int:year>/verksamhetsberattelse.pdf", views.report_draft_pdf, name="report_pdf"),
    path(I + "handlingsplan/", views.item_link, name="item_link"),
    path(I + "uppfoljning/", views.follow_up, name="follow_up"),
    path(P + "mal/nytt/", views.goal_add, name="goal_add"),
    path(P + "mal/<int:goal_id>/", views.goal_edit, name="goal"),
    path(P + "mal/<int:goal_id>/ta-bort/", views.goal_delete, name="goal_delete"),
    path(P + "mal/<int:goal_id>/flytta/", views.goal_move, name="goal_move"),
    path(P + "mal/<int:goal_id>/insatser/nytt/", views.activity_add, name="activity_add"),
    path(P + "insatser/<int:activity_id>/", views.activity_edit, name="activity"),
    path(P + "insatser/<int:activity_id>/ta-bort/", views.activity_delete, name="activity_delete"),
]
