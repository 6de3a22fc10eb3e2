"""Demo data for a nämnd: Arboga kommun's Socialnämnd (prefix SN) with invented people, two
meetings of 2026 whose §§ run on from the first to the second (§§ 1–7 and 8–13), motions, a vote
of 5–4 with one abstention and two reservations, a jäv with a substitute stepping in, attendance
for part of a meeting, and confidential §§; both protokoll justerade on paper a week after the meeting and announced on the anslagstavla
that day, with their extracts: the October one is taken down, the November one is up until
16 December 2026.

Everything goes through the services a secretary's clicks go through (the meeting, its §§ and
their parts, the attendance, the deliberation, each checked), so the demo is what the app
itself would have made. Idempotent, like :mod:`councils.demo`: a meeting that exists is left
as it is."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from councils.demo import DEMO_PASSWORD, DemoCouncil, _email
from councils.models import Council, Membership, Municipality, Person
from minutes import services
from minutes.models import AgendaItem, Meeting, Minutes, StandingItem
from minutes.services import deliberation, justering

Role = Membership.Role
TERM_START = datetime.date(2023, 1, 1)
SLUG = "socialnamnden"

# (name, party, role); the members first, then the ersättare
MEMBERS = [
    ("Birgitta Sandberg", "S", Role.CHAIR),
    ("Johan Fors", "M", Role.VICE_CHAIR),
    ("Marie Ljung", "S", Role.MEMBER),
    ("Tomas Åkesson", "S", Role.MEMBER),
    ("Leila Haddad", "V", Role.MEMBER),
    ("Göran Blom", "M", Role.MEMBER),
    ("Sofia Ekdahl", "KD", Role.MEMBER),
    ("Anders Vik", "C", Role.MEMBER),
    ("Peter Ström", "SD", Role.MEMBER),
    ("Hanna Lövgren", "L", Role.MEMBER),
    ("Nils Berglund", "S", Role.MEMBER),
    ("Elin Roos", "S", Role.SUBSTITUTE),
    ("Mats Hedlund", "M", Role.SUBSTITUTE),
    ("Ulrika Fält", "V", Role.SUBSTITUTE),
    ("Oskar Lind", "SD", Role.SUBSTITUTE),
]
OFFICIALS = [("Jenny Åström", "Socialchef"), ("Robert Nyström", "Ekonom")]
SECRETARY = "Karin Holmqvist"

# (username, person, description shown by `make run`)
LOGINS = [
    ("namndsekreterare", SECRETARY, "sekreterare i Socialnämnden"),
    ("namndordforande", "Birgitta Sandberg", "ordförande i Socialnämnden"),
    ("namndjusterare", "Johan Fors", "vice ordförande och justerare i Socialnämnden"),
]

STANDING_AGENDA = [
    "Val av justerare",
    "Godkännande av dagordning",
    "Delegationsbeslut och meddelanden",
]


def load_committee(demo: DemoCouncil) -> tuple[Council, dict[str, Person]]:
    """The Socialnämnd, its people and memberships, its standing agenda."""
    municipality: Municipality = demo.municipality
    council, new = Council.objects.get_or_create(
        municipality=municipality,
        slug=SLUG,
        defaults={
            "name": "Socialnämnden",
            "kind": Council.Kind.COMMITTEE,
            "document_title": Council.DocumentTitle.PROTOCOL,
            "paragraph_prefix": "SN",
            "default_place": "Rådhussalen, Rådhuset",
            "record_kept_at": "Socialkontoret, Rådhuset, Arboga",
            "usual_start_time": datetime.time(13, 0),
            "usual_end_time": datetime.time(16, 0),
            "description": (
                "Nämnden ansvarar för individ- och familjeomsorgen, försörjningsstödet och "
                "kommunens stöd till brottsoffer i Arboga."
            ),
        },
    )
    if new:
        demo.created.append("committee")
    people: dict[str, Person] = {}
    names = [n for n, _p, _r in MEMBERS] + [n for n, _t in OFFICIALS] + [SECRETARY]
    for name in names:
        people[name], new = Person.objects.get_or_create(
            name=name, defaults={"email": _email(name)}
        )
        if new:
            demo.created.append(f"person {name}")

    def member(name: str, role: str, position: int, **extra: str) -> None:
        _m, new = Membership.objects.get_or_create(
            person=people[name],
            council=council,
            role=role,
            start_date=TERM_START,
            defaults={"position": position, **extra},
        )
        if new:
            demo.created.append(f"membership {name} {role}")

    for position, (name, party, role) in enumerate(MEMBERS):
        member(name, role, position, party=party)
    for position, (name, title) in enumerate(OFFICIALS, start=30):
        member(name, Role.REPRESENTATIVE, position, title=title, organisation="Socialförvaltningen")
    member(SECRETARY, Role.SECRETARY, 50)
    if not StandingItem.objects.filter(council=council).exists():
        StandingItem.objects.bulk_create(
            StandingItem(council=council, position=position, title=title)
            for position, title in enumerate(STANDING_AGENDA, start=1)
        )
        demo.created.append("committee standing agenda")
    return council, people


def load_committee_logins(demo: DemoCouncil, people: dict[str, Person]) -> list[tuple[str, str]]:
    User = get_user_model()
    for username, name, _description in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _, last = name.partition(" ")
            user = User(username=username, first_name=first, last_name=last)
            user.email = people[name].email
            user.set_password(DEMO_PASSWORD)
            user.save()
            demo.created.append(f"user {username}")
        if people[name].user_id is None:
            people[name].user = user
            people[name].save(update_fields=["user"])
    return [(username, description) for username, _name, description in LOGINS]


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _attendance(
    minutes: Minutes,
    people: dict[str, Person],
    *,
    absent: set[str],
    serving_for: dict[str, str],
    present_substitutes: set[str],
    ranges: dict[str, tuple[int | None, int | None]],
    adjusters: set[str],
    adjustment: services.AdjustmentInput,
    others: str,
) -> None:
    memberships = {
        (m.person.name): m
        for m in Membership.objects.filter(council=minutes.meeting.council).select_related("person")
    }
    entries = []
    for name, _party, role in MEMBERS:
        if role == Role.SUBSTITUTE:
            if name in serving_for:
                status, replaced = "substitute", people[serving_for[name]].pk
            elif name in present_substitutes:
                status, replaced = "present", None
            else:
                continue
        else:
            status, replaced = ("absent" if name in absent else "present"), None
        first, last = ranges.get(name, (None, None))
        entries.append(
            services.AttendanceEntry(
                person_id=people[name].pk,
                membership_id=memberships[name].pk,
                status=status,
                substitute_for_id=replaced,
                from_position=first,
                to_position=last,
                is_adjuster=name in adjusters,
            )
        )
    for name, _title in OFFICIALS:
        entries.append(services.AttendanceEntry(people[name].pk, memberships[name].pk, "present"))
    minutes.refresh_from_db()
    services.attendance_update(
        minutes=minutes,
        version=minutes.attendance_version,
        entries=entries,
        others_present=others,
        adjustment=adjustment,
        actor=None,
    )


def _paragraph(
    minutes: Minutes,
    title: str,
    *,
    body: str = "",
    parts: dict | None = None,
    deliberation_input: deliberation.DeliberationInput | None = None,
    confidential: str = "",
) -> AgendaItem:
    item = AgendaItem.objects.filter(minutes=minutes, title=title).first()
    if item is None:
        item = services.item_create(minutes=minutes, title=title, actor=None)
    parts = parts or {}
    services.item_save(
        item=item,
        version=item.version,
        title=title,
        body=body,
        decision="",
        is_public=not confidential,
        confidentiality_ground=confidential,
        sections=[],
        parts=services.PartsInput(
            case_number=parts.get("case_number", ""),
            basis=parts.get("basis", ""),
            proposal=parts.get("proposal", ""),
            decision_points=parts.get("decision", ""),
            protocol_note=parts.get("note", ""),
            recipients=parts.get("recipients", ""),
            immediate_adjustment=parts.get("immediate", False),
        ),
        deliberation=deliberation_input,
        actor=None,
    )
    return item


def _meeting(council: Council, day: datetime.date, people: dict[str, Person]) -> Minutes | None:
    """A new meeting's draft, or None when the demo has the meeting already."""
    if Meeting.objects.filter(council=council, date=day).exists():
        return None
    meeting = services.meeting_create(
        council=council,
        date=day,
        start_time=council.usual_start_time,
        end_time=council.usual_end_time,
        place=council.default_place,
        actor=None,
    )
    Meeting.objects.filter(pk=meeting.pk).update(secretary=people[SECRETARY])
    return meeting.minutes.get()


def _justera(demo: DemoCouncil, minutes: Minutes) -> None:
    """Checked as submission checks it, then justerat on the day set for the justering."""
    unresolved = deliberation.problems(minutes)
    if unresolved:
        raise RuntimeError(f"the demo's protokoll does not add up: {unresolved}")
    minutes.refresh_from_db()
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED)
    minutes.refresh_from_db()
    when = datetime.datetime.combine(
        minutes.adjustment_date, minutes.adjustment_time, tzinfo=datetime.UTC
    )
    revision = services.record_historical_revision(minutes=minutes, approved_at=when, announce=True)
    # the extracts the task worker makes after an online justering, made here at once
    justering.render_extracts(revision.pk)
    demo.created.append(f"protokoll {minutes.meeting.date}")


def _first_meeting(demo: DemoCouncil, council: Council, people: dict[str, Person]) -> None:
    minutes = _meeting(council, datetime.date(2026, 10, 14), people)
    if minutes is None:
        return
    P = people
    _order(
        minutes,
        [
            "Val av justerare",
            "Godkännande av dagordning",
            "Ekonomisk uppföljning per september 2026",
            "Riktlinjer för ekonomiskt bistånd 2027",
            "Verksamhetsbidrag till Arboga brottsofferjour 2027",
            "Ärende enligt socialtjänstlagen",
            "Delegationsbeslut och meddelanden",
        ],
    )
    _attendance(
        minutes,
        people,
        absent={"Nils Berglund"},
        serving_for={},
        present_substitutes={"Ulrika Fält", "Mats Hedlund"},
        ranges={},
        adjusters={"Johan Fors", "Leila Haddad"},
        adjustment=services.AdjustmentInput(
            "Socialkontoret, Rådhuset", datetime.date(2026, 10, 21), datetime.time(10, 0)
        ),
        others="Karin Holmqvist, nämndsekreterare",
    )
    _paragraph(
        minutes,
        "Val av justerare",
        parts={"decision": "Johan Fors (M) och Leila Haddad (V) utses att justera protokollet."},
    )
    _paragraph(minutes, "Godkännande av dagordning", parts={"decision": "Dagordningen godkänns."})
    _paragraph(
        minutes,
        "Ekonomisk uppföljning per september 2026",
        body=_text(
            "Socialförvaltningen redovisar en prognos för helåret med ett underskott på "
            "1,8 miljoner kronor, främst inom placeringar av barn och unga.",
            "Kostnaderna för försörjningsstöd ligger i nivå med budget.",
        ),
        parts={
            "case_number": "SN 2026/41",
            "basis": "Tjänsteskrivelse, 2026-10-02\nEkonomisk rapport september 2026",
            "proposal": "Socialförvaltningen föreslår att nämnden godkänner uppföljningen.",
            "decision": "Socialnämnden godkänner den ekonomiska uppföljningen per september 2026.",
            "recipients": "Kommunstyrelsen\nEkonomienheten",
        },
    )
    yes = ("Birgitta Sandberg", "Marie Ljung", "Tomas Åkesson", "Leila Haddad", "Hanna Lövgren")
    no = ("Johan Fors", "Göran Blom", "Sofia Ekdahl", "Peter Ström")
    motions = (
        services.MotionInput(P["Marie Ljung"].pk, "bifall"),
        services.MotionInput(
            P["Göran Blom"].pk,
            "andring",
            "att riktnivån för hemutrustning sänks till 2 000 kronor",
        ),
        services.MotionInput(P["Sofia Ekdahl"].pk, "bifall", supports=2),
        services.MotionInput(P["Peter Ström"].pk, "bifall", supports=2),
    )
    _paragraph(
        minutes,
        "Riktlinjer för ekonomiskt bistånd 2027",
        body=_text(
            "Riktlinjerna beskriver hur nämnden prövar ansökningar om ekonomiskt bistånd och "
            "vilka riktnivåer som gäller för kostnader utöver riksnormen.",
            "Förvaltningen föreslår oförändrade riktnivåer och ett förtydligande om hemutrustning.",
        ),
        parts={
            "case_number": "SN 2026/58",
            "basis": "Tjänsteskrivelse, 2026-09-28\nFörslag till riktlinjer för ekonomiskt bistånd 2027",
            "proposal": "Socialnämnden antar riktlinjer för ekonomiskt bistånd 2027.",
            "decision": (
                "Socialnämnden antar riktlinjer för ekonomiskt bistånd 2027 enligt "
                "förvaltningens förslag.\nRiktlinjerna gäller från och med den 1 januari 2027."
            ),
            "recipients": "Socialförvaltningen, enheten för ekonomiskt bistånd",
        },
        deliberation_input=services.DeliberationInput(
            motions=motions,
            proposition=(
                "Ordföranden ställer proposition på förslaget och Göran Bloms (M) "
                "ändringsyrkande och finner att nämnden beslutar enligt förslaget."
            ),
            votes=(
                services.VoteInput(
                    "förslaget",
                    "Göran Bloms (M) ändringsyrkande",
                    {
                        **{P[n].pk: "ja" for n in yes},
                        **{P[n].pk: "nej" for n in no},
                        P["Anders Vik"].pk: "avstar",
                    },
                ),
            ),
            reservations=(
                services.ReservationInput(P["Göran Blom"].pk, "", True),
                services.ReservationInput(P["Peter Ström"].pk, ""),
            ),
        ),
    )
    _paragraph(
        minutes,
        "Verksamhetsbidrag till Arboga brottsofferjour 2027",
        body=_text(
            "Brottsofferjouren ansöker om verksamhetsbidrag för 2027 för stöd till brottsutsatta, "
            "vittnen och anhöriga."
        ),
        parts={
            "case_number": "SN 2026/63",
            "basis": "Ansökan från Arboga brottsofferjour, 2026-09-15\nTjänsteskrivelse, 2026-10-01",
            "proposal": "Socialförvaltningen föreslår ett bidrag om 45 000 kronor.",
            "decision": "Socialnämnden beviljar Arboga brottsofferjour ett verksamhetsbidrag om 45 000 kronor för 2027.",
            "recipients": "Arboga brottsofferjour\nEkonomienheten",
        },
        deliberation_input=services.DeliberationInput(
            disqualifications=(
                services.DisqualificationInput(P["Leila Haddad"].pk, P["Ulrika Fält"].pk),
            ),
        ),
    )
    _paragraph(
        minutes,
        "Ärende enligt socialtjänstlagen",
        body="Individärende.",
        parts={"decision": "Beslut enligt sekretessbilaga."},
        confidential="OSL 26 kap. 1 §",
    )
    _paragraph(
        minutes,
        "Delegationsbeslut och meddelanden",
        parts={
            "decision": "Redovisningen av delegationsbeslut för september 2026 läggs till handlingarna."
        },
    )
    _justera(demo, minutes)


def _order(minutes: Minutes, titles: list[str]) -> None:
    """The agenda in this order (the items missing added): before the attendance, whose
    ranges name the items by their place, and the §§' parts, which it checks."""
    for title in titles:
        if not AgendaItem.objects.filter(minutes=minutes, title=title).exists():
            services.item_create(minutes=minutes, title=title, actor=None)
    ids = dict(AgendaItem.objects.filter(minutes=minutes).values_list("title", "pk"))
    services.items_reorder(minutes=minutes, ordered_ids=[ids[t] for t in titles], actor=None)


def _second_meeting(demo: DemoCouncil, council: Council, people: dict[str, Person]) -> None:
    minutes = _meeting(council, datetime.date(2026, 11, 18), people)
    if minutes is None:
        return
    P = people
    _order(
        minutes,
        [
            "Val av justerare",
            "Godkännande av dagordning",
            "Verksamhetsplan och internbudget 2027",
            "Internkontrollplan 2027",
            "Ärende enligt lagen med särskilda bestämmelser om vård av unga",
            "Delegationsbeslut och meddelanden",
        ],
    )
    _attendance(
        minutes,
        people,
        absent={"Nils Berglund"},
        serving_for={"Elin Roos": "Nils Berglund"},
        present_substitutes={"Oskar Lind"},
        ranges={"Hanna Lövgren": (None, 4)},  # left after SN § 11
        adjusters={"Göran Blom", "Marie Ljung"},
        adjustment=services.AdjustmentInput(
            "Socialkontoret, Rådhuset", datetime.date(2026, 11, 25), datetime.time(10, 0)
        ),
        others="Karin Holmqvist, nämndsekreterare",
    )
    _paragraph(
        minutes,
        "Val av justerare",
        parts={"decision": "Göran Blom (M) och Marie Ljung (S) utses att justera protokollet."},
    )
    _paragraph(minutes, "Godkännande av dagordning", parts={"decision": "Dagordningen godkänns."})
    _paragraph(
        minutes,
        "Verksamhetsplan och internbudget 2027",
        body=_text(
            "Förvaltningen har tagit fram en verksamhetsplan med internbudget inom den ram som "
            "kommunfullmäktige beslutat. Planen innebär en omställning från placeringar till "
            "öppenvård på hemmaplan."
        ),
        parts={
            "case_number": "SN 2026/71",
            "basis": "Tjänsteskrivelse, 2026-11-04\nVerksamhetsplan med internbudget 2027",
            "proposal": "Socialnämnden antar verksamhetsplan och internbudget för 2027.",
            "decision": "Socialnämnden antar verksamhetsplan och internbudget för 2027.",
            "note": (
                "Peter Ström (SD) låter anteckna att partiet vill se en redovisning av "
                "öppenvårdens resultat under våren 2027."
            ),
            "recipients": "Kommunstyrelsen\nSocialförvaltningen",
        },
        deliberation_input=services.DeliberationInput(
            motions=(
                services.MotionInput(P["Birgitta Sandberg"].pk, "bifall"),
                services.MotionInput(
                    P["Johan Fors"].pk,
                    "aterremiss",
                    "förvaltningen ska beskriva konsekvenserna av omställningen för barnen",
                ),
                services.MotionInput(P["Göran Blom"].pk, "bifall", supports=2),
            ),
            proposition=(
                "Ordföranden ställer proposition på om ärendet ska avgöras i dag eller "
                "återremitteras och finner att ärendet ska avgöras i dag.\n\n"
                "Ordföranden ställer därefter proposition på förslaget och finner att nämnden "
                "bifaller det."
            ),
        ),
    )
    _paragraph(
        minutes,
        "Internkontrollplan 2027",
        parts={
            "case_number": "SN 2026/74",
            "basis": "Tjänsteskrivelse, 2026-11-02",
            "decision": "Socialnämnden antar internkontrollplan för 2027.",
            "recipients": "Kommunstyrelsen",
        },
    )
    lvu = _paragraph(
        minutes,
        "Ärende enligt lagen med särskilda bestämmelser om vård av unga",
        body="Individärende.",
        parts={"decision": "Beslut enligt sekretessbilaga.", "immediate": True},
        confidential="OSL 26 kap. 1 §",
    )
    _paragraph(
        minutes,
        "Delegationsbeslut och meddelanden",
        parts={
            "decision": "Redovisningen av delegationsbeslut för oktober 2026 läggs till handlingarna."
        },
    )
    # the LVU decision was justerad at the meeting, before the rest, with its own anslag
    justering.record_paragraph_on_paper(
        item=lvu, adjusted_at=datetime.datetime(2026, 11, 18, 14, 45, tzinfo=datetime.UTC)
    )
    _justera(demo, minutes)


def load_committee_demo(demo: DemoCouncil) -> list[tuple[str, str]]:
    """The Socialnämnd with its two justerade protokoll; returns its demo logins."""
    council, people = load_committee(demo)
    logins = load_committee_logins(demo, people)
    _first_meeting(demo, council, people)
    _second_meeting(demo, council, people)
    return logins
