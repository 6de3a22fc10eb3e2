"""One e-mail to one recipient, delivered once: the mechanism behind the notice's e-mails
(``minutes.services.notice``) and the residents' alerts (``alerts.services``).

A row that stands for one e-mail to send has the fields of ``DeliveryFields``. Sending it
(``deliver``) first claims it (pending → sending, by one conditional update, so that two workers
never both send it), then hands the e-mail to the mail server, then records the end: sent, or,
whatever the error, pending again after the next back-off delay, or failed after the last. A row
already sent, or being sent by another worker, is never sent again; one claimed so long ago
that its worker must have died is failed as unknown whether delivered (``give_up_stale``),
never sent again by itself. ``now`` (tests) decides what is due and stale; each claim is stamped
with the real time, and its end recorded only while the claim holds (``record``).

The caller's logger and a description of the row ("Notice 3 to recipient 12") say what the log
says; an address is never logged (the mail server's error may name it: ``secret`` is replaced).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The waits after the 1st, 2nd … failed attempt; after the last the delivery has failed.
RETRY_DELAYS = tuple(datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 480))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A claim older than this whose end was never recorded: its worker died (or could not write).
STALE_CLAIM = datetime.timedelta(minutes=15)
# The error of a claim nobody recorded the end of: the e-mail may or may not have left.
DELIVERY_UNKNOWN = "okänt om det levererades"


class Delivery(models.TextChoices):
    PENDING = "pending", _("väntar")
    SENDING = "sending", _("skickas")
    SENT = "sent", _("skickad")
    FAILED = "failed", _("misslyckades")


class DeliveryFields(models.Model):
    """The delivery of one e-mail: pending until it leaves (retried with back-off while the
    mail server or anything else refuses), sending while one worker has claimed it, sent once it
    left, failed once the retries are used up."""

    emailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)
    delivery = models.CharField(
        _("leverans"), max_length=10, choices=Delivery.choices, default=Delivery.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.CharField(_("senaste fel"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def delivery_unknown(self) -> bool:
        """Failed because the send was interrupted: it may have arrived, or not."""
        return self.delivery == Delivery.FAILED and self.last_error == DELIVERY_UNKNOWN


def due(now: datetime.datetime) -> Q:
    """The rows whose delivery is due at ``now``."""
    return Q(delivery=Delivery.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def give_up_stale(rows, now: datetime.datetime, *, logger: logging.Logger, what: str) -> int:
    """Fail as unknown those of ``rows`` claimed longer than ``STALE_CLAIM`` ago whose end nobody
    recorded (the worker was killed, or could not write the result): the e-mail may have left,
    so it is never sent again by itself. Each by a conditional update, so one recorded
    meanwhile by its worker is left alone and not logged. ``what`` names the rows in the log
    ("Notice recipients"). The number."""
    stale = Q(delivery=Delivery.SENDING) & (
        Q(claimed_at__lte=now - STALE_CLAIM) | Q(claimed_at__isnull=True)
    )
    model = rows.model
    given_up = []
    for pk in rows.filter(stale).values_list("pk", flat=True):
        failed = model.objects.filter(stale, pk=pk).update(
            delivery=Delivery.FAILED, last_error=DELIVERY_UNKNOWN, next_attempt_at=None
        )
        if failed:
            given_up.append(pk)
    if given_up:
        logger.error(
            "%s %s were claimed for sending and never recorded as sent or refused; failed as "
            "unknown whether delivered, not to be sent again",
            what, given_up,
        )  # fmt: skip
    return len(given_up)


def record(row, **fields) -> None:
    """Write the end of a row's attempt, in its own savepoint so that a failed write leaves the
    connection usable for the next row; only while the claim is still this worker's
    (``row.claimed_at`` is its stamp). A claim failed meanwhile as unknown (the worker was
    slow, not dead) keeps that, unless the e-mail did leave: then it is recorded as sent, the
    truth; a failed send is never made pending again, lest it be sent twice. ``row.log_what``
    and ``row.log`` (set by ``deliver``) say what the log says."""
    model = type(row)
    with transaction.atomic():
        mine = model.objects.filter(pk=row.pk, delivery=Delivery.SENDING, claimed_at=row.claimed_at)
        if mine.update(**fields):
            return
        log, what = getattr(row, "log", logging.getLogger(__name__)), getattr(row, "log_what", "")
        if fields["delivery"] == Delivery.SENT:
            recovered = model.objects.filter(
                pk=row.pk,
                delivery=Delivery.FAILED,
                last_error=DELIVERY_UNKNOWN,
                claimed_at=row.claimed_at,
            ).update(**fields, last_error="")
            log.warning(
                "%s: sent after its claim was given up as unknown; %s",
                what,
                "recorded as sent" if recovered else "the record had changed, left as it is",
            )
        else:
            log.warning(
                "%s: the send failed after its claim was given up as unknown; left failed as "
                "unknown, not to be tried again",
                what,
            )


def deliver(
    row,
    send: Callable[[], object],
    *,
    now: datetime.datetime,
    logger: logging.Logger,
    what: str,
    secret: str = "",
) -> bool | None:
    """Claim ``row`` (due at ``now``), call ``send`` and record the end: True when sent, False
    when the send failed (to be retried, or given up after the last attempt), None when another
    worker had claimed the row or the claim could not be written. ``what`` names the row in the
    log; ``secret`` (the address) never appears in it."""
    model = type(row)
    attempts = row.attempts + 1
    try:
        # conditional on the attempts read, too: one claimed and refused meanwhile by another
        # worker is counted from what it wrote
        mine = model.objects.filter(due(now), pk=row.pk, attempts=row.attempts)
        # stamped with the real time, however long the round (or cron run) has gone on, lest a
        # claim look older than it is and be given up while it is being sent
        stamp = timezone.now()
        with transaction.atomic():
            claimed = mine.update(delivery=Delivery.SENDING, attempts=attempts, claimed_at=stamp)
        if not claimed:
            return None  # another worker claimed it
        row.claimed_at = stamp  # the outcome is recorded only while this holds
        row.log, row.log_what = logger, what
    except Exception:
        logger.exception("%s: could not claim", what)
        return None
    try:
        send()
    except Exception as error:
        retry = attempts < MAX_ATTEMPTS
        end = "" if retry else ", giving up"
        if isinstance(error, (smtplib.SMTPException, OSError)):
            message = _without(str(error), secret)
            logger.warning("%s refused (attempt %s%s): %s", what, attempts, end, message)
        else:
            logger.exception("%s failed (attempt %s%s)", what, attempts, end)
        try:
            record(
                row,
                delivery=Delivery.PENDING if retry else Delivery.FAILED,
                last_error=_without(str(error) or type(error).__name__, secret)[:500],
                next_attempt_at=now + RETRY_DELAYS[attempts - 1] if retry else None,
            )
        except Exception:  # left claimed: failed as unknown by a later round
            logger.exception("%s: could not record the failure", what)
        return False
    try:
        record(row, delivery=Delivery.SENT, emailed_at=timezone.now(), next_attempt_at=None)
    except Exception:  # left claimed, never sent again: failed as unknown later
        logger.exception("%s: sent, but could not record it", what)
    return True


def _without(text: str, secret: str) -> str:
    """The mail server's error without the address it names (kept neither in the log nor in
    the row: the page beside it names the recipient)."""
    return text.replace(secret, "<adress>") if secret else text
