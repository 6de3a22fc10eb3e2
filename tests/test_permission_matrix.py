"""Every URL of the project against every kind of visitor (issue 9, part 3).

The test walks the URL configuration itself: a new URL that the matrix below does not classify
fails it. Each URL is requested with GET and POST by {anonymous, outsider, member, secretary,
chair, administrator}. Those the class allows must not be turned away (no 403, no redirect to
sign in, no 500); the others must be (a redirect to sign in, 401 from a JSON endpoint, 403, 404, or 405 for a method the
URL does not take), and the database must be exactly as before. An allowed request runs inside
a transaction that is rolled back, so that every request sees the same world.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actionplans import services as plan_services
from minutes import services
from tests import factories
from tests.minutes.drafting_fixtures import approved_elsewhere, standing_agenda

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "outsider", "member", "secretary", "chair", "admin")
PUBLIC = frozenset(USERS)
SIGNED_IN = PUBLIC - {"anonymous"}
MEMBERS = frozenset({"member", "secretary", "chair", "admin"})
EDITORS = frozenset({"secretary", "admin"})
APPROVERS = frozenset({"chair"})
CORRECTORS = frozenset({"chair", "admin"})
STAFF = frozenset({"admin"})
# A nämnd's pages (a § justerad at once, the extracts of a justerat protokoll): this world's
# council is a råd, whose items have no § and whose minutes no extracts, so every visitor is
# refused here; who may use them in a nämnd is tested in tests/minutes/views/
# (test_immediate_views.py, test_extracts in tests/minutes/test_extracts.py) and below.
NOT_IN_A_RAD = frozenset()

MATRIX: dict[str, frozenset[str]] = {
    "published_file": PUBLIC,
    "councils:index": PUBLIC,
    "accessibility": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:csrf": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:profile": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:otp_setup": SIGNED_IN,
    "drafting:workspace": SIGNED_IN,
    "drafting:meeting_new": EDITORS,
    "drafting:meeting": MEMBERS,
    "drafting:meeting_details": EDITORS,
    "drafting:minutes_start": EDITORS,
    "drafting:attendance": EDITORS,
    "drafting:submit": EDITORS,
    "drafting:withdraw": EDITORS,
    "drafting:review": APPROVERS,
    "drafting:next_meeting": EDITORS,
    "drafting:notice": MEMBERS,
    "drafting:notice_send": EDITORS,
    "drafting:notice_pdf": MEMBERS,
    "drafting:internal_pdf": MEMBERS,
    "drafting:correction": CORRECTORS,
    "drafting:item_add": EDITORS,
    "drafting:items_order": EDITORS,
    "drafting:item": EDITORS,
    "drafting:item_autosave": EDITORS,
    "drafting:item_delete": EDITORS,
    "drafting:item_move": EDITORS,
    "drafting:document_add": EDITORS,
    "drafting:document_edit": EDITORS,
    "drafting:document_delete": EDITORS,
    "drafting:document": MEMBERS,
    "drafting:paragraph_review": NOT_IN_A_RAD,
    "drafting:paragraph_submit": NOT_IN_A_RAD,
    "drafting:paragraph_withdraw": NOT_IN_A_RAD,
    "drafting:paragraph_extract_pdf": NOT_IN_A_RAD,
    "drafting:extract_pdf": NOT_IN_A_RAD,
    "drafting:extract_send": NOT_IN_A_RAD,
    "plans:list": EDITORS,
    "plans:plan": EDITORS,
    "plans:plan_revise": EDITORS,
    "plans:plan_pdf": EDITORS,
    "plans:report_add": EDITORS,
    "plans:report": EDITORS,
    "plans:report_reassemble": EDITORS,
    "plans:report_pdf": EDITORS,
    "plans:item_link": EDITORS,
    "plans:follow_up": EDITORS,
    "plans:goal_add": EDITORS,
    "plans:goal": EDITORS,
    "plans:goal_delete": EDITORS,
    "plans:goal_move": EDITORS,
    "plans:activity_add": EDITORS,
    "plans:activity": EDITORS,
    "plans:activity_delete": EDITORS,
    "plans_public:list": PUBLIC,
    "plans_public:plan": PUBLIC,
    "plans_public:plan_pdf": PUBLIC,
    "plans_public:report_pdf": PUBLIC,
    "minutes:feed": PUBLIC,
    "minutes:municipality": PUBLIC,
    "minutes:noticeboard": PUBLIC,
    "minutes:noticeboard_archive": PUBLIC,
    "minutes:noticeboard_feed": PUBLIC,
    "minutes:search": PUBLIC,
    "minutes:council": PUBLIC,
    "minutes:calendar": PUBLIC,
    "minutes:council_feed": PUBLIC,
    "minutes:meeting": PUBLIC,
    "minutes:notice_pdf": PUBLIC,
    "minutes:notice_sent_pdf": PUBLIC,
    "minutes:document": PUBLIC,
    "minutes:meeting_pdf": PUBLIC,
    "minutes:approved_pdf": PUBLIC,
    "minutes:approved_pdf_revision": PUBLIC,
    "minutes:draft_preview": MEMBERS,
    # open data (issue 20): the OParl API, the page about it and the published export
    "oparl:system": PUBLIC,
    "oparl:bodies": PUBLIC,
    "oparl:body_list": PUBLIC,
    "oparl:organization_meetings": PUBLIC,
    "oparl:detail": PUBLIC,
    "opendata:page": PUBLIC,
    "opendata:council": PUBLIC,
    "published_export": PUBLIC,
    # bevakning (issue 21): anyone may ask; an address's pages answer to the key in its e-mails
    "alerts:subscribe": PUBLIC,
    "alerts:requested": PUBLIC,
    "alerts:privacy": PUBLIC,
    "alerts:confirm": PUBLIC,
    "alerts:manage": PUBLIC,
    "alerts:unsubscribe": PUBLIC,
    "alerts:end_one": PUBLIC,
}
# The Django admin, whole: staff only (it sends everyone else to its own sign-in page).
ADMIN_NAMESPACE = "admin:"


def url_names() -> list[tuple[str, object]]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}", pattern

    return list(walk(get_resolver().url_patterns))


def test_every_url_is_classified():
    names = {name for name, _ in url_names()}
    unclassified = sorted(n for n in names if n not in MATRIX and not n.startswith(ADMIN_NAMESPACE))
    assert not unclassified, f"classify these in MATRIX: {unclassified}"
    assert not set(MATRIX) - names, "the matrix names URLs that no longer exist"


@pytest.fixture
def world(cast, settings, tmp_path):
    """A council with an approved meeting, a draft one with a document and a sent notice, a
    plan with a goal and an activity, and an annual report."""
    standing_agenda(cast.council)
    approved = approved_elsewhere(factories.meeting(cast.council, datetime.date(2024, 9, 2)))
    draft = services.meeting_create(
        council=cast.council, date=datetime.date(2025, 2, 24), start_time=None, end_time=None,
        place="Salen", actor=cast.secretary,
    ).minutes.get()  # fmt: skip
    item = draft.items.get(position=2)
    document = services.document_add(
        item=item, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF\n"),
        title="Berättelse", is_public=True, actor=None,
    )  # fmt: skip
    services.notice_send(meeting=draft.meeting, actor=None)
    plan = plan_services.plan_create(council=cast.council, year=2020, actor=None)
    goal = plan_services.goal_create(plan=plan, title="Mål", description="", actor=None)
    activity = plan_services.activity_create(goal=goal, actor=None, title="Insats")
    plan_services.report_create(council=cast.council, year=2020, actor=None)
    base = {"municipality": "arboga", "council": "forebyggande-radet"}
    approved_day = f"{approved.minutes.meeting.date:%Y-%m-%d}"
    return {
        "base": base,
        "draft": draft,
        "kwargs": {
            "meeting_id": draft.meeting_id,
            "item_id": item.pk,
            "document_id": document.pk,
            "year": 2020,
            "goal_id": goal.pk,
            "activity_id": activity.pk,
            "revision": 1,
            "extract_id": 1,
            "uidb64": "MQ",
            "token": "utgangen-nyckel",
            "key": "okand-nyckel-" + "x" * 30,
            "subscription_id": "1",
        },
        "overrides": {
            "published_file": {
                "sha256": approved.pdf_sha256,
                "filename": f"arboga-forebyggande-radet-{approved_day}.pdf",
            },
            "drafting:document": {"filename": "berattelse.pdf"},
            "published_export": {"sha256": "0" * 64, "filename": "oppna-data-2026-12-01.zip"},
            "oparl:body_list": {"key": str(cast.municipality.pk), "kind": "meeting"},
            "oparl:organization_meetings": {"key": str(cast.council.pk)},
            "oparl:detail": {"kind": "meeting", "key": str(approved.minutes.meeting_id)},
            "drafting:internal_pdf": {"meeting_id": approved.minutes.meeting_id},
            "drafting:correction": {"meeting_id": approved.minutes.meeting_id},
            "minutes:meeting": {"date": approved_day},
            "minutes:meeting_pdf": {
                "date": approved_day,
                "filename": f"arboga-forebyggande-radet-{approved_day}.pdf",
            },
            "minutes:approved_pdf": {"meeting_id": approved.minutes.meeting_id},
            "minutes:approved_pdf_revision": {"meeting_id": approved.minutes.meeting_id},
            "minutes:document": {
                "date": f"{draft.meeting.date:%Y-%m-%d}",
                "document_id": str(document.pk),
                "filename": "berattelse.pdf",
            },
            "minutes:notice_pdf": {"date": f"{draft.meeting.date:%Y-%m-%d}"},
            "minutes:notice_sent_pdf": {"date": f"{draft.meeting.date:%Y-%m-%d}", "number": "1"},
            "plans_public:plan_pdf": {
                "year": "2020", "filename": "arboga-forebyggande-radet-handlingsplan-2020.pdf",
            },
            "plans_public:report_pdf": {
                "year": "2020",
                "filename": "arboga-forebyggande-radet-verksamhetsberattelse-2020.pdf",
            },
        },
    }  # fmt: skip


def address(name: str, pattern, world) -> str:
    wanted = set(pattern.pattern.regex.groupindex)
    kwargs = {**world["base"], **world["kwargs"], **world["overrides"].get(name, {})}
    return reverse(name, kwargs={k: v for k, v in kwargs.items() if k in wanted})


def clients(cast) -> dict[str, Client]:
    out = {"anonymous": Client()}
    for role in USERS[1:]:
        out[role] = Client()
        out[role].force_login(getattr(cast, role))
    return out


def database() -> dict[str, list]:
    """Every row of the project's models, less the audit log (denials are written there) and
    the sessions."""
    rows = {}
    for label in ("councils", "minutes", "actionplans", "auth"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(repr, model.objects.values()))
    return rows


LOGIN = re.compile(r"/konto/logga-in/|/admin/login/")


def denied(response) -> bool:
    if response.status_code in (301, 302):
        return bool(LOGIN.search(response["Location"]))
    return response.status_code in (401, 403, 404, 405)  # 401: the editor's JSON endpoints


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_url_lets_the_wrong_visitor_in_or_changes_anything_when_it_refuses(cast, world, method):
    visitors = clients(cast)
    problems = []
    # The database as it stands, taken again only when it may have moved: an allowed request is
    # rolled back, and a refused one must leave it as it was (what it left is the next "before").
    before = None
    for name, pattern in url_names():
        if name.startswith(ADMIN_NAMESPACE):
            continue
        url = address(name, pattern, world)
        allowed = MATRIX[name]
        for role in USERS:
            client = visitors[role]
            if role in allowed:
                if name == "accounts:logout":  # signing out would sign this client out for good
                    client = clients(cast)[role]
                    before = None  # signing in again wrote the users' last_login
                with transaction.atomic():
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                if (
                    response.status_code >= 500
                    or response.status_code == 403
                    or (response.status_code in (301, 302) and LOGIN.search(response["Location"]))
                ):
                    problems.append(
                        f"{method.upper()} {name} as {role}: turned away ({response.status_code})"
                    )
            else:
                if before is None:
                    before = database()
                response = getattr(client, method)(url)
                if not denied(response):
                    problems.append(
                        f"{method.upper()} {name} as {role}: let in ({response.status_code})"
                    )
                after = database()
                if after != before:
                    problems.append(f"{method.upper()} {name} as {role}: changed the database")
                before = after
    assert not problems, "\n".join(problems)


def test_the_admin_is_for_staff_only(cast):
    visitors = clients(cast)
    for role in USERS:
        response = visitors[role].get("/admin/")
        if role in STAFF:
            assert response.status_code == 200
        else:
            assert denied(response), role
    for role in USERS:
        response = visitors[role].get("/admin/minutes/meeting/")
        assert (response.status_code == 200) == (role in STAFF), role


# A nämnd's protokoll is reviewed, and justerat, by its signatories only (issue 19): the
# secretary of the meeting, the person who chaired it and the justerare; not by another member,
# a vice chair who is not a justerare, an administrator or another council's secretary.
SIGNATORIES = frozenset({"secretary", "chair", "adjuster"})


def test_a_nämnds_review_page_is_for_its_signatories(cast):
    from minutes.models import Minutes
    from tests.minutes import committee_fixtures as cf

    c = cf.committee(cast)
    minutes = cf.meeting(c)
    meeting = minutes.meeting
    meeting.secretary = cast.secretary.person
    meeting.save(update_fields=["secretary"])
    for position in range(1, 5):
        cf.save(
            cf.item_at(minutes, position),
            None,
            parts=services.PartsInput(decision_points="Nämnden beslutar."),
        )
    services.minutes_submit(minutes=Minutes.objects.get(pk=minutes.pk), actor=cast.secretary)
    visitors = clients(cast)
    for role, name in (("adjuster", "Bo Berg"), ("vice", "Cecilia Dahl")):
        visitors[role] = Client()
        visitors[role].force_login(factories.user(role, person_obj=c[name]))
    url = reverse("drafting:review", args=["arboga", "forebyggande-radet", meeting.pk])
    problems = []
    for role, client in visitors.items():
        for method in ("get", "post"):
            before = database()
            response = getattr(client, method)(url)
            if role in SIGNATORIES:
                if response.status_code >= 500 or denied(response):
                    problems.append(f"{method} as {role}: turned away ({response.status_code})")
            elif not denied(response):
                problems.append(f"{method} as {role}: let in ({response.status_code})")
            if database() != before:
                problems.append(f"{method} as {role}: changed the database")
    assert not problems, "\n".join(problems)
