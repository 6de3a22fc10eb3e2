from django.urls import path, re_path

from minutes.feeds import ApprovedMinutesFeed, NoticeboardFeed
from minutes.views import downloads, public

app_name = "minutes"

SLUG = r"[-a-zA-Z0-9_]+"
DATE = r"\d{4}-\d{2}-\d{2}"

urlpatterns = [
    path("minnesanteckningar.atom", ApprovedMinutesFeed(), name="feed"),
    path("sok/", public.search_page, name="search"),
    # Before the council's pattern: "anslagstavla" is no council's slug (Council.clean).
    path("<slug:municipality>/anslagstavla/", public.noticeboard_page, name="noticeboard"),
    path(
        "<slug:municipality>/anslagstavla/arkiv/",
        public.noticeboard_archive,
        name="noticeboard_archive",
    ),
    path("<slug:municipality>/anslagstavla.atom", NoticeboardFeed(), name="noticeboard_feed"),
    path("<slug:municipality>/<slug:council>/", public.council_detail, name="council"),
    path("<slug:municipality>/<slug:council>/moten.ics", public.council_calendar, name="calendar"),
    path(
        "<slug:municipality>/<slug:council>/minnesanteckningar.atom",
        ApprovedMinutesFeed(),
        name="council_feed",
    ),
    re_path(
        rf"^(?P<municipality>{SLUG})/(?P<council>{SLUG})/(?P<date>{DATE})/$",
        public.meeting_detail,
        name="meeting",
    ),
    re_path(
        rf"^(?P<municipality>{SLUG})/(?P<council>{SLUG})/(?P<date>{DATE})/kallelse\.pdf$",
        downloads.meeting_notice_pdf,
        name="notice_pdf",
    ),
    re_path(
        rf"^(?P<municipality>{SLUG})/(?P<council>{SLUG})/(?P<date>{DATE})/kallelse-(?P<number>[1-9][0-9]{{0,5}})\.pdf$",
        downloads.meeting_notice_sent_pdf,
        name="notice_sent_pdf",
    ),
    re_path(
        rf"^(?P<municipality>{SLUG})/(?P<council>{SLUG})/(?P<date>{DATE})/handlingar/"
        r"(?P<document_id>[0-9]{1,12})/(?P<filename>[-a-z0-9]+\.[a-z]{3,4})$",
        downloads.meeting_document,
        name="document",
    ),
    re_path(
        rf"^(?P<municipality>{SLUG})/(?P<council>{SLUG})/(?P<date>{DATE})/(?P<filename>[-a-zA-Z0-9_]+\.pdf)$",
        public.meeting_pdf,
        name="meeting_pdf",
    ),
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
        downloads.draft_preview,
        name="draft_preview",
    ),
    # Last of all: /<municipality>/ matches any one slug (the site's own words are reserved,
    # councils.models.RESERVED_SLUGS, and come before this in config/urls.py).
    path("<slug:municipality>/", public.municipality_detail, name="municipality"),
]
