"""The secretary's and members' working pages, under /arbete/."""

from django.urls import path

from minutes.views import approval, downloads, extracts, immediate, items, meetings, notice

app_name = "drafting"

M = "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/"
I = M + "arenden/<int:item_id>/"  # noqa: E741

urlpatterns = [
    path("", meetings.workspace, name="workspace"),
    path(
        "<slug:municipality>/<slug:council>/moten/nytt/", meetings.meeting_new, name="meeting_new"
    ),
    path(M, meetings.meeting_edit, name="meeting"),
    path(M + "uppgifter/", meetings.meeting_details, name="meeting_details"),
    path(M + "paborja/", meetings.minutes_start, name="minutes_start"),
    path(M + "narvaro/", meetings.attendance_save, name="attendance"),
    path(M + "skicka/", approval.minutes_submit, name="submit"),
    path(M + "ta-tillbaka/", approval.minutes_withdraw, name="withdraw"),
    path(M + "granska/", approval.minutes_review, name="review"),
    path(M + "nasta-mote/", meetings.next_meeting, name="next_meeting"),
    path(M + "kallelse/", notice.notice_page, name="notice"),
    path(M + "kallelse/skicka/", notice.notice_send, name="notice_send"),
    path(M + "kallelse.pdf", downloads.notice_pdf, name="notice_pdf"),
    path(M + "intern.pdf", downloads.internal_pdf, name="internal_pdf"),
    path(M + "utdrag/<int:extract_id>/utdrag.pdf", extracts.extract_pdf, name="extract_pdf"),
    path(M + "utdrag/<int:extract_id>/skicka/", extracts.extract_send, name="extract_send"),
    path(M + "rattelse/", approval.correction_start, name="correction"),
    path(M + "arenden/nytt/", items.item_add, name="item_add"),
    path(M + "arenden/ordning/", items.items_order, name="items_order"),
    path(I, items.item_edit, name="item"),
    path(I + "autospara/", items.item_autosave, name="item_autosave"),
    path(I + "ta-bort/", items.item_delete, name="item_delete"),
    path(I + "flytta/", items.item_move, name="item_move"),
    path(I + "omedelbar-justering/", immediate.paragraph_review, name="paragraph_review"),
    path(I + "omedelbar-justering/skicka/", immediate.paragraph_submit, name="paragraph_submit"),
    path(
        I + "omedelbar-justering/ta-tillbaka/",
        immediate.paragraph_withdraw,
        name="paragraph_withdraw",
    ),
    path(
        I + "omedelbar-justering/utdrag.pdf",
        immediate.paragraph_extract_pdf,
        name="paragraph_extract_pdf",
    ),
    path(I + "handlingar/ny/", items.document_add, name="document_add"),
    path(I + "handlingar/<int:document_id>/", items.document_edit, name="document_edit"),
    path(
        I + "handlingar/<int:document_id>/ta-bort/",
        items.document_delete,
        name="document_delete",
    ),
    path(
        M + "handlingar/<int:document_id>/<str:filename>",
        downloads.document_download,
        name="document",
    ),
]
