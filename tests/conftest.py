"""The base set of people reused across tests: a secretary, a chair and a member of one council,
an outsider who belongs to another council, an administrator, and the anonymous visitor (the
plain ``client``)."""

from __future__ import annotations

import json
import logging
import os
import uuid
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
    # what one test's requests remembered (the current PDF of a date, a public page) must not
    # answer another's
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
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


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server on 127.0.0.1 (moto's), spoken to over real HTTP as a provider's
    Ceph or MinIO would be: its address."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per S3 request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


S3_KEYS = {"S3_ACCESS_KEY_ID": "protokollet", "S3_SECRET_ACCESS_KEY": "hemligt-i-testet"}


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def s3_env(s3_server) -> dict:
    return new_s3_site(s3_server)


def new_s3_site(s3_server: str) -> dict:
    """The environment of a site whose files live in two new, empty buckets: the private one
    (archive and internal documents) and the public one (published PDFs)."""
    suffix = uuid.uuid4().hex[:12]
    env = {
        "FILE_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "us-east-1",
        **S3_KEYS,
        "S3_BUCKET": f"protokollet-{suffix}",
        "S3_PUBLIC_BUCKET": f"protokollet-publicerat-{suffix}",
        "PUBLISHED_URL": f"{s3_server}/protokollet-publicerat-{suffix}/",
    }
    client = s3_client(s3_server)
    for bucket in (env["S3_BUCKET"], env["S3_PUBLIC_BUCKET"]):
        client.create_bucket(Bucket=bucket)
    # the README's policy: anyone may read the public bucket's files, and nothing else
    client.put_bucket_policy(
        Bucket=env["S3_PUBLIC_BUCKET"], Policy=public_read_policy(env["S3_PUBLIC_BUCKET"])
    )
    return env


def public_read_policy(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


@pytest.fixture
def s3_storages(settings, s3_env, monkeypatch) -> dict:
    """This process's storages moved into ``s3_env``'s buckets, as FILE_STORAGE=s3 sets them."""
    return use_s3_storages(settings, monkeypatch, s3_env)


def use_s3_storages(settings, monkeypatch, env: dict) -> dict:
    """Set ``env`` and the STORAGES that FILE_STORAGE=s3 makes of it."""
    from config.storage import file_storages

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        **file_storages(
            "s3", private_root="", published_root="", published_url=env["PUBLISHED_URL"]
        ),
    }
    return env


def bucket_keys(env: dict, bucket: str) -> list[str]:
    """The keys in the site's bucket named by ``bucket`` ("S3_BUCKET", "S3_PUBLIC_BUCKET")."""
    listing = s3_client(env["S3_ENDPOINT_URL"]).list_objects_v2(Bucket=env[bucket])
    return sorted(entry["Key"] for entry in listing.get("Contents", []))
