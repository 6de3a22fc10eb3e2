import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from minutes.services.importing import import_legacy_minutes

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0c5fa8de9f2c9a36.txt"
START = "/oparl/v1/"


def start_url() -> str:
    return settings.SITE_URL.rstrip("/") + START


def local(url: str) -> str:
    """A URL of this site as the test client asks for it (path and query)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Api:
    """The API through Django's test client, as an OParl client sees it."""

    def __init__(self) -> None:
        self.client = Client()

    def response(self, url: str, **headers):
        return self.client.get(local(url), **headers)

    def get(self, url: str) -> tuple[int, dict]:
        response = self.response(url)
        try:
            body = json.loads(response.content)
        except ValueError:
            body = {}
        return response.status_code, body

    def json(self, url: str) -> dict:
        status, body = self.get(url)
        assert status == 200, (url, status, body)
        return body

    def everything(self, url: str) -> list[dict]:
        """Every object of a list, page by page."""
        objects, page = [], self.json(url)
        objects += page["data"]
        while "next" in page["links"]:
            page = self.json(page["links"]["next"])
            objects += page["data"]
        return objects


@pytest.fixture
def api() -> Api:
    return Api()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def seed(db):
    """The real minutes of Förebyggande rådet, 24 February 2020, imported as the archive's."""
    if not SEED.exists():
        pytest.skip(f"the seed minutes are not at {SEED} (CI has ../shared beside the checkout)")
    return import_legacy_minutes(
        text=SEED.read_text(encoding="utf-8"),
        council_slug="radet-ur-arkivet",  # beside the demo's own Förebyggande råd
        municipality_slug="arboga",
        source=SEED.name,
    )
