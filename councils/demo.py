"""Demo data for the councils app: Arboga kommun, Förebyggande rådet, its people and logins.

The names, parties, titles and organisations are those of the council's minutes of 24 February
2020; everything else is written for the demo. Every function is idempotent: it finds what
exists by its natural key and creates only what is missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from councils.models import Council, Membership, Municipality, Person

DEMO_PASSWORD = "protokollet-demo"  # noqa: S105  (printed by `make run`; demo only)
TERM_START = datetime.date(2019, 1, 1)

Role = Membership.Role

# (name, party, role)
ELECTED = [
    ("Anders Röhfors", "M", Role.CHAIR),
    ("Hans Ivarsson", "C", Role.MEMBER),
    ("Kerstin Rosenkvist", "S", Role.MEMBER),
]
# (title, organisation, name): the minutes print the title if there is one, else the organisation.
REPRESENTATIVES = [
    ("Bitr lokalpolisområdeschef", "Polismyndigheten", "Anton Breznik"),
    ("Kommunpolis", "Polismyndigheten", "Stefan Persson"),
    ("Säkerhetssamordnare", "", "Andreas Ahlsén"),
    ("", "Utvecklingscentrum", "Tobias Gillberg"),
    ("", "Kommunstyrelseförvaltningen", "Henrik Syrjälä"),
    ("", "Socialförvaltningen", "Eva Lagerström"),
    ("", "Rådhuset i Arboga AB", "Patrik Ahlberg"),
    ("", "Barn- och utbildningsförvaltningen", "Per Gamaliesson"),
    ("", "Fritids- och kulturförvaltningen", "Måns von Stedingk"),
]
SECRETARY = "Måns von Stedingk"

# (username, person name or None, superuser, description shown by `make run`)
LOGINS = [
    ("sekreterare", "Måns von Stedingk", False, "sekreterare i Förebyggande rådet"),
    ("ordforande", "Anders Röhfors", False, "ordförande i Förebyggande rådet"),
    ("ledamot", "Hans Ivarsson", False, "ledamot i Förebyggande rådet"),
    ("admin", None, True, "systemförvaltare (Django admin)"),
]


@dataclass
class DemoCouncil:
    municipality: Municipality
    council: Council
    people: dict[str, Person]
    memberships: dict[tuple[str, str], Membership]
    created: list[str] = field(default_factory=list)


def _email(name: str) -> str:
    local = name.lower().replace(" ", ".")
    for src, dst in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        local = local.replace(src, dst)
    return f"{local}@example.org"


def load_council() -> DemoCouncil:
    created: list[str] = []

    municipality, new = Municipality.objects.get_or_create(
        slug="arboga",
        defaults={
            "name": "Arboga kommun",
            "place_name": "Arboga",
            # the demo's own, on example.org like every demo address
            "privacy_contact": (
                "Arboga kommun, kommunstyrelsen, e-post registrator@example.org. "
                "Dataskyddsombudet nås på dataskyddsombud@example.org."
            ),
        },
    )
    if new:
        created.append("municipality")
    council, new = Council.objects.get_or_create(
        municipality=municipality,
        slug="forebyggande-radet",
        defaults={
            "name": "Förebyggande rådet",
            "kind": Council.Kind.COUNCIL,
            "document_title": Council.DocumentTitle.NOTES,
            "default_place": "Kommunstyrelsesalen",
            "usual_start_time": datetime.time(8, 30),
            "usual_end_time": datetime.time(10, 30),
            "description": (
                "Rådet samordnar kommunens, polisens och andra aktörers brottsförebyggande och "
                "trygghetsskapande arbete i Arboga."
            ),
        },
    )
    if new:
        created.append("council")
    elif council.usual_start_time is None and council.usual_end_time is None:
        # a demo database from before councils had usual times
        council.usual_start_time, council.usual_end_time = (
            datetime.time(8, 30),
            datetime.time(10, 30),
        )
        council.save(update_fields=["usual_start_time", "usual_end_time"])

    people: dict[str, Person] = {}
    names = [n for n, _, _ in ELECTED] + [n for _, _, n in REPRESENTATIVES]
    for name in names:
        person, new = Person.objects.get_or_create(name=name, defaults={"email": _email(name)})
        people[name] = person
        if new:
            created.append(f"person {name}")

    memberships: dict[tuple[str, str], Membership] = {}

    def member(name: str, role: str, position: int, **extra: str) -> None:
        membership, new = Membership.objects.get_or_create(
            person=people[name],
            council=council,
            role=role,
            start_date=TERM_START,
            defaults={"position": position, **extra},
        )
        memberships[(name, role)] = membership
        if new:
            created.append(f"membership {name} {role}")

    for position, (name, party, role) in enumerate(ELECTED):
        member(name, role, position, party=party)
    for position, (title, organisation, name) in enumerate(REPRESENTATIVES, start=10):
        member(name, Role.REPRESENTATIVE, position, title=title, organisation=organisation)
    member(SECRETARY, Role.SECRETARY, 50)

    return DemoCouncil(municipality, council, people, memberships, created)


def load_logins(demo: DemoCouncil) -> list[tuple[str, str]]:
    """Create the demo accounts (password set only when an account is new) and link them to
    their people. Returns (username, description) pairs for printing."""
    User = get_user_model()
    for username, person_name, superuser, _description in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=superuser, is_superuser=superuser)
            if person_name:
                first, _, last = person_name.partition(" ")
                user.first_name, user.last_name = first, last
                user.email = demo.people[person_name].email
            user.set_password(DEMO_PASSWORD)
            user.save()
            demo.created.append(f"user {username}")
        if person_name:
            person = demo.people[person_name]
            if person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])
                demo.created.append(f"login link {username}")
    return [(username, description) for username, _, _, description in LOGINS]
