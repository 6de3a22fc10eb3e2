"""The public action plan pages, under /<kommun>/<råd>/handlingsplaner/."""

from django.urls import path, re_path

from actionplans.views import public

app_name = "plans_public"

C = "<slug:municipality>/<slug:council>/handlingsplaner/"
SLUG = r"[-a-zA-Z0-9_]+"
PDF = r"(?P<year>[0-9]{4})/(?P<filename>[-a-z0-9]+\.pdf)$"

urlpatterns = [
    path(C, public.public_list, name="list"),
    path(C + "<int:year>/", public.public_plan, name="plan"),
    re_path(
        rf"^(?P<municipality>{SLUG})/(?P<council>{SLUG})/handlingsplaner/{PDF}",
        public.public_plan_pdf,
        name="plan_pdf",
    ),
    re_path(
        rf"^(?P<municipality>{SLUG})/(?P<council>{SLUG})/verksamhetsberattelser/{PDF}",
        public.public_report_pdf,
        name="report_pdf",
    ),
]
