"""Demo meetings of Förebyggande rådet: 26 November 2019, 24 February 2020 (seven items, item 5
with seven sub-sections) and one coming meeting. The texts are written for the demo in the
register of the council's minutes. Idempotent, like :mod:`councils.demo`."""

from __future__ import annotations

import datetime
from html import escape

from django.utils import timezone

from core.dates import long_date
from councils.demo import DemoCouncil
from councils.models import Membership
from minutes.models import (
    AgendaItem,
    AgendaItemSection,
    ApprovedRevision,
    Attendance,
    Meeting,
    Minutes,
    StandingItem,
)
from minutes.services import drop_empty_sections, record_historical_revision

PREVIOUS = datetime.date(2019, 11, 26)
REFERENCE = datetime.date(2020, 2, 24)
START, END = datetime.time(8, 30), datetime.time(10, 30)


def paragraphs(*texts: str) -> str:
    """Plain sentences as the HTML of an item's text."""
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


SECTIONS_2020 = [
    (
        "Kommunstyrelseförvaltningen",
        paragraphs(
            "Organisationen för brandskydd ses över. Översynen börjar i Rådhuset och fortsätter "
            "sedan i kommunens övriga lokaler.",
            "Tillsammans med räddningstjänsten planeras ett förebyggande arbete där flera aktörer "
            "deltar. Efter bolagiseringen av den tekniska förvaltningen gås avtalen igenom, bland "
            "annat avtalet med SOS.",
        ),
    ),
    (
        "Socialförvaltningen",
        paragraphs(
            "SIG-arbetet har prioriterats och tre ärenden har inletts. SIG-samordnarna lyfter hur "
            "mycket samverkan ger i det enskilda ärendet.",
            "Förvaltningen ser att kriminalitet och droger når allt yngre barn, vilket gör tidiga "
            "insatser ännu viktigare. Säkerhetssamordnaren efterfrågar en samordnare för ANDT-frågor.",
        ),
    ),
    (
        "Utvecklingscentrum",
        paragraphs(
            "Arbetet med Trygg handel ger näringsidkarna bättre kunskap om sina rättigheter och "
            "stärker samarbetet med polisen. Anmälningsbenägenheten bland företagare bedöms vara låg.",
            "Stationens väntsal används periodvis som tillhåll. Polisvolontärerna kan engageras mer "
            "vid årets evenemang.",
        ).replace("Trygg handel", "<em>Trygg handel</em>"),
    ),
    (
        "Västra Mälardalens Kommunalförbund",
        paragraphs(
            "Skolorna arbetar vidare med sina metoder för trygghet och säkerhet. Stureskolan inleder "
            "ett arbete enligt EST-modellen.",
            "Kommunen köper tillsammans med Kungsör in ett IT-stöd för att sammanställa oroligheter "
            "och otrygga platser.",
        ),
    ),
    (
        "Barn- och utbildningsförvaltningen",
        paragraphs(
            "Problem och brott förekommer i allt lägre åldrar och tar tid från den ordinarie "
            "verksamheten. Skolornas säkerhetsarbete ses över, bland annat tillträdet till skolgårdarna.",
            "Polisen vill träffa rektorsgruppen för att utveckla samverkan med skolan.",
        ),
    ),
    (
        "ABO",
        paragraphs(
            "Kameraövervakning införs först på Stureskolan och utvärderas efter en tid. Tillstånd "
            "och offerter inväntas innan kamerorna sätts upp.",
        ),
    ),
    (
        "Fritids- och kulturförvaltningen",
        paragraphs(
            "Skola, socialtjänst och fritids- och kulturförvaltningen samordnar det förebyggande "
            "arbetet med ungdomar. Föreningarna har träffat både skolan och socialtjänsten, och "
            "föräldrarna lyfts fram som en viktig grupp att nå.",
        ),
    ),
]


def items_2020() -> list[dict]:
    return [
        {
            "title": "Föregående minnesanteckningar",
            "decision": (
                f"Minnesanteckningarna från rådets möte den {long_date(PREVIOUS)} godkänns och "
                "läggs till handlingarna."
            ),
        },
        {
            "title": "Verksamhetsberättelse 2019",
            "body": paragraphs(
                "Rådets verksamhetsberättelse för 2019 har sänts till ledamöterna före mötet."
            ),
            "decision": "Verksamhetsberättelsen för 2019 godkänns och läggs till handlingarna.",
        },
        {
            "title": "Förebyggande rådets handlingsplan 2020",
            "body": paragraphs(
                "Rådet upprättar varje år en handlingsplan för de områden som ska prioriteras. "
                "Förslaget som sänts ut innehåller tre mål:"
            ),
            "decision": "Handlingsplanen för 2020 godkänns och läggs till handlingarna.",
        },
        {
            "title": "Samverkansöverenskommelse med polisen 2020",
            "body": paragraphs(
                "Polisen och säkerhetssamordnaren redogör för årets samverkansöverenskommelse mellan "
                "kommunen och Polismyndigheten. Överenskommelsen bygger på en gemensam lägesbild och "
                "ett kunskapsbaserat arbetssätt.",
                "Målet är att med samordnade resurser minska brottsligheten och öka tryggheten, med "
                "särskilt fokus på unga. Några särskilt utsatta platser presenteras.",
            ),
        },
        {"title": "Aktuell information från verksamheterna", "sections": SECTIONS_2020},
        {
            "title": "Aktuell information om brottsutveckling i vårt område",
            "body": paragraphs(
                "Polisen visar hur de anmälda brotten fördelar sig på brottstyp och plats. Antalet "
                "anmälningar har ökat, även om nivån inte är anmärkningsvärt hög. Överblicken gör det "
                "möjligt att prioritera resurserna där de behövs mest."
            ),
        },
        {"title": "Övriga frågor", "body": paragraphs("Inga övriga frågor tas upp.")},
    ]


ITEMS_2019 = [
    {
        "title": "Föregående minnesanteckningar",
        "decision": "Minnesanteckningarna från föregående möte godkänns och läggs till handlingarna.",
    },
    {
        "title": "Aktuell information från verksamheterna",
        "body": paragraphs(
            "Verksamheterna berättar kort om höstens arbete med trygghet och förebyggande insatser."
        ),
    },
    {
        "title": "Arbetet med handlingsplan 2020",
        "body": paragraphs(
            "Rådet diskuterar vilka mål som ska prioriteras i nästa års handlingsplan."
        ),
        "decision": "Ett förslag till handlingsplan tas fram till nästa möte.",
    },
    {"title": "Övriga frågor", "body": paragraphs("Inga övriga frågor tas upp.")},
]


# The council's standing agenda (DESIGN.md, issue 4): data the administrator edits.
STANDING_AGENDA = [
    {
        "title": "Föregående minnesanteckningar",
        "decision": "Minnesanteckningarna från rådets möte {föregående möte} godkänns och läggs till handlingarna.",
    },
    {
        "title": "Verksamhetsberättelse {föregående år}",
        "decision": "Verksamhetsberättelsen för {föregående år} godkänns och läggs till handlingarna.",
        "first_meeting_of_year": True,
    },
    {
        "title": "Förebyggande rådets handlingsplan {år}",
        "decision": "Handlingsplanen för {år} godkänns och läggs till handlingarna.",
        "first_meeting_of_year": True,
    },
    {
        "title": "Aktuell information från verksamheterna",
        "sections": [heading for heading, _body in SECTIONS_2020],
    },
    {"title": "Aktuell information om brottsutveckling i vårt område"},
    {"title": "Övriga frågor"},
]


def load_standing_agenda(demo: DemoCouncil) -> None:
    if StandingItem.objects.filter(council=demo.council).exists():
        return
    StandingItem.objects.bulk_create(
        StandingItem(council=demo.council, position=position, **spec)
        for position, spec in enumerate(STANDING_AGENDA, start=1)
    )
    demo.created.append("standing agenda")


def _next_meeting_date(today: datetime.date) -> datetime.date:
    """A Monday about a month ahead: when the demo's coming meeting is held."""
    day = today + datetime.timedelta(days=28)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _meeting(demo: DemoCouncil, date: datetime.date, *, held: bool) -> tuple[Meeting, bool]:
    chair = demo.people["Anders Röhfors"]
    secretary = demo.people["Måns von Stedingk"]
    return Meeting.objects.get_or_create(
        council=demo.council,
        date=date,
        defaults={
            "start_time": START,
            "end_time": END,
            "place": demo.council.default_place,
            "chaired_by": chair if held else None,
            "secretary": secretary if held else None,
        },
    )


def _minutes(
    demo: DemoCouncil, meeting: Meeting, items: list[dict], absent: set[str], before_approval
) -> None:
    minutes, new = Minutes.objects.get_or_create(meeting=meeting, revision=1)
    if new:
        _fill(demo, minutes, items, absent)
        if before_approval is not None:
            before_approval(minutes)
    if not ApprovedRevision.objects.filter(minutes=minutes).exists():
        approve_on_paper(demo, minutes)


def approve_on_paper(demo: DemoCouncil, minutes: Minutes) -> None:
    """Minutes approved a week after the meeting, on paper: frozen like online approval."""
    drop_empty_sections(minutes)
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED)
    minutes.refresh_from_db()
    approved = datetime.datetime.combine(
        minutes.meeting.date + datetime.timedelta(days=7), datetime.time(12), tzinfo=datetime.UTC
    )
    record_historical_revision(minutes=minutes, approved_at=approved)
    demo.created.append(f"approved revision {minutes.meeting.date}")


def _fill(demo: DemoCouncil, minutes: Minutes, items: list[dict], absent: set[str]) -> None:
    meeting = minutes.meeting
    demo.created.append(f"minutes {meeting.date}")
    attendance = [
        m for (_name, role), m in demo.memberships.items() if role != Membership.Role.SECRETARY
    ]
    Attendance.objects.bulk_create(
        Attendance(
            minutes=minutes,
            person=m.person,
            membership=m,
            status=Attendance.Status.ABSENT
            if m.person.name in absent
            else Attendance.Status.PRESENT,
            position=position,
        )
        for position, m in enumerate(attendance, start=1)
    )
    for position, spec in enumerate(items, start=1):
        item = AgendaItem.objects.create(
            minutes=minutes,
            position=position,
            number=str(position),
            title=spec["title"],
            body=spec.get("body", ""),
            decision=spec.get("decision", ""),
        )
        AgendaItemSection.objects.bulk_create(
            AgendaItemSection(item=item, position=n, heading=heading, body=body)
            for n, (heading, body) in enumerate(spec.get("sections", []), start=1)
        )


def load_meetings(demo: DemoCouncil, *, before_approval=None) -> None:
    """The two held meetings with approved minutes.

    ``before_approval(minutes)``, if given, runs on the reference meeting's new minutes before
    they are approved: the action-plan app links item 3 to the 2020 plan there, so that the
    item keeps its own copy of the plan's goals."""
    load_standing_agenda(demo)
    previous, _ = _meeting(demo, PREVIOUS, held=True)
    _minutes(demo, previous, ITEMS_2019, {"Kerstin Rosenkvist", "Patrik Ahlberg"}, None)
    reference, _ = _meeting(demo, REFERENCE, held=True)
    _minutes(demo, reference, items_2020(), set(), before_approval)


def held_meeting(demo: DemoCouncil, date: datetime.date) -> Meeting:
    """A meeting held on ``date`` with the council's chair and secretary (created if missing)."""
    return _meeting(demo, date, held=True)[0]


def load_coming_meeting(demo: DemoCouncil) -> None:
    """A coming meeting unless one exists."""
    today = timezone.localdate()
    if not Meeting.objects.filter(council=demo.council, date__gte=today).exists():
        _meeting(demo, _next_meeting_date(today), held=False)
        demo.created.append("coming meeting")
