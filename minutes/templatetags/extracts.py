"""The staff meeting page's list of a justerat protokoll's extracts (protokollsutdrag): each
§'s extract once made, or that it is still being made, with what was sent to whom."""

from __future__ import annotations

from django import template
from django.db.models import Q
from django.utils import timezone

from minutes import publication
from minutes.models import ApprovedRevision, Extract, Minutes
from minutes.services import justering

register = template.Library()


def sent_line(dispatch) -> str:
    """ "Skickat till Socialförvaltningen (sf@arboga.example) 2026-03-16 kl. 11.05 av Sara" """
    internal = " – med sekretessbelagda uppgifter" if dispatch.internal else ""
    if dispatch.delivered_at is None:  # queued, or the mail server refused it so far
        when = timezone.localtime(dispatch.sent_at)
        return (
            f"Väntar på att skickas till {dispatch.recipient} ({dispatch.email}), köat "
            f"{when:%Y-%m-%d} kl. {when:%H.%M} av {dispatch.sent_by_name}{internal}"
        )
    when = timezone.localtime(dispatch.delivered_at)
    return (
        f"Skickat till {dispatch.recipient} ({dispatch.email}) {when:%Y-%m-%d} kl. "
        f"{when:%H.%M} av {dispatch.sent_by_name}{internal}"
    )


@register.simple_tag(name="sent_line")
def sent_line_tag(dispatch) -> str:
    return sent_line(dispatch)


@register.inclusion_tag("minutes/drafting/_extracts.html")
def extracts_panel(minutes: Minutes, rights) -> dict:
    if minutes is None or minutes.status != Minutes.Status.APPROVED:
        return {"rows": []}
    if not minutes.meeting.council.numbers_paragraphs:
        return {"rows": []}
    revision = ApprovedRevision.objects.filter(minutes=minutes).first()
    if revision is None:
        return {"rows": []}
    made = {
        e.paragraph: e
        # the protokoll's own, and those of §§ justerade at once (perhaps in an earlier revision)
        for e in Extract.objects.filter(
            Q(revision=revision) | Q(immediate=True, minutes__meeting_id=minutes.meeting_id)
        )
        .select_related("minutes__meeting__council__municipality")
        .prefetch_related("dispatches")
    }
    withdrawn = publication.is_withdrawn(revision)
    rows = []
    for item in revision.snapshot.get("items", ()):
        number = item.get("paragraph")
        if number is None:
            continue
        extract = made.get(number)
        rows.append(
            {
                "label": item.get("paragraph_label", ""),
                "title": item.get("title", ""),
                "is_public": item.get("is_public", True),
                "extract": extract,
                "public_url": publication.url_for(publication.extract_published_name(extract))
                if extract and extract.pdf_name and not withdrawn
                else "",
                "sent": [sent_line(d) for d in sorted(extract.dispatches.all(), key=lambda d: d.pk)]
                if extract
                else [],
                "recipients": bool(item.get("recipients")),
            }
        )
    meeting = minutes.meeting
    council = meeting.council
    return {
        "rows": rows,
        "pending": justering.pending_extracts(revision),
        "can_send": rights.can_edit_minutes,
        "args": [council.municipality.slug, council.slug, meeting.pk],
        "withdrawn": withdrawn,
    }
