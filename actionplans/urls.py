"""The secretaries' action plan pages, under /arbete/."""

from django.urls import path

from actionplans import views

app_name = "plans"

C = "<slug:municipality>/<slug:council>/handlingsplaner/"
P = C + "<int:year>/"

urlpatterns = [
    path(C, views.plan_list, name="list"),
    path(P, views.plan_edit, name="plan"),
    path(P + "mal/nytt/", views.goal_add, name="goal_add"),
    path(P + "mal/<int:goal_id>/", views.goal_edit, name="goal"),
    path(P + "mal/<int:goal_id>/ta-bort/", views.goal_delete, name="goal_delete"),
    path(P + "mal/<int:goal_id>/flytta/", views.goal_move, name="goal_move"),
    path(P + "mal/<int:goal_id>/insatser/nytt/", views.activity_add, name="activity_add"),
    path(P + "insatser/<int:activity_id>/", views.activity_edit, name="activity"),
    path(P + "insatser/<int:activity_id>/ta-bort/", views.activity_delete, name="activity_delete"),
]
