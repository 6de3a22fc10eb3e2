import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from core.models import AuditEvent
from councils import access
from councils.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    request.user = user
    return request


def test_rights_follow_the_role(cast):
    secretary = access.rights_for(cast.secretary, cast.council)
    chair = access.rights_for(cast.chair, cast.council)
    member = access.rights_for(cast.member, cast.council)
    assert (secretary.is_member, secretary.can_edit_minutes, secretary.can_approve) == (
        True,
        True,
        False,
    )
    assert (chair.is_member, chair.can_edit_minutes, chair.can_approve) == (True, False, True)
    assert (member.is_member, member.can_edit_minutes, member.can_approve) == (True, False, False)


def test_a_vice_chair_may_approve(cast):
    vice = factories.person()
    factories.membership(vice, cast.council, Membership.Role.VICE_CHAIR)
    assert access.rights_for(factories.user(person_obj=vice), cast.council).can_approve


def test_outsiders_and_anonymous_have_no_rights(cast):
    for user in (cast.outsider, AnonymousUser(), factories.user()):
        rights = access.rights_for(user, cast.council)
        assert not (rights.is_member or rights.can_edit_minutes or rights.can_approve)


def test_administrators_see_and_edit_but_do_not_sign(cast):
    rights = access.rights_for(cast.admin, cast.council)
    assert rights.is_member and rights.can_edit_minutes and not rights.can_approve


def test_rights_end_with_the_membership(cast):
    former = factories.person()
    factories.membership(
        former, cast.council, Membership.Role.SECRETARY, end_date=datetime.date(2021, 12, 31)
    )
    user = factories.user(person_obj=former)
    assert access.rights_for(user, cast.council, on=datetime.date(2021, 6, 1)).can_edit_minutes
    assert not access.rights_for(user, cast.council).is_member


def test_a_council_is_404_for_those_outside_it_and_the_denial_is_logged(cast):
    with pytest.raises(Http404):
        access.get_council_for_member(request_for(cast.outsider), "arboga", "forebyggande-radet")
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor == cast.outsider
    assert event.object_repr == "Förebyggande rådet"
    assert event.ip_address == "192.0.2.10"


def test_a_member_gets_the_council_with_their_rights(cast):
    rights = access.get_council_for_member(request_for(cast.member), "arboga", "forebyggande-radet")
    assert rights.council == cast.council and rights.roles == {"member"}


def test_a_forbidden_action_is_403_and_logged(cast):
    request = request_for(cast.member)
    rights = access.rights_for(cast.member, cast.council)
    with pytest.raises(PermissionDenied):
        access.require(request, rights.can_edit_minutes, action="minutes.edit", obj=cast.council)
    assert AuditEvent.objects.get(action="access.denied").data == {"attempted": "minutes.edit"}
    access.require(request, rights.is_member, action="minutes.view", obj=cast.council)
    assert AuditEvent.objects.count() == 1
