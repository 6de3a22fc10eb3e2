"""What happened at a nämnd's §: the motions (yrkanden), the votes and each member's vote,
the reservations and the disqualifications (jäv). Each row belongs to one item of one revision
and is replaced with the item when the secretary saves it (minutes.services.deliberation);
who may move, vote and reserve is who serves at the § (minutes.services.serving)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.models import Person
from minutes.models.items import AgendaItem, ItemDocument


class Motion(models.Model):
    """A yrkande: who moved what. A motion that supports another ("X yrkar bifall till Y:s
    yrkande") names it in ``supports``."""

    class Kind(models.TextChoices):
        APPROVAL = "bifall", _("bifall")
        REJECTION = "avslag", _("avslag")
        AMENDMENT = "andring", _("ändring")
        ADDITION = "tillagg", _("tillägg")
        REFERRAL = "aterremiss", _("återremiss")
        POSTPONEMENT = "bordlaggning", _("bordläggning")

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="motions"
    )
    position = models.PositiveIntegerField(_("ordning"))
    person = models.ForeignKey(
        Person, verbose_name=_("yrkande av"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind)
    text = models.TextField(_("yrkandet"), blank=True)
    supports = models.ForeignKey(
        "self",
        verbose_name=_("bifall till"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supported_by",
    )

    class Meta:
        verbose_name = _("yrkande")
        verbose_name_plural = _("yrkanden")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                name="motion_unique_position",
                violation_error_message=_("Två yrkanden kan inte ha samma plats i ordningen."),
            ),
            models.CheckConstraint(
                condition=Q(supports__isnull=True) | Q(kind="bifall"),
                name="motion_support_is_approval",
                violation_error_message=_("Bara ett bifallsyrkande stöder ett annat yrkande."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class Vote(models.Model):
    """A votering: the voting proposition ("Ja-röst för …, nej-röst för …") and the ballots."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="votes"
    )
    position = models.PositiveIntegerField(_("ordning"))
    yes_means = models.CharField(_("ja-röst för"), max_length=255)
    no_means = models.CharField(_("nej-röst för"), max_length=255)

    class Meta:
        verbose_name = _("votering")
        verbose_name_plural = _("voteringar")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                name="vote_unique_position",
                violation_error_message=_("Två voteringar kan inte ha samma plats i ordningen."),
            ),
        ]

    def __str__(self) -> str:
        return f"Ja: {self.yes_means} / Nej: {self.no_means}"


class Ballot(models.Model):
    """One serving member's vote in a votering."""

    class Choice(models.TextChoices):
        YES = "ja", _("ja")
        NO = "nej", _("nej")
        ABSTAIN = "avstar", _("avstår")

    vote = models.ForeignKey(
        Vote, verbose_name=_("votering"), on_delete=models.CASCADE, related_name="ballots"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("ledamot"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("röst"), max_length=10, choices=Choice)

    class Meta:
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        ordering = ["vote", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "person"],
                name="ballot_one_per_person",
                violation_error_message=_("En ledamot röstar en gång i en votering."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class Reservation(models.Model):
    """A member's reservation against the decision, or against one decision point; "till förmån
    för eget yrkande" when the member's own motion fell; a written reservation is a document
    attached to the §."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="reservations"
    )
    position = models.PositiveIntegerField(_("ordning"))
    person = models.ForeignKey(
        Person, verbose_name=_("reservant"), on_delete=models.PROTECT, related_name="+"
    )
    against = models.CharField(
        _("mot"),
        max_length=150,
        blank=True,
        help_text=_("Tomt för hela beslutet, annars till exempel ”beslutspunkt 2”."),
    )
    for_own_motion = models.BooleanField(_("till förmån för eget yrkande"), default=False)
    document = models.ForeignKey(
        ItemDocument,
        verbose_name=_("skriftlig reservation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservationer")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"],
                name="reservation_unique_position",
                violation_error_message=_("Två reservationer kan inte ha samma plats i ordningen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} reserverar sig"


class Disqualification(models.Model):
    """Jäv: a member who leaves the §; the substitute who steps in serves for that § only."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("ärende"),
        on_delete=models.CASCADE,
        related_name="disqualifications",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("jävig ledamot"), on_delete=models.PROTECT, related_name="+"
    )
    substitute = models.ForeignKey(
        Person,
        verbose_name=_("tjänstgör i stället"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                name="disqualification_once_per_item",
                violation_error_message=_("Jävet är redan antecknat."),
            ),
            models.CheckConstraint(
                condition=Q(substitute__isnull=True) | ~Q(substitute=models.F("person")),
                name="disqualification_other_substitute",
                violation_error_message=_("Den jävige kan inte ersätta sig själv."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: jäv"
