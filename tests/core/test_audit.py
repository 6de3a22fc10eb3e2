import pytest
from django.urls import reverse

from core import audit
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def test_a_login_leaves_an_audit_row_with_who_and_from_where(client, cast):
    response = client.post(
        LOGIN,
        {"username": "sekreterare", "password": factories.PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == cast.secretary
    assert event.actor_name == "sekreterare"
    assert event.ip_address == "198.51.100.7"
    assert event.created_at is not None


def test_a_failed_login_leaves_an_audit_row_without_the_password(client, cast):
    response = client.post(
        LOGIN, {"username": "sekreterare", "password": "fel-lösenord"}, REMOTE_ADDR="198.51.100.8"
    )
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.actor_name == "sekreterare"
    assert event.ip_address == "198.51.100.8"
    assert "fel-lösenord" not in str(event.data)
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_failed_login_for_an_unknown_name_is_recorded_too(client, db):
    client.post(LOGIN, {"username": "finns-inte", "password": "x"})
    assert AuditEvent.objects.get(action="auth.login_failed").actor_name == "finns-inte"


def test_logout_is_recorded(client, cast):
    client.force_login(cast.chair)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="auth.logout").actor == cast.chair


def test_record_names_the_object_and_keeps_details(cast):
    event = audit.record("council.test", actor=cast.admin, obj=cast.council, reason="prov")
    assert (event.object_type, event.object_id) == ("councils.council", str(cast.council.pk))
    assert event.object_repr == "Förebyggande rådet"
    assert event.data == {"reason": "prov"}


def test_the_audit_log_keeps_the_name_when_the_account_is_deleted(cast):
    audit.record("council.test", actor=cast.member)
    cast.member.delete()
    event = AuditEvent.objects.get(action="council.test")
    assert event.actor is None and event.actor_name == "ledamot"


def test_the_audit_log_cannot_be_edited_in_the_admin(client, cast):
    event = audit.record("council.test", actor=cast.member)
    client.force_login(cast.admin)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    response = client.post(
        reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "ändrat"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action == "council.test"
    assert (
        client.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_about_a_council_can_be_filtered_by_it(client, cast):
    from tests import factories

    meeting = factories.meeting(cast.council)
    audit.record("meeting.test", actor=cast.secretary, obj=meeting)
    audit.record("council.test", actor=cast.secretary, obj=cast.other_council)
    assert (
        AuditEvent.objects.get(action="meeting.test").council_name
        == "Förebyggande rådet (Arboga kommun)"
    )
    client.force_login(cast.admin)
    url = reverse("admin:core_auditevent_changelist")

    def actions(**query):
        response = client.get(url, query)
        return sorted(e.action for e in response.context["cl"].result_list)

    assert actions(council_name="Förebyggande rådet (Arboga kommun)") == ["meeting.test"]
    assert actions(actor_name="sekreterare") == ["council.test", "meeting.test"]


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # no proxy trusted: the header is anyone's to write, and ignored
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # nginx on the same host: the address it appended
        (["127.0.0.1/32"], "127.0.0.1", "198.51.100.7", "198.51.100.7"),
        # what the client wrote itself stands left of what nginx appended, and is never read
        (["127.0.0.1/32"], "127.0.0.1", "10.9.9.9, 198.51.100.7", "198.51.100.7"),
        (["127.0.0.1/32"], "127.0.0.1", "skräp, 198.51.100.7", "198.51.100.7"),
        # a load balancer in front of nginx: past every trusted hop
        (["127.0.0.1/32", "10.0.0.0/8"], "127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.5",
         "198.51.100.7"),
        # a request straight to the app from elsewhere: its header is not trusted
        (["127.0.0.1/32"], "203.0.113.9", "198.51.100.7", "203.0.113.9"),
        # a trusted proxy that sent no header, or nonsense: the proxy is what we know
        (["127.0.0.1/32"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1/32"], "127.0.0.1", "inte en adress", "127.0.0.1"),
        (["::1/128"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)  # fmt: skip
def test_the_client_address_is_read_past_trusted_proxies_only(
    rf, settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert audit.client_ip(request) == expected


def test_behind_nginx_the_audit_log_records_the_client_not_the_proxy(client, cast, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    client.post(
        LOGIN,
        {"username": "sekreterare", "password": factories.PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert AuditEvent.objects.get(action="auth.login").ip_address == "198.51.100.7"


def test_the_database_keeps_the_audit_log_append_only(cast):
    """Whatever writes (the ORM, raw SQL), a row of the log is never changed or deleted; only a
    deleted account's link becomes empty, its name staying."""
    from django.db import DatabaseError, connection, transaction

    event = audit.record("test.event", actor=cast.member, what="x")
    for change in ({"action": "test.other"}, {"data": {}}, {"actor": cast.secretary}):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(**change)
    event.actor_name = "någon annan"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    for statement in (
        "UPDATE core_auditevent SET action = 'x'",
        "DELETE FROM core_auditevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    event.refresh_from_db()
    assert (event.action, event.actor_name, event.data) == ("test.event", "ledamot", {"what": "x"})
    cast.member.delete()  # the one change the log allows
    event.refresh_from_db()
    assert event.actor is None and event.actor_name == "ledamot"


def _columns(model) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}


def test_every_audit_column_is_guarded_by_the_trigger():
    """The insert-only trigger lists the columns it keeps: a new column of AuditEvent must be
    added there (or be the one exception, actor_id, which a deleted user's account empties)."""
    from core.db_triggers import AUDIT_KEPT

    assert _columns(AuditEvent) == {*AUDIT_KEPT, "actor_id"}
    assert len(AUDIT_KEPT) == len(set(AUDIT_KEPT))


def test_every_notice_column_is_guarded_by_the_trigger():
    """A sent notice's row changes only as the trigger allows: sent_by_id becoming NULL, the
    PDFs stored once. Every other column is kept; a new one must be named there."""
    from minutes.db_triggers import NOTICE_KEPT, NOTICE_PDF
    from minutes.models import Notice

    assert _columns(Notice) == {*NOTICE_KEPT, *NOTICE_PDF, "sent_by_id"}
    assert not set(NOTICE_KEPT) & set(NOTICE_PDF)
