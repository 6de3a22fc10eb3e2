"""E-mails of the approval workflow, sent through Django's tasks framework (immediately by
default; a database-backed worker in production). Each task takes ids, not objects."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import long_date
from councils.models import Membership
from minutes.models import Minutes, MinutesEvent, Notice, NoticeRecipient
from minutes.notices import NoticeSnapshot


def _send(template: str, subject: str, recipients: list[str], context: dict) -> int:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return 0
    with translation.override("sv"):
        text = render_to_string(f"minutes/email/{template}.txt", context)
        html = render_to_string(f"minutes/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, bcc=recipients)
    message.attach_alternative(html, "text/html")
    message.send()
    return len(recipients)


def _context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    council = meeting.council
    path = reverse("drafting:meeting", args=[council.municipality.slug, council.slug, meeting.pk])
    return {
        "minutes": minutes,
        "meeting": meeting,
        "council": council,
        "url": settings.SITE_URL.rstrip("/") + path,
    }


def _email(person) -> str:
    return person.contact_email if person is not None else ""


@task
def notify_submitted(minutes_id: int) -> int:
    """To the approver: minutes wait for them."""
    minutes = Minutes.objects.select_related(
        "meeting__council__municipality", "meeting__chaired_by__user"
    ).get(pk=minutes_id)
    context = _context(minutes)
    subject = f"Att godkänna: {minutes.meeting.council.name} {minutes.meeting.date:%Y-%m-%d}"
    return _send("submitted", subject, [_email(minutes.meeting.chaired_by)], context)


@task
def notify_returned(minutes_id: int) -> int:
    """To the secretaries: the approver returned the draft, with the comment."""
    minutes = Minutes.objects.select_related(
        "meeting__council__municipality", "meeting__secretary__user"
    ).get(pk=minutes_id)
    context = _context(minutes)
    context["comment"] = (
        minutes.events.filter(kind=MinutesEvent.Kind.RETURNED)
        .order_by("-created_at")
        .values_list("comment", flat=True)
        .first()
    )
    secretaries = (
        Membership.objects.current()
        .filter(council=minutes.meeting.council, role=Membership.Role.SECRETARY)
        .select_related("person__user")
    )
    recipients = [_email(minutes.meeting.secretary), *(_email(m.person) for m in secretaries)]
    subject = f"Återsänt: {minutes.meeting.council.name} {minutes.meeting.date:%Y-%m-%d}"
    return _send("returned", subject, recipients, context)


@task
def notify_approved(minutes_id: int) -> int:
    """To everyone who serves the council: the minutes are approved."""
    minutes = Minutes.objects.select_related("meeting__council__municipality").get(pk=minutes_id)
    members = (
        Membership.objects.current()
        .filter(council=minutes.meeting.council)
        .select_related("person__user")
    )
    subject = f"Godkänt: {minutes.meeting.council.name} {minutes.meeting.date:%Y-%m-%d}"
    return _send("approved", subject, [_email(m.person) for m in members], _context(minutes))


@task
def send_notice(notice_id: int) -> int:
    """The notice to each of its recipients, one e-mail each, with the time it left recorded;
    those without an address are left as they are (the notice page lists them)."""
    notice = Notice.objects.select_related("meeting__council__municipality").get(pk=notice_id)
    meeting, council = notice.meeting, notice.meeting.council
    slugs = [council.municipality.slug, council.slug]
    site = settings.SITE_URL.rstrip("/")
    context = {
        "notice": notice,
        "doc": NoticeSnapshot.from_dict(notice.snapshot),
        "url": site + reverse("drafting:notice", args=[*slugs, meeting.pk]),
        "public_url": site + reverse("minutes:meeting", args=[*slugs, f"{meeting.date:%Y-%m-%d}"]),
    }
    update = " (uppdaterad)" if notice.number > 1 else ""
    subject = f"Kallelse{update}: {council.name} {long_date(meeting.date)}"
    sent = 0
    for recipient in notice.recipients.filter(emailed_at__isnull=True).exclude(email=""):
        with translation.override("sv"):
            text = render_to_string("minutes/email/notice.txt", context)
            html = render_to_string("minutes/email/notice.html", context)
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, to=[recipient.email]
        )
        message.attach_alternative(html, "text/html")
        message.send()
        NoticeRecipient.objects.filter(pk=recipient.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
