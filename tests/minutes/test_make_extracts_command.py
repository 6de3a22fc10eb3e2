"""`manage.py make_extracts` makes what the task after a justering did not."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from minutes.models import Extract
from minutes.services import justering
from tests.minutes.services.test_justering import (  # noqa: F401 (the fixture)
    justerat,
    protokoll,
)


@pytest.mark.django_db
def test_the_command_makes_the_missing_extracts_once(protokoll):  # noqa: F811
    revision = justerat(protokoll)  # the task runs after the commit, which a test never has
    assert justering.pending_extracts(revision) == ["SN § 1", "SN § 2", "SN § 3", "SN § 4"]
    out = StringIO()
    call_command("make_extracts", stdout=out)
    assert out.getvalue().strip() == "4 protokollsutdrag gjorda."
    assert Extract.objects.filter(revision=revision).count() == 4
    out = StringIO()
    call_command("make_extracts", stdout=out)
    assert out.getvalue().strip() == "0 protokollsutdrag gjorda."
