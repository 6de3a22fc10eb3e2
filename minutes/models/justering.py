"""What the justering of a nämnd's protokoll leaves (Kommunallagen 5 kap. 69 §, 6 kap. 35 §,
8 kap. 9–12 §§, 13 kap. 5 §): the signature of each signatory, a § justerat at once, the
certified extracts of the §§ and their dispatch to the recipients of the decision, the
announcement on the municipality's anslagstavla, and the reminders of the fourteen days.

Signatures, extracts and announcements are insert-only (database triggers, minutes.db_triggers):
a return does not delete a signature, it voids it, because a signature signs one submission
(``AdjustmentSignature.submission``) and a return or a withdrawal ends that submission."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Council, Municipality, Person
from minutes.models.approval import ApprovedRevision, MinutesEvent
from minutes.models.items import AgendaItem
from minutes.models.meetings import Meeting, Minutes
from minutes.models.notices import Notice


class SignerRole(models.TextChoices):
    SECRETARY = "Sekreterare", _("Sekreterare")
    CHAIR = "Ordförande", _("Ordförande")
    ADJUSTER = "Justerare", _("Justerare")


class AdjustmentSignature(models.Model):
    """One signatory's signature of one submission of a protokoll, or of one § sent for
    omedelbar justering (``item``): who, in which role, when and from where. Insert-only; it
    counts while its submission is the current one (minutes.services.justering)."""

    submission = models.ForeignKey(
        MinutesEvent,
        verbose_name=_("inskickning"),
        on_delete=models.PROTECT,
        related_name="adjustment_signatures",
    )
    minutes = models.ForeignKey(
        Minutes,
        verbose_name=_("protokoll"),
        on_delete=models.PROTECT,
        related_name="adjustment_signatures",
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("paragraf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustment_signatures",
        help_text=_("Paragrafen, när den justeras omedelbart; tomt för hela protokollet."),
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=150)
    role = models.CharField(_("roll"), max_length=20, choices=SignerRole)
    signed_at = models.DateTimeField(_("tidpunkt"))
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    class Meta:
        verbose_name = _("justerandes underskrift")
        verbose_name_plural = _("justerandes underskrifter")
        ordering = ["submission", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "person"],
                name="adjustmentsignature_once_per_submission",
                violation_error_message=_("Personen har redan skrivit under."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class Extract(models.Model):
    """A protokollsutdrag: one § with the protokoll's header and front-page facts, the
    signatures and the secretary's Utdragsbestyrkande, rendered once and stored like the
    protokoll (the public PDF when the § is public, the internal one when anything of it is
    confidential). Insert-only.

    An extract of a justerat protokoll has ``revision``; a § justerat at once (``immediate``)
    is its own record before the protokoll is: its snapshot is what the protokoll later shows
    unchanged."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("protokoll"), on_delete=models.PROTECT, related_name="extracts"
    )
    revision = models.ForeignKey(
        ApprovedRevision,
        verbose_name=_("justerat protokoll"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extracts",
    )
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("paragraf"), on_delete=models.PROTECT, related_name="extracts"
    )
    immediate = models.BooleanField(_("omedelbart justerad"), default=False)
    paragraph = models.PositiveIntegerField(_("paragraf"))
    label = models.CharField(_("paragrafens beteckning"), max_length=40)  # "SN § 4"
    title = models.CharField(_("rubrik"), max_length=255)
    is_public = models.BooleanField(_("offentlig"), default=True)
    snapshot = models.JSONField(_("ögonblicksbild"))
    pdf_name = models.CharField(_("PDF-fil"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    internal_pdf_name = models.CharField(_("intern PDF-fil"), max_length=255, blank=True)
    internal_pdf_sha256 = models.CharField(_("intern SHA-256"), max_length=64, blank=True)
    adjusted_at = models.DateTimeField(_("justerad"))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("protokollsutdrag")
        verbose_name_plural = _("protokollsutdrag")
        ordering = ["minutes", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "item"],
                condition=Q(revision__isnull=False),
                name="extract_once_per_revision",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(immediate=True), name="extract_immediate_once"
            ),
            models.CheckConstraint(
                condition=Q(immediate=True) | Q(revision__isnull=False),
                name="extract_of_a_record",
            ),
            models.CheckConstraint(
                condition=~Q(pdf_name="") | ~Q(internal_pdf_name=""), name="extract_has_pdf"
            ),
        ]
        indexes = [models.Index(fields=["pdf_sha256"], name="extract_sha256_idx")]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    @property
    def file_name(self) -> str:
        """``sn-2026-10-14-paragraf-4.pdf``: the readable last segment of its address."""
        council = self.minutes.meeting.council
        return (
            f"{council.municipality.slug}-{council.slug}-"
            f"{self.minutes.meeting.date:%Y-%m-%d}-paragraf-{self.paragraph}.pdf"
        )


class ExtractDispatch(models.Model):
    """The extract of a § sent by e-mail to one of its recipients (expediering)."""

    extract = models.ForeignKey(
        Extract, verbose_name=_("utdrag"), on_delete=models.PROTECT, related_name="dispatches"
    )
    recipient = models.CharField(_("mottagare"), max_length=255)  # as the § names them
    email = models.EmailField(_("e-postadress"))
    internal = models.BooleanField(_("med sekretessbelagda delar"), default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by_name = models.CharField(max_length=150, blank=True)
    sent_at = models.DateTimeField(_("skickat"), default=timezone.now)  # when the secretary sent it
    # when the mail server took it (the task): a retry of a delivered one sends nothing
    delivered_at = models.DateTimeField(_("levererat"), null=True, blank=True)

    class Meta:
        verbose_name = _("expediering")
        verbose_name_plural = _("expedieringar")
        ordering = ["extract", "sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.extract} → {self.recipient}"


class Announcement(models.Model):
    """An announcement on the municipality's anslagstavla (Kommunallagen 8 kap. 9–12 §§): that a
    protokoll, or a § of it, is justerat, or that a meeting is called (kungörelse). Its dates
    are set when it goes up, so that whether it is up on a given day is computed, never kept up
    to date by a job: up from ``posted_on`` to ``down_on`` (exclusive)."""

    class Kind(models.TextChoices):
        PROTOCOL = "protokoll", _("Justerat protokoll")
        PARAGRAPH = "paragraf", _("Omedelbart justerad paragraf")
        NOTICE = "kungorelse", _("Kungörelse")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="announcements",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="announcements"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("möte"), on_delete=models.PROTECT, related_name="announcements"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind)
    revision = models.ForeignKey(
        ApprovedRevision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="announcements",
    )
    extract = models.ForeignKey(
        Extract, null=True, blank=True, on_delete=models.PROTECT, related_name="announcements"
    )
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="announcements"
    )
    organ = models.CharField(_("organ"), max_length=150)
    meeting_date = models.DateField(_("sammanträdesdatum"))
    paragraphs = models.CharField(_("paragrafer"), max_length=60, blank=True)  # "1–7", "4"
    posted_on = models.DateField(_("anslaget den"))
    last_day_to_appeal = models.DateField(_("sista dag att överklaga"), null=True, blank=True)
    down_on = models.DateField(_("tas ned den"))
    kept_at = models.CharField(_("förvaringsplats"), max_length=255, blank=True)
    secretary = models.CharField(_("sekreterare"), max_length=150, blank=True)
    # what the announcement says besides: a protokoll whose § was justerad at once says that
    # the § has its own announcement and its own time to appeal
    note = models.CharField(_("anmärkning"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("anslag")
        verbose_name_plural = _("anslag")
        ordering = ["-posted_on", "-id"]
        indexes = [
            models.Index(fields=["municipality", "down_on"], name="announcement_down_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(down_on__gt=models.F("posted_on")), name="announcement_up_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.meeting_date:%Y-%m-%d} ({self.get_kind_display()})"

    def is_up(self, day: datetime.date) -> bool:
        return self.posted_on <= day < self.down_on


class AdjustmentReminder(models.Model):
    """A reminder of the fourteen days sent to a signatory who had not signed: one per
    protokoll, person and kind, so that the daily task never sends one twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Tre dagar före")
        DUE = "due", _("Sista dagen")

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="adjustment_reminders"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("påminnelse om justering")
        verbose_name_plural = _("påminnelser om justering")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "person", "kind"], name="adjustmentreminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} {self.person} {self.kind}"
