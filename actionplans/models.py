"""Action plans (handlingsplaner): a council's goals and activities for one year, adopted and
followed up at its meetings, and the annual report (verksamhetsberättelse) built from them.

Minutes know nothing of plans. An ``ItemLink`` ties an agenda item to a plan (the item adopts
it, or follows it up) or to a report (the item adopts it); adoption is derived from the minutes
holding the item being approved, never set by hand."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from councils.models import Council
from minutes.models import AgendaItem, Meeting


class ActionPlan(models.Model):
    council = models.ForeignKey(
        Council,
        verbose_name=_("råd eller nämnd"),
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    year = models.PositiveIntegerField(_("år"))
    title = models.CharField(_("titel"), max_length=200)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=1,
        help_text=_(
            "Ökar när målen i en antagen plan ska ändras; den reviderade planen antas på nytt."
        ),
    )
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
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Ärendet ”Uppföljning av handlingsplanen” där uppföljningen gjordes."),
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
        constraints = [
            models.UniqueConstraint(
                fields=["item", "activity"],
                name="followup_one_per_item_activity",
                violation_error_message=_("Insatsen är redan följd upp i det här ärendet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%Y-%m-%d}"


class AnnualReport(models.Model):
    """A council's annual report for one year: assembled from its meetings and its plan, edited
    by the secretary, adopted by a meeting; then its PDF is rendered once and kept, with its
    SHA-256, like approved minutes."""

    council = models.ForeignKey(
        Council,
        verbose_name=_("råd eller nämnd"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveIntegerField(_("år"))
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("inledning"), blank=True)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Formaterad text (sanerad HTML), sammanställd och redigerad."),
    )
    assembled_at = models.DateTimeField(_("sammanställd"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("antagen"), null=True, blank=True)
    pdf_name = models.CharField(_("PDF-fil"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("verksamhetsberättelse")
        verbose_name_plural = _("verksamhetsberättelser")
        ordering = ["council", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year"],
                name="annualreport_one_per_council_year",
                violation_error_message=_("Rådet har redan en verksamhetsberättelse för det året."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200),
                name="annualreport_year_plausible",
                violation_error_message=_("Ange ett år med fyra siffror."),
            ),
            models.CheckConstraint(
                condition=Q(adopted_at__isnull=True)
                | (Q(pdf_size__gt=0) & ~Q(pdf_sha256="") & ~Q(pdf_name="")),
                name="annualreport_adopted_has_pdf",
                violation_error_message=_("En antagen verksamhetsberättelse måste ha sin PDF."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_adopted(self) -> bool:
        return self.adopted_at is not None


class ItemLink(models.Model):
    """An agenda item that adopts a plan, follows one up, or adopts an annual report."""

    class Kind(models.TextChoices):
        ADOPTS_PLAN = "plan", _("Antar handlingsplanen")
        FOLLOWS_UP = "follow_up", _("Följer upp handlingsplanen")
        ADOPTS_REPORT = "report", _("Antar verksamhetsberättelsen")

    item = models.OneToOneField(
        AgendaItem, verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind)
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("handlingsplan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="item_links",
    )
    plan_revision = models.PositiveIntegerField(
        _("planens revision"), null=True, blank=True, help_text=_("Den revision ärendet antar.")
    )
    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("verksamhetsberättelse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="item_links",
    )
    created_at = models.DateTimeField(_("kopplad"), auto_now_add=True)

    class Meta:
        verbose_name = _("koppling till ärende")
        verbose_name_plural = _("kopplingar till ärenden")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="plan", plan__isnull=False, plan_revision__isnull=False)
                    | Q(kind="follow_up", plan__isnull=False, plan_revision__isnull=True)
                )
                & Q(report__isnull=True)
                | Q(
                    kind="report",
                    report__isnull=False,
                    plan__isnull=True,
                    plan_revision__isnull=True,
                ),
                name="itemlink_kind_matches_target",
                violation_error_message=_("Kopplingen måste gälla en plan eller en berättelse."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.get_kind_display()}"
