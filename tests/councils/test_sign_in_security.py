"""Sign-in (issue 9, part 2): failed sign-ins are throttled, the approval page's password check
counting too; chairs enrol a TOTP app from their profile; approval and the admin require it when
OTP_REQUIRED is on; a forgotten password is reset by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from minutes import services
from minutes.models import Minutes
from tests import factories
from tests.minutes.drafting_fixtures import standing_agenda
from tests.pages import page_text

pytestmark = pytest.mark.django_db
LOGIN = "/konto/logga-in/"
SLUGS = ["arboga", "forebyggande-radet"]


@pytest.fixture(autouse=True)
def _no_waiting_between_codes(settings):
    """django-otp makes a device wait 1, 2, 4 … seconds after each wrong code; these tests try a
    wrong code and then the right one at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(device: TOTPDevice, *, off: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + off * device.step
    return f"{totp.token():06d}"


def sign_in(client, username, password=factories.PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_out_for_a_while(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "sekreterare", "fel")
        assert response.status_code == 200 and "Ange ett korrekt användarnamn" in page_text(
            response
        )
    locked = sign_in(client, "sekreterare", "fel")
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in page_text(locked)
    assert "15 minuter" in page_text(locked)
    # the right password does not help now
    again = sign_in(client, "sekreterare")
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # others are not affected
    assert sign_in(client, "ledamot").status_code == 302


def test_a_successful_sign_in_clears_the_count(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "sekreterare", "fel")
    assert sign_in(client, "sekreterare").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "sekreterare", "fel").status_code == 200


@pytest.fixture
def submitted(cast):
    standing_agenda(cast.council)
    import datetime

    meeting = services.meeting_create(
        council=cast.council, date=datetime.date(2025, 2, 24), start_time=None, end_time=None,
        place="", actor=cast.secretary,
    )  # fmt: skip
    minutes = meeting.minutes.get()
    services.minutes_submit(minutes=minutes, actor=cast.secretary)
    return minutes


def review(minutes):
    return reverse("drafting:review", args=[*SLUGS, minutes.meeting_id])


def test_wrong_passwords_on_the_approval_page_count_as_failed_sign_ins(
    client, cast, settings, submitted
):
    client.force_login(cast.chair)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(review(submitted), {"action": "approve", "password": "fel"})
        assert response.status_code == 400 and "Lösenordet stämmer inte" in page_text(response)
    locked = client.post(review(submitted), {"action": "approve", "password": "fel"})
    assert locked.status_code == 429
    right = client.post(review(submitted), {"action": "approve", "password": factories.PASSWORD})
    assert right.status_code == 429
    submitted.refresh_from_db()
    assert submitted.status == Minutes.Status.SUBMITTED
    client.logout()
    assert sign_in(client, "ordforande").status_code == 429  # and at the sign-in page too


def test_a_chair_enrols_an_authenticator_app_from_the_profile(client, cast):
    client.force_login(cast.chair)
    profile = page_text(client.get(reverse("accounts:profile")))
    assert "Som ordförande, vice ordförande eller systemförvaltare behöver du" in profile
    page = client.get(reverse("accounts:otp_setup"))
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.chair, confirmed=False)
    key = page_text(page).split("Nyckel:")[1].split()[0]
    assert len(key) == 4  # grouped for typing
    wrong = client.post(reverse("accounts:otp_setup"), {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and "Koden stämmer inte" in page_text(wrong)
    right = client.post(reverse("accounts:otp_setup"), {"action": "confirm", "code": code(device)})
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Aktiverad" in page_text(client.get(reverse("accounts:profile")))
    assert AuditEvent.objects.filter(action="otp.enrolled").exists()
    removed = client.post(
        reverse("accounts:otp_setup"), {"action": "remove", "code": code(device, off=1)}
    )
    assert removed.status_code == 302 and not TOTPDevice.objects.filter(user=cast.chair).exists()


def test_approval_requires_the_second_factor_when_it_is_on(client, cast, settings, submitted):
    settings.OTP_REQUIRED = True
    client.force_login(cast.chair)
    page = client.get(review(submitted))
    assert "Kod från autentiseringsappen" in page_text(page)
    none = client.post(review(submitted), {"action": "approve", "password": factories.PASSWORD})
    assert none.status_code == 400 and "Aktivera den under Mina uppdrag" in page_text(none)
    device = TOTPDevice.objects.create(user=cast.chair, name="app", confirmed=True)
    wrong = client.post(
        review(submitted),
        {"action": "approve", "password": factories.PASSWORD, "otp_code": "123456"},
    )
    assert wrong.status_code == 400 and "Koden från autentiseringsappen stämmer inte" in page_text(
        wrong
    )
    submitted.refresh_from_db()
    assert submitted.status == Minutes.Status.SUBMITTED
    ok = client.post(
        review(submitted),
        {"action": "approve", "password": factories.PASSWORD, "otp_code": code(device)},
    )
    assert ok.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Minutes.Status.APPROVED


def test_the_admin_requires_a_verified_second_factor_when_it_is_on(client, cast, settings):
    client.force_login(cast.admin)
    assert client.get("/admin/").status_code == 200
    settings.OTP_REQUIRED = True
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login = client.get(response["Location"])
    assert 'name="otp_token"' in login.content.decode()
    device = TOTPDevice.objects.create(user=cast.admin, name="app", confirmed=True)
    client.logout()
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": factories.PASSWORD, "otp_device": device.persistent_id,
         "otp_token": code(device)},
    )  # fmt: skip
    assert client.get("/admin/").status_code == 200


def test_a_forgotten_password_is_reset_by_e_mail(client, cast):
    cast.member.email = "lisa@example.org"
    cast.member.save()
    assert "Glömt lösenordet?" in page_text(client.get(LOGIN))
    response = client.post(reverse("accounts:password_reset"), {"email": "lisa@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    client.post(reverse("accounts:password_reset"), {"email": "okand@example.org"})
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Nytt lösenord till Protokollet"
    link = re.search(r"http://testserver(/konto/losenord/aterstall/\S+)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in page_text(form)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Ett-nytt-langt-losen-42", "new_password2": "Ett-nytt-langt-losen-42"},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert sign_in(client, "ledamot", "Ett-nytt-langt-losen-42").status_code == 302
    assert "gäller inte längre" in page_text(client.get(link, follow=True))


def test_behind_a_trusted_proxy_a_lockout_holds_one_client_not_everyone(client, cast, settings):
    """nginx in front: every request comes from 127.0.0.1, and the lockout must still be per
    client, or anyone could lock a chair out from everywhere with five wrong passwords."""
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]

    def from_client(address, password):
        return client.post(
            LOGIN, {"username": "sekreterare", "password": password},
            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address,
        )  # fmt: skip

    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = from_client("198.51.100.66", "fel")
    assert last.status_code == 429
    # writing another address into the header does not help the attacker
    assert from_client("198.51.100.1, 198.51.100.66", factories.PASSWORD).status_code == 429
    # the secretary, from her own address, signs in
    assert from_client("198.51.100.7", factories.PASSWORD).status_code == 302


def test_a_user_name_too_long_is_refused_in_words_not_a_500(client, cast):
    """Django's sign-in form states the user name's maximum but does not check it: a name of
    thousands of characters reached the lock-out's record (255 characters) and answered 500
    on PostgreSQL."""
    from axes.models import AccessAttempt

    response = sign_in(client, "x" * 5000, "fel")
    assert response.status_code == 200
    assert "Användarnamnet är för långt (högst 150 tecken)." in page_text(response)
    assert not AccessAttempt.objects.exists()
    # a name of the longest allowed length is still tried, and counted when wrong
    assert sign_in(client, "y" * 150, "fel").status_code == 200
    assert AccessAttempt.objects.count() == 1
