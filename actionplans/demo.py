"""The demo's 2020 action plan of Förebyggande rådet, and the entry point that loads the whole
demo: this app sits on top of the others, so it can hand its goals down to the minutes."""

from __future__ import annotations

import datetime

from django.db import transaction

from actionplans.models import ActionPlan, Activity, Goal
from core import audit
from councils import demo as council_demo
from minutes import demo as minutes_demo

# (goal, description, [(activity, responsible, indicator)])
GOALS_2020 = [
    (
        "Stödja och utveckla det förebyggande ANDTS-arbetet i kommunen",
        "Alkohol, narkotika, dopning, tobak och spel ska förebyggas samordnat.",
        [
            (
                "Utreda behovet av en ANDT-samordnare",
                "Kommunstyrelseförvaltningen",
                "Ett underlag med förslag har lagts fram för rådet.",
            ),
        ],
    ),
    (
        "Samverka om förebyggande insatser för ökad trygghet i kommunen",
        "Kommunen och polisen arbetar efter en gemensam lägesbild.",
        [
            (
                "Följa upp samverkansöverenskommelsen med polisen",
                "Säkerhetssamordnaren och Polismyndigheten",
                "Överenskommelsen har följts upp vid minst två av rådets möten.",
            ),
            (
                "Genomföra Trygg handel i centrum",
                "Utvecklingscentrum",
                "Minst tio näringsidkare har deltagit.",
            ),
        ],
    ),
    (
        "Främja fysisk aktivitet bland barn och unga",
        "Fler barn och unga ska ha en meningsfull fritid.",
        [
            (
                "Erbjuda lovaktiviteter i samarbete med föreningslivet",
                "Fritids- och kulturförvaltningen",
                "Aktiviteter har erbjudits under sport-, sommar- och höstlov.",
            ),
        ],
    ),
]


def load_action_plan(demo: council_demo.DemoCouncil) -> ActionPlan:
    plan, new = ActionPlan.objects.get_or_create(
        council=demo.council,
        year=2020,
        defaults={
            "title": "Förebyggande rådets handlingsplan 2020",
            "status": ActionPlan.Status.ACTIVE,
            "introduction": (
                "Handlingsplanen anger de områden som rådet vill prioritera under året och vem som "
                "ansvarar för varje insats."
            ),
            "situation_picture": (
                "Anmälda brott ökar något. Otryggheten är störst kring stationen och vissa skolgårdar "
                "kvällstid, och problem syns i allt lägre åldrar."
            ),
        },
    )
    if not new:
        return plan
    demo.created.append("action plan 2020")
    for position, (title, description, activities) in enumerate(GOALS_2020, start=1):
        goal = Goal.objects.create(
            plan=plan, position=position, title=title, description=description
        )
        Activity.objects.bulk_create(
            Activity(
                goal=goal,
                position=n,
                title=activity,
                responsible=responsible,
                indicator=indicator,
                start_date=datetime.date(2020, 1, 1),
                end_date=datetime.date(2020, 12, 31),
            )
            for n, (activity, responsible, indicator) in enumerate(activities, start=1)
        )
    return plan


@transaction.atomic
def load_demo() -> tuple[list[str], list[tuple[str, str]]]:
    """Load the whole demo, creating only what is missing. Returns what was created and the
    demo logins (username, description)."""
    demo = council_demo.load_council()
    logins = council_demo.load_logins(demo)
    minutes_demo.load_meetings(demo, goals=[title for title, _, _ in GOALS_2020])
    load_action_plan(demo)
    if demo.created:
        audit.record("demo.load", obj=demo.council, created=demo.created)
    return demo.created, logins
