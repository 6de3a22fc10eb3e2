"""The suite runs on the database it was asked for, so that CI's PostgreSQL pass really is one."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_was_asked_for():
    # .ci/run names the vendor it expects, independently of how DATABASE_URL reaches Django.
    expected = os.environ.get("EXPECT_DB_VENDOR")
    if expected is None:
        url = os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")
        expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
