"""Every public and staff page passes the Nu Html Checker (vnu) with no error (issue 17).

The pages are those the permission matrix knows (tests/test_permission_matrix.py), each asked for
as a visitor it lets in, over the demo (load_demo) with a draft and a submitted meeting added,
and a few states a page only shows after a refused form. Each answer that is HTML is written to a
file, and vnu (vnu-jar from the npm registry, fetched once with `npm pack` into
var/vnu-jar/<version>/, like axe-core) checks them all in one run: the JVM starts once. Without
Java or npm the test skips, which fails the run under CI=true (tests/conftest.py); .ci/run
installs Debian's default-jre-headless when `java` is missing.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.models import ActionPlan, Activity, AnnualReport
from councils.models import Council
from minutes import services
from minutes.models import Meeting, Minutes
from tests.minutes.drafting_fixtures import write_item
from tests.test_permission_matrix import (
    ADMIN_NAMESPACE,
    APPROVERS,
    CORRECTORS,
    MATRIX,
    url_names,
)

pytestmark = pytest.mark.django_db

VERSION = "26.9.27"
CACHE = Path(__file__).resolve().parents[1] / "var" / "vnu-jar" / VERSION
JAVA = shutil.which("java") or "/usr/bin/java"
SLUGS = {"municipality": "arboga", "council": "forebyggande-radet"}
# the demo's users; the chair's pages are asked for as the chair, every other page that needs
# a sign-in as the secretary, who may do everything else there is to do
DEMO_USERS = {"secretary": "sekreterare", "chair": "ordforande"}


def vnu_jar() -> Path:
    jar = CACHE / "vnu.jar"
    if jar.exists():
        return jar
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is needed to fetch vnu-jar from the npm registry (apt-get install npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [npm, "pack", f"vnu-jar@{VERSION}", "--silent"],
            cwd=CACHE, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as error:
        pytest.fail(f"vnu-jar could not be fetched from the npm registry: {error}")
    with tarfile.open(CACHE / f"vnu-jar-{VERSION}.tgz") as archive:
        member = archive.getmember("package/build/dist/vnu.jar")
        partial = CACHE / "vnu.jar.part"
        partial.write_bytes(archive.extractfile(member).read())
        partial.rename(jar)
    return jar


def check(files: list[Path]) -> dict[str, list[str]]:
    """vnu's errors, one line each, by file name: one JVM for all the files."""
    if not Path(JAVA).exists():
        pytest.skip("Java is needed for the Nu Html Checker (apt-get install default-jre-headless)")
    jar = vnu_jar()
    result = subprocess.run(
        [JAVA, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu did not answer in JSON ({result.returncode}): {result.stderr[:2000]}")
    errors: dict[str, list[str]] = {}
    for message in messages:
        if message.get("type") == "info":
            continue
        name = Path(message.get("url", "file:?").removeprefix("file:")).name
        where = f"line {message.get('lastLine', '?')}"
        extract = message.get("extract", "").strip().replace("\n", " ")[:120]
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{extract}]")
    return errors


def demo_world() -> dict:
    """The demo, and beside its approved meetings a draft (with formatting, a document and a
    sent notice) and submitted minutes."""
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    council = Council.objects.get(slug=SLUGS["council"], municipality__slug=SLUGS["municipality"])
    secretary = get_user_model().objects.get(username=DEMO_USERS["secretary"])

    def meeting(day: datetime.date) -> Minutes:
        return services.meeting_create(
            council=council, date=day, start_time=datetime.time(8, 30),
            end_time=datetime.time(10, 30), place="Kommunstyrelsesalen", actor=secretary,
        ).minutes.get()  # fmt: skip

    draft = meeting(datetime.date(2021, 10, 4))
    write_item(
        draft,
        1,
        '<p>Text med <strong>fetstil</strong>, <em>kursiv</em> och en <a href="https://www.'
        'polisen.se">länk</a>.</p><ul><li>En punkt</li><li>En till</li></ul>'
        "<ol><li>Första</li></ol><p>8 000 kronor.</p>",
    )
    item = draft.items.get(position=1)
    document = services.document_add(
        item=item, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF\n"),
        title="Lägesbild", is_public=True, actor=None,
    )  # fmt: skip
    services.notice_send(meeting=draft.meeting, actor=None)
    latest = ActionPlan.objects.filter(council=council).order_by("-year").first()  # adopted
    follow_up = services.item_create(
        minutes=draft, title=plan_services.FOLLOW_UP_TITLE, actor=secretary
    )
    plan_services.link_follow_up(item=follow_up, plan=latest, actor=secretary)
    submitted = meeting(datetime.date(2021, 11, 8))
    write_item(submitted, 1, "<p>Inskickad text.</p>")
    services.minutes_submit(minutes=submitted, actor=secretary)
    approved = (
        Minutes.objects.filter(meeting__council=council, status=Minutes.Status.APPROVED)
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
    )
    # next year's plan, copied from the demo's latest: a draft, so its pages are forms
    plan = plan_services.plan_create(
        council=council, year=latest.year + 1, copy_previous=True, actor=secretary
    )
    activity = Activity.objects.filter(goal__plan=plan).select_related("goal").first()
    report = AnnualReport.objects.filter(council=council).order_by("-year").first()
    return {
        **committee_world(),
        **noticeboard_world(),
        **alerts_world(),
        "council": council,
        "draft": draft,
        "item": item,
        "document": document,
        "submitted": submitted,
        "approved": approved,
        "plan": plan,
        "adopted_plan": latest,
        "follow_up": follow_up,
        "goal": activity.goal,
        "activity": activity,
        "report": report,
    }


def committee_world() -> dict:
    """The demo's Socialnämnd with a draft whose § records jäv, motions, a vote and a
    reservation, and the attendance for part of the meeting: a nämnd's own staff pages."""
    from minutes.models import AgendaItem
    from tests.minutes.services.test_deliberation import NO, YES

    namnd = Council.objects.get(slug="socialnamnden", municipality__slug=SLUGS["municipality"])
    secretary = get_user_model().objects.get(username="namndsekreterare")
    draft = services.meeting_create(
        council=namnd, date=datetime.date(2026, 11, 25), start_time=datetime.time(13),
        end_time=datetime.time(16), place="Rådhussalen", actor=secretary,
    ).minutes.get()  # fmt: skip
    item = services.item_create(minutes=draft, title="Motion om fältassistenter", actor=secretary)
    people = {m.person.name: m.person_id for m in namnd.memberships.select_related("person")}
    item = AgendaItem.objects.get(pk=item.pk)
    services.item_save(
        item=item, version=item.version, title=item.title, body="Motionen föreslår fler.",
        decision="", is_public=True, confidentiality_ground="", sections=[], actor=secretary,
        deliberation=services.DeliberationInput(
            motions=(
                services.MotionInput(people["Marie Ljung"], "bifall"),
                services.MotionInput(people["Johan Fors"], "avslag"),
                services.MotionInput(people["Göran Blom"], "bifall", supports=2),
            ),
            proposition="Ordföranden ställer proposition på förslaget och avslaget.",
            votes=(
                services.VoteInput(
                    "förslaget", "Johan Fors (M) avslagsyrkande",
                    {people["Marie Ljung"]: YES, people["Johan Fors"]: NO},
                ),
            ),
            reservations=(services.ReservationInput(people["Johan Fors"], "", True),),
            disqualifications=(services.DisqualificationInput(people["Leila Haddad"]),),
        ),
    )  # fmt: skip
    return {"committee": namnd, "committee_draft": draft, "committee_item": item}


def noticeboard_world() -> dict:
    """The Socialnämnd's announcements on the anslagstavla: a justerat protokoll up today, a §
    justerad at once and a kungörelse, and one taken down."""
    from django.utils import timezone

    from minutes.models import Announcement

    namnd = Council.objects.get(slug="socialnamnden", municipality__slug=SLUGS["municipality"])
    meeting = Meeting.objects.filter(council=namnd).order_by("date").first()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    for kind, posted, down, paragraphs in (
        (Announcement.Kind.PROTOCOL, today - 3 * day, today + 19 * day, "1–7"),
        (Announcement.Kind.PARAGRAPH, today - 5 * day, today + 17 * day, "4"),
        (Announcement.Kind.NOTICE, today, today + 9 * day, ""),
        (Announcement.Kind.PROTOCOL, today - 40 * day, today - 18 * day, "1–5"),
    ):
        Announcement.objects.create(
            municipality=namnd.municipality, council=namnd, meeting=meeting, kind=kind,
            organ=namnd.name, meeting_date=meeting.date, paragraphs=paragraphs,
            posted_on=posted, down_on=down,
            last_day_to_appeal=None if kind == Announcement.Kind.NOTICE else down - day,
            kept_at="Socialförvaltningen, Rådhuset, Arboga", secretary="Nina Sekreterare",
        )  # fmt: skip
    return {}


def alerts_world() -> dict:
    """Someone who follows the råd and has asked to follow a search (not yet confirmed)."""
    from django.utils import timezone

    from alerts.models import Subscriber, Subscription

    council = Council.objects.get(slug="forebyggande-radet", municipality__slug="arboga")
    subscriber = Subscriber.objects.create(email="ada@example.org")
    Subscription.objects.create(
        subscriber=subscriber, kind="council", council=council, confirmed_at=timezone.now()
    )
    pending = Subscription.objects.create(subscriber=subscriber, kind="search", query="trygghet")
    return {"subscriber": subscriber, "pending": pending}


def kwargs_for(name: str, pattern, world) -> dict:
    draft, approved = world["draft"], world["approved"]
    values = {
        **SLUGS,
        "meeting_id": draft.meeting_id,
        "item_id": world["item"].pk,
        "document_id": world["document"].pk,
        "year": world["plan"].year,
        "goal_id": world["goal"].pk,
        "activity_id": world["activity"].pk,
        "date": f"{approved.meeting.date:%Y-%m-%d}",
        "revision": 1,
        "extract_id": 1,  # a råd has none: the 404 page (the nämnd's are listed below)
        "uidb64": "MQ",
        "token": "utgangen-nyckel",
        "filename": "lagesbild.pdf",
        "sha256": "0" * 64,
        "key": "1",
        "kind": "meeting",
        "number": 1,  # a notice by its number: a PDF, or the 404 page
    }
    if name == "published_export":
        values["filename"] = "oppna-data-2026-12-01.zip"
    if name.startswith("alerts:"):
        values["key"] = world["pending" if name == "alerts:confirm" else "subscriber"].key
        values["subscription_id"] = world["pending"].pk
    if name in ("drafting:review",):
        values["meeting_id"] = world["submitted"].meeting_id
    if name in ("drafting:correction", "drafting:internal_pdf"):
        values["meeting_id"] = approved.meeting_id
    if name.startswith("plans_public:"):
        values["year"] = world["adopted_plan"].year
    if name == "plans:follow_up":
        values["item_id"] = world["follow_up"].pk
    if name.startswith("plans:report"):
        values["year"] = world["report"].year
    wanted = set(pattern.pattern.regex.groupindex)
    return {k: v for k, v in values.items() if k in wanted}


def visitor(name: str) -> str | None:
    allowed = MATRIX[name]
    if "anonymous" in allowed:
        return None
    return "chair" if allowed in (APPROVERS, CORRECTORS) else "secretary"


def client_for(role: str | None) -> Client:
    client = Client()
    if role is not None:
        username = DEMO_USERS.get(role, role)  # the nämnd's demo logins by their names
        client.force_login(get_user_model().objects.get(username=username))
    return client


def pages(world) -> list[tuple[str, str | None, str, dict | None]]:
    """(label, visitor, address, form data for a POST or None)."""
    found = []
    for name, pattern in url_names():
        if name.startswith(ADMIN_NAMESPACE):
            continue  # Django's own admin
        found.append((name, visitor(name), reverse(name, kwargs=kwargs_for(name, pattern, world)), None))  # fmt: skip
    council = "/arboga/forebyggande-radet/"
    staff = f"/arbete{council}moten/"
    draft, submitted = world["draft"].meeting, world["submitted"].meeting
    found += [
        ("public meeting, notice sent", None, f"{council}{draft.date:%Y-%m-%d}/", None),
        ("public meeting, submitted", None, f"{council}{submitted.date:%Y-%m-%d}/", None),
        ("public meeting, coming", None, f"{council}{_coming(world):%Y-%m-%d}/", None),
        ("council page, one year", None, f"{council}?ar=2019", None),
        ("search with results", None, "/sok/?q=trygghet", None),
        ("search in a council", None, "/sok/?q=brott&kommun=arboga&rad=forebyggande-radet", None),
        ("front page in English", None, "/en/", None),
        ("municipality in English", None, "/en/arboga/", None),
        ("council page in English", None, f"/en{council}", None),
        ("meeting in English", None, f"/en{council}{submitted.date:%Y-%m-%d}/", None),
        ("search in English", None, "/en/sok/?q=trygghet", None),
        ("anslagstavla in English", None, "/en/arboga/anslagstavla/", None),
        ("öppna data in English", None, "/en/oppna-data/", None),
        ("öppna data about a nämnd", None, "/oppna-data/arboga/socialnamnden/", None),
        ("staff meeting, submitted", "secretary", f"{staff}{submitted.pk}/", None),
        ("staff meeting, approved", "secretary", f"{staff}{world['approved'].meeting_id}/", None),
        ("staff meeting, as the chair", "chair", f"{staff}{submitted.pk}/", None),
        ("workspace, as the chair", "chair", "/arbete/", None),
        ("review, wrong password", "chair", f"{staff}{submitted.pk}/granska/",
         {"action": "approve", "password": "fel"}),
        ("new meeting, refused", "secretary", reverse("drafting:meeting_new", kwargs=SLUGS),
         {"date": "inte ett datum"}),
        ("plans, refused year", "secretary", reverse("plans:list", kwargs=SLUGS), {"year": "x"}),
        ("sign-in, refused", None, reverse("accounts:login"), {"username": "x", "password": "y"}),
        ("bevakning, refused", None, "/bevaka/",
         {"epost": "x", "slag": "rad", "kommun": "arboga", "rad": "forebyggande-radet"}),
        ("bevakning in English", None, "/en/bevaka/integritet/", None),
        ("bevakning, expired link", None, "/bevaka/bekrafta/" + "x" * 43 + "/", None),
    ]  # fmt: skip
    namnd = "/arboga/socialnamnden/"
    namnd_staff = f"/arbete{namnd}moten/{world['committee_draft'].meeting_id}/"
    found += [
        ("nämnd: council page", None, namnd, None),
        ("nämnd: protokoll page", None, f"{namnd}2026-10-14/", None),
        ("nämnd: protokoll page in English", None, f"/en{namnd}2026-10-14/", None),
        ("nämnd: staff meeting with attendance", "namndsekreterare", namnd_staff, None),
        ("nämnd: § page with deliberation", "namndsekreterare",
         f"{namnd_staff}arenden/{world['committee_item'].pk}/", None),
        ("nämnd: § refused", "namndsekreterare",
         f"{namnd_staff}arenden/{world['committee_item'].pk}/",
         {"version": "1", "title": ""}),
    ]  # fmt: skip
    # the justering's pages, with the demo's justerat protokoll of 18 November: its staff page
    # with the extracts, the LVU § justerad at once, and the expediering of a § with recipients
    from minutes.models import Extract

    november = Meeting.objects.get(council__slug="socialnamnden", date=datetime.date(2026, 11, 18))
    november_staff = f"/arbete{namnd}moten/{november.pk}/"
    at_once = Extract.objects.get(minutes__meeting=november, immediate=True)
    sent = Extract.objects.filter(minutes__meeting=november, is_public=True, paragraph=10)
    found += [
        ("nämnd: staff meeting, justerat with extracts", "namndsekreterare", november_staff, None),
        ("nämnd: § justerad at once", "namndsekreterare",
         f"{november_staff}arenden/{at_once.item_id}/omedelbar-justering/", None),
        ("nämnd: expediering of an extract", "namndsekreterare",
         f"{november_staff}utdrag/{sent.get().pk}/skicka/", None),
        ("nämnd: expediering refused", "namndsekreterare",
         f"{november_staff}utdrag/{sent.get().pk}/skicka/", {"email_0": "inte en adress"}),
        ("nämnd: public page with extracts", None, f"{namnd}2026-11-18/", None),
    ]  # fmt: skip
    return found


def _coming(world) -> datetime.date:
    return (
        Meeting.objects.filter(council=world["council"], minutes__isnull=True)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def test_every_public_and_staff_page_passes_the_nu_html_checker(tmp_path):
    world = demo_world()
    files: dict[str, str] = {}
    rendered: set[str] = set()
    for n, (label, role, address, data) in enumerate(pages(world)):
        client = client_for(role)
        response = client.post(address, data) if data is not None else client.get(address)
        assert response.status_code < 500, (label, address, response.status_code)
        if response.status_code == 405 or "text/html" not in response.get("Content-Type", ""):
            continue  # a redirect, a PDF, a feed, JSON, or a method the address does not take
        content = b"".join(response.streaming_content) if response.streaming else response.content
        name = f"{n:03d}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.html"
        (tmp_path / name).write_bytes(content)
        files[name] = f"{label} ({address}, {response.status_code})"
        rendered.add(label)
    # the pages this test is for are among those checked
    for label in (
        "councils:index", "minutes:municipality", "minutes:council", "minutes:meeting",
        "minutes:search", "plans_public:list", "plans_public:plan", "accessibility",
        "drafting:workspace", "drafting:meeting", "drafting:item", "drafting:review",
        "drafting:notice", "plans:list", "plans:plan", "plans:report",
        "plans:goal", "plans:activity", "plans:follow_up", "plans:item_link", "accounts:login", "accounts:profile",
        "review, wrong password", "nämnd: protokoll page", "nämnd: § page with deliberation",
        "minutes:noticeboard", "minutes:noticeboard_archive", "anslagstavla in English",
        "nämnd: staff meeting with attendance", "opendata:page", "öppna data about a nämnd",
        "alerts:subscribe", "alerts:requested", "alerts:privacy", "alerts:confirm",
        "alerts:manage", "alerts:unsubscribe", "bevakning, refused",
    ):  # fmt: skip
        assert label in rendered, f"{label} gave no HTML page to check"
    errors = check([tmp_path / name for name in files])
    report = [
        f"{files.get(name, name)}:\n  " + "\n  ".join(lines)
        for name, lines in sorted(errors.items())
    ]
    assert not report, "the Nu Html Checker found errors:\n" + "\n".join(report)
