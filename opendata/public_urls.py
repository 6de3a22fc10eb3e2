from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("oppna-data/", views.page, name="page"),
    # the same page about one council (its page links here: councils.tools.register_public)
    path("oppna-data/<slug:municipality>/<slug:council>/", views.page, name="council"),
]
