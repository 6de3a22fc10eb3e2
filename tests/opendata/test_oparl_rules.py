"""The OParl 1.1 checker itself: the spec's own examples pass, broken objects fail by name, and
the crawler follows lists, references and back references, each URL once."""

from __future__ import annotations

import copy

from tests.opendata.oparl_rules import TYPE_BASE, check_list_page, check_object, crawl

T = TYPE_BASE
STAMPS = {"created": "2012-01-06T12:01:00+01:00", "modified": "2012-01-08T14:05:27+01:00"}

# The spec's meeting example (OParl/spec schema and chapter examples), with 1.1 type URLs.
MEETING = {
    "id": "https://oparl.example.org/meeting/281",
    "type": T + "Meeting",
    "name": "4. Sitzung des Finanzausschusses",
    "start": "2013-01-04T08:00:00+01:00",
    "end": "2013-01-04T12:00:00+01:00",
    "location": {
        "id": "https://oparl.example.org/location/1",
        "type": T + "Location",
        "description": "Rathaus, Raum 136",
        **STAMPS,
    },
    "organization": ["https://oparl.example.org/organization/34"],
    "agendaItem": [
        {
            "id": "https://oparl.example.org/agendaitem/1045",
            "type": T + "AgendaItem",
            "number": "10.1",
            "name": "Satzungsänderung für Ausschreibungen",
            "public": True,
            **STAMPS,
        }
    ],
    "resultsProtocol": {
        "id": "https://oparl.example.org/files/628",
        "type": T + "File",
        "accessUrl": "https://oparl.example.org/files/628.pdf",
        "date": "2013-01-05",
        "size": 82930,
        **STAMPS,
    },
    **STAMPS,
}

# The spec's person example with embedded memberships (adapted: the type the schema requires).
PERSON = {
    "id": "https://oparl.example.org/person/1",
    "type": T + "Person",
    "name": "Prof. Dr. Max Muster",
    "membership": [
        {
            "id": "https://oparl.example.org/memberships/385",
            "type": T + "Membership",
            "organization": "https://oparl.example.org/organizations/5",
            "role": "Vorsitzende",
            "votingRight": True,
            "startDate": "2013-12-03",
            **STAMPS,
        }
    ],
    **STAMPS,
}

# The spec's paging example, with one object on the page.
PAGE = {
    "data": [
        {"id": "https://oparl.example.org/organization/1", "type": T + "Organization", **STAMPS}
    ],
    "pagination": {
        "totalElements": 50000,
        "elementsPerPage": 100,
        "currentPage": 3,
        "totalPages": 500,
    },
    "links": {
        "first": "https://oparl.example.org/organization/",
        "prev": "https://oparl.example.org/organization/?page=2",
        "self": "https://oparl.example.org/organization/?page=3",
        "next": "https://oparl.example.org/organization/?page=4",
        "last": "https://oparl.example.org/organization/?page=500",
        "web": "https://web.example.org/organization/?page=500",
    },
}


def changed(obj: dict, **changes) -> dict:
    result = copy.deepcopy(obj)
    for key, value in changes.items():
        if value is None:
            del result[key]
        else:
            result[key] = value
    return result


def test_spec_examples_pass():
    assert check_object(MEETING, "Meeting") == []
    assert check_object(PERSON, "Person") == []
    assert check_list_page(PAGE, "Organization") == []


def test_missing_required_property_is_named():
    file = changed(MEETING["resultsProtocol"], accessUrl=None)
    assert any("misses required property 'accessUrl'" in p for p in check_object(file, "File"))
    assert any("'modified'" in p for p in check_object(changed(MEETING, modified=None)))


def test_oparl_1_0_type_url_fails():
    old = changed(MEETING, type="https://oparl.org/schema/1.0/Meeting")
    assert any("not an OParl 1.1 type URL" in p for p in check_object(old, "Meeting"))


def test_date_time_without_offset_fails():
    problems = check_object(changed(MEETING, start="2013-01-04T08:00:00"), "Meeting")
    assert problems == [
        f"{MEETING['id']}: 'start' should be a date-time with offset, "
        "e.g. 2014-01-04T08:00:00+01:00, got '2013-01-04T08:00:00'"
    ]


def test_date_must_be_a_plain_date():
    member = changed(PERSON["membership"][0], startDate="2013-12-03T00:00:00+01:00")
    assert any("'startDate' should be a date" in p for p in check_object(member, "Membership"))


def test_non_url_id_fails():
    problems = check_object(changed(MEETING, id="meeting/281"), "Meeting")
    assert any("'id' should be an absolute http(s) URL" in p for p in problems)


def test_embedded_object_of_wrong_type_fails():
    meeting = changed(MEETING)
    meeting["location"]["type"] = T + "File"
    problems = check_object(meeting, "Meeting")
    assert any("location: type is File, expected Location" in p for p in problems)


def test_modified_before_created_fails():
    obj = changed(MEETING, modified="2011-01-01T00:00:00+01:00")
    assert any("is before created" in p for p in check_object(obj, "Meeting"))


def test_deleted_object_needs_only_its_stamps_and_drops_the_rest():
    gone = {"id": MEETING["id"], "type": T + "Meeting", "deleted": True, **STAMPS}
    assert check_object(gone, "Meeting") == []
    assert any("must drop" in p for p in check_object(gone | {"name": "x"}, "Meeting"))


def test_standalone_agenda_item_needs_its_meeting_but_embedded_does_not():
    item = MEETING["agendaItem"][0]
    assert check_object(item, "AgendaItem", embedded=True) == []
    assert any("'meeting'" in p for p in check_object(item, "AgendaItem"))


def test_null_and_misspelt_keys_are_reported():
    problems = check_object(changed(MEETING, name=None) | {"Name": "x", "end": None})
    assert any("'Name' is a misspelling of 'name'" in p for p in problems)
    assert any("'end' is null" in p for p in problems)


def test_list_page_without_data_fails():
    problems = check_list_page(changed(PAGE, data=None))
    assert problems == ["list page: misses required property 'data'"]
    bad_next = changed(PAGE, links={"next": "?page=4"})
    assert any("links.next" in p for p in check_list_page(bad_next))
    assert any("has no links.next" in p for p in check_list_page(changed(PAGE, links={})))


# A tiny API for the crawler: System -> Body -> lists; the meeting list has two pages.
R = "https://api.example.org/oparl/v1/"


def obj(kind: str, path: str, **props) -> dict:
    return {"id": R + path, "type": T + kind, **STAMPS, **props}


def page(items: list[dict], next_url: str | None = None) -> dict:
    return {"data": items, "pagination": {}, "links": {"next": next_url} if next_url else {}}


def fake_api() -> dict[str, dict]:
    item = obj("AgendaItem", "item/1", name="Budget", number="3")
    meeting = obj(
        "Meeting",
        "meeting/1",
        organization=[R + "org/1"],
        agendaItem=[item],
        web="https://example.org/m/1",
        invitation=obj("File", "file/1", accessUrl="https://example.org/f/1.pdf"),
    )
    membership = obj("Membership", "membership/1", organization=R + "org/1", role="ledamot")
    person = obj("Person", "person/1", name="Anna", body=R + "body/1", membership=[membership])
    org = obj(
        "Organization",
        "org/1",
        body=R + "body/1",
        meeting=R + "org/1/meeting",
        membership=[R + "membership/1"],
    )
    body = obj(
        "Body",
        "body/1",
        name="Arboga",
        system=R,
        organization=R + "body/1/org",
        person=R + "body/1/person",
        meeting=R + "body/1/meeting",
        paper=R + "body/1/paper",
        legislativeTerm=[],
    )
    api = {
        R: obj("System", "", oparlVersion="https://schema.oparl.org/1.1/", body=R + "body"),
        R + "body": page([body]),
        R + "body/1": body,
        R + "body/1/org": page([org]),
        R + "org/1": org,
        R + "org/1/meeting": page([meeting]),
        R + "body/1/person": page([person]),
        R + "person/1": person,
        R + "membership/1": membership | {"person": R + "person/1"},
        R + "body/1/meeting": page([], R + "body/1/meeting?page=2"),
        R + "body/1/meeting?page=2": page([meeting]),
        R + "meeting/1": meeting,
        R + "item/1": item | {"meeting": R + "meeting/1"},
        R + "file/1": meeting["invitation"],
    }  # body/1/paper is missing: a 404
    return api


def run(api: dict[str, dict]):
    calls: list[str] = []

    def get(url: str) -> tuple[int, dict]:
        calls.append(url)
        return (200, api[url]) if url in api else (404, {})

    return crawl(get, R), calls


def test_crawl_follows_lists_pages_references_and_back_references():
    result, calls = run(fake_api())
    assert len(calls) == len(set(calls))
    assert R + "body/1/meeting?page=2" in calls  # links.next
    assert R + "item/1" in calls and R + "membership/1" in calls  # embedded, fetched by id
    assert R + "file/1" in calls
    assert set(result.objects) == {
        "System",
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "File",
    }
    assert result.failures == {R + "body/1/paper": 404}
    assert result.violations == [f"{R}body/1/paper (linked from {R}body/1): HTTP 404"]
    assert result.links == {"https://example.org/m/1", "https://example.org/f/1.pdf"}
    assert "https://example.org/f/1.pdf" not in calls


def test_crawl_reports_a_wrong_back_reference_and_a_differing_copy():
    api = fake_api()
    api[R + "item/1"] = api[R + "item/1"] | {"meeting": R + "meeting/2"}
    api[R + "membership/1"] = api[R + "membership/1"] | {"role": "ordförande"}
    violations = run(api)[0].violations
    assert any("item/1 fetched on its own has meeting=" in v for v in violations)
    assert any("differs from" in v and "membership/1" in v and "'role'" in v for v in violations)


def test_crawl_reports_a_reference_to_the_wrong_type():
    api = fake_api()
    api[R + "membership/1"] = api[R + "membership/1"] | {"organization": R + "person/1"}
    violations = run(api)[0].violations
    assert any("should be a Organization" in v for v in violations)


def test_crawl_reports_a_meeting_missing_from_its_organizations_list():
    api = fake_api()
    api[R + "org/1/meeting"] = page([])
    violations = run(api)[0].violations
    assert f"{R}meeting/1: not in the meeting list of its organization {R}org/1" in violations
