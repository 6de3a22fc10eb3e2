"""Bevakning: residents who follow a council, a search or an anslagstavla by e-mail.

Only the address and what it follows are kept (GDPR: data minimisation). A subscription is
requested with an address alone and stays unconfirmed, and sends nothing but its confirmation,
until the link in that e-mail is followed (double opt-in); one left unconfirmed for
``CONFIRM_WITHIN`` is deleted, and so is an address whose last subscription ends. What a new
protokoll or announcement means to a subscription is an ``Alert``; an address's alerts go out
together as one ``Digest``, an e-mail delivered once (``core.delivery``).
"""

from __future__ import annotations

import datetime
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.delivery import DeliveryFields
from councils.models import Council, Municipality

# How long a confirmation link holds; an unconfirmed request is deleted after it.
CONFIRM_WITHIN = datetime.timedelta(hours=48)


def new_key() -> str:
    """A link's secret: 256 random bits, which nobody guesses."""
    return secrets.token_urlsafe(32)


def mask(address: str) -> str:
    """``a•••@e•••.se``: enough for an administrator to tell addresses apart, not to read one."""
    local, _at, domain = address.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    return f"{local[:1]}•••@{name[:1]}•••{dot}{tld}"


class Subscriber(models.Model):
    """An e-mail address that follows something, and its secret: the key in the links of every
    e-mail it is sent, which lead to its subscriptions and end them without signing in."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Högst ett e-postmeddelande om dagen, en sammanfattning på morgonen")
        IMMEDIATE = "immediate", _("Ett e-postmeddelande så snart något nytt har kommit")

    email = models.EmailField(_("e-postadress"), unique=True)
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    frequency = models.CharField(
        _("hur ofta"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    created_at = models.DateTimeField(_("anmäld"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bevakare")
        verbose_name_plural = _("bevakare")

    def __str__(self) -> str:
        return mask(self.email)


class Subscription(models.Model):
    """What one address follows: a council's approved minutes, a saved search (everywhere or
    within one council) or a municipality's anslagstavla. Its key is the confirmation link's."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Råd eller nämnd")
        SEARCH = "search", _("Sökning")
        NOTICEBOARD = "noticeboard", _("Anslagstavla")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices)
    council = models.ForeignKey(
        Council,
        verbose_name=_("råd eller nämnd"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    query = models.CharField(_("sökord"), max_length=200, blank=True)
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("begärd"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="subscription_has_its_target",
                condition=(
                    Q(kind="council", council__isnull=False, municipality__isnull=True, query="")
                    | Q(kind="search", municipality__isnull=True) & ~Q(query="")
                    | Q(
                        kind="noticeboard",
                        council__isnull=True,
                        municipality__isnull=False,
                        query="",
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["subscriber", "council"],
                condition=Q(kind="council"),
                name="subscription_one_per_council",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "municipality"],
                condition=Q(kind="noticeboard"),
                name="subscription_one_per_noticeboard",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "council", "query"],
                condition=Q(kind="search", council__isnull=False),
                name="subscription_one_per_council_search",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "query"],
                condition=Q(kind="search", council__isnull=True),
                name="subscription_one_per_search",
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "created_at"], name="subscription_age")]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """What is followed, as the pages and e-mails say it."""
        if self.kind == self.Kind.NOTICEBOARD:
            return _("%(name)ss anslagstavla") % {"name": self.municipality.name}
        if self.kind == self.Kind.SEARCH:
            if self.council_id is None:
                return _("Sökningen ”%(q)s” i alla kommuner") % {"q": self.query}
            return _("Sökningen ”%(q)s” i %(name)s, %(municipality)s") % {
                "q": self.query,
                "name": self.council.name,
                "municipality": self.council.municipality.name,
            }
        return _("%(name)s, %(municipality)s") % {
            "name": self.council.name,
            "municipality": self.council.municipality.name,
        }

    def expires_at(self) -> datetime.datetime:
        return self.created_at + CONFIRM_WITHIN


class RequestEmail(DeliveryFields):
    """The e-mail a request sends (the confirmation link, or word that the address already
    follows it), delivered once like a digest, and forgotten after a day."""

    class What(models.TextChoices):
        CONFIRM = "confirm", _("bekräftelse")
        ALREADY = "already", _("redan bevakad")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="request_emails"
    )
    what = models.CharField(max_length=10, choices=What.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("e-post om en anmälan")
        verbose_name_plural = _("e-post om anmälningar")

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.what}"


class Digest(DeliveryFields):
    """One e-mail to one address with its alerts, delivered once (``core.delivery``)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="digests")
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        indexes = [models.Index(fields=["delivery", "next_attempt_at"], name="digest_due")]


class Alert(models.Model):
    """What a new approved revision (its public §§ or items, with the words found) or a new
    announcement on the anslagstavla means to one subscription; sent in the address's next
    digest, unless it is no longer public by then."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="alerts")
    revision = models.ForeignKey(
        "minutes.ApprovedRevision", null=True, on_delete=models.CASCADE, related_name="+"
    )
    announcement = models.ForeignKey(
        "minutes.Announcement", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # the items shown: {"label", "title", "snippet", "url"}, the words found marked
    # (minutes.search.START/STOP)
    hits = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    # deleted with its digest: an alert that lost its digest would wait to be sent again
    digest = models.ForeignKey(Digest, null=True, on_delete=models.CASCADE, related_name="alerts")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "revision"], name="alert_once_per_revision"
            ),
            models.UniqueConstraint(
                fields=["subscription", "announcement"], name="alert_once_per_announcement"
            ),
            models.CheckConstraint(
                name="alert_of_one_thing",
                condition=Q(revision__isnull=False, announcement__isnull=True)
                | Q(revision__isnull=True, announcement__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.revision_id or self.announcement_id}"


class Attempt(models.Model):
    """A request to subscribe, for the rate limits: a keyed hash of the address or of the
    client's IP address (never either in the clear), kept ``alerts.services.LIMIT_WINDOW``."""

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.at:%Y-%m-%d %H:%M}"
