"""The item views: adding, the item form, the editor's autosave, moving, reordering and deleting:
happy path, anonymous, other council (404), wrong role (403), wrong state."""

import json

import pytest

from core.sanitize import allow_list
from minutes.models import AgendaItem, Minutes
from tests.minutes.drafting_fixtures import drafting_url

pytestmark = pytest.mark.django_db


url = drafting_url


def autosave(client, item, **changes):
    payload = {
        "version": item.version,
        "title": item.title,
        "body": item.body,
        "decision": item.decision,
        "is_public": item.is_public,
        "confidentiality_ground": item.confidentiality_ground,
        "sections": [],
    } | changes
    return client.post(
        url("item_autosave", item.minutes, item),
        json.dumps(payload),
        content_type="application/json",
    )


# --- items ---------------------------------------------------------------------------------------


def test_secretary_adds_an_item_and_lands_in_its_editor(client, cast, draft):
    client.force_login(cast.secretary)
    response = client.post(url("item_add", draft), {"title": "Trygghetsvandring"})
    item = draft.items.get(title="Trygghetsvandring")
    assert response["Location"] == url("item", draft, item)
    assert item.position == 4  # before "Övriga frågor"


def test_the_item_page_gives_the_editor_the_servers_allow_list(client, cast, draft):
    client.force_login(cast.secretary)
    html = client.get(url("item", draft, draft.items.get(position=4))).content.decode()
    start = html.index('<script id="richtext-rules" type="application/json">')
    rules = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert json.loads(rules) == allow_list()
    # the plain form's hint, which the editor hides, by the id the script looks for
    assert 'id="id_body_helptext"' in html


def test_the_item_form_saves_without_javascript(client, cast, draft):
    item = draft.items.get(position=4)
    client.force_login(cast.secretary)
    assert client.get(url("item", draft, item)).status_code == 200
    data = {
        "version": "1",
        "title": "Övriga frågor",
        "body": "Inga övriga frågor.",
        "decision": "",
        "is_public": "on",
        "confidentiality_ground": "",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-heading": "",
        "sections-0-body": "",
    }
    response = client.post(url("item", draft, item), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.body == "<p>Inga övriga frågor.</p>" and item.version == 2
    stale = client.post(url("item", draft, item), data | {"body": "Annan text"})
    assert stale.status_code == 409
    assert "Någon annan har sparat ärendet" in stale.content.decode()
    item.refresh_from_db()
    assert item.body == "<p>Inga övriga frågor.</p>"


def test_autosave_answers_json_with_the_new_version_and_time(client, cast, draft):
    item = draft.items.get(position=4)
    client.force_login(cast.secretary)
    response = autosave(client, item, body="<p>Sparad <em>text</em></p>")
    assert response.status_code == 200
    assert response.json()["version"] == 2 and len(response.json()["saved_at"]) == 5
    item.refresh_from_db()
    assert item.body == "<p>Sparad <em>text</em></p>"


def test_autosave_from_an_old_version_is_409_with_the_stored_text(client, cast, draft):
    item = draft.items.get(position=4)
    client.force_login(cast.secretary)
    autosave(client, item, body="<p>Först</p>")
    response = autosave(client, item, body="<p>Sen</p>")  # the same, stale, version 1
    assert response.status_code == 409
    assert response.json()["current"]["body"] == "<p>Först</p>"


def test_autosave_is_401_json_when_signed_out_never_a_redirect(client, draft):
    item = draft.items.get(position=4)
    response = autosave(client, item, body="<p>x</p>")
    assert response.status_code == 401 and "utloggad" in response.json()["error"]


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("outsider", 404)])
def test_autosave_refuses_other_roles_and_councils_as_json(client, cast, draft, who, status):
    item = draft.items.get(position=4)
    client.force_login(getattr(cast, who))
    response = autosave(client, item, body="<p>x</p>")
    assert response.status_code == status and "error" in response.json()
    item.refresh_from_db()
    assert item.version == 1


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"title": "x"}', b'{"version": "a"}', b"\xff\xfe"]
)
def test_autosave_of_garbage_is_400(client, cast, draft, body):
    item = draft.items.get(position=4)
    client.force_login(cast.secretary)
    response = client.post(url("item_autosave", draft, item), body, content_type="application/json")
    assert response.status_code == 400


def test_autosave_of_submitted_minutes_is_409(client, cast, draft):
    item = draft.items.get(position=4)
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    response = autosave(client, item, body="<p>x</p>")
    assert response.status_code == 409 and response.json()["state"] == "not_editable"


def test_moving_and_deleting_items(client, cast, draft):
    client.force_login(cast.secretary)
    last = draft.items.get(position=4)
    client.post(url("item_move", draft, last), {"direction": "upp"})
    assert AgendaItem.objects.get(pk=last.pk).position == 3
    assert client.post(url("item_move", draft, last), {"direction": "sidled"}).status_code == 302
    client.post(url("item_delete", draft, last))
    assert not AgendaItem.objects.filter(pk=last.pk).exists()
    assert list(draft.items.values_list("number", flat=True).order_by("position")) == [
        "1",
        "2",
        "3",
    ]


def test_reordering_by_drag_posts_the_whole_order(client, cast, draft):
    client.force_login(cast.secretary)
    ids = list(draft.items.order_by("position").values_list("pk", flat=True))
    response = client.post(
        url("items_order", draft), json.dumps({"order": ids[::-1]}), content_type="application/json"
    )
    assert response.status_code == 200
    assert list(draft.items.order_by("position").values_list("pk", flat=True)) == ids[::-1]
    bad = client.post(
        url("items_order", draft), json.dumps({"order": ids[:1]}), content_type="application/json"
    )
    assert bad.status_code == 409


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("chair", 403), ("outsider", 404)])
def test_only_secretaries_change_items(client, cast, draft, who, status):
    item = draft.items.get(position=4)
    client.force_login(getattr(cast, who))
    assert client.get(url("item", draft, item)).status_code == status
    assert client.post(url("item_add", draft), {"title": "X"}).status_code == status
    assert client.post(url("item_delete", draft, item)).status_code == status
    assert client.post(url("item_move", draft, item), {"direction": "upp"}).status_code == status
    order = client.post(
        url("items_order", draft), json.dumps({"order": []}), content_type="application/json"
    )
    assert order.status_code == status
    assert draft.items.count() == 4 and AgendaItem.objects.get(pk=item.pk).position == 4


def test_anonymous_visitors_are_sent_to_login_or_get_401(client, draft):
    item = draft.items.get(position=4)
    for name, args in [
        ("item", (draft, item)),
        ("item_add", (draft,)),
        ("item_delete", (draft, item)),
    ]:
        response = client.post(url(name, *args), {"title": "X"})
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    order = client.post(url("items_order", draft), "{}", content_type="application/json")
    assert order.status_code == 401


def test_items_of_submitted_minutes_cannot_change(client, cast, draft):
    item = draft.items.get(position=4)
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    assert client.get(url("item", draft, item)).status_code == 409
    assert client.post(url("item_add", draft), {"title": "X"}).status_code == 409
    assert client.post(url("item_delete", draft, item)).status_code == 409
    assert client.post(url("item_move", draft, item), {"direction": "upp"}).status_code == 409
    assert draft.items.count() == 4


def test_a_refused_csrf_check_answers_the_editor_in_json(cast, draft):
    from django.test import Client

    item = draft.items.get(position=4)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.secretary)
    response = strict.post(
        url("item_autosave", draft, item),
        json.dumps({"version": 1}),
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403 and response.json()["csrf"] is True
    item.refresh_from_db()
    assert item.version == 1
    form = strict.post(url("item_add", draft), {"title": "X"})
    assert form.status_code == 403 and "text/html" in form["Content-Type"]
