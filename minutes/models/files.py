"""The SHA-512 of every file the archive stores, beside the SHA-256 that names it.

Open data clients check a downloaded file against a SHA-512 (OParl's ``sha512Checksum``); the
archive names its files by SHA-256. The digest is computed once, when the file is stored
(``minutes.services.files``), and looked up by the SHA-256 that every row naming a file already
holds: one row per content, whichever rows share it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FileDigest(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    sha512 = models.CharField(_("SHA-512"), max_length=128)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    created_at = models.DateTimeField(_("beräknad"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("filens kontrollsumma")
        verbose_name_plural = _("filernas kontrollsummor")

    def __str__(self) -> str:
        return self.sha256
