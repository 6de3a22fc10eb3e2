"""Fuzzing (issue 10, part 1): Hypothesis throws arbitrary text at every form and at the
editor's autosave endpoint, on PostgreSQL. No answer is a 500; NUL characters and lone
surrogates are refused with a message; and a refused request leaves the database as it was."""

from __future__ import annotations

import datetime
import json
import os

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionplans import services as plan_services
from minutes import services
from tests.minutes.drafting_fixtures import standing_agenda, submit_and_approve

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
SLUGS = ["arboga", "forebyggande-radet"]
NASTY = [
    "", " ", "\x00", "a\x00b", "<script>alert(1)</script>", "'; DROP TABLE minutes_meeting; --",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ – ”citat” ÅÄÖ", "x" * 5000, "2020-02-30", "99:99", "-1", "1e309", "\r\n\r\n",
    "%00", "{{ 7*7 }}", "../../etc/passwd",
]  # fmt: skip
# what a browser can send in a form: any character but lone surrogates (they cannot be encoded)
FORM_TEXT = st.one_of(
    st.sampled_from(NASTY), st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
)
# what the editor's JSON can carry: lone surrogates too ("\ud800" escapes)
JSON_TEXT = st.one_of(
    st.sampled_from([*NASTY, "\ud800", "a\udfffb"]), st.text(st.characters(), max_size=300)
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site(cast):
    standing_agenda(cast.council)
    approved = services.meeting_create(
        council=cast.council, date=datetime.date(2024, 11, 26), start_time=None, end_time=None,
        place="", actor=cast.secretary,
    ).minutes.get()  # fmt: skip
    submit_and_approve(approved, cast)
    draft = services.meeting_create(
        council=cast.council, date=datetime.date(2025, 2, 24), start_time=None, end_time=None,
        place="", actor=cast.secretary,
    ).minutes.get()  # fmt: skip
    item = draft.items.get(position=2)
    document = services.document_add(
        item=item, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n"), title="Handling",
        is_public=True, actor=None,
    )  # fmt: skip
    plan = plan_services.plan_create(council=cast.council, year=2020, actor=None)
    goal = plan_services.goal_create(plan=plan, title="Mål", description="", actor=None)
    plan_services.report_create(council=cast.council, year=2020, actor=None)
    secretary, chair = Client(), Client()
    secretary.force_login(cast.secretary)
    chair.force_login(cast.chair)
    return {
        "draft": draft, "item": item, "document": document, "goal": goal,
        "approved": approved, "secretary": secretary, "chair": chair, "anonymous": Client(),
    }  # fmt: skip


def database() -> dict:
    rows = {}
    for label in ("councils", "minutes", "actionplans"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(repr, model.objects.values()))
    return rows


def forms(site) -> list[tuple[str, str, str, list[str], dict]]:
    """(who, method, url, fuzzed fields, fixed fields) for every form."""
    m, i = site["draft"].meeting_id, site["item"].pk
    year = [*SLUGS, 2020]
    return [
        ("secretary", "post", reverse("drafting:meeting_new", args=SLUGS),
         ["date", "start_time", "end_time", "place"], {}),
        ("secretary", "post", reverse("drafting:item_add", args=[*SLUGS, m]), ["title"], {}),
        ("secretary", "post", reverse("drafting:item", args=[*SLUGS, m, i]),
         ["title", "body", "decision", "confidentiality_ground", "sections-0-heading",
          "sections-0-body"],
         {"version": "1", "is_public": "on", "sections-TOTAL_FORMS": "1",
          "sections-INITIAL_FORMS": "0"}),
        ("secretary", "post", reverse("drafting:attendance", args=[*SLUGS, m]),
         ["others_present"], {"attendance_version": "1"}),
        ("secretary", "post", reverse("drafting:next_meeting", args=[*SLUGS, m]),
         ["date", "start_time", "place"], {}),
        ("secretary", "post",
         reverse("drafting:document_edit", args=[*SLUGS, m, i, site["document"].pk]),
         ["title"], {}),
        ("secretary", "post", reverse("plans:list", args=SLUGS), ["year"], {}),
        ("secretary", "post", reverse("plans:plan", args=year),
         ["title", "introduction", "situation_picture"], {}),
        ("secretary", "post", reverse("plans:goal_add", args=year), ["title", "description"], {}),
        ("secretary", "post", reverse("plans:activity_add", args=[*year, site["goal"].pk]),
         ["title", "responsible", "start_date", "end_date", "indicator", "status"], {}),
        ("secretary", "post", reverse("plans:report", args=year),
         ["title", "introduction", "body"], {}),
        ("secretary", "post", reverse("plans:report_add", args=SLUGS), ["report-year"], {}),
        ("chair", "post", reverse("drafting:correction", args=[*SLUGS, site["approved"].meeting_id]),
         ["reason"], {}),
        ("secretary", "post", reverse("plans:goal", args=[*year, site["goal"].pk]),
         ["title", "description"], {}),
        ("secretary", "post", reverse("plans:item_link", args=[*SLUGS, m, i]),
         ["action", "target"], {}),
        ("secretary", "post", reverse("drafting:items_order", args=[*SLUGS, m]), ["order"], {}),
        ("chair", "post", reverse("drafting:review", args=[*SLUGS, m]),
         ["action", "password", "otp_code", "comment"], {}),
        ("chair", "post", reverse("accounts:otp_setup"), ["action", "code"], {}),
        ("secretary", "post", reverse("accounts:password_change"),
         ["old_password", "new_password1", "new_password2"], {}),
        ("anonymous", "post", reverse("accounts:password_reset"), ["email"], {}),
        ("anonymous", "get", reverse("minutes:search"), ["q", "kommun", "rad", "sida"], {}),
        ("anonymous", "post", reverse("accounts:login"), ["username", "password"], {}),
    ]  # fmt: skip


@given(data=st.data())
@FUZZ
def test_no_form_answers_500_and_a_refusal_changes_nothing(site, data):
    for who, method, url, fields, fixed in forms(site):
        values = {field: data.draw(FORM_TEXT, label=f"{url} {field}") for field in fields}
        before = database()
        response = getattr(site[who], method)(url, {**fixed, **values})
        assert response.status_code < 500, (url, values)
        if response.status_code >= 400:
            assert database() == before, (url, values, response.status_code)


def autosave(site, payload: dict):
    m, i = site["draft"].meeting_id, site["item"].pk
    return site["secretary"].post(
        reverse("drafting:item_autosave", args=[*SLUGS, m, i]),
        json.dumps(payload),  # ensure_ascii: a lone surrogate travels as a \\ud800 escape
        content_type="application/json",
        headers={"Accept": "application/json"},
    )


@given(
    title=JSON_TEXT, body=JSON_TEXT, decision=JSON_TEXT, ground=JSON_TEXT, heading=JSON_TEXT,
    public=st.one_of(st.booleans(), st.none(), st.integers(), JSON_TEXT),
    version=st.one_of(st.integers(), JSON_TEXT, st.none()),
)  # fmt: skip
@FUZZ
def test_the_autosave_endpoint_never_answers_500(site, title, body, decision, ground, heading, public, version):  # fmt: skip
    before = database()
    response = autosave(
        site,
        {"version": version, "title": title, "body": body, "decision": decision,
         "is_public": public, "confidentiality_ground": ground,
         "sections": [{"heading": heading, "body": body}]},
    )  # fmt: skip
    assert response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert response.json()["error"]  # a message the editor shows
        assert database() == before


def test_nul_and_lone_surrogates_get_a_400_with_a_message(site):
    item = site["item"]
    base = {"version": item.version, "title": "T", "body": "", "decision": "", "is_public": True,
            "confidentiality_ground": "", "sections": []}  # fmt: skip
    for bad in ("a\x00b", "a\ud800b"):
        response = autosave(site, {**base, "body": bad})
        assert response.status_code == 400 and "tecken" in response.json()["error"]
    form = site["secretary"].post(
        reverse("drafting:item_add", args=[*SLUGS, site["draft"].meeting_id]), {"title": "a\x00b"}
    )
    assert form.status_code in (200, 302, 400)
    # (PostgreSQL refuses NUL even in a query, so the check is made in Python)
    assert not any("\x00" in title for title in item.minutes.items.values_list("title", flat=True))


def test_a_broken_json_body_is_a_400(site):
    m, i = site["draft"].meeting_id, site["item"].pk
    for body in (b"{", b"[]", b'{"title": 1}', b"\xff\xfe", b'"\\ud800"'):
        response = site["secretary"].post(
            reverse("drafting:item_autosave", args=[*SLUGS, m, i]), body,
            content_type="application/json",
        )  # fmt: skip
        assert 400 <= response.status_code < 500, body
