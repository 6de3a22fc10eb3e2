import datetime

import pytest
from django.db import IntegrityError, transaction

from minutes.models import AgendaItemSection, Attendance
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes():
    return factories.minutes(factories.meeting(factories.council()))


def test_a_meeting_has_one_minutes_per_revision_number(minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.minutes(minutes.meeting, revision=1)
    factories.minutes(minutes.meeting, revision=2)
    assert minutes.meeting.minutes.count() == 2


def test_revision_numbers_start_at_one(minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.minutes(minutes.meeting, revision=0)


def test_a_meeting_cannot_end_before_it_starts():
    council = factories.council()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.meeting(council, start_time=datetime.time(10), end_time=datetime.time(9))


def test_a_meeting_may_have_no_times_yet():
    meeting = factories.meeting(factories.council(), start_time=None, end_time=None)
    assert meeting.pk


def test_two_items_cannot_share_a_position(minutes):
    factories.item(minutes, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.item(minutes, 1)


def test_a_confidential_item_must_state_its_legal_ground(minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.item(minutes, 1, is_public=False)
    item = factories.item(minutes, 2, is_public=False, confidentiality_ground="OSL 26 kap. 1 §")
    assert not item.is_public


def test_two_sub_sections_cannot_share_a_position(minutes):
    item = factories.item(minutes)
    AgendaItemSection.objects.create(item=item, position=1, heading="Socialförvaltningen")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemSection.objects.create(item=item, position=1, heading="Utvecklingscentrum")


def test_a_person_attends_once_per_minutes(minutes):
    person = factories.person()
    Attendance.objects.create(minutes=minutes, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(minutes=minutes, person=person, status=Attendance.Status.ABSENT)


def test_a_substitute_names_whom_they_replace(minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            minutes=minutes, person=factories.person(), status=Attendance.Status.SUBSTITUTE
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            minutes=minutes, person=factories.person(), substitute_for=factories.person()
        )
    row = Attendance.objects.create(
        minutes=minutes,
        person=factories.person(),
        status=Attendance.Status.SUBSTITUTE,
        substitute_for=factories.person(),
    )
    assert row.substitute_for_id


def test_every_edited_part_starts_at_version_one(minutes):
    item = factories.item(minutes)
    section = AgendaItemSection.objects.create(item=item, position=1, heading="ABO")
    assert (minutes.version, minutes.attendance_version, item.version, section.version) == (
        1,
        1,
        1,
        1,
    )


def test_a_meeting_approved_on_its_own_day_is_no_longer_coming(cast, draft):
    """One rule of what "coming" is, for the meeting page (Meeting.is_upcoming) and the council
    page's lists (selectors.council_meetings): the day has not passed and no minutes are
    approved."""
    from django.utils import timezone

    from minutes import selectors
    from tests.minutes.drafting_fixtures import submit_and_approve

    meeting = draft.meeting
    meeting.date = timezone.localdate()
    meeting.save()
    assert meeting.is_upcoming
    assert [line.iso for line in selectors.council_meetings(cast.council).upcoming] == [
        meeting.date.isoformat()
    ]
    submit_and_approve(draft, cast)
    assert not meeting.is_upcoming
    assert selectors.council_meetings(cast.council).upcoming == []
    meeting.date -= datetime.timedelta(days=1)  # a past day is not coming, approved or not
    assert not meeting.is_upcoming
