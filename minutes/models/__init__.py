"""Meetings and their minutes.

A meeting has one or more revisions of minutes (revision 1 is the original; a correction after
approval becomes revision 2, and so on). Items, sub-sections and attendance hang off one revision.
Every part that is edited on its own carries a ``version`` for optimistic locking: a save states
the version it started from and fails if someone else saved in between.
"""

from minutes.models.approval import (
    ApprovedRevision,
    MinutesEvent,
    PublicationWithdrawal,
    Signature,
)
from minutes.models.deliberation import Ballot, Disqualification, Motion, Reservation, Vote
from minutes.models.files import FileDigest
from minutes.models.items import (
    AgendaItem,
    AgendaItemSection,
    ItemDocument,
    ParagraphRenumbering,
)
from minutes.models.justering import (
    AdjustmentReminder,
    AdjustmentSignature,
    Announcement,
    Extract,
    ExtractDispatch,
    SignerRole,
)
from minutes.models.meetings import Attendance, Meeting, Minutes, StandingItem
from minutes.models.notices import Notice, NoticeRecipient
from minutes.models.search import SearchEntry

__all__ = [
    "AdjustmentReminder",
    "AdjustmentSignature",
    "AgendaItem",
    "AgendaItemSection",
    "Announcement",
    "ApprovedRevision",
    "Attendance",
    "Ballot",
    "Disqualification",
    "Extract",
    "ExtractDispatch",
    "FileDigest",
    "ItemDocument",
    "Meeting",
    "Minutes",
    "MinutesEvent",
    "Motion",
    "Notice",
    "NoticeRecipient",
    "ParagraphRenumbering",
    "PublicationWithdrawal",
    "Reservation",
    "SearchEntry",
    "Signature",
    "SignerRole",
    "StandingItem",
    "Vote",
]
