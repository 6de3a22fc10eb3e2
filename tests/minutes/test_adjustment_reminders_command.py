"""``manage.py send_adjustment_reminders``, run daily from cron: it reminds the signatories who
have not justerat a nämnd's protokoll three days before the fourteen days run out and on the
last day, once each, and says how many it queued."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from minutes import services
from minutes.models import AdjustmentReminder, Minutes
from minutes.services import justering
from tests import factories
from tests.minutes import committee_fixtures as cf

pytestmark = pytest.mark.django_db


def run(day: datetime.date) -> str:
    out = io.StringIO()
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        call_command("send_adjustment_reminders", stdout=out)
    return out.getvalue()


def test_the_command_reminds_those_who_have_not_signed(cast, django_capture_on_commit_callbacks):
    c = cf.committee(cast)
    minutes = cf.meeting(c)  # 9 March 2026: justerat by 23 March
    meeting = minutes.meeting
    meeting.secretary = cast.secretary.person
    meeting.save(update_fields=["secretary"])
    factories.user("boberg", person_obj=c["Bo Berg"], email="bo@arboga.example")
    factories.user("evagron", person_obj=c["Eva Grön"], email="eva@arboga.example")
    for user in (cast.secretary, cast.chair):
        user.email = f"{user.username}@arboga.example"
        user.save(update_fields=["email"])
    for position in range(1, 5):
        item = cf.item_at(minutes, position)
        cf.save(item, None, parts=services.PartsInput(decision_points="Nämnden beslutar."))
    services.minutes_submit(minutes=Minutes.objects.get(pk=minutes.pk), actor=cast.secretary)
    justering.sign(minutes=Minutes.objects.get(pk=minutes.pk), actor=cast.secretary)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert run(datetime.date(2026, 3, 19)).startswith("0 ")  # not a reminder day
        assert run(datetime.date(2026, 3, 20)) == "3 påminnelser om justering köade.\n"
        assert run(datetime.date(2026, 3, 20)).startswith("0 ")  # once each
    assert len(mail.outbox) == 3
    assert {m.bcc[0] for m in mail.outbox} == {
        "ordforande@arboga.example",
        "bo@arboga.example",
        "eva@arboga.example",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert run(datetime.date(2026, 3, 23)).startswith("3 ")  # the last day
    assert AdjustmentReminder.objects.count() == 6
