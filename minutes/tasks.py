"""E-mails of the approval workflow, sent through Django's tasks framework (immediately by
default; a database-backed worker in production). Each task takes ids, not objects."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from councils.models import Membership
from minutes.models import Minutes, MinutesEvent

logger = logging.getLogger(__name__)


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
        "terms": council.terms,
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
    council = minutes.meeting.council
    subject = f"{council.terms.subject_submitted}: {council.name} {minutes.meeting.date:%Y-%m-%d}"
    if council.numbers_paragraphs:  # a protokoll: everyone who justerar it
        return _send("submitted", subject, _signers_to_email(minutes, unsigned_only=True), context)
    return _send("submitted", subject, [_email(minutes.meeting.chaired_by)], context)


@task
def notify_returned(minutes_id: int) -> int:
    """To the secretaries: the approver returned the draft, with the comment."""
    minutes = Minutes.objects.select_related(
        "meeting__council__municipality", "meeting__secretary__user"
    ).get(pk=minutes_id)
    context = _context(minutes)
    context["comment"] = (
        minutes.events.filter(kind=MinutesEvent.Kind.RETURNED, item__isnull=True)
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
    council = minutes.meeting.council
    subject = f"{council.terms.subject_approved}: {council.name} {minutes.meeting.date:%Y-%m-%d}"
    return _send("approved", subject, [_email(m.person) for m in members], _context(minutes))


@task
def send_notice(notice_id: int) -> int:
    """A delivery round of the notice (``minutes.services.notice.notice_deliver``): each
    recipient not yet sent gets the e-mail once. When the mail server refused someone, the
    round is queued again for when the retry is due, where the task backend can defer
    (``django_tasks_db``); otherwise ``manage.py send_notices`` runs the due retries."""
    from minutes.services.notice import notice_deliver  # the service enqueues this task

    delivered = notice_deliver(notice_id)
    if delivered.unknown:
        logger.warning(
            "Notice %s: %s recipients left unfinished by an earlier round were failed as unknown "
            "whether delivered; the secretary's notice page lists them",
            notice_id, delivered.unknown,
        )  # fmt: skip
    if delivered.next_attempt_at is not None:
        if send_notice.get_backend().supports_defer:
            send_notice.using(run_after=delivered.next_attempt_at).enqueue(notice_id)
        else:
            logger.warning(
                "Notice %s: retries are due from %s; run manage.py send_notices to send them",
                notice_id, delivered.next_attempt_at,
            )  # fmt: skip
    return delivered.sent


# --- the justering of a nämnd's protokoll (minutes.services.justering) ------------------------


def _signers_to_email(minutes: Minutes, *, unsigned_only: bool) -> list[str]:
    from minutes.services import justering

    state = justering.progress(minutes)
    people = state.missing if unsigned_only else state.signers
    return [_email(s.person) for s in people]


@task
def notify_signed(minutes_id: int) -> int:
    """A signature was given and others are missing: to those who have not signed yet, a
    reminder that the protokoll waits for them (the secretary sees who has signed)."""
    minutes = Minutes.objects.select_related(
        "meeting__council__municipality", "meeting__secretary", "meeting__chaired_by"
    ).get(pk=minutes_id)
    if minutes.status != Minutes.Status.SUBMITTED:
        return 0
    council = minutes.meeting.council
    subject = f"Protokoll att justera: {council.name} {minutes.meeting.date:%Y-%m-%d}"
    return _send(
        "submitted", subject, _signers_to_email(minutes, unsigned_only=True), _context(minutes)
    )


@task
def render_extracts(revision_id: int) -> int:
    """The protokollsutdrag of a justerat protokoll's §§, each rendered once and stored."""
    from minutes.services import justering

    return justering.render_extracts(revision_id)


@task
def remind_signer(minutes_id: int, person_id: int, kind: str) -> int:
    """The reminder of the fourteen days to one signatory who has not signed."""
    from councils.models import Person
    from minutes.services import justering

    minutes = Minutes.objects.select_related(
        "meeting__council__municipality", "meeting__secretary", "meeting__chaired_by"
    ).get(pk=minutes_id)
    if minutes.status not in (Minutes.Status.SUBMITTED, Minutes.Status.DRAFT):
        return 0
    person = Person.objects.get(pk=person_id)
    context = _context(minutes)
    context["due"] = justering.due_date(minutes.meeting)
    context["kind"] = kind
    context["person"] = person
    context["draft"] = minutes.status == Minutes.Status.DRAFT
    council = minutes.meeting.council
    due, today = context["due"], timezone.localdate()
    if kind == "due":
        when = "i dag" if today <= due else f"sista dagen var {due:%Y-%m-%d}"
    else:
        when = f"senast {due:%Y-%m-%d}"
    what = "skicka protokollet för justering" if context["draft"] else "justera"
    subject = f"Påminnelse: {what} {when}, {council.name} {minutes.meeting.date:%Y-%m-%d}"
    return _send("reminder", subject, [_email(person)], context)


def _item_context(item_id: int):
    from minutes.models import AgendaItem

    item = AgendaItem.objects.select_related(
        "minutes__meeting__council__municipality",
        "minutes__meeting__secretary",
        "minutes__meeting__chaired_by",
    ).get(pk=item_id)
    context = _context(item.minutes)
    context["item"] = item
    return item, context


@task
def notify_paragraph_submitted(item_id: int) -> int:
    """To the signatories: a § waits for omedelbar justering."""
    item, context = _item_context(item_id)
    council = item.minutes.meeting.council
    subject = (
        f"Paragraf att justera omedelbart: {council.name} {item.minutes.meeting.date:%Y-%m-%d}"
    )
    return _send(
        "submitted", subject, _signers_to_email(item.minutes, unsigned_only=False), context
    )


@task
def notify_paragraph_returned(item_id: int) -> int:
    """To the secretary: the § sent for omedelbar justering was returned, with the comment."""
    item, context = _item_context(item_id)
    context["comment"] = (
        item.events.filter(kind=MinutesEvent.Kind.RETURNED)
        .order_by("-created_at")
        .values_list("comment", flat=True)
        .first()
    )
    meeting = item.minutes.meeting
    subject = f"Återsänd paragraf: {meeting.council.name} {meeting.date:%Y-%m-%d}"
    return _send("returned", subject, [_email(meeting.secretary)], context)


# --- expediering (minutes.services.expediering) ---------------------------------------------------


@task
def send_extract(dispatch_id: int) -> int:
    """A §'s protokollsutdrag to one recipient, the PDF attached (the internal one when the §
    is confidential)."""
    from django.core.files.storage import default_storage, storages

    from minutes.models import ExtractDispatch

    dispatch = ExtractDispatch.objects.select_related(
        "extract__minutes__meeting__council__municipality",
        "extract__minutes__meeting__secretary__user",
        "sent_by",
    ).get(pk=dispatch_id)
    if dispatch.delivered_at is not None:  # a retry of one the mail server already took
        return 0
    extract = dispatch.extract
    meeting = extract.minutes.meeting
    council = meeting.council
    if dispatch.internal:
        storage, name = storages["private"], extract.internal_pdf_name
    else:
        storage, name = default_storage, extract.pdf_name
    with storage.open(name, "rb") as stored:
        pdf = stored.read()
    context = {
        "extract": extract,
        "dispatch": dispatch,
        "council": council,
        "meeting": meeting,
        "municipality": council.municipality,
    }
    with translation.override("sv"):
        text = render_to_string("minutes/email/extract.txt", context)
        html = render_to_string("minutes/email/extract.html", context)
    subject = f"Protokollsutdrag {council.name} {meeting.date:%Y-%m-%d} {extract.label}"
    # a reply reaches the secretary who sent it (or the meeting's), not the no-reply sender
    sender = dispatch.sent_by.email if dispatch.sent_by_id else ""
    reply_to = sender or _email(meeting.secretary)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        to=[dispatch.email],
        reply_to=[reply_to] if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    message.attach(extract.file_name, pdf, "application/pdf")
    message.send()
    ExtractDispatch.objects.filter(pk=dispatch.pk).update(delivered_at=timezone.now())
    return 1
