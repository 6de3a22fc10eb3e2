from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Protokollet – administration")
admin.site.site_title = _("Protokollet")
admin.site.index_title = _("Systemförvaltning")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("councils.account_urls")),
    path("arbete/", include("minutes.drafting_urls")),
    path("", include("councils.urls")),
    # Public council pages come last: /<municipality>/<council>/ matches any two slugs.
    path("", include("minutes.urls")),
]
