from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from core import views as core_views
from minutes.views.downloads import published_file

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("councils.account_urls")),
    path("arbete/", include("minutes.drafting_urls")),
    path("arbete/", include("actionplans.urls")),
    path("tillganglighet/", core_views.accessibility, name="accessibility"),
    path("", include("councils.urls")),
    path("", include("actionplans.public_urls")),
    # Public council pages come last: /<municipality>/<council>/ matches any two slugs.
    path("", include("minutes.urls")),
]

if settings.PUBLISHED_URL.startswith("/"):
    # The immutable published files, for the embedded set-up; in production the front web
    # server answers this prefix itself (README) and no request for it reaches Django.
    urlpatterns.insert(
        0,
        re_path(
            rf"^{settings.PUBLISHED_URL.strip('/')}/(?P<sha256>[0-9a-f]{{64}})/"
            r"(?P<filename>[-a-zA-Z0-9_]+\.pdf)$",
            published_file,
            name="published_file",
        ),
    )
