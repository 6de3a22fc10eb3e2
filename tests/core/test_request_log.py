"""One structured line per request: who asked for what, and how it ended."""

import json
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def entries(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "protokollet.request"]


def test_every_request_is_logged_with_user_and_outcome(client, cast, caplog):
    caplog.set_level(logging.INFO, logger="protokollet.request")
    client.get("/sok/?q=personnummer+19121212-1212")
    client.force_login(cast.secretary)
    client.get(reverse("drafting:workspace"))
    client.get("/finns/inte/")
    first, second, third = entries(caplog)
    assert first["method"] == "GET" and first["path"] == "/sok/" and first["status"] == 200
    assert first["user"] is None and first["ip"] == "127.0.0.1"
    assert "personnummer" not in json.dumps(first)  # the query string stays out of the log
    assert second["username"] == "sekreterare" and second["user"] == cast.secretary.pk
    assert isinstance(second["ms"], float)
    assert third["status"] == 404
    levels = [r.levelno for r in caplog.records if r.name == "protokollet.request"]
    assert levels == [logging.INFO, logging.INFO, logging.WARNING]


def test_a_denial_is_logged_as_a_warning_with_who_was_denied(client, cast, caplog):
    caplog.set_level(logging.INFO, logger="protokollet.request")
    client.force_login(cast.member)
    client.post(reverse("plans:list", args=["arboga", "forebyggande-radet"]))
    [entry] = entries(caplog)
    assert entry["status"] == 403 and entry["username"] == "ledamot"
