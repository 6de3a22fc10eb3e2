"""Writes to meetings and minutes, one module per stage of the minutes' life. Each service is
one transaction that checks the state, writes an audit row and runs its side effects after
commit.

- ``drafting``: a meeting and its draft minutes, attendance, items, their order, the next meeting
- ``attachments``: the documents attached to a draft item
- ``approval``: submit, withdraw, return, approve, historical revisions, corrections, and the
  withdrawal of a public copy
- ``notice``: the notice (kallelse) sent before the meeting
- ``paragraphs``: a nämnd's §§, numbered through the calendar year per council
- ``standing``: a nämnd's standing agenda by default ("Val av justerare" …)
- ``importing``: saving minutes parsed from the legacy text format (``minutes.legacy`` parses)
- ``errors``, ``files`` and ``text``: what they share

The names below are the package's public interface; import them from ``minutes.services``.
"""

from minutes.services.approval import (
    correction_start,
    minutes_approve,
    minutes_return,
    minutes_submit,
    minutes_withdraw,
    publication_withdraw,
    record_historical_revision,
    signed_text,
)
from minutes.services.archive import ArchiveUnreadable, RevisionPdf, revision_pdf
from minutes.services.attachments import document_add, document_delete, document_update
from minutes.services.deliberation import (
    DeliberationInput,
    DisqualificationInput,
    MotionInput,
    ReservationInput,
    VoteInput,
)
from minutes.services.drafting import (
    AdjustmentInput,
    AttendanceEntry,
    SectionInput,
    attendance_update,
    drop_empty_sections,
    ensure_draft,
    item_create,
    item_delete,
    item_move,
    item_save,
    item_set_points,
    item_state,
    items_reorder,
    minutes_start,
    standing_item_ensure,
)
from minutes.services.errors import (
    Conflict,
    ImportFailed,
    InvalidInput,
    NotAllowed,
    NotEditable,
    StorageUnavailable,
)
from minutes.services.files import STORAGE_ERRORS, StoredPdf, store_pdf, stored_file_exists
from minutes.services.importing import ImportReport, import_legacy_minutes
from minutes.services.meetings import (
    FROZEN_MESSAGE,
    is_open_correction,
    meeting_create,
    meeting_update,
    next_meeting_clear,
    next_meeting_set,
)
from minutes.services.notice import notice_pending_changes, notice_send
from minutes.services.paragraphs import PartsInput, paragraph_label, renumbering_notice
from minutes.services.standing import standing_agenda_default
from minutes.services.text import check_text, plain_text_to_html

__all__ = [
    "FROZEN_MESSAGE",
    "STORAGE_ERRORS",
    "AdjustmentInput",
    "ArchiveUnreadable",
    "AttendanceEntry",
    "Conflict",
    "DeliberationInput",
    "DisqualificationInput",
    "ImportFailed",
    "ImportReport",
    "InvalidInput",
    "MotionInput",
    "NotAllowed",
    "NotEditable",
    "PartsInput",
    "ReservationInput",
    "RevisionPdf",
    "SectionInput",
    "StorageUnavailable",
    "StoredPdf",
    "VoteInput",
    "attendance_update",
    "check_text",
    "correction_start",
    "document_add",
    "document_delete",
    "document_update",
    "drop_empty_sections",
    "ensure_draft",
    "import_legacy_minutes",
    "is_open_correction",
    "item_create",
    "item_delete",
    "item_move",
    "item_save",
    "item_set_points",
    "item_state",
    "items_reorder",
    "meeting_create",
    "meeting_update",
    "minutes_approve",
    "minutes_return",
    "minutes_start",
    "minutes_submit",
    "minutes_withdraw",
    "next_meeting_clear",
    "next_meeting_set",
    "notice_pending_changes",
    "notice_send",
    "paragraph_label",
    "plain_text_to_html",
    "publication_withdraw",
    "record_historical_revision",
    "renumbering_notice",
    "revision_pdf",
    "signed_text",
    "standing_agenda_default",
    "standing_item_ensure",
    "store_pdf",
    "stored_file_exists",
]
