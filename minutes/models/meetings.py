"""A meeting, its minutes (one revision each: a correction is a new one), who attended,
and the council's standing agenda that new minutes start from."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Council, Membership, Person

if TYPE_CHECKING:
    from minutes.models.notices import Notice


class Meeting(models.Model):
    council = models.ForeignKey(
        Council,
        verbose_name=_("råd eller nämnd"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=150, blank=True)
    chaired_by = models.ForeignKey(
        Person,
        verbose_name=_("ordförande vid mötet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_chaired",
        help_text=_(
            "Den som ledde mötet: ordföranden, eller vice ordföranden när hen tjänstgjorde."
        ),
    )
    secretary = models.ForeignKey(
        Person,
        verbose_name=_("sekreterare vid mötet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_recorded",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_start",
                violation_error_message=_("Mötet kan inte sluta innan det börjar."),
            ),
        ]
        indexes = [models.Index(fields=["council", "date"], name="meeting_council_date_idx")]

    def __str__(self) -> str:
        return f"{self.council.name} {self.date:%Y-%m-%d}"

    @staticmethod
    def coming(day: datetime.date, *, approved: bool, today: datetime.date | None = None) -> bool:
        """The one rule of what a coming meeting is: its day has not passed and its minutes are
        not approved (a meeting approved on its own day has been held, and is listed with its
        PDF under its year). The council page's lists use it row by row (minutes.selectors)."""
        return day >= (today or timezone.localdate()) and not approved

    @property
    def is_upcoming(self) -> bool:
        if self.date < timezone.localdate():
            return False  # no query for a past meeting
        approved = self.minutes.filter(status=Minutes.Status.APPROVED).exists()
        return Meeting.coming(self.date, approved=approved)

    def latest_minutes(self) -> Minutes | None:
        """The newest revision of the meeting's minutes (a correction is a newer one)."""
        return self.minutes.order_by("-revision").first()

    # What the approved record says about its meeting: frozen while the newest minutes are
    # approved (the database refuses too, see minutes.db_triggers); a correction changes them.
    FROZEN_FIELDS = ("council", "date", "start_time", "end_time", "place")

    def is_frozen(self) -> bool:
        """The newest minutes are approved: date, times, place and council are the record's."""
        latest = self.minutes.order_by("-revision").values_list("status", flat=True).first()
        return latest == Minutes.Status.APPROVED

    def has_approved_record(self) -> bool:
        """Some minutes of the meeting are approved: what they state about the meeting changes
        only through a correction, and only when it is approved (a correction's draft keeps
        its proposal, see ``Minutes.proposed_date``)."""
        return self.minutes.filter(status=Minutes.Status.APPROVED).exists()

    def latest_notice(self) -> Notice | None:
        """The notice sent last (an update is a newer one)."""
        return self.notices.order_by("-number").first()


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Skickat för godkännande")
        APPROVED = "approved", _("Godkänt")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("möte"), on_delete=models.PROTECT, related_name="minutes"
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    others_present = models.TextField(
        _("övriga närvarande"),
        blank=True,
        help_text=_("Andra som deltog, till exempel inbjudna gäster."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    attendance_version = models.PositiveIntegerField(_("version av närvaron"), default=1)
    corrects = models.OneToOneField(
        "ApprovedRevision",
        verbose_name=_("rättar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
        help_text=_("Den godkända version som denna rättelse ska ersätta."),
    )
    correction_reason = models.TextField(_("skäl till rättelse"), blank=True)
    # A correction's draft may state the meeting otherwise than the approved record: the
    # proposed date, times and place, set together (a proposal exists when the date is set),
    # become the meeting's when the correction is approved; the public pages keep the
    # approved record's until then.
    proposed_date = models.DateField(_("rättat datum"), null=True, blank=True)
    proposed_start_time = models.TimeField(_("rättad starttid"), null=True, blank=True)
    proposed_end_time = models.TimeField(_("rättad sluttid"), null=True, blank=True)
    proposed_place = models.CharField(_("rättad plats"), max_length=150, blank=True)
    # a nämnd's protokoll: where and when the justerare will justera it (the front page's
    # "Justeringens plats och tid")
    adjustment_place = models.CharField(_("justeringens plats"), max_length=150, blank=True)
    adjustment_date = models.DateField(_("justeringens dag"), null=True, blank=True)
    adjustment_time = models.TimeField(_("justeringens tid"), null=True, blank=True)
    next_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("nästa möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Det möte som minnesanteckningarna anger som nästa (”Nästa möte: …”)."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")
        ordering = ["meeting", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "revision"],
                name="minutes_unique_revision",
                violation_error_message=_("Mötet har redan ett protokoll med det revisionsnumret."),
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1),
                name="minutes_revision_positive",
                violation_error_message=_("Revisionsnumret börjar på 1."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="minutes_status_idx")]

    def __str__(self) -> str:
        return f"{self.meeting} rev. {self.revision}"

    @property
    def has_proposal(self) -> bool:
        """A correction that states its meeting otherwise than the approved record."""
        return self.proposed_date is not None and self.corrects_id is not None

    def stated_meeting(self) -> dict:
        """The date, times and place these minutes state: a correction's proposal, or the
        meeting's."""
        if self.has_proposal:
            return {
                "date": self.proposed_date,
                "start_time": self.proposed_start_time,
                "end_time": self.proposed_end_time,
                "place": self.proposed_place,
            }
        meeting = self.meeting
        return {f: getattr(meeting, f) for f in ("date", "start_time", "end_time", "place")}


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Närvarande")
        ABSENT = "absent", _("Frånvarande")
        SUBSTITUTE = "substitute", _("Tjänstgörande ersättare")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("protokoll"), on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("i egenskap av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Uppdraget personen deltog i; styr var namnet står i protokollets huvud."),
    )
    status = models.CharField(_("närvaro"), max_length=20, choices=Status, default=Status.PRESENT)
    substitute_for = models.ForeignKey(
        Person,
        verbose_name=_("ersättare för"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    # A nämnd's attendance may hold for part of the meeting: present for, or serving at, the
    # items from ``from_position`` to ``to_position`` (the meeting's item order, shown as §§;
    # an open end runs to the meeting's start or end). Outside them the person is absent, or
    # for a serving substitute, present without serving (minutes.services.serving).
    from_position = models.PositiveIntegerField(_("från paragraf"), null=True, blank=True)
    to_position = models.PositiveIntegerField(_("till paragraf"), null=True, blank=True)
    # one or two members present, chosen at the meeting to justera the protokoll with the chair
    is_adjuster = models.BooleanField(_("justerare"), default=False)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["minutes", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "person"],
                name="attendance_unique_person",
                violation_error_message=_("Personen finns redan i närvarolistan."),
            ),
            models.CheckConstraint(
                condition=Q(status="substitute", substitute_for__isnull=False)
                | (~Q(status="substitute") & Q(substitute_for__isnull=True)),
                name="attendance_substitute_names_whom",
                violation_error_message=_(
                    "Ange vem ersättaren tjänstgör för, och bara för tjänstgörande ersättare."
                ),
            ),
            models.CheckConstraint(
                condition=Q(from_position__isnull=True)
                | Q(to_position__isnull=True)
                | Q(from_position__lte=models.F("to_position")),
                name="attendance_range_ordered",
                violation_error_message=_("Närvaron börjar före den slutar."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class StandingItem(models.Model):
    """An item the council always has on its agenda; a new meeting starts from these.

    The title and ``decision`` may contain ``{föregående möte}`` (the previous meeting's date in
    words, "den 26 november 2019"), ``{år}`` and ``{föregående år}``, filled in when a meeting is
    created. ``sections`` is the editable list of
    sub-section headings (one per organisation under "Aktuell information från verksamheterna").
    """

    council = models.ForeignKey(
        Council,
        verbose_name=_("råd eller nämnd"),
        on_delete=models.CASCADE,
        related_name="standing_items",
    )
    position = models.PositiveIntegerField(_("ordning"))
    title = models.CharField(_("rubrik"), max_length=255)
    body = models.TextField(_("text"), blank=True, help_text=_("Formaterad text (sanerad HTML)."))
    decision = models.TextField(
        _("beslut"),
        blank=True,
        help_text=_(
            "”{föregående möte}” ersätts med föregående mötes datum i ord, ”{år}” med mötets år "
            "och ”{föregående år}” med året före."
        ),
    )
    first_meeting_of_year = models.BooleanField(
        _("bara årets första möte"),
        default=False,
        help_text=_("Till exempel verksamhetsberättelsen och handlingsplanen."),
    )
    sections = models.JSONField(
        _("underavsnitt"),
        default=list,
        blank=True,
        help_text=_("Rubriker för underavsnitt, en per organisation, som en lista."),
    )

    class Meta:
        verbose_name = _("stående punkt")
        verbose_name_plural = _("stående dagordning")
        ordering = ["council", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "position"],
                name="standingitem_unique_position",
                violation_error_message=_(
                    "Två stående punkter kan inte ha samma plats i ordningen."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title
