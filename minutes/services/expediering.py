"""Expediering: the secretary sends a §'s protokollsutdrag to those its decision is sent to
("Beslutet skickas till"), by e-mail with the extract attached, one recorded dispatch per
recipient. The e-mails go through the task backend (``minutes.tasks.send_extract``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from core import audit
from councils.models import Person
from minutes import tasks
from minutes.models import Extract, ExtractDispatch
from minutes.services.errors import InvalidInput, NotAllowed


@dataclass(frozen=True)
class Recipient:
    """A recipient of a §'s decision as the § names them, the address to prefill (the text
    itself when it is an e-mail address), and what has been sent to them so far."""

    name: str
    email: str
    dispatches: tuple[ExtractDispatch, ...] = ()


def is_email(text: str) -> bool:
    try:
        validate_email(text.strip())
    except ValidationError:
        return False
    return True


def recipients_of(extract: Extract) -> list[Recipient]:
    """The §'s "Beslutet skickas till", each with what was sent to them."""
    (item,) = extract.snapshot["items"]
    sent: dict[str, list[ExtractDispatch]] = {}
    for dispatch in extract.dispatches.order_by("sent_at", "id"):
        sent.setdefault(dispatch.recipient, []).append(dispatch)
    return [
        Recipient(
            name=name,
            email=name.strip() if is_email(name) else "",
            dispatches=tuple(sent.get(name, ())),
        )
        for name in item.get("recipients", ())
    ]


def extract_send(
    *, extract: Extract, addresses: dict[str, str], actor, request=None
) -> list[ExtractDispatch]:
    """Send ``extract`` to the recipients given an address (``addresses``: the recipient as
    the § names them → e-mail address; an empty address is not sent). Every address is checked
    before anything is sent: one bad address sends nothing and says which. A confidential §'s
    extract is the internal PDF, and the dispatch says so."""
    names = [r.name for r in recipients_of(extract)]
    wanted = {
        name: (addresses.get(name) or "").strip()
        for name in names
        if (addresses.get(name) or "").strip()
    }
    if not wanted:
        raise InvalidInput("Ange en e-postadress för minst en mottagare.")
    bad = [f"{name} ({email})" for name, email in wanted.items() if not is_email(email)]
    if bad:
        raise InvalidInput(
            "Det här är inte giltiga e-postadresser; inget har skickats: " + ", ".join(bad) + "."
        )
    internal = not extract.pdf_name
    if internal and not extract.internal_pdf_name:  # pragma: no cover - a constraint forbids it
        raise NotAllowed("Utdraget har ingen PDF att skicka.")
    person = Person.objects.filter(user=actor).first() if actor is not None else None
    name = person.name if person else (actor.get_full_name() or actor.get_username())
    with transaction.atomic():
        dispatches = [
            ExtractDispatch.objects.create(
                extract=extract,
                recipient=recipient,
                email=email,
                internal=internal,
                sent_by=actor,
                sent_by_name=name[:150],
            )
            for recipient, email in wanted.items()
        ]
        audit.record(
            "extract.sent",
            request=request,
            actor=actor,
            obj=extract.minutes.meeting,
            paragraph=extract.paragraph,
            recipients=len(dispatches),
            internal=internal,
        )
        ids = [d.pk for d in dispatches]
        transaction.on_commit(lambda: [tasks.send_extract.enqueue(pk) for pk in ids])
    return dispatches
