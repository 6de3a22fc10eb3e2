"""What approval leaves: the events of the workflow, the insert-only approved revision with
its frozen snapshot and PDFs, the signatures, and the withdrawal of a public copy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes.models.meetings import Minutes


class MinutesEvent(models.Model):
    """One step of the approval workflow: submitted, withdrawn, returned (with the chair's
    comment), approved. A submission keeps the snapshot it submitted, so that after a return the
    approver can see what changed."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Skickat för godkännande")
        WITHDRAWN = "withdrawn", _("Återtaget")
        RETURNED = "returned", _("Återsänt")
        APPROVED = "approved", _("Godkänt")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="events")
    # a nämnd's § sent for omedelbar justering has events of its own (minutes.services.justering)
    item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("händelse"), max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("händelse i godkännandet")
        verbose_name_plural = _("händelser i godkännandet")
        ordering = ["minutes", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.minutes} {self.get_kind_display()}"


class ApprovedRevision(models.Model):
    """The approved record of one revision of minutes: insert-only.

    It keeps the snapshot that was approved and the PDF rendered once from it (stored through
    Django's storage API under a content-addressed name, with its SHA-256 and size). Database
    triggers refuse every UPDATE and DELETE of this table and of its signatures; a correction is
    a new revision that points to the one it supersedes.
    """

    minutes = models.OneToOneField(
        Minutes, on_delete=models.PROTECT, related_name="approved_revision"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.TextField(_("skäl till rättelse"), blank=True)
    snapshot = models.JSONField(_("ögonblicksbild"))
    pdf_name = models.CharField(_("PDF-fil"), max_length=255)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64)
    pdf_size = models.PositiveIntegerField(_("storlek (byte)"))
    internal_pdf_name = models.CharField(
        _("intern PDF-fil"),
        max_length=255,
        blank=True,
        help_text=_("Med sekretessbelagda ärenden i sin helhet; i den privata lagringen."),
    )
    internal_pdf_sha256 = models.CharField(_("intern SHA-256"), max_length=64, blank=True)
    approved_at = models.DateTimeField(_("godkänt"))
    # when it reached this archive: later than approved_at for minutes approved on paper
    created_at = models.DateTimeField(_("arkiverad"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("godkänd version")
        verbose_name_plural = _("godkända versioner")
        ordering = ["-approved_at"]
        # a published file is found by its hash (the immutable address names it)
        indexes = [models.Index(fields=["pdf_sha256"], name="approvedrevision_sha256_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pdf_size__gt=0),
                name="approvedrevision_has_pdf",
                violation_error_message=_("En godkänd version måste ha en PDF."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} ({self.pdf_sha256[:12]})"


class Signature(models.Model):
    """Who signed an approved revision, in which role, when and from where: insert-only."""

    revision = models.ForeignKey(
        ApprovedRevision, on_delete=models.PROTECT, related_name="signatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=150)
    role = models.CharField(_("roll"), max_length=50)
    signed_at = models.DateTimeField(_("tidpunkt"))
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    method = models.CharField(_("sätt"), max_length=30, default="electronic")

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["revision", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class PublicationWithdrawal(models.Model):
    """The public copy of approved minutes withdrawn (personal data published by mistake); the
    record and its PDFs stay in the archive untouched."""

    revision = models.OneToOneField(
        ApprovedRevision,
        verbose_name=_("godkänd version"),
        on_delete=models.PROTECT,
        related_name="withdrawal",
    )
    reason = models.TextField(_("skäl"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("tillbakadragen publicering")
        verbose_name_plural = _("tillbakadragna publiceringar")

    def __str__(self) -> str:
        return str(self.revision)
