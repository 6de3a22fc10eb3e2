"""The standing agenda the drafting tests use, and the shortest ways to approved minutes."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes import services
from minutes.models import StandingItem


def standing_agenda(council) -> None:
    for position, spec in enumerate(
        [
            {
                "title": "Föregående minnesanteckningar",
                "decision": "Minnesanteckningarna från mötet {föregående möte} godkänns.",
            },
            {"title": "Verksamhetsberättelse {föregående år}", "first_meeting_of_year": True},
            {
                "title": "Aktuell information från verksamheterna",
                "sections": ["Socialförvaltningen", "ABO"],
            },
            {"title": "Övriga frågor"},
        ],
        start=1,
    ):
        StandingItem.objects.create(council=council, position=position, **spec)


def write_item(minutes, position, body, *, title=None, public=True, ground=""):
    """Give item ``position`` of ``minutes`` a new text (and title, or confidentiality)."""
    item = minutes.items.get(position=position)
    services.item_save(
        item=item,
        version=item.version,
        title=title or item.title,
        body=body,
        decision="",
        is_public=public,
        confidentiality_ground=ground,
        sections=[],
        actor=None,
    )


def submit_and_approve(draft, cast):
    """Submitted by the secretary, approved by the chair (a nämnd's protokoll: justerat by each
    of its signatories, who get an account when they have none): the approved revision."""
    services.minutes_submit(minutes=draft, actor=cast.secretary)
    fresh = type(draft).objects.get(pk=draft.pk)  # the caller's object keeps its caches
    if not fresh.meeting.council.numbers_paragraphs:
        return services.minutes_approve(minutes=draft, actor=cast.chair)
    return justera(fresh)


def justera(minutes):
    """Every signatory of a submitted protokoll who has not yet signed it signs it: the approved
    revision."""
    from minutes.services import justering
    from tests import factories

    revision = None
    for signer in justering.progress(minutes).missing:
        person = signer.person
        if person.user_id is None:
            factories.user(person_obj=person)
        person.refresh_from_db()
        revision = justering.sign(minutes=minutes, actor=person.user)
    return revision


def approved_elsewhere(meeting, title="Ärende", body="<p>Text.</p>"):
    """Minutes approved on paper and recorded as such, with one public item: the revision."""
    from tests import factories

    minutes = factories.minutes(meeting, status="approved")
    factories.item(minutes, 1, title=title, body=body)
    approved_at = datetime.datetime.combine(meeting.date, datetime.time(12), tzinfo=datetime.UTC)
    return services.record_historical_revision(minutes=minutes, approved_at=approved_at)


def drafting_url(name, draft=None, item=None):
    """A workspace address of the Arboga council's meeting of ``draft`` (and its ``item``)."""
    args = ["arboga", "forebyggande-radet"]
    if draft is not None:
        args.append(draft.meeting.pk)
    if item is not None:
        args.append(item.pk)
    return reverse(f"drafting:{name}", args=args)


PDF = b"%PDF-1.7\n%%EOF\n"


def attach(item, title="Verksamhetsberättelse 2019", public=True):
    """A small PDF attached to ``item`` as a document (handling)."""
    return services.document_add(
        item=item,
        upload=SimpleUploadedFile("berattelse.pdf", PDF),
        title=title,
        is_public=public,
        actor=None,
    )
