"""The notices (kallelser) sent for a meeting and who received them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.delivery import DELIVERY_UNKNOWN, Delivery, DeliveryFields
from councils.models import Person
from minutes.models.meetings import Meeting


class Notice(models.Model):
    """A notice (kallelse) sent for a meeting: the agenda as it stood, with each item's
    documents, frozen as JSON (``minutes.notices.NoticeSnapshot``), and, for an updated notice,
    what changed since the one before. Insert-only, like the record of who received it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("möte"), on_delete=models.PROTECT, related_name="notices"
    )
    number = models.PositiveIntegerField(
        _("nummer"), help_text=_("1 för kallelsen, 2 … för uppdateringar.")
    )
    snapshot = models.JSONField(_("dagordning"))
    changes = models.JSONField(_("ändringar"), default=list, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("skickad"))
    # The PDFs rendered once when the notice was sent and stored under their SHA-256, as approved
    # minutes are: the public one in the archive, the members' one in the private storage.
    pdf_name = models.CharField(_("PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("PDF:ens SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF:ens storlek"), null=True, blank=True)
    internal_pdf_name = models.CharField(_("intern PDF"), max_length=255, blank=True)
    internal_pdf_sha256 = models.CharField(_("interna PDF:ens SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("kallelse")
        verbose_name_plural = _("kallelser")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="notice_unique_number",
                violation_error_message=_("Mötet har redan en kallelse med det numret."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} kallelse {self.number}"

    @property
    def delivered(self) -> tuple[int, int]:
        """(sent, all) of its recipients' e-mails; reads the prefetched recipients."""
        recipients = list(self.recipients.all())
        sent = sum(r.delivery == NoticeRecipient.Delivery.SENT for r in recipients)
        return sent, len(recipients)

    @property
    def download_name(self) -> str:
        """``kallelse-arboga-forebyggande-radet-2020-02-24.pdf``; needs the meeting's council
        and municipality."""
        council = self.meeting.council
        return (
            f"kallelse-{council.municipality.slug}-{council.slug}-{self.meeting.date:%Y-%m-%d}.pdf"
        )


class NoticeRecipient(DeliveryFields):
    """Who a notice went to, at which address, and the delivery of its e-mail
    (``core.delivery``): pending until it leaves (retried with back-off while the mail server or
    anything else refuses), sending while one worker has claimed it, sent once it left, failed
    once the retries are used up. A recipient is claimed before the e-mail is handed to the
    server, so nobody receives one notice twice; one left claimed (a worker killed mid-send) is
    failed as ``DELIVERY_UNKNOWN``, for the secretary to check, never sent again by itself."""

    # The error of a claim nobody recorded the end of: the e-mail may or may not have left.
    DELIVERY_UNKNOWN = DELIVERY_UNKNOWN
    # The errors of recipients the automatic sending gave up before trying them: too late.
    MEETING_HELD = "Mötet har redan hållits"
    SUPERSEDED = "En nyare kallelse har skickats"
    Delivery = Delivery

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("uppdrag"), max_length=50)
    email = models.EmailField(_("e-postadress"), blank=True)

    class Meta:
        verbose_name = _("mottagare av kallelse")
        verbose_name_plural = _("mottagare av kallelser")
        ordering = ["notice", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "person"], name="noticerecipient_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.email or '–'})"

    @property
    def delivery_withdrawn(self) -> bool:
        """Failed because it was too late to send it: the meeting was held, or a newer notice
        replaced this one."""
        return self.delivery == self.Delivery.FAILED and self.last_error in (
            self.MEETING_HELD,
            self.SUPERSEDED,
        )
