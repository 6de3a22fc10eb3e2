from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One line of the append-only audit log: who did what to which object, when, from where.

    Rows are written only through :func:`core.audit.record`; nothing updates or deletes them.
    ``actor_name`` keeps the user name even if the account is later removed.
    """

    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("användarnamn"), max_length=150, blank=True)
    action = models.CharField(_("händelse"), max_length=64, db_index=True)
    object_type = models.CharField(_("objekttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=200, blank=True)
    council_name = models.CharField(
        _("råd eller nämnd"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Rådet eller nämnden händelsen gäller, när den gäller ett."),
    )
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    data = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        who = self.actor_name or "–"
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_repr}".strip()


class PublicGeneration(models.Model):
    """One row: the public generation of ``core.pagecache``, a new random value after every
    committed write to what the public pages are built from. Written and read by that module's
    SQL only."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("de publika sidornas generation")
        verbose_name_plural = _("de publika sidornas generation")

    def __str__(self) -> str:
        return str(self.value)
