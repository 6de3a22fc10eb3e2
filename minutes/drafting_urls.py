"""The secretary's and members' working pages, under /arbete/."""

from django.urls import path

from minutes.views import drafting

app_name = "drafting"

M = "<slug:municipality>/<slug:council>/moten/<int:meeting_id>/"
I = M + "arenden/<int:item_id>/"  # noqa: E741

urlpatterns = [
    path("", drafting.workspace, name="workspace"),
    path(
        "<slug:municipality>/<slug:council>/moten/nytt/", drafting.meeting_new, name="meeting_new"
    ),
    path(M, drafting.meeting_edit, name="meeting"),
    path(M + "paborja/", drafting.minutes_start, name="minutes_start"),
    path(M + "narvaro/", drafting.attendance_save, name="attendance"),
    path(M + "skicka/", drafting.minutes_submit, name="submit"),
    path(M + "ta-tillbaka/", drafting.minutes_withdraw, name="withdraw"),
    path(M + "granska/", drafting.minutes_review, name="review"),
    path(M + "nasta-mote/", drafting.next_meeting, name="next_meeting"),
    path(M + "kallelse/", drafting.notice_page, name="notice"),
    path(M + "kallelse/skicka/", drafting.notice_send, name="notice_send"),
    path(M + "kallelse.pdf", drafting.notice_pdf, name="notice_pdf"),
    path(M + "intern.pdf", drafting.internal_pdf, name="internal_pdf"),
    path(M + "rattelse/", drafting.correction_start, name="correction"),
    path(M + "arenden/nytt/", drafting.item_add, name="item_add"),
    path(M + "arenden/ordning/", drafting.items_order, name="items_order"),
    path(I, drafting.item_edit, name="item"),
    path(I + "autospara/", drafting.item_autosave, name="item_autosave"),
    path(I + "ta-bort/", drafting.item_delete, name="item_delete"),
    path(I + "flytta/", drafting.item_move, name="item_move"),
    path(I + "handlingar/ny/", drafting.document_add, name="document_add"),
    path(I + "handlingar/<int:document_id>/", drafting.document_edit, name="document_edit"),
    path(
        I + "handlingar/<int:document_id>/ta-bort/",
        drafting.document_delete,
        name="document_delete",
    ),
    path(
        M + "handlingar/<int:document_id>/<str:filename>",
        drafting.document_download,
        name="document",
    ),
]
