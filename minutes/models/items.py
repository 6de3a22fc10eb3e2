"""An agenda item of the minutes, its sub-sections and the documents attached to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minutes import uploads
from minutes.models.meetings import Minutes


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
    # A nämnd's item is a paragraph (§), numbered through the calendar year per council
    # (minutes.services.paragraphs). Every revision keeps its §; the council and year are set
    # on the items of a meeting's newest minutes only, so that the unique constraint below
    # covers exactly the §§ in force: no two meetings of a council hold one § in a year.
    paragraph = models.PositiveIntegerField(_("paragraf"), null=True, blank=True)
    paragraph_council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("paragrafens nämnd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paragraph_year = models.PositiveSmallIntegerField(_("paragrafens år"), null=True, blank=True)
    # A nämnd's § has structured parts, each optional and shown only when filled
    # (minutes.services.drafting.item_save). The rich-text body is the ärendebeskrivning; the
    # decision points are the § decision, and ``decision`` keeps them as text, a line each,
    # for whatever reads an item's decision (search, the chair's list of changes).
    case_number = models.CharField(
        _("diarienummer"), max_length=40, blank=True, help_text=_("Till exempel ”KS 2020/123”.")
    )
    basis = models.JSONField(
        _("beslutsunderlag"),
        default=list,
        blank=True,
        help_text=_(
            "Handlingarna beslutet grundar sig på: titel och datum (ÅÅÅÅ-MM-DD eller tomt)."
        ),
    )
    proposal = models.TextField(_("förslag till beslut"), blank=True)
    decision_points = models.JSONField(
        _("beslutspunkter"), default=list, blank=True, help_text=_("Beslutet i numrerade punkter.")
    )
    # the order the chair put the motions and the finding ("Ordföranden ställer proposition på
    # … och finner att nämnden beslutar enligt …"), proposed from the motions and editable
    proposition = models.TextField(_("proposition"), blank=True)
    protocol_note = models.TextField(_("protokollsanteckning"), blank=True)
    recipients = models.JSONField(
        _("beslutet skickas till"), default=list, blank=True, help_text=_("Namn eller enheter.")
    )
    immediate_adjustment = models.BooleanField(_("omedelbar justering"), default=False)

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
            models.UniqueConstraint(
                fields=["paragraph_council", "paragraph_year", "paragraph"],
                name="agendaitem_paragraph_unique_in_year",
                condition=Q(paragraph_council__isnull=False),
                violation_error_message=_("Nämnden har redan den paragrafen det året."),
            ),
            models.CheckConstraint(
                condition=Q(paragraph_council__isnull=True)
                | Q(paragraph__isnull=False, paragraph_year__isnull=False),
                name="agendaitem_paragraph_complete",
                violation_error_message=_("En paragraf i kraft anger nummer och år."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}" if self.label else self.title

    @property
    def label(self) -> str:
        """The number as printed: "3." for a råd's item, "§ 12" or "KS § 12" for a nämnd's."""
        if self.paragraph is not None:
            from minutes.services.paragraphs import paragraph_label

            return paragraph_label(self.minutes.meeting.council.paragraph_prefix, self.paragraph)
        return f"{self.number}." if self.number else ""


class ParagraphRenumbering(models.Model):
    """A nämnd's draft renumbered because an earlier meeting of the year got more (or fewer)
    §§: its first § before and after, for the notice to the secretary. Rows are only added by
    whoever renumbers (a row refers to the draft without locking it, so a writer holding
    the draft never waits for the renumberer in turn), and the draft's rows go when the
    secretary next changes its §§ (minutes.services.paragraphs)."""

    minutes = models.ForeignKey(
        Minutes,
        verbose_name=_("protokoll"),
        on_delete=models.CASCADE,
        related_name="renumberings",
    )
    first_before = models.PositiveIntegerField(_("första paragraf före"))
    first_after = models.PositiveIntegerField(_("första paragraf efter"))
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("omnumrering av paragrafer")
        verbose_name_plural = _("omnumreringar av paragrafer")
        ordering = ["minutes", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.minutes}: § {self.first_before} → § {self.first_after}"


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
