"""Action plans (handlingsplaner): a council's goals and activities for one year, followed up at
its meetings."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from councils.models import Council
from minutes.models import Meeting


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ACTIVE = "active", _("Gällande")
        CLOSED = "closed", _("Avslutad")

    council = models.ForeignKey(
        Council,
        verbose_name=_("råd eller nämnd"),
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    year = models.PositiveIntegerField(_("år"))
    title = models.CharField(_("titel"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    introduction = models.TextField(_("inledning"), blank=True)
    situation_picture = models.TextField(_("lägesbild"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        ordering = ["council", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year"],
                name="actionplan_one_per_council_year",
                violation_error_message=_("Rådet har redan en handlingsplan för det året."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200),
                name="actionplan_year_plausible",
                violation_error_message=_("Ange ett år med fyra siffror."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("handlingsplan"), on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveIntegerField(_("ordning"))
    title = models.CharField(_("mål"), max_length=255)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"],
                name="goal_unique_position",
                violation_error_message=_("Två mål kan inte ha samma plats i ordningen."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="activities"
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("insats"), max_length=255)
    responsible = models.CharField(
        _("ansvarig"), max_length=200, blank=True, help_text=_("Organisation eller person.")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("slut"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    indicator = models.TextField(
        _("indikator"), blank=True, help_text=_("Vad som räknas som genomfört.")
    )

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["goal", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("insats"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("möte"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("datum"))
    text = models.TextField(_("uppföljning"))
    status = models.CharField(_("status"), max_length=20, choices=Activity.Status)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["activity", "date", "id"]
        indexes = [models.Index(fields=["activity", "date"], name="followup_activity_date_idx")]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%Y-%m-%d}"
