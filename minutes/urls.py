from django.urls import path

from minutes.views import public

app_name = "minutes"

urlpatterns = [
    path("<slug:municipality>/<slug:council>/", public.council_detail, name="council"),
    path(
        "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/minnesanteckningar.pdf",
        public.approved_pdf,
        name="approved_pdf",
    ),
    path(
        "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/version/<int:revision>/minnesanteckningar.pdf",
        public.approved_pdf,
        name="approved_pdf_revision",
    ),
    path(
        "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/utkast.pdf",
        public.draft_preview,
        name="draft_preview",
    ),
]
