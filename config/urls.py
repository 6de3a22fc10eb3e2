from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from core import views as core_views
from minutes.views.downloads import published_file
from opendata.views import export_file

urlpatterns = [
    # The staff pages: Swedish, never prefixed (core.middleware.STAFF_PATHS).
    path("admin/", admin.site.urls),
    path("konto/", include("councils.account_urls")),
    path("arbete/", include("minutes.drafting_urls")),
    path("arbete/", include("actionplans.urls")),
    # open data: one address for every language (its JSON is the record's own words)
    path("oparl/v1/", include("opendata.urls")),
]
# The public pages in LANGUAGE_CODE without a prefix, and in the other language under its own
# (/en/…): one language per address, for caches and search engines (README, "Languages").
urlpatterns += i18n_patterns(
    path("tillganglighet/", core_views.accessibility, name="accessibility"),
    path("", include("councils.urls")),
    path("", include("opendata.public_urls")),
    path("", include("actionplans.public_urls")),
    path("", include("alerts.urls")),
    # Public council pages come last: /<municipality>/<council>/ matches any two slugs.
    path("", include("minutes.urls")),
    prefix_default_language=False,
)

if settings.PUBLISHED_URL.startswith("/"):
    # The immutable published files, for the embedded set-up; in production the front web
    # server answers this prefix itself (README) and no request for it reaches Django.
    urlpatterns[:0] = [
        re_path(
            rf"^{settings.PUBLISHED_URL.strip('/')}/(?P<sha256>[0-9a-f]{{64}})/"
            r"(?P<filename>[-a-zA-Z0-9_]+\.pdf)$",
            published_file,
            name="published_file",
        ),
        # the open data export (opendata.export), under the same prefix
        re_path(
            rf"^{settings.PUBLISHED_URL.strip('/')}/oppna-data/(?P<sha256>[0-9a-f]{{64}})/"
            r"(?P<filename>[-a-zA-Z0-9_]+\.zip)$",
            export_file,
            name="published_export",
        ),
    ]
