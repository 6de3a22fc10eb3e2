"""The notice (kallelse): the agenda of the draft minutes frozen when it is sent, its PDF
rendered once and stored, and an e-mail to everyone who serves the council on the day,
delivered to each recipient once: one whose e-mail fails (the mail server refuses, or anything
else goes wrong) is tried again later, with back-off, until the attempts are used up; one left
claimed by a worker that died is failed as unknown whether delivered, never sent twice. What is
left of a notice a newer one replaced, or of a meeting already held, is not sent by itself."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core import audit, delivery
from core.dates import long_date
from councils.models import Membership
from minutes import notices, signals, tasks
from minutes.models import Announcement, Meeting, Minutes, Notice, NoticeRecipient
from minutes.pdf import render_notice_pdf
from minutes.services.errors import InvalidInput, NotAllowed
from minutes.services.files import store_pdf

logger = logging.getLogger(__name__)
Delivery = NoticeRecipient.Delivery
# how often and how long a recipient is tried (core.delivery, shared with the residents' alerts)
RETRY_DELAYS, MAX_ATTEMPTS, STALE_CLAIM = (
    delivery.RETRY_DELAYS,
    delivery.MAX_ATTEMPTS,
    delivery.STALE_CLAIM,
)


def notice_pending_changes(meeting: Meeting) -> list[str] | None:
    """What changed in the draft agenda since the latest notice was sent: None when no notice
    was sent or the minutes are no longer a draft, else the list (empty when nothing changed)."""
    latest = meeting.latest_notice()
    minutes = meeting.latest_minutes()
    if latest is None or minutes is None or minutes.status != Minutes.Status.DRAFT:
        return None
    now = notices.build_notice(minutes, sent=timezone.now())
    return notices.changes(notices.NoticeSnapshot.from_dict(latest.snapshot), now)


def notice_pdfs(snapshot: notices.NoticeSnapshot, changes: list[str]) -> dict[str, str | int]:
    """A notice's two PDFs, rendered and stored under their SHA-256 like approved minutes: the
    public one in the archive, the members' one (internal documents named too) in the private
    storage. The Notice fields that name them. A failed render raises RenderError."""
    public = store_pdf(render_notice_pdf(snapshot, changes=changes), folder="notices")
    internal = store_pdf(
        render_notice_pdf(snapshot, changes=changes, internal=True),
        storage_alias="private",
        folder="notices",
    )
    return {
        "pdf_name": public.name,
        "pdf_sha256": public.sha256,
        "pdf_size": public.size,
        "internal_pdf_name": internal.name,
        "internal_pdf_sha256": internal.sha256,
    }


@transaction.atomic
def notice_send(*, meeting: Meeting, actor, request=None, announce: bool = False) -> Notice:
    """Send the meeting's notice: the agenda of its draft minutes, with each item's documents,
    frozen in a Notice with its PDFs rendered once and stored; an e-mail after commit to everyone who serves the council on the day
    (members, substitutes, representatives, secretaries), each recorded. A later notice is an
    update and says what changed; one with nothing changed is refused. With ``announce`` the
    notice is also posted on the municipality's anslagstavla as a kungörelse, up from today
    through the meeting's day; refused for a meeting today or past."""
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("council__municipality")
        .get(pk=meeting.pk)
    )
    minutes = meeting.latest_minutes()
    terms = meeting.council.terms
    if minutes is None:
        raise InvalidInput(f"Mötet har ingen dagordning ännu. Påbörja {terms.document} först.")
    if minutes.status == Minutes.Status.APPROVED:
        raise NotAllowed(f"Mötet har redan {terms.already_approved}; kallelsen är inaktuell.")
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)
    if announce and meeting.date <= today:
        raise InvalidInput(
            "Mötet är i dag eller har redan hållits, så kungörelsen kan inte anslås på "
            "anslagstavlan. Skicka kallelsen utan anslag."
        )
    snapshot = notices.build_notice(minutes, sent=now)
    if not snapshot.items:
        raise InvalidInput("Dagordningen är tom. Lägg till ärenden innan kallelsen skickas.")
    previous = meeting.latest_notice()
    changed: list[str] = []
    if previous is not None:
        changed = notices.changes(notices.NoticeSnapshot.from_dict(previous.snapshot), snapshot)
        if not changed:
            raise InvalidInput("Dagordningen har inte ändrats sedan kallelsen skickades.")
    notice = Notice.objects.create(
        meeting=meeting,
        number=previous.number + 1 if previous else 1,
        snapshot=snapshot.as_dict(),
        changes=changed,
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_at=now,
        **notice_pdfs(snapshot, changed),  # once: every download serves these files
    )
    recipients: dict[int, NoticeRecipient] = {}
    memberships = (
        Membership.objects.current(meeting.date)
        .filter(council=meeting.council)
        .select_related("person__user")
        .order_by("role", "position", "id")
    )
    for membership in memberships:
        person = membership.person
        if person.pk in recipients:
            continue
        recipients[person.pk] = NoticeRecipient(
            notice=notice,
            person=person,
            role=membership.get_role_display(),
            email=person.contact_email,
        )
    NoticeRecipient.objects.bulk_create(recipients.values())
    if announce:
        notice_announce(notice, today=today)
    audit.record(
        "notice.sent",
        request=request,
        actor=actor,
        obj=meeting,
        number=notice.number,
        recipients=len(recipients),
        changes=changed,
        announced=announce,
    )
    transaction.on_commit(lambda: tasks.send_notice.enqueue(notice.pk))
    return notice


def notice_announce(notice: Notice, *, today: datetime.date) -> Announcement:
    """Post ``notice`` on the municipality's anslagstavla as a kungörelse: up from ``today``
    through the meeting's day (taken down the day after), naming where the council's protokoll
    is kept. Nothing to appeal, so no last day to appeal."""
    from minutes.services import justering

    meeting = notice.meeting
    council = meeting.council
    if meeting.date <= today:
        raise InvalidInput(
            "Mötet är i dag eller har redan hållits, så kungörelsen kan inte anslås på "
            "anslagstavlan."
        )
    down_on = meeting.date + datetime.timedelta(days=1)
    # an updated notice of the same meeting: the kungörelse already up stays, and its link
    # (the meeting's kallelse.pdf) serves the latest notice
    already = Announcement.objects.filter(
        meeting=meeting, kind=Announcement.Kind.NOTICE, posted_on__lte=today, down_on=down_on
    ).first()
    if already is not None:
        return already
    announcement = Announcement.objects.create(
        municipality=council.municipality,
        council=council,
        meeting=meeting,
        kind=Announcement.Kind.NOTICE,
        notice=notice,
        organ=council.name,
        meeting_date=meeting.date,
        paragraphs="",
        posted_on=today,
        last_day_to_appeal=None,
        down_on=down_on,
        kept_at=justering.kept_at(council),
        secretary=meeting.secretary.name if meeting.secretary_id else "",
    )
    signals.announcement_posted.send(sender=Announcement, announcement=announcement)
    return announcement


@dataclass(frozen=True)
class DeliveryRound:
    sent: int
    failed: int  # failed this round (to be retried, or given up)
    next_attempt_at: datetime.datetime | None  # the earliest retry now due later
    unknown: int = 0  # claims left unfinished by an earlier round, failed now as unknown


def _notice_email(notice: Notice) -> tuple[str, str, str]:
    """The notice e-mail's subject, text and HTML (the same for every recipient, in Swedish,
    linking the Swedish pages whatever language the worker runs in)."""
    meeting, council = notice.meeting, notice.meeting.council
    slugs = [council.municipality.slug, council.slug]
    site = settings.SITE_URL.rstrip("/")
    update = " (uppdaterad)" if notice.number > 1 else ""
    with translation.override("sv"):
        day = f"{meeting.date:%Y-%m-%d}"
        context = {
            "notice": notice,
            "doc": notices.NoticeSnapshot.from_dict(notice.snapshot),
            "url": site + reverse("drafting:notice", args=[*slugs, meeting.pk]),
            "public_url": site + reverse("minutes:meeting", args=[*slugs, day]),
        }
        subject = f"Kallelse{update}: {council.name} {long_date(meeting.date)}"
        text = render_to_string("minutes/email/notice.txt", context)
        html = render_to_string("minutes/email/notice.html", context)
    return subject, text, html


def notice_deliver(notice_id: int, *, now: datetime.datetime | None = None) -> DeliveryRound:
    """One round of the notice's e-mails: each recipient with an address whose delivery is due
    is claimed (pending → sending, by one conditional update, so two workers never both send
    it), sent one e-mail, and recorded as sent; one whose e-mail fails, whatever the error, is
    recorded with the error and tried again after the next back-off delay, or failed after the
    last, and the round goes on with the next. A recipient already sent (or being sent by
    another worker) is never sent again; one claimed so long ago that its worker must have died
    is failed as unknown (``core.delivery.give_up_stale``); those of a notice a newer one replaced
    are failed with that reason, not sent. ``now`` (tests) decides what is due and stale; each
    claim is stamped with the real time, and its end recorded only while the claim holds
    (``core.delivery.record``)."""
    now = now or timezone.now()
    notice = Notice.objects.select_related("meeting__council__municipality").get(pk=notice_id)
    unknown = delivery.give_up_stale(
        notice.recipients.all(), now, logger=logger, what="Notice recipients"
    )
    _withdraw_outdated(notice.recipients.all(), None)  # a retry of a notice since replaced
    subject, text, html = _notice_email(notice)
    sent = failed = 0
    due = notice.recipients.filter(delivery.due(now)).exclude(email="").order_by("id")
    for recipient in due:

        def send(address=recipient.email):
            message = EmailMultiAlternatives(
                subject, text, settings.DEFAULT_FROM_EMAIL, to=[address]
            )
            message.attach_alternative(html, "text/html")
            message.send()

        outcome = delivery.deliver(
            recipient,
            send,
            now=now,
            logger=logger,
            # the recipient's id, not the address (the project logs no addresses)
            what=f"Notice {notice.pk} to recipient {recipient.pk}",
            secret=recipient.email,
        )
        sent += outcome is True
        failed += outcome is False
    later = (
        notice.recipients.filter(delivery=Delivery.PENDING, next_attempt_at__gt=now)
        .exclude(email="")
        .aggregate(first=Min("next_attempt_at"))["first"]
    )
    return DeliveryRound(sent, failed, later, unknown)


def _withdraw_outdated(recipients, today: datetime.date | None) -> int:
    """Fail those of the recipients still pending whose notice must no longer go out by
    itself: a notice a newer one of its meeting replaced (that one goes to everyone), and, given
    ``today``, a notice of a meeting already held. Each with its reason, which the notice page
    shows. The number."""
    newer = Notice.objects.filter(
        meeting=OuterRef("notice__meeting"), number__gt=OuterRef("notice__number")
    )
    rules = [(NoticeRecipient.SUPERSEDED, Q(Exists(newer)))]
    if today is not None:
        rules.insert(0, (NoticeRecipient.MEETING_HELD, Q(notice__meeting__date__lt=today)))
    pending = recipients.filter(delivery=Delivery.PENDING).exclude(email="")
    withdrawn = 0
    for reason, outdated in rules:
        ids = [
            pk
            for pk in pending.filter(outdated).values_list("pk", flat=True)
            # each only while still pending: one claimed meanwhile is left to its worker
            if NoticeRecipient.objects.filter(pk=pk, delivery=Delivery.PENDING).update(
                delivery=Delivery.FAILED, last_error=reason, next_attempt_at=None
            )
        ]
        if ids:
            logger.warning("Notice recipients %s not sent: %s", ids, reason)
            withdrawn += len(ids)
    return withdrawn


def notices_retry_due(*, now: datetime.datetime | None = None) -> int:
    """A delivery round for every notice with a recipient whose delivery is due, whether a
    retry or never tried (a round that crashed, a task that never ran), run by ``manage.py
    send_notices`` from cron; the claim keeps it from sending to anyone twice. Claims left
    unfinished are failed as unknown first, whichever notice they belong to; what is left of
    notices of meetings already held, or replaced by a newer notice, is failed with the reason,
    not sent. One notice whose round breaks is logged and the others are sent all the same.
    ``now`` (tests) decides what is due; each claim is stamped with the real time. The e-mails
    sent."""
    clock = now or timezone.now()
    delivery.give_up_stale(
        NoticeRecipient.objects.all(), clock, logger=logger, what="Notice recipients"
    )
    _withdraw_outdated(NoticeRecipient.objects.all(), timezone.localdate(clock))
    due = (
        NoticeRecipient.objects.filter(delivery.due(clock))
        .exclude(email="")
        .values_list("notice_id", flat=True)
        .distinct()
    )
    sent = 0
    for notice_id in sorted(set(due)):
        try:
            sent += notice_deliver(notice_id, now=now).sent
        except Exception:
            logger.exception("Notice %s: the delivery round failed", notice_id)
    return sent
