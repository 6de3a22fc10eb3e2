"""The base set of people reused across tests: a secretary, a chair and a member of one council,
an outsider who belongs to another council, an administrator, and the anonymous visitor (the
plain ``client``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from councils.models import Council, Membership, Municipality
from tests import factories

Role = Membership.Role


@dataclass
class Cast:
    municipality: Municipality
    council: Council
    other_council: Council
    secretary: object
    chair: object
    member: object
    outsider: object
    admin: object


@pytest.fixture
def cast(db) -> Cast:
    muni = factories.municipality("Arboga kommun", slug="arboga", place_name="Arboga")
    council = factories.council(muni, "Förebyggande rådet", slug="forebyggande-radet")
    other = factories.council(
        factories.municipality("Kungsörs kommun", slug="kungsor"), "Trygghetsrådet"
    )

    def staffed(username: str, name: str, role: str, council_obj: Council = council):
        person = factories.person(name)
        factories.membership(person, council_obj, role)
        return factories.user(username, person_obj=person)

    return Cast(
        municipality=muni,
        council=council,
        other_council=other,
        secretary=staffed("sekreterare", "Sara Sekreterare", Role.SECRETARY),
        chair=staffed("ordforande", "Olle Ordförande", Role.CHAIR),
        member=staffed("ledamot", "Lisa Ledamot", Role.MEMBER),
        outsider=staffed("utomstaende", "Ulf Utomstående", Role.SECRETARY, other),
        admin=factories.user("admin", is_staff=True, is_superuser=True),
    )


CI_STRICT = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true nothing that was selected may skip: a missing PostgreSQL or Chromium fails
    the run instead of quietly passing it."""
    outcome = yield
    report = outcome.get_result()
    if CI_STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {report.longrepr}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs a quarter of a second per user; the tests are not about its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL; on SQLite (a newcomer's `make test`) they are
    skipped with a reason. CI's SQLite pass deselects them, and under CI=true a skip fails."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: make test DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    # what one test's requests remembered (the current PDF of a date) must not answer another's
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Stored PDFs go where each test can see them and nothing is left behind.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
        "published": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "published"), "base_url": "/filer/"},
        },
    }


@pytest.fixture(autouse=True)
def _insert_only_triggers_on_sqlite(request):
    """On SQLite the flush after a transactional test deletes rows, which the insert-only
    triggers refuse: lift them just before that flush, and make sure every test that uses the
    database starts with them in place. (PostgreSQL's flush truncates; nothing to do there.)"""
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = (
        "live_server" in names
        or "transactional_db" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )
    uses_db = transactional or marker is not None or "db" in names
    if not uses_db or connection.vendor != "sqlite":
        yield
        return
    from minutes.db_triggers import create_statements, drop_statements

    request.getfixturevalue("transactional_db" if transactional else "db")
    with connection.cursor() as cursor:
        for statement in create_statements("sqlite"):
            cursor.execute(statement)
    yield
    if transactional:
        with connection.cursor() as cursor:
            for statement in drop_statements("sqlite"):
                cursor.execute(statement)
