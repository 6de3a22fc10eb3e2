"""The public record as OParl objects, kept ready to serve.

Every object the API serves is built once, when what it says changes (``opendata.services``),
and stored here as the JSON the API sends: a list page is one query over this table and an
object one row, whatever the size of the archive; ``created`` and ``modified`` are the times the
object first appeared and last changed here, so that ``modified_since`` finds every change; an
object that is no longer public stays as a tombstone (``deleted``) so that clients that
synchronise forget it (OParl 1.1, "Gelöschte Objekte")."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    BODY = "body", "Body"
    LEGISLATIVE_TERM = "legislativeterm", "LegislativeTerm"
    ORGANIZATION = "organization", "Organization"
    PERSON = "person", "Person"
    MEMBERSHIP = "membership", "Membership"
    MEETING = "meeting", "Meeting"
    AGENDA_ITEM = "agendaitem", "AgendaItem"
    FILE = "file", "File"
    LOCATION = "location", "Location"


class OParlObject(models.Model):
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    key = models.CharField(_("nyckel"), max_length=64)  # the last segment of its URL
    # whose lists the object is in: its body, and for a meeting its organisation. No database
    # constraint: a deleted council or municipality leaves its objects as tombstones (OParl:
    # an object's address never turns into a 404), rebuilt by its scope.
    body = models.ForeignKey(
        "councils.Municipality",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    organization = models.ForeignKey(
        "councils.Council",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    # the part of the source it was built from (a meeting's objects are rebuilt together)
    scope = models.CharField(_("källa"), max_length=40)
    # the object exactly as the API sends it, as JSON text: a list page joins these without
    # decoding them (ids are absolute URLs made from SITE_URL: a new SITE_URL rebuilds all)
    document = models.TextField(_("innehåll"))
    # a hash of the object's properties as built, apart from its times: what tells a change
    etag = models.CharField(max_length=32)
    created = models.DateTimeField(_("skapad"))
    modified = models.DateTimeField(_("ändrad"))
    deleted = models.BooleanField(_("borttagen"), default=False)

    class Meta:
        verbose_name = _("OParl-objekt")
        verbose_name_plural = _("OParl-objekt")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="oparlobject_unique_key"),
        ]
        indexes = [
            # a list page: by body (or organisation) and type, in the order of the primary key
            models.Index(fields=["body", "kind", "id"], name="oparlobject_list_idx"),
            models.Index(fields=["organization", "kind", "id"], name="oparlobject_org_list_idx"),
            models.Index(fields=["scope"], name="oparlobject_scope_idx"),
            models.Index(fields=["modified"], name="oparlobject_modified_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.key}"


class PendingRefresh(models.Model):
    """A scope of the source that changed since its objects were built (``opendata.services``)."""

    scope = models.CharField(max_length=40, primary_key=True)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("väntande uppdatering")
        verbose_name_plural = _("väntande uppdateringar")

    def __str__(self) -> str:
        return self.scope


class OpenDataExport(models.Model):
    """A bulk download of every public object, published as one zip archive (``opendata.export``);
    the "Öppna data" page offers the newest."""

    name = models.CharField(_("fil"), max_length=255)  # in the published storage
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    counts = models.JSONField(_("antal objekt per typ"), default=dict)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("export av öppna data")
        verbose_name_plural = _("exporter av öppna data")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
