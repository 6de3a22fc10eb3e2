"""``/oparl/v1/``: the OParl 1.1 API (README, "Open data")."""

from django.urls import path, re_path

from opendata import api

app_name = "oparl"

KEY = r"[-a-z0-9]{1,64}"

urlpatterns = [
    path("", api.system, name="system"),
    path("body/", api.bodies, name="bodies"),
    re_path(r"^body/(?P<key>[0-9]{1,12})/(?P<kind>[a-z]+)/$", api.body_list, name="body_list"),
    re_path(
        r"^organization/(?P<key>[0-9]{1,12})/meeting/$",
        api.organization_meetings,
        name="organization_meetings",
    ),
    re_path(rf"^(?P<kind>[a-z]+)/(?P<key>{KEY})/$", api.detail, name="detail"),
]
