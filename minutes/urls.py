from django.urls import path

from minutes import views

app_name = "minutes"

urlpatterns = [
    path("<slug:municipality>/<slug:council>/", views.council_detail, name="council"),
]
