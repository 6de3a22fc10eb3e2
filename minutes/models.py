"""Meetings and their minutes.

A meeting has one or more revisions of minutes (revision 1 is the original; a correction after
approval becomes revision 2, and so on). Items, sub-sections and attendance hang off one revision.
Every part that is edited on its own carries a ``version`` for optimistic locking: a save states
the version it started from and fails if someone else saved in between.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Council, Membership, Person
from minutes import uploads


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

    @property
    def is_upcoming(self) -> bool:
        return self.date >= timezone.localdate()

    def latest_minutes(self) -> Minutes | None:
        """The newest revision of the meeting's minutes (a correction is a newer one)."""
        return self.minutes.order_by("-revision").first()

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
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class AgendaItem(models.Model):
    minutes = models.ForeignKey(
        Minutes, verbose_name=_("protokoll"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("ordning"))
    number = models.CharField(
        _("nummer"), max_length=12, blank=True, help_text=_("Som det visas: ”1” eller ”§ 12”.")
    )
    title = models.CharField(_("rubrik"), max_length=255)
    body = models.TextField(_("text"), blank=True, help_text=_("Formaterad text (sanerad HTML)."))
    decision = models.TextField(_("beslut"), blank=True)
    is_public = models.BooleanField(_("offentligt"), default=True)
    confidentiality_ground = models.CharField(
        _("grund för sekretess"),
        max_length=150,
        blank=True,
        help_text=_("Lagrum när ärendet är sekretessbelagt, till exempel ”OSL 26 kap. 1 §”."),
    )
    points = models.JSONField(
        _("punktlista"),
        default=list,
        blank=True,
        help_text=_(
            "En punktlista som ett annat verktyg har fört in (målen i en handlingsplan, "
            "uppföljningen av insatserna); visas efter texten och ändras i det verktyget."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["minutes", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "position"],
                name="agendaitem_unique_position",
                violation_error_message=_("Två ärenden kan inte ha samma plats i ordningen."),
            ),
            models.CheckConstraint(
                condition=Q(is_public=True) | ~Q(confidentiality_ground=""),
                name="agendaitem_confidential_has_ground",
                violation_error_message=_(
                    "Ett sekretessbelagt ärende måste ange grund för sekretess (lagrum)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class ItemDocument(models.Model):
    """A document (handling) attached to an agenda item: a file checked by its content
    (``minutes.uploads``), stored under a name that cannot collide or climb out of its folder,
    public ones in the archive and internal ones in the private storage; never served by a web
    server, only by the app after its checks. Frozen with the minutes once they are approved."""

    class Storage(models.TextChoices):
        DEFAULT = "default", _("arkivet")
        PRIVATE = "private", _("den privata lagringen")

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveIntegerField(_("ordning"))
    title = models.CharField(_("titel"), max_length=200)
    is_public = models.BooleanField(
        _("offentlig"),
        default=True,
        help_text=_("Allmänheten kan läsa den; en intern handling ses bara av rådet."),
    )
    storage = models.CharField(_("lagring"), max_length=20, choices=Storage)
    file_name = models.CharField(_("fil"), max_length=255)
    original_name = models.CharField(_("filens namn vid uppladdning"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["item", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                name="itemdocument_unique_position",
                violation_error_message=_("Två handlingar kan inte ha samma plats i ordningen."),
            ),
            models.CheckConstraint(
                condition=Q(is_public=True, storage="default")
                | Q(is_public=False, storage="private"),
                name="itemdocument_internal_is_private",
                violation_error_message=_("En intern handling ligger i den privata lagringen."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return uploads.KINDS[self.content_type].label

    @property
    def download_name(self) -> str:
        """The name it downloads under: ``verksamhetsberattelse-2019.pdf``."""
        return uploads.download_name(self.title, uploads.KINDS[self.content_type])


class AgendaItemSection(models.Model):
    """A sub-section of an item, such as one organisation's report under "Aktuell information"."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(_("ordning"))
    heading = models.CharField(_("underrubrik"), max_length=255)
    body = models.TextField(_("text"), blank=True, help_text=_("Formaterad text (sanerad HTML)."))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("underavsnitt")
        verbose_name_plural = _("underavsnitt")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                name="section_unique_position",
                violation_error_message=_("Två underavsnitt kan inte ha samma plats i ordningen."),
            ),
        ]

    def __str__(self) -> str:
        return self.heading


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
    def download_name(self) -> str:
        """``kallelse-arboga-forebyggande-radet-2020-02-24.pdf``; needs the meeting's council
        and municipality."""
        council = self.meeting.council
        return (
            f"kallelse-{council.municipality.slug}-{council.slug}-{self.meeting.date:%Y-%m-%d}.pdf"
        )


class NoticeRecipient(models.Model):
    """Who a notice went to, at which address, and when the e-mail left (or why it did not)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("uppdrag"), max_length=50)
    email = models.EmailField(_("e-postadress"), blank=True)
    emailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)

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
    number = models.CharField(max_length=10, blank=True)
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
