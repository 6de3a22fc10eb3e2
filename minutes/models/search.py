"""The public text of approved minutes, derived for search (``minutes.search``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from councils.models import Council
from minutes.models.approval import ApprovedRevision
from minutes.models.meetings import Meeting


class SearchEntry(models.Model):
    """One public item of a meeting's current public revision, as plain text for search.

    Rows exist only for what the public may read: the newest approved revision of a meeting,
    unless its publication was withdrawn, and of it only the public items. They are derived
    (``minutes.search.index_meeting`` rebuilds a meeting's rows) and never edited. On PostgreSQL
    a migration adds a generated ``document`` tsvector column (Swedish configuration) with a GIN
    index; the model does not declare it, so SQLite keeps the same table without it.
    """

    # revision and council are covered by the unique constraint and the council/date index
    revision = models.ForeignKey(
        ApprovedRevision, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+", db_index=False)
    meeting_date = models.DateField()
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=24, blank=True)  # "3", or a nämnd's "KS § 12"
    title = models.CharField(max_length=300)
    text = models.TextField()
    # casefolded title and text: the simple search (SQLite) matches substrings of this
    folded = models.TextField()

    class Meta:
        verbose_name = _("sökpost")
        verbose_name_plural = _("sökposter")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "position"], name="searchentry_one_per_item"
            ),
        ]
        indexes = [
            # the order search shows hits in, whole: many meetings share a date
            models.Index(fields=["-meeting_date", "position", "id"], name="searchentry_date_idx"),
            models.Index(
                fields=["council", "-meeting_date", "position", "id"],
                name="searchentry_council_date_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_date} {self.number}. {self.title}"
