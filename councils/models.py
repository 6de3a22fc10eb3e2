"""Who meets: municipalities, their councils and committees, people and their memberships.

The shape follows OParl 1.1 (Body, Organization, Person, Membership with role and period).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.terms import COMMITTEE_TERMS, COUNCIL_TERMS, Terms

# First path segments the site itself uses; a municipality with such a slug would be unreachable.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "konto",
        "arbete",
        "static",
        "media",
        "filer",
        "api",
        "sok",
        "flode",
        "om",
        "tillganglighet",
        "oparl",
        "oppna-data",
        "bevaka",
    }
)


def language_prefixes() -> frozenset[str]:
    """The public pages' language prefixes (/en/…, config/urls.py' i18n_patterns), one for
    each of settings.LANGUAGES: a language added there reserves its code as well."""
    return frozenset(code.lower() for code, _name in settings.LANGUAGES)


# Second path segments a municipality's own pages use (/<kommun>/anslagstavla/): a council
# with such a slug would be unreachable.
RESERVED_COUNCIL_SLUGS = frozenset({"anslagstavla"})


# Creative Commons Zero: the default licence of a municipality's open data (lag 2022:818 asks
# that data be reusable with as few conditions as possible).
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def validate_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS | language_prefixes():
        raise ValidationError(
            _("”%(value)s” används redan av webbplatsen. Välj ett annat kortnamn."),
            code="reserved",
            params={"value": value},
        )


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=100, help_text=_("Till exempel ”Arboga kommun”."))
    slug = models.SlugField(
        _("kortnamn i adressen"), max_length=60, unique=True, validators=[validate_not_reserved]
    )
    place_name = models.CharField(
        _("ortnamn"),
        max_length=60,
        help_text=_("Används i protokollets avslutningsrad, till exempel ”Arboga den 24/2- 2020”."),
    )
    open_data_license = models.URLField(
        _("licens för öppna data"),
        default=CC0,
        blank=True,
        help_text=_(
            "Licensen för det som kommunens råd och nämnder publicerar som öppna data (API och "
            "nedladdning), som en adress. Tom betyder CC0, som inte begränsar någon "
            "användning."
        ),
    )
    privacy_contact = models.TextField(
        _("kontakt i dataskyddsfrågor"),
        blank=True,
        help_text=_(
            "Vart den som bevakar kommunens råd och nämnder vänder sig med frågor om sina "
            "personuppgifter: kommunens adress och e-post, och dataskyddsombudets. Visas i "
            "integritetstexten för bevakningar."
        ),
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def license_url(self) -> str:
        """The licence of the municipality's open data: the one it set, else CC0."""
        return self.open_data_license or CC0


validate_paragraph_prefix = RegexValidator(
    r"^[^\W_]{1,10}\Z",
    _("Prefixet får bara innehålla bokstäver och siffror, högst 10 tecken, till exempel ”KS”."),
    code="invalid_prefix",
)


class Council(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("Råd")
        COMMITTEE = "committee", _("Nämnd")

    class DocumentTitle(models.TextChoices):
        NOTES = "Minnesanteckningar", _("Minnesanteckningar")
        PROTOCOL = "Protokoll", _("Protokoll")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField(_("namn"), max_length=150)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=80)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, default=Kind.COUNCIL)
    description = models.TextField(_("beskrivning"), blank=True)
    default_place = models.CharField(_("vanlig mötesplats"), max_length=150, blank=True)
    usual_start_time = models.TimeField(
        _("vanlig starttid"),
        null=True,
        blank=True,
        help_text=_("Föreslås när ett nytt möte skapas, till exempel 08.30."),
    )
    usual_end_time = models.TimeField(
        _("vanlig sluttid"),
        null=True,
        blank=True,
        help_text=_("Föreslås när ett nytt möte skapas, till exempel 10.30."),
    )
    document_title = models.CharField(
        _("dokumentets titel"),
        max_length=30,
        choices=DocumentTitle,
        default=DocumentTitle.NOTES,
        help_text=_("Ett råd skriver minnesanteckningar, en nämnd protokoll."),
    )
    paragraph_prefix = models.CharField(
        _("prefix för paragrafer"),
        max_length=10,
        blank=True,
        validators=[validate_paragraph_prefix],
        help_text=_(
            "För en nämnd: visas före paragrafens nummer, till exempel ”KS” i ”KS § 12”. "
            "Bokstäver och siffror, högst 10 tecken."
        ),
    )
    record_kept_at = models.CharField(
        _("förvaringsplats för protokollet"),
        max_length=255,
        blank=True,
        help_text=_(
            "För en nämnd: var det justerade protokollet förvaras, som anslaget anger, till "
            "exempel ”Kommunledningskontoret, Rådhuset, Arboga”."
        ),
    )

    class Meta:
        verbose_name = _("råd eller nämnd")
        verbose_name_plural = _("råd och nämnder")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="council_slug_unique_in_municipality",
                violation_error_message=_(
                    "Kommunen har redan ett råd eller en nämnd med det kortnamnet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(usual_start_time__isnull=True)
                | Q(usual_end_time__isnull=True)
                | Q(usual_end_time__gt=F("usual_start_time")),
                name="council_usual_end_after_start",
                violation_error_message=_("Den vanliga sluttiden måste vara efter starttiden."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A nämnd writes a protokoll (Kommunallagen 5 kap. 64 §, 6 kap. 35 §): a nämnd set
        up with the råd's default title gets the protokoll's. A slug the municipality's own
        pages use (``RESERVED_COUNCIL_SLUGS``) is refused."""
        super().clean()
        if self.slug and self.slug.lower() in RESERVED_COUNCIL_SLUGS:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        _(
                            "”%(value)s” används redan av kommunens sidor, till exempel "
                            "anslagstavlan. Välj ett annat kortnamn."
                        ),
                        code="reserved",
                        params={"value": self.slug},
                    )
                }
            )
        if self.kind == self.Kind.COMMITTEE and self.document_title == self.DocumentTitle.NOTES:
            self.document_title = self.DocumentTitle.PROTOCOL

    @property
    def numbers_paragraphs(self) -> bool:
        """A nämnd's items are paragraphs (§§) numbered through the calendar year."""
        return self.kind == self.Kind.COMMITTEE

    @property
    def terms(self) -> Terms:
        """The words for the council's document and its approval: a nämnd's protokoll is
        justerat where a råd's minnesanteckningar are godkända (``councils.terms``)."""
        return COMMITTEE_TERMS if self.kind == self.Kind.COMMITTEE else COUNCIL_TERMS


class Person(models.Model):
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användarkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_email(self) -> str:
        """Where e-mail to the person goes: their own address, else their account's, else ""."""
        return self.email or (self.user.email if self.user_id else "")


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships in force on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("ordförande")
        VICE_CHAIR = "vice_chair", _("vice ordförande")
        MEMBER = "member", _("ledamot")
        SUBSTITUTE = "substitute", _("ersättare")
        REPRESENTATIVE = "representative", _("rådsrepresentant")
        SECRETARY = "secretary", _("sekreterare")

    # Roles of elected politicians, listed under "Ledamöter" with their party.
    ELECTED_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.SUBSTITUTE)

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("råd eller nämnd"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role)
    party = models.CharField(
        _("parti"), max_length=20, blank=True, help_text=_("Till exempel M, C, S.")
    )
    title = models.CharField(
        _("titel"), max_length=100, blank=True, help_text=_("Till exempel ”Kommunpolis”.")
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=150,
        blank=True,
        help_text=_("Till exempel ”Polismyndigheten”."),
    )
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"), null=True, blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["council", "position", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "council", "role", "start_date"],
                name="membership_unique_role_period",
                violation_error_message=_(
                    "Personen har redan den rollen i rådet från samma datum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]
        indexes = [
            models.Index(fields=["council", "role"], name="membership_council_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"

    @property
    def is_elected(self) -> bool:
        return self.role in self.ELECTED_ROLES

    @property
    def label(self) -> str:
        """What the minutes print before a representative's name: title, else organisation."""
        return self.title or self.organisation
