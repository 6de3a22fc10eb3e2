"""The notice (kallelse): the agenda of the draft minutes frozen when it is sent, its PDF
rendered once and stored, and an e-mail to everyone who serves the council on the day."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core import audit
from councils.models import Membership
from minutes import notices, tasks
from minutes.models import Meeting, Minutes, Notice, NoticeRecipient
from minutes.pdf import render_notice_pdf
from minutes.services.errors import InvalidInput, NotAllowed
from minutes.services.files import store_pdf


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
def notice_send(*, meeting: Meeting, actor, request=None) -> Notice:
    """Send the meeting's notice: the agenda of its draft minutes, with each item's documents,
    frozen in a Notice with its PDFs rendered once and stored; an e-mail after commit to everyone who serves the council on the day
    (members, substitutes, representatives, secretaries), each recorded. A later notice is an
    update and says what changed; one with nothing changed is refused."""
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("council__municipality")
        .get(pk=meeting.pk)
    )
    minutes = meeting.latest_minutes()
    if minutes is None:
        raise InvalidInput("Mötet har ingen dagordning ännu. Påbörja minnesanteckningarna först.")
    if minutes.status == Minutes.Status.APPROVED:
        raise NotAllowed("Mötet har redan godkända minnesanteckningar; kallelsen är inaktuell.")
    now = timezone.now().replace(microsecond=0)
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
    audit.record(
        "notice.sent",
        request=request,
        actor=actor,
        obj=meeting,
        number=notice.number,
        recipients=len(recipients),
        changes=changed,
    )
    transaction.on_commit(lambda: tasks.send_notice.enqueue(notice.pk))
    return notice
