from django.urls import path

from minutes import views

app_name = "minutes"

urlpatterns = [
    path("<slug:municipality>/<slug:council>/", views.council_detail, name="council"),
    path(
        "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/utkast.pdf",
        views.draft_preview,
        name="draft_preview",
    ),
]
