"""The demo's 2020 action plan of Förebyggande rådet and the year around it, and the entry point
that loads the whole demo (this app sits on top of the others).

The plan is adopted by item 3 of the meeting of 24 February 2020 (its goals copied into the
item), followed up at the meetings of May, September and November, reported on in the 2020
annual report, and both the report and the 2021 plan are adopted on 22 February 2021. Everything
goes through the services, as a secretary's clicks would; the minutes are approved on paper a
week after each meeting. The texts are written for the demo."""

from __future__ import annotations

import datetime

from django.db import transaction

from actionplans import services
from actionplans.models import ActionPlan, Activity, AnnualReport
from core import audit
from councils import demo as council_demo
from minutes import demo as minutes_demo
from minutes import demo_committee
from minutes import services as minutes_services
from minutes.models import AgendaItem, AgendaItemSection, Meeting, Minutes
from minutes.pdf import memoized_renders

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


PLAN_TITLE = "Förebyggande rådets handlingsplan 2020"
INTRODUCTION = (
    "Handlingsplanen anger de områden som rådet vill prioritera under året och vem som ansvarar "
    "för varje insats."
)
SITUATION = (
    "Anmälda brott ökar något. Otryggheten är störst kring stationen och vissa skolgårdar "
    "kvällstid, och problem syns i allt lägre åldrar."
)

# The meetings after February 2020: date, what the secretary wrote under the standing items,
# and the follow-ups (activity, new status, what was said).
FOLLOW_UP_BODY = "Säkerhetssamordnaren går igenom handlingsplanens insatser."
LATER_MEETINGS = [
    (
        datetime.date(2020, 5, 11),
        {
            "Socialförvaltningen": "Samarbetet i SIG-grupperna har fortsatt under våren, med "
            "två nya ärenden sedan förra mötet.",
            "Utvecklingscentrum": "Anmälan till utbildningen i Trygg handel är öppen för "
            "näringsidkarna i centrum.",
            "crime": "Polisen redovisar färre anmälda inbrott än samma period förra året.",
        },
        [
            (
                "Utreda behovet av en ANDT-samordnare",
                Activity.Status.ONGOING,
                "Kommunstyrelseförvaltningen tar fram ett underlag som redovisas i höst.",
            ),
            (
                "Följa upp samverkansöverenskommelsen med polisen",
                Activity.Status.ONGOING,
                "Överenskommelsen följdes upp vid dagens möte.",
            ),
            (
                "Genomföra Trygg handel i centrum",
                Activity.Status.ONGOING,
                "Elva näringsidkare har anmält sig till utbildningen i juni.",
            ),
        ],
    ),
    (
        datetime.date(2020, 9, 21),
        {
            "Fritids- och kulturförvaltningen": "Sommarlovets aktiviteter samlade många unga, "
            "och föreningarna vill fortsätta under höstlovet.",
            "crime": "Skadegörelsen kring skolgårdarna har minskat under sommaren.",
        },
        [
            (
                "Utreda behovet av en ANDT-samordnare",
                Activity.Status.DONE,
                "Underlaget är klart; frågan tas upp i budgeten för 2021.",
            ),
            (
                "Följa upp samverkansöverenskommelsen med polisen",
                Activity.Status.DONE,
                "Överenskommelsen har följts upp vid två av rådets möten.",
            ),
            (
                "Genomföra Trygg handel i centrum",
                Activity.Status.DONE,
                "Fjorton näringsidkare gick utbildningen.",
            ),
            (
                "Erbjuda lovaktiviteter i samarbete med föreningslivet",
                Activity.Status.ONGOING,
                "Sport- och sommarlovet är genomförda; höstlovet planeras.",
            ),
        ],
    ),
    (
        datetime.date(2020, 11, 23),
        {
            "Socialförvaltningen": "Förvaltningen ser fler yngre i de ärenden som rör "
            "narkotika och vill arbeta mer med föräldrarna.",
            "crime": "Polisen beskriver läget som lugnt inför julhandeln.",
        },
        [
            (
                "Erbjuda lovaktiviteter i samarbete med föreningslivet",
                Activity.Status.ONGOING,
                "Höstlovet är genomfört; arbetet fortsätter i nästa års plan.",
            ),
        ],
    ),
]
REPORT_MEETING = datetime.date(2021, 2, 22)
REPORT_INTRODUCTION = (
    "Förebyggande rådet samlar kommunens förvaltningar, bolag och polisen kring det "
    "brottsförebyggande och trygghetsskapande arbetet. Här redovisas rådets arbete under 2020."
)


def load_action_plan(demo: council_demo.DemoCouncil) -> ActionPlan:
    """The 2020 plan with its three goals and their activities (through the services)."""
    plan = ActionPlan.objects.filter(council=demo.council, year=2020).first()
    if plan is not None:
        return plan
    plan = services.plan_create(council=demo.council, year=2020, actor=None)
    services.plan_update(
        plan=plan,
        title=PLAN_TITLE,
        introduction=INTRODUCTION,
        situation_picture=SITUATION,
        actor=None,
    )
    for title, description, activities in GOALS_2020:
        goal = services.goal_create(plan=plan, title=title, description=description, actor=None)
        for activity, responsible, indicator in activities:
            services.activity_create(
                goal=goal,
                actor=None,
                title=activity,
                responsible=responsible,
                indicator=indicator,
                start_date=datetime.date(2020, 1, 1),
                end_date=datetime.date(2020, 12, 31),
            )
    demo.created.append("action plan 2020")
    return plan


def _adopt_in_item_three(plan: ActionPlan):
    """For the reference meeting's new minutes: item 3 adopts the plan."""

    def link(minutes: Minutes) -> None:
        item = minutes.items.get(title=PLAN_TITLE)
        services.link_plan(item=item, plan=plan, actor=None)

    return link


def _write(minutes: Minutes, texts: dict[str, str]) -> None:
    """The secretary's texts: a sub-section's by its heading, "crime" for the crime item."""
    for heading, text in texts.items():
        if heading == "crime":
            AgendaItem.objects.filter(
                minutes=minutes, title__startswith="Aktuell information om brott"
            ).update(body=minutes_demo.paragraphs(text))
        else:
            AgendaItemSection.objects.filter(item__minutes=minutes, heading=heading).update(
                body=minutes_demo.paragraphs(text)
            )
    AgendaItem.objects.filter(minutes=minutes, title="Övriga frågor").update(
        body=minutes_demo.paragraphs("Inga övriga frågor tas upp.")
    )


def _new_minutes(demo: council_demo.DemoCouncil, date: datetime.date) -> Minutes | None:
    """Draft minutes of a held meeting from the standing agenda; None if it is there already."""
    if Meeting.objects.filter(council=demo.council, date=date).exists():
        return None
    meeting = minutes_demo.held_meeting(demo, date)
    minutes = minutes_services.minutes_start(meeting=meeting, actor=None)
    demo.created.append(f"minutes {date}")
    return minutes


def load_follow_ups(demo: council_demo.DemoCouncil, plan: ActionPlan) -> None:
    activities = {a.title: a.pk for a in Activity.objects.filter(goal__plan=plan)}
    for date, texts, follow_ups in LATER_MEETINGS:
        minutes = _new_minutes(demo, date)
        if minutes is None:
            continue
        _write(minutes, texts)
        item = minutes.items.get(title=services.FOLLOW_UP_TITLE)
        AgendaItem.objects.filter(pk=item.pk).update(
            body=minutes_demo.paragraphs(FOLLOW_UP_BODY), decision="Informationen noteras."
        )
        services.link_follow_up(item=item, plan=plan, actor=None)
        services.follow_ups_save(
            item=item,
            entries=[
                services.FollowUpInput(activities[title], status, text)
                for title, status, text in follow_ups
            ],
            actor=None,
        )
        minutes_demo.approve_on_paper(demo, minutes)


def load_report_meeting(demo: council_demo.DemoCouncil, plan: ActionPlan) -> None:
    """The 2020 report, assembled from the year, and the 2021 plan (last year's, open
    activities carried over), both adopted at the first meeting of 2021."""
    minutes = _new_minutes(demo, REPORT_MEETING)
    if minutes is None:
        return
    report = AnnualReport.objects.filter(council=demo.council, year=2020).first()
    if report is None:
        report = services.report_create(council=demo.council, year=2020, actor=None)
        services.report_update(
            report=report,
            title="Förebyggande rådets verksamhetsberättelse 2020",
            introduction=REPORT_INTRODUCTION,
            body=report.body,
            actor=None,
        )
        demo.created.append("annual report 2020")
    plan_2021 = ActionPlan.objects.filter(council=demo.council, year=2021).first()
    if plan_2021 is None:
        plan_2021 = services.plan_create(
            council=demo.council, year=2021, actor=None, copy_previous=True
        )
        services.plan_update(
            plan=plan_2021,
            title="Förebyggande rådets handlingsplan 2021",
            introduction=plan_2021.introduction,
            situation_picture=plan_2021.situation_picture,
            actor=None,
        )
        demo.created.append("action plan 2021")
    items = {item.title: item for item in minutes.items.all()}
    services.link_report(item=items["Verksamhetsberättelse 2020"], report=report, actor=None)
    AgendaItem.objects.filter(pk=items["Verksamhetsberättelse 2020"].pk).update(
        body=minutes_demo.paragraphs("Rådets verksamhetsberättelse för 2020 har sänts ut.")
    )
    services.link_plan(
        item=items["Förebyggande rådets handlingsplan 2021"], plan=plan_2021, actor=None
    )
    # the follow-up of a plan not yet adopted waits for the next meeting
    minutes_services.item_delete(item=items[services.FOLLOW_UP_TITLE], actor=None)
    _write(
        minutes,
        {"crime": "Polisen redovisar brottsutvecklingen för helåret 2020."},
    )
    minutes_demo.approve_on_paper(demo, minutes)


@transaction.atomic
def load_demo() -> tuple[list[str], list[tuple[str, str]]]:
    """Load the whole demo, creating only what is missing. Returns what was created and the
    demo logins (username, description). Its documents are the same every time, and rendered
    once per process (a test run loads the demo many times)."""
    with memoized_renders():
        return _load_demo()


def _load_demo() -> tuple[list[str], list[tuple[str, str]]]:
    demo = council_demo.load_council()
    logins = council_demo.load_logins(demo)
    minutes_demo.load_standing_agenda(demo)
    plan = load_action_plan(demo)
    minutes_demo.load_meetings(demo, before_approval=_adopt_in_item_three(plan))
    load_follow_ups(demo, plan)
    load_report_meeting(demo, plan)
    minutes_demo.load_coming_meeting(demo)
    logins += demo_committee.load_committee_demo(demo)
    if demo.created:
        audit.record("demo.load", obj=demo.council, created=demo.created)
    return demo.created, logins
