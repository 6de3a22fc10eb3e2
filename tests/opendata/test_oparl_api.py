"""The OParl 1.1 API (issue 20): a crawl from /oparl/v1/ checked against the specification's
rules (``oparl_rules``, written from the specification apart from the API), the public-only
rule over every object type, paging with filters, tombstones after a withdrawal, fixed query
counts, and conditional requests."""

import datetime
import hashlib
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import strip_tags

from councils.models import Council, Membership, Person
from minutes import services
from minutes.models import (
    AgendaItem,
    ApprovedRevision,
    FileDigest,
    ItemDocument,
    Notice,
    StandingItem,
)
from opendata import services as opendata
from opendata.models import OParlObject
from tests import factories
from tests.minutes.drafting_fixtures import submit_and_approve, write_item
from tests.opendata import oparl_rules
from tests.opendata.conftest import local, start_url

pytestmark = pytest.mark.django_db

User = get_user_model()
SECRET = "Hemlig utredning om Kalle Anka"  # a confidential item's title
SECRET_TEXT = "Uppgifter om enskilds personliga förhållanden"
DRAFT_TEXT = "Detta utkast är ännu inte godkänt"
WITHDRAWN_TEXT = "Personnummer publicerat av misstag"


@pytest.fixture
def record(cast):
    """Approved minutes of Förebyggande rådet with a public item and its public and internal
    documents, and a confidential item; a member with an e-mail address; the next meeting's
    draft, with text of its own."""
    StandingItem.objects.create(council=cast.council, position=1, title="Information")
    StandingItem.objects.create(council=cast.council, position=2, title="Ärende")
    cast.member.person.email = "lisa.ledamot@example.org"
    cast.member.person.save()
    factories.membership(
        factories.person("Rita Representant"),
        cast.council,
        Membership.Role.REPRESENTATIVE,
        title="Kommunpolis",
        organisation="Polismyndigheten",
    )
    meeting = services.meeting_create(
        council=cast.council,
        date=datetime.date(2025, 2, 24),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        place="Kommunstyrelsesalen",
        actor=cast.secretary,
    )
    draft = meeting.minutes.get()
    write_item(draft, 1, "<p>Läget i kommunen är lugnt.</p>", title="Information om läget")
    write_item(draft, 2, f"<p>{SECRET_TEXT}</p>", title=SECRET, public=False, ground="OSL 26:1")
    item = draft.items.get(position=1)
    services.document_add(
        item=item, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%a\n%%EOF\n"),
        title="Lägesrapport", is_public=True, actor=None,
    )  # fmt: skip
    services.document_add(
        item=item, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%b\n%%EOF\n"),
        title="Intern promemoria", is_public=False, actor=None,
    )  # fmt: skip
    revision = submit_and_approve(draft, cast)
    later = services.meeting_create(
        council=cast.council,
        date=datetime.date(2025, 5, 20),
        start_time=datetime.time(8, 30),
        end_time=None,
        place="",
        actor=cast.secretary,
    )
    write_item(later.minutes.get(), 1, f"<p>{DRAFT_TEXT}</p>")
    return revision


def serve_everything(api) -> tuple[oparl_rules.Crawl, str]:
    result = oparl_rules.crawl(api.get, start_url())
    return result, json.dumps(
        [obj for objects in result.objects.values() for obj in objects.values()],
        ensure_ascii=False,
    )


# --- the crawl --------------------------------------------------------------------------------


def test_a_crawl_of_the_demo_and_the_seed_meets_the_specification(demo, seed, api):
    result, _text = serve_everything(api)
    assert result.violations == []
    seen = {name: len(objects) for name, objects in result.objects.items()}
    for name in (
        "System", "Body", "LegislativeTerm", "Organization", "Person", "Membership", "Meeting",
        "AgendaItem", "File", "Location",
    ):  # fmt: skip
        assert seen.get(name), name
    # a meeting's agenda items point back at it, and come in its order
    for url, meeting in result.objects["Meeting"].items():
        for order, embedded in enumerate(meeting.get("agendaItem", []), 1):
            item = result.objects["AgendaItem"][embedded["id"]]
            assert item["meeting"] == url and item["order"] == order
    # the seed's meeting, as printed: its items numbered 1… and named as in the minutes
    seeds = [m for m in result.objects["Meeting"].values() if m["start"].startswith("2020-02-24")]
    assert any([i["number"] for i in m["agendaItem"]][:3] == ["1", "2", "3"] for m in seeds), seeds
    # the nämnd's §§ carry their labels, and a protokollsutdrag as their resolution file
    paragraphs = [i for i in result.objects["AgendaItem"].values() if "§" in i["number"]]
    assert paragraphs and all(i["number"].startswith("SN § ") for i in paragraphs)
    assert any("resolutionFile" in i for i in paragraphs)


def check_file_access(api, file: dict) -> None:
    """``file`` is the bytes at its accessUrl and its downloadUrl, with its size, SHA-512 and
    type, and served as OParl 1.1, 2.8 "Dateizugriffe" asks: the downloadUrl with
    ``Content-Disposition: attachment`` and a ``filename`` first, the accessUrl never as an
    attachment."""
    for prop in ("accessUrl", "downloadUrl"):
        response = api.response(file[prop])
        if response.status_code == 302:  # never: the addresses are the files themselves
            pytest.fail(f"{file[prop]} redirects")
        assert response.status_code == 200, file[prop]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) == file["size"], file["id"]
        assert hashlib.sha512(body).hexdigest() == file["sha512Checksum"], file["id"]
        assert response["Content-Type"].startswith(file["mimeType"])
        disposition = [p.strip() for p in response["Content-Disposition"].split(";")]
        if prop == "downloadUrl":
            assert disposition[0] == "attachment", (file[prop], disposition)
            assert any(p.startswith("filename=") for p in disposition[1:]), disposition
        else:
            assert disposition[0] != "attachment", (file[prop], disposition)
    assert file["downloadUrl"] != file["accessUrl"]


def test_every_file_is_served_at_its_address_with_its_size_and_sha512(demo, api):
    result, _text = serve_everything(api)
    files = result.objects["File"].values()
    assert files
    for file in files:
        check_file_access(api, file)


# --- only what is public ----------------------------------------------------------------------


def test_the_demos_confidential_paragraphs_keep_their_numbers_alone(demo, api):
    result, text = serve_everything(api)
    secret = list(AgendaItem.objects.filter(is_public=False, minutes__status="approved"))
    assert secret
    for item in secret:
        for words in (item.title, item.confidentiality_ground, strip_tags(item.body)[:60]):
            assert words.strip() and words not in text, words
    numbers = {i["number"] for i in result.objects["AgendaItem"].values() if not i["public"]}
    assert {f"SN § {i.paragraph}" for i in secret} <= numbers


def test_only_what_is_public_appears_in_any_object(record, seed, api, cast):
    result, text = serve_everything(api)
    assert result.violations == []
    # the confidential item: its number, never its title, text or ground
    items = [i for i in result.objects["AgendaItem"].values() if i["public"] is False]
    assert items, "the record's confidential item is listed"
    for item in items:
        assert item["name"] == "Sekretessbelagt ärende"
        assert item["number"]
        assert not {"resolutionText", "resolutionFile", "auxiliaryFile"} & item.keys()
    for words in (SECRET, SECRET_TEXT, "OSL 26:1", "Intern promemoria", DRAFT_TEXT):
        assert words not in text, words
    # no contact details of anyone
    assert "@" not in text.replace("schema.oparl.org", "")
    for person in result.objects["Person"].values():
        assert not {"email", "phone", "location", "locationObject"} & person.keys()
    # the internal PDF of the record is no file of the API
    assert record.internal_pdf_sha256 not in text
    assert record.pdf_sha256 in text
    # the draft of the coming meeting: the meeting is public, nothing of its draft
    coming = [m for m in result.objects["Meeting"].values() if m["name"].endswith("20 maj 2025")]
    assert coming and coming[0]["meetingState"] == "planerat"
    assert "agendaItem" not in coming[0] or coming[0]["agendaItem"] == []
    assert "participant" not in coming[0] and "resultsProtocol" not in coming[0]


def _phrases(html: str) -> list[str]:
    """The sentences of a text long enough to be its own (not "Beslut." or a name)."""
    text = " ".join(strip_tags(html).split())
    return [p.strip() for p in re.split(r"(?<=[.!?])\s", text) if len(p.strip()) >= 25]


def test_nothing_that_is_not_public_appears_in_any_object_of_the_demo_and_the_seed(demo, seed, api):
    """The public-only rule over every object type, read from the database: whatever the
    demo and the seed hold that is not public (the confidential §§ with their titles, text,
    decisions and grounds, the drafts' text, the internal PDFs and documents, anyone's e-mail
    address) is in no object the API serves."""
    # the demo's archive is approved: a coming meeting's draft beside it, with its notice sent
    council = Council.objects.get(slug="forebyggande-radet")
    meeting = services.meeting_create(
        council=council, date=timezone.localdate() + datetime.timedelta(days=9),
        start_time=datetime.time(8, 30), end_time=None, place="Rådhuset", actor=None,
    )  # fmt: skip
    draft = meeting.minutes.get()
    services.notice_send(meeting=meeting, actor=None)
    write_item(draft, 1, f"<p>{DRAFT_TEXT}, och det syns ingenstans.</p>")
    approved_meetings = ApprovedRevision.objects.values("minutes__meeting")
    result, text = serve_everything(api)
    assert result.violations == []
    assert {"Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem", "File"} <= (
        result.objects.keys()
    )
    forbidden: dict[str, str] = {}
    secret = AgendaItem.objects.filter(is_public=False).select_related("minutes")
    assert secret.exists(), "the demo has confidential §§"
    for item in secret:
        forbidden[item.title] = f"title of confidential {item}"
        if item.confidentiality_ground:
            forbidden[item.confidentiality_ground] = f"ground of {item}"
        for html in (item.body, item.decision, *(s.body for s in item.sections.all())):
            for phrase in _phrases(html):
                forbidden[phrase] = f"text of confidential {item}"
    drafts = 0
    for item in AgendaItem.objects.exclude(minutes__meeting__in=approved_meetings):
        for phrase in _phrases(item.body):
            forbidden[phrase] = f"draft text of {item}"
            drafts += 1
    assert drafts, "the demo has drafts with text"
    internal = [
        *ApprovedRevision.objects.exclude(internal_pdf_sha256="").values_list(
            "internal_pdf_sha256", flat=True
        ),
        *Notice.objects.exclude(internal_pdf_sha256="").values_list(
            "internal_pdf_sha256", flat=True
        ),
        *ItemDocument.objects.filter(is_public=False).values_list("sha256", flat=True),
    ]
    assert internal, "the demo has internal copies"
    # an internal copy with nothing to leave out is the public one, byte for byte (a notice
    # without internal documents): its checksum is the public file's
    public = {
        *ApprovedRevision.objects.values_list("pdf_sha256", flat=True),
        *Notice.objects.values_list("pdf_sha256", flat=True),
    }
    for sha256 in set(internal) - public:
        forbidden[sha256] = "an internal file"
        digest = FileDigest.objects.filter(sha256=sha256).first()
        if digest is not None:
            forbidden[digest.sha512] = "an internal file's SHA-512"
    addresses = {e for e in Person.objects.values_list("email", flat=True) if e}
    addresses |= {e for e in User.objects.values_list("email", flat=True) if e}
    assert addresses, "the demo has people with e-mail addresses"
    for address in addresses:
        forbidden[address] = "an e-mail address"
    found = {what: why for what, why in forbidden.items() if what in text}
    assert found == {}


def test_a_withdrawn_publication_leaves_tombstones_and_nothing_of_its_text(record, api, cast):
    meeting = record.minutes.meeting
    oparl_rules.crawl(api.get, start_url())  # everything built and served once
    first_item = api.json(f"{start_url()}meeting/{meeting.pk}/")["agendaItem"][0]["id"]
    before = timezone.now()
    services.publication_withdraw(revision=record, actor=cast.secretary, reason=WITHDRAWN_TEXT)
    result, text = serve_everything(api)
    assert result.violations == []
    assert "Läget i kommunen" not in text and "Information om läget" not in text
    assert WITHDRAWN_TEXT not in text
    url = f"{start_url()}meeting/{meeting.pk}/"
    served = api.json(url)
    assert "resultsProtocol" not in served and "agendaItem" not in served
    # the file and the items are tombstones: id, type, created, modified and deleted alone
    pdf = api.json(f"{start_url()}file/p{record.pk}/")
    assert pdf["deleted"] is True and set(pdf) == {"id", "type", "created", "modified", "deleted"}
    assert datetime.datetime.fromisoformat(pdf["modified"]) >= before.replace(microsecond=0)
    item = api.json(first_item)
    assert item["deleted"] is True and "name" not in item
    # a client that synchronises sees them in the lists it asks for changes since
    since = (before - datetime.timedelta(seconds=1)).isoformat()
    body = cast.municipality.pk
    changed = api.everything(
        f"{start_url()}body/{body}/file/?modified_since={since.replace('+', '%2B')}"
    )
    assert {"id": pdf["id"], "deleted": True} in [
        {"id": f["id"], "deleted": f.get("deleted", False)} for f in changed
    ]


def test_a_removed_document_becomes_a_tombstone(cast, api):
    StandingItem.objects.create(council=cast.council, position=1, title="Information")
    meeting = services.meeting_create(
        council=cast.council, date=timezone.localdate() + datetime.timedelta(days=7),
        start_time=datetime.time(8, 30), end_time=None, place="Rådhuset", actor=cast.secretary,
    )  # fmt: skip
    item = meeting.minutes.get().items.get(position=1)
    document = services.document_add(
        item=item, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%a\n%%EOF\n"),
        title="Underlag", is_public=True, actor=None,
    )  # fmt: skip
    services.notice_send(meeting=meeting, actor=cast.secretary)
    served = api.json(f"{start_url()}meeting/{meeting.pk}/")
    assert (
        served["meetingState"] == "kallat" and served["invitation"]["mimeType"] == "application/pdf"
    )
    (aux,) = served["agendaItem"][0]["auxiliaryFile"]
    assert aux["name"] == "Underlag"
    services.document_delete(document=document, actor=cast.secretary)
    gone = api.json(aux["id"])
    assert gone["deleted"] is True
    assert "auxiliaryFile" not in api.json(f"{start_url()}meeting/{meeting.pk}/")["agendaItem"][0]


# --- lists ------------------------------------------------------------------------------------


def meetings_url(cast, **query) -> str:
    from urllib.parse import urlencode

    base = f"{start_url()}body/{cast.municipality.pk}/meeting/"
    return f"{base}?{urlencode(query)}" if query else base


def many_meetings(cast, count: int) -> list:
    return [
        factories.meeting(cast.council, datetime.date(2019, 1, 1) + datetime.timedelta(days=n))
        for n in range(count)
    ]


def test_pages_follow_each_other_without_gap_or_repeat_while_meetings_are_added(cast, api):
    many_meetings(cast, 7)
    first = api.json(meetings_url(cast, limit=3))
    assert len(first["data"]) == 3 and first["pagination"]["elementsPerPage"] == 3
    assert "limit=3" in first["links"]["next"]
    # added while the client pages through: comes later, and nothing moves
    many_meetings_later = factories.meeting(cast.council, datetime.date(2018, 6, 1))
    seen = [m["id"] for m in first["data"]]
    page = first
    while "next" in page["links"]:
        page = api.json(page["links"]["next"])
        seen += [m["id"] for m in page["data"]]
    assert len(seen) == len(set(seen)) == 8
    assert seen[-1].endswith(f"/meeting/{many_meetings_later.pk}/")
    assert "next" not in page["links"]


def test_filters_select_by_created_and_modified(cast, api):
    old = many_meetings(cast, 2)
    api.json(meetings_url(cast))  # built
    cut = timezone.now()
    OParlObject.objects.filter(kind="meeting").update(
        created=cut - datetime.timedelta(days=2), modified=cut - datetime.timedelta(days=1)
    )
    new = factories.meeting(cast.council, datetime.date(2021, 3, 1))
    since = cut.isoformat()
    ids = [m["id"] for m in api.everything(meetings_url(cast, modified_since=since))]
    assert ids == [f"{start_url()}meeting/{new.pk}/"]
    ids = [m["id"] for m in api.everything(meetings_url(cast, created_until=since))]
    assert sorted(ids) == sorted(f"{start_url()}meeting/{m.pk}/" for m in old)
    until = (cut - datetime.timedelta(hours=1)).isoformat()
    assert len(api.everything(meetings_url(cast, modified_until=until))) == 2
    assert len(api.everything(meetings_url(cast, created_since=since))) == 1
    # the filter stays on every page
    page = api.json(meetings_url(cast, created_until=since, limit=1))
    assert "created_until=" in page["links"]["next"]


def test_an_until_filter_at_an_objects_printed_time_includes_it(cast, api):
    """The times print to the second and are stored to the microsecond: an object whose printed
    ``modified`` (or ``created``) is the bound is in the list up to it, as in the one since."""
    (meeting,) = many_meetings(cast, 1)
    stored = datetime.datetime(2026, 3, 1, 12, 0, 5, 700000, tzinfo=datetime.UTC)
    opendata.refresh(opendata.meeting_scope(meeting.pk), now=stored)  # built at that moment
    built()  # the rest, and nothing of the meeting changes
    served = api.json(f"{start_url()}meeting/{meeting.pk}/")
    assert served["modified"].startswith("2026-03-01T13:00:05")  # Swedish time, no fraction
    for name in ("modified_until", "modified_since", "created_until", "created_since"):
        value = served[name.split("_")[0]]
        listed = api.everything(meetings_url(cast, **{name: value}))
        assert [m["id"] for m in listed] == [served["id"]], (name, value)
    # a bound a second earlier leaves it out
    earlier = (stored - datetime.timedelta(seconds=1)).replace(microsecond=0).isoformat()
    assert api.everything(meetings_url(cast, modified_until=earlier)) == []
    assert len(api.everything(meetings_url(cast, created_until="9999-12-31T23:59:59Z"))) == 1


@pytest.mark.parametrize(
    "query",
    [
        "modified_since=igår",
        "modified_since=2026-01-01T00:00:00",
        "modified_since=0001-01-01T00:00:00%2B01:00",
        "created_until=9999-12-31T23:59:59-01:00",
        "limit=0",
        "limit=x",
        "limit=%C2%B2",
        "after=x",
        "after=%C2%B2",
        "after=99999999999999999999999",
    ],
)
def test_a_bad_filter_is_a_400_that_says_why_in_swedish(cast, api, query):
    response = api.response(meetings_url(cast) + "?" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    message = json.loads(response.content)["error"]
    assert any(word in message for word in ("tidpunkt", "tidszon", "heltal")), message


def test_a_plus_sign_left_unencoded_is_read_as_the_offset(cast, api):
    many_meetings(cast, 1)
    response = api.response(meetings_url(cast) + "?modified_since=2020-01-01T00:00:00+01:00")
    assert response.status_code == 200 and len(json.loads(response.content)["data"]) == 1


def test_an_organizations_meetings_are_its_own(cast, api):
    mine = many_meetings(cast, 2)
    factories.meeting(cast.other_council, datetime.date(2020, 1, 1))
    organization = api.json(f"{start_url()}organization/{cast.council.pk}/")
    ids = [m["id"] for m in api.everything(organization["meeting"])]
    assert sorted(ids) == sorted(f"{start_url()}meeting/{m.pk}/" for m in mine)


def test_unknown_lists_and_objects_are_404(cast, api):
    for path in (
        "body/999/meeting/", f"body/{cast.municipality.pk}/nothing/", "meeting/999/",
        "system/x/", "organization/999/meeting/",
    ):  # fmt: skip
        response = api.response(start_url() + path)
        assert response.status_code == 404, path
        assert "finns inte" in json.loads(response.content)["error"], path


def test_the_api_is_read_only(cast, api):
    response = api.client.post(local(start_url()))
    assert response.status_code == 405


# --- speed and caches -------------------------------------------------------------------------


def queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.response(url).status_code == 200
    return len(captured)


def built() -> None:
    while opendata.refresh_pending():
        pass


def test_a_list_page_and_an_object_take_a_fixed_number_of_queries(record, cast, api):
    built()
    small = {
        "list": queries(api, meetings_url(cast)),
        "object": queries(api, f"{start_url()}meeting/{record.minutes.meeting_id}/"),
        "persons": queries(api, f"{start_url()}body/{cast.municipality.pk}/person/"),
        "system": queries(api, start_url()),
    }
    many_meetings(cast, 30)
    for n in range(10):
        factories.membership(factories.person(f"Ny Ledamot {n}"), cast.council, "member")
    built()
    large = {
        "list": queries(api, meetings_url(cast)),
        "object": queries(api, f"{start_url()}meeting/{record.minutes.meeting_id}/"),
        "persons": queries(api, f"{start_url()}body/{cast.municipality.pk}/person/"),
        "system": queries(api, start_url()),
    }
    assert small == large
    # nothing pending (one), the body (one), the page (one); the object (one) after the first
    assert large["list"] == 3 and large["object"] == 2 and large["system"] == 2


def test_an_unchanged_object_answers_304_and_a_changed_one_does_not(record, api, cast):
    url = f"{start_url()}organization/{cast.council.pk}/"
    first = api.response(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Access-Control-Allow-Origin"] == "*"
    again = api.response(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = api.response(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    page = api.response(meetings_url(cast))
    assert page["ETag"] and "Last-Modified" not in page  # a list's ETag covers what left it
    assert api.response(meetings_url(cast), HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    cast.council.name = "Brottsförebyggande rådet"
    cast.council.save()
    changed = api.response(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert json.loads(changed.content)["name"] == "Brottsförebyggande rådet"
    # the council's meetings carry its name: they changed too
    assert api.response(meetings_url(cast), HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 200


def test_an_unchanged_rebuild_keeps_modified(record, api, cast):
    api.json(start_url())
    before = dict(OParlObject.objects.values_list("pk", "modified"))
    totals = opendata.refresh_all()
    assert totals == {"created": 0, "changed": 0, "deleted": 0, "failed": 0}
    assert dict(OParlObject.objects.values_list("pk", "modified")) == before


# --- what happens to a record ------------------------------------------------------------------


def test_a_correction_is_the_meetings_record_and_the_first_version_an_auxiliary_file(
    record, api, cast
):
    meeting_url = f"{start_url()}meeting/{record.minutes.meeting_id}/"
    first = api.json(meeting_url)
    assert first["resultsProtocol"]["id"].endswith(f"/file/p{record.pk}/")
    draft = services.correction_start(revision=record, actor=cast.chair, reason="Fel namn i § 1")
    write_item(draft, 1, "<p>Läget i kommunen är lugnt, rättat.</p>", title="Information om läget")
    # the draft changes nothing public
    assert api.json(meeting_url) == first
    corrected = submit_and_approve(draft, cast)
    served = api.json(meeting_url)
    assert served["resultsProtocol"]["id"].endswith(f"/file/p{corrected.pk}/")
    (older,) = served["auxiliaryFile"]
    assert older["id"].endswith(f"/file/p{record.pk}/") and "ersatt" in older["name"]
    # the correction's items are its own; the first version's are tombstones
    old_items = [i["id"] for i in first["agendaItem"]]
    assert not set(old_items) & {i["id"] for i in served["agendaItem"]}
    assert all(api.json(url)["deleted"] is True for url in old_items)
    # its withdrawal leaves the first version's file, and no items
    services.publication_withdraw(revision=corrected, actor=cast.secretary, reason=WITHDRAWN_TEXT)
    after = api.json(meeting_url)
    assert "resultsProtocol" not in after and "agendaItem" not in after
    assert [f["id"] for f in after["auxiliaryFile"]] == [older["id"]]
    assert after["meetingState"] == "genomfört"
    assert api.json(f"{start_url()}file/p{corrected.pk}/")["deleted"] is True


def test_a_notice_sent_again_replaces_its_file_and_keeps_its_items(cast, api):
    StandingItem.objects.create(council=cast.council, position=1, title="Information")
    meeting = services.meeting_create(
        council=cast.council, date=timezone.localdate() + datetime.timedelta(days=9),
        start_time=datetime.time(8, 30), end_time=None, place="Rådhuset", actor=cast.secretary,
    )  # fmt: skip
    services.notice_send(meeting=meeting, actor=cast.secretary)
    url = f"{start_url()}meeting/{meeting.pk}/"
    first = api.json(url)
    (item,) = first["agendaItem"]
    draft = meeting.minutes.get()
    services.item_create(minutes=draft, title="Budget", actor=cast.secretary)
    services.notice_send(meeting=meeting, actor=cast.secretary)
    second = api.json(url)
    assert second["invitation"]["id"] != first["invitation"]["id"]
    assert api.json(first["invitation"]["id"])["deleted"] is True
    # the item listed before keeps its id; the new one is added after it
    assert second["agendaItem"][0]["id"] == item["id"]
    assert [i["name"] for i in second["agendaItem"]] == ["Information", "Budget"]


def test_a_scope_that_cannot_be_built_does_not_stop_the_api(cast, api, monkeypatch, caplog):
    many_meetings(cast, 2)
    api.json(meetings_url(cast))
    broken = factories.meeting(cast.council, datetime.date(2022, 5, 5))
    real = opendata.build.build_meeting

    def build_meeting(pk):
        if pk == broken.pk:
            raise KeyError("a record the builder cannot read")
        return real(pk)

    monkeypatch.setattr(opendata.build, "build_meeting", build_meeting)
    listed = api.everything(meetings_url(cast))
    assert len(listed) == 2  # served without the one that failed
    assert api.response(start_url()).status_code == 200
    assert "could not be rebuilt" in caplog.text
    monkeypatch.setattr(opendata.build, "build_meeting", real)
    assert len(api.everything(meetings_url(cast))) == 3  # left pending, built on a later request


def test_a_change_while_everything_is_rebuilt_stays_pending(cast, api, monkeypatch):
    many_meetings(cast, 2)
    api.json(meetings_url(cast))
    meeting = factories.meeting(cast.council, datetime.date(2023, 1, 9))
    real = opendata.refresh

    def refresh(scope, **kwargs):
        result = real(scope, **kwargs)
        if scope == opendata.body_scope(cast.municipality.pk):
            meeting.place = "Flyttat under natten"
            meeting.save()  # marks the meeting while the nightly rebuild runs
        return result

    monkeypatch.setattr(opendata, "refresh", refresh)
    opendata.refresh_all()
    monkeypatch.setattr(opendata, "refresh", real)
    served = api.json(f"{start_url()}meeting/{meeting.pk}/")
    assert served["location"]["description"] == "Flyttat under natten"


def test_objects_built_while_english_is_active_are_the_records_swedish(cast, api):
    """A site with LANGUAGE_CODE=en (README, "Languages") rebuilds in English requests and in
    cron: the objects stay in the record's language."""
    factories.membership(factories.person("Ella Ersättare"), cast.council, "substitute")
    with translation.override("en"):
        built()
    roles = {
        m["role"] for m in api.everything(f"{start_url()}body/{cast.municipality.pk}/membership/")
    }
    assert "ersättare" in roles and "substitute" not in roles
    organization = api.json(f"{start_url()}organization/{cast.council.pk}/")
    assert organization["classification"] == "Råd"


def test_a_file_stored_before_its_sha512_was_kept_gets_it_from_the_nightly_rebuild(record, api):
    from minutes.models import FileDigest

    FileDigest.objects.filter(sha256=record.pdf_sha256).delete()  # as before this change
    opendata.mark(opendata.meeting_scope(record.minutes.meeting_id))
    built()
    pdf = api.json(f"{start_url()}file/p{record.pk}/")
    assert "sha512Checksum" not in pdf
    opendata.refresh_all()
    pdf = api.json(f"{start_url()}file/p{record.pk}/")
    body = api.response(pdf["accessUrl"])
    content = b"".join(body.streaming_content) if body.streaming else body.content
    assert pdf["sha512Checksum"] == hashlib.sha512(content).hexdigest()
