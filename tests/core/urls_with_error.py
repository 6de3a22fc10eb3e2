"""The project's URLs plus one that fails, for the 500 page's test."""

from django.urls import path

from config.urls import urlpatterns as project


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("fel/", fail), *project]
