"""The public action plan pages, under /<kommun>/<råd>/handlingsplaner/."""

from django.urls import path

from actionplans import views

app_name = "plans_public"

C = "<slug:municipality>/<slug:council>/handlingsplaner/"

urlpatterns = [
    path(C, views.public_list, name="list"),
    path(C + "<int:year>/", views.public_plan, name="plan"),
]
