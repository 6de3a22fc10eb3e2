"""Bevakning: requests and their confirmation, what a new protokoll or announcement means to
each subscription, and the e-mails that tell it.

- **Requests** (``request_subscription``) need an address alone. Nothing is sent to it but the
  confirmation until its link is followed (``confirm``), within ``CONFIRM_WITHIN``; the reply is
  the same whether the address already follows the thing or not, and so is what happens to the
  address's mailbox: an e-mail (the confirmation, or word that it already follows it, with the
  link to its subscriptions). Rate limits per address and per client bound what anyone can
  make the site send (``Attempt``, keyed hashes kept a day).
- **Matching** (``match_revision``, ``collect_announcements``): a newly approved revision that
  is its meeting's public record gives an ``Alert`` to each confirmed subscription of its
  council, and to each saved search that finds one of its public §§ with the site's own search
  (``minutes.search.revision_hits``); an announcement that goes up on an anslagstavla, to those
  who follow that anslagstavla.
- **Sending** (``dispatch``, ``send_digest``): an address's alerts go out together as one
  ``Digest``, at most one a day by default (the next morning from ``ALERTS_DIGEST_HOUR``, with
  all of the day before), or at once when the address chose that. Each digest is delivered once (``core.delivery``):
  retried with back-off when the mail server refuses, never sent twice. What stopped being
  public meanwhile (a withdrawn publication, a corrected protokoll, an announcement taken down)
  is left out, and a digest with nothing left is not sent.

Addresses are never logged: subscribers and digests are named by their ids.
"""

from __future__ import annotations

import datetime
import email.policy
import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from alerts.models import (
    CONFIRM_WITHIN,
    Alert,
    Attempt,
    Digest,
    RequestEmail,
    Subscriber,
    Subscription,
)
from core import delivery
from core.dates import long_date
from councils.models import Council, Municipality
from minutes import noticeboard, publication, search
from minutes.models import Announcement, ApprovedRevision

logger = logging.getLogger(__name__)
Kind = Subscription.Kind

# The rate limits on requests: per address (a day), per client (an hour).
LIMIT_WINDOW = datetime.timedelta(hours=24)
CLIENT_WINDOW = datetime.timedelta(hours=1)
# Minutes archived long after they were approved (an import of old paper minutes) are not news.
NEWS_WINDOW = datetime.timedelta(days=14)
# How long a sent digest (and what it said) is kept.
KEEP_SENT = datetime.timedelta(days=30)


class Throttled(Exception):
    """Too many requests from one client: the visitor is told to wait."""


@dataclass(frozen=True)
class Target:
    """What a request asks to follow."""

    kind: str
    council: Council | None = None
    municipality: Municipality | None = None
    query: str = ""

    def lookup(self) -> dict:
        return {
            "kind": self.kind,
            "council": self.council,
            "municipality": self.municipality,
            "query": self.query,
        }


def normalize(address: str) -> str:
    """One spelling per mailbox as far as anyone can tell: trimmed, lower case."""
    return address.strip().lower()


def _hashed(kind: str, value: str) -> str:
    """A keyed hash (HMAC-SHA-256 under the site's secret): nobody holding the table alone can
    tell which address or client it was."""
    message = f"alerts:{kind}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _limit(name: str) -> int:
    defaults = {"ALERTS_LIMIT_PER_ADDRESS": 5, "ALERTS_LIMIT_PER_CLIENT": 20}
    return int(getattr(settings, name, defaults[name]))


def request_subscription(
    address: str, target: Target, *, client: str | None, now: datetime.datetime | None = None
) -> None:
    """Ask to follow ``target`` from ``address`` (already validated): an e-mail to the address
    with the confirmation link, valid ``CONFIRM_WITHIN`` from now, or, when the address already
    follows it, word of that with the link to its subscriptions. Raises Throttled when the
    client has asked too often; past the address's own limit nothing is sent, and the caller
    cannot tell, as it cannot tell the rest."""
    now = now or timezone.now()
    address = normalize(address)
    client_key = _hashed("client", client or "-")
    address_key = _hashed("address", address)
    with transaction.atomic():
        Attempt.objects.filter(at__lt=now - LIMIT_WINDOW).delete()
        recent = Attempt.objects.filter(key=client_key, at__gte=now - CLIENT_WINDOW).count()
        if recent >= _limit("ALERTS_LIMIT_PER_CLIENT"):
            raise Throttled
        asked = Attempt.objects.filter(key=address_key, at__gte=now - LIMIT_WINDOW).count()
        Attempt.objects.bulk_create(
            [Attempt(key=client_key, at=now), Attempt(key=address_key, at=now)]
        )
        if asked >= _limit("ALERTS_LIMIT_PER_ADDRESS"):
            logger.info("A subscription request past one address's daily limit: nothing sent")
            return
        subscriber, _created = Subscriber.objects.get_or_create(email=address)
        subscription, _created = Subscription.objects.get_or_create(
            subscriber=subscriber, **target.lookup(), defaults={"created_at": now}
        )
        if subscription.confirmed_at is None:
            # a new link and a new 48 hours: an earlier link of this request stops working
            subscription.key = Subscription._meta.get_field("key").default()
            subscription.created_at = now
            subscription.save(update_fields=["key", "created_at"])
            what = RequestEmail.What.CONFIRM
        else:
            what = RequestEmail.What.ALREADY
        email = RequestEmail.objects.create(subscription=subscription, what=what, created_at=now)
        from alerts import tasks  # the tasks call this module

        transaction.on_commit(lambda: tasks.send_request_email.enqueue(email.pk))


@dataclass(frozen=True)
class Confirmation:
    state: str  # "confirmed", "already", "expired", "unknown"; "ask" before the POST
    subscription: Subscription | None = None


def is_expired(subscription: Subscription, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= subscription.expires_at()


def confirm(key: str, *, now: datetime.datetime | None = None) -> Confirmation:
    """Follow a confirmation link: the subscription starts now, unless it already had (a link
    used twice), or the link is older than ``CONFIRM_WITHIN`` (the request is then deleted, and
    its address with its last subscription)."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("subscriber", "council__municipality", "municipality")
            .filter(key=key)
            .first()
        )
        if subscription is None:
            return Confirmation("unknown")
        if subscription.confirmed_at is not None:
            return Confirmation("already", subscription)
        if is_expired(subscription, now):
            end(subscription)
            return Confirmation("expired")
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    logger.info("Subscription %s confirmed", subscription.pk)
    return Confirmation("confirmed", subscription)


def end(subscription: Subscription) -> bool:
    """End one subscription at once; its address goes with its last one. Whether the address
    was deleted."""
    with transaction.atomic():
        subscriber_id = subscription.subscriber_id
        Subscription.objects.filter(pk=subscription.pk).delete()
        if not Subscription.objects.filter(subscriber_id=subscriber_id).exists():
            Subscriber.objects.filter(pk=subscriber_id).delete()
            return True
    return False


def end_all(subscriber: Subscriber) -> int:
    """End every subscription of an address and delete the address: the number ended."""
    with transaction.atomic():
        count = Subscription.objects.filter(subscriber=subscriber).count()
        Subscriber.objects.filter(pk=subscriber.pk).delete()
    logger.info("Subscriber %s ended all %s subscriptions", subscriber.pk, count)
    return count


def end_address(address: str) -> int:
    """An administrator ends, on request, every subscription of an address: the number ended
    (0 when the address follows nothing)."""
    subscriber = Subscriber.objects.filter(email=normalize(address)).first()
    return end_all(subscriber) if subscriber is not None else 0


def purge(now: datetime.datetime | None = None) -> int:
    """Delete the requests left unconfirmed past ``CONFIRM_WITHIN``, the addresses that follow
    nothing any more, and the rate limits' hashes past their day. The requests deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        _total, deleted = Subscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=now - CONFIRM_WITHIN
        ).delete()
        expired = deleted.get(Subscription._meta.label, 0)
        Subscriber.objects.filter(
            subscriptions__isnull=True, created_at__lt=now - datetime.timedelta(hours=1)
        ).delete()
        Attempt.objects.filter(at__lt=now - LIMIT_WINDOW).delete()
        RequestEmail.objects.filter(created_at__lt=now - LIMIT_WINDOW).exclude(
            delivery=delivery.Delivery.SENDING
        ).delete()
        # what was sent is kept a while (to tell a retry from a new e-mail), then forgotten
        done = Digest.objects.filter(
            delivery__in=(delivery.Delivery.SENT, delivery.Delivery.FAILED),
            created_at__lt=now - KEEP_SENT,
        )
        done.delete()  # and their alerts
    return expired


# --- matching -------------------------------------------------------------------------------------


def _is_public_record(revision: ApprovedRevision) -> bool:
    """The revision is its meeting's public record: not withdrawn, and no correction since."""
    if publication.is_withdrawn(revision):
        return False
    return not ApprovedRevision.objects.filter(supersedes=revision).exists()


def match_revision(revision_id: int) -> int:
    with translation.override("sv"):  # the links of a Swedish e-mail: the Swedish pages
        return _match_revision(revision_id)


def _match_revision(revision_id: int) -> int:
    """The alerts of a newly approved revision: for each confirmed subscription of its
    council, its public §§ or items; for each confirmed saved search (everywhere, or within its
    council) that finds any of them, those it finds. Nothing for a revision withdrawn or
    corrected meanwhile, or for minutes archived long after their approval. Once per
    subscription and revision, however often it runs. The alerts made."""
    revision = (
        ApprovedRevision.objects.select_related("minutes__meeting__council__municipality")
        .filter(pk=revision_id)
        .first()
    )
    if revision is None or not _is_public_record(revision):
        return 0
    if revision.created_at - revision.approved_at > NEWS_WINDOW:
        return 0
    council = revision.minutes.meeting.council
    confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
    alerts = []
    followers = list(confirmed.filter(kind=Kind.COUNCIL, council=council))
    if followers:
        items = search.revision_items(revision.pk)
        alerts += [Alert(subscription=s, revision=revision, hits=items) for s in followers]
    searches = confirmed.filter(Q(council__isnull=True) | Q(council=council), kind=Kind.SEARCH)
    found: dict[str, list[dict]] = {}
    for subscription in searches:
        if subscription.query not in found:
            found[subscription.query] = search.revision_hits(subscription.query, revision.pk)
        if found[subscription.query]:
            alerts.append(
                Alert(subscription=subscription, revision=revision, hits=found[subscription.query])
            )
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def collect_announcements(now: datetime.datetime | None = None) -> int:
    """The alerts of the announcements up today on the anslagstavlor that someone follows, each
    once per subscription: those that went up (or were put up) after the subscription began.
    The alerts made."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    followers = Subscription.objects.filter(
        kind=Kind.NOTICEBOARD, confirmed_at__isnull=False
    ).select_related("municipality")
    by_municipality: dict[int, list[Subscription]] = {}
    for subscription in followers:
        by_municipality.setdefault(subscription.municipality_id, []).append(subscription)
    alerts = []
    for group in by_municipality.values():
        up = list(noticeboard.current(group[0].municipality, today))
        for subscription in group:
            began = subscription.confirmed_at
            alerts += [
                Alert(subscription=subscription, announcement=announcement)
                for announcement in up
                if (
                    announcement.created_at >= began
                    or announcement.posted_on > timezone.localdate(began)
                )
                # one whose alert was sent and forgotten (KEEP_SENT) is not news again
                and (
                    announcement.created_at >= now - KEEP_SENT
                    or announcement.posted_on >= today - KEEP_SENT
                )
            ]
    if not alerts:
        return 0
    known = set(
        Alert.objects.filter(
            announcement__in={a.announcement for a in alerts},
            subscription__in={a.subscription for a in alerts},
        ).values_list("subscription_id", "announcement_id")
    )
    new = [a for a in alerts if (a.subscription.pk, a.announcement.pk) not in known]
    Alert.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- sending --------------------------------------------------------------------------------------


def digest_hour() -> int:
    return int(getattr(settings, "ALERTS_DIGEST_HOUR", 7))


def _due_alerts(subscriber: Subscriber, now: datetime.datetime):
    """The waiting alerts of an address that go out now: all of them when it wants news at
    once; else, once a day from ``ALERTS_DIGEST_HOUR`` (local time) when it has had no digest
    that day, those that came before that hour: the day's approvals all wait for the next morning."""
    waiting = Alert.objects.filter(digest__isnull=True, subscription__subscriber=subscriber)
    if subscriber.frequency == Subscriber.Frequency.IMMEDIATE:
        return waiting
    local = timezone.localtime(now)
    day_began = local.replace(hour=0, minute=0, second=0, microsecond=0)
    digest_time = local.replace(hour=digest_hour(), minute=0, second=0, microsecond=0)
    if local < digest_time or subscriber.digests.filter(created_at__gte=day_began).exists():
        return waiting.none()
    return waiting.filter(created_at__lt=digest_time)


def dispatch(now: datetime.datetime | None = None, *, at_once_only: bool = False) -> int:
    """One round, run from cron every few minutes (``manage.py send_alerts``): the expired
    requests purged, the anslagstavlor's new announcements matched, a digest made of each due
    address's waiting alerts and sent, and the digests whose retry is due sent again. After a
    match (``at_once_only``), only the addresses that want news at once get theirs: the rest is
    cron's, not the approving chair's request's. The e-mails sent."""
    now = now or timezone.now()
    if not at_once_only:
        purge(now)
    collect_announcements(now)
    waiting = Subscriber.objects.filter(
        pk__in=Alert.objects.filter(digest__isnull=True).values("subscription__subscriber_id")
    )
    if at_once_only:
        waiting = waiting.filter(frequency=Subscriber.Frequency.IMMEDIATE)
    made = []
    for subscriber in waiting:
        try:
            digest = _make_digest(subscriber, now)
        except Exception:  # the address ended meanwhile, say: the others go on
            logger.exception("Subscriber %s: the digest could not be made", subscriber.pk)
            continue
        if digest is not None:
            made.append(digest.pk)
    due: set[int] = set()
    sent = 0
    if not at_once_only:
        delivery.give_up_stale(Digest.objects.all(), now, logger=logger, what="Digests")
        due = set(Digest.objects.filter(delivery.due(now)).values_list("pk", flat=True))
        delivery.give_up_stale(
            RequestEmail.objects.all(), now, logger=logger, what="Request e-mails"
        )
        for email_id in RequestEmail.objects.filter(delivery.due(now)).values_list("pk", flat=True):
            try:
                sent += send_request_email(email_id, now=now)
            except Exception:
                logger.exception("Request e-mail %s: could not be sent", email_id)
    for digest_id in sorted(due | set(made)):
        try:
            sent += send_digest(digest_id, now=now)
        except Exception:
            logger.exception("Digest %s: could not be sent", digest_id)
    return sent


def _make_digest(subscriber: Subscriber, now: datetime.datetime) -> Digest | None:
    """A digest of the address's alerts due now, or None (none due, or another round took
    them: the claim is conditional on an alert being in no digest yet)."""
    due = list(_due_alerts(subscriber, now).values_list("pk", flat=True))
    if not due:
        return None
    with transaction.atomic():
        digest = Digest.objects.create(subscriber=subscriber, created_at=now)
        claimed = Alert.objects.filter(pk__in=due, digest__isnull=True).update(digest=digest)
        if not claimed:
            digest.delete()
            return None
    return digest


@dataclass(frozen=True)
class Entry:
    """One thing a digest tells: a meeting's new minutes, or an announcement."""

    heading: str  # "Socialnämnden 18 november 2026"
    what: str  # "Protokollet är justerat."
    url: str
    pdf_url: str
    hits: list[dict]
    more: bool  # more §§ than are listed


@dataclass(frozen=True)
class Group:
    subscription: Subscription
    entries: list[Entry]


def _absolute(url: str) -> str:
    return url if "://" in url else settings.SITE_URL.rstrip("/") + url


def _revision_entry(alert: Alert) -> Entry:
    revision = alert.revision
    meeting = revision.minutes.meeting
    council = meeting.council
    slugs = (council.municipality.slug, council.slug)
    day = publication.stated_day(revision)
    if revision.supersedes_id:
        what = translation.gettext("En rättad version är publicerad.")
    elif council.numbers_paragraphs:
        what = translation.gettext("Protokollet är justerat.")
    else:
        what = translation.gettext("Minnesanteckningarna är godkända.")
    page = reverse("minutes:meeting", args=[*slugs, f"{meeting.date:%Y-%m-%d}"])
    shown = alert.hits[: search.REVISION_HITS]
    hits = [{**hit, "url": _absolute(hit["url"])} for hit in shown]
    return Entry(
        heading=f"{council.name} {long_date(day)}",
        what=what,
        url=_absolute(page),
        pdf_url=_absolute(publication.readable_url(*slugs, meeting.date)),
        hits=hits,
        more=len(alert.hits) > search.REVISION_HITS,
    )


def _announcement_entry(line: noticeboard.Line) -> Entry:
    announcement = line.announcement
    what = line.kind + (f", {line.paragraphs}" if line.paragraphs else "")
    dates = translation.gettext("Anslaget %(posted)s, tas ned %(down)s.") % {
        "posted": long_date(announcement.posted_on),
        "down": long_date(announcement.down_on),
    }
    if announcement.last_day_to_appeal:
        dates += " " + translation.gettext("Sista dag att överklaga: %(day)s.") % {
            "day": long_date(announcement.last_day_to_appeal)
        }
    return Entry(
        heading=f"{announcement.organ} {long_date(announcement.meeting_date)}",
        what=f"{what}. {dates}",
        url=_absolute(line.meeting_url),
        pdf_url=_absolute(line.pdf_url) if line.pdf_url else "",
        hits=[],
        more=False,
    )


def _groups(digest: Digest, today: datetime.date) -> list[Group]:
    """What the digest still tells, per subscription: alerts whose revision or announcement
    stopped being public are deleted."""
    alerts = list(
        digest.alerts.select_related(
            "subscription__council__municipality",
            "subscription__municipality",
            "revision__minutes__meeting__council__municipality",
            "revision__withdrawal",
            "announcement__municipality",
        ).order_by("subscription_id", "id")
    )
    gone = [a.pk for a in alerts if a.revision_id and not _is_public_record(a.revision)]
    lines: dict[int, noticeboard.Line] = {}
    boards = {a.announcement.municipality for a in alerts if a.announcement_id}
    for municipality in boards:
        ids = [a.announcement_id for a in alerts if a.announcement_id]
        up = noticeboard.current(municipality, today).filter(pk__in=ids)
        lines.update({line.announcement.pk: line for line in noticeboard.lines(municipality, up)})
    gone += [a.pk for a in alerts if a.announcement_id and a.announcement_id not in lines]
    if gone:
        Alert.objects.filter(pk__in=gone).delete()
    groups: dict[int, Group] = {}
    for alert in alerts:
        if alert.pk in gone:
            continue
        group = groups.setdefault(alert.subscription_id, Group(alert.subscription, []))
        if alert.revision_id:
            group.entries.append(_revision_entry(alert))
        else:
            group.entries.append(_announcement_entry(lines[alert.announcement_id]))
    return list(groups.values())


def links(subscriber: Subscriber) -> dict[str, str]:
    """The addresses every e-mail gives, to the Swedish pages whatever the worker's language."""
    with translation.override("sv"):
        return {
            "manage_url": _absolute(reverse("alerts:manage", args=[subscriber.key])),
            "unsubscribe_url": _absolute(reverse("alerts:unsubscribe", args=[subscriber.key])),
            "privacy_url": _absolute(reverse("alerts:privacy")),
        }


def _list_headers(subscriber: Subscriber) -> dict[str, str]:
    """RFC 2369 and RFC 8058: the address that ends every subscription with one POST."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return {
        "List-Unsubscribe": f"<{links(subscriber)['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Bevakning <bevakning.{host}>",
        "Auto-Submitted": "auto-generated",
    }


class ListMessage(EmailMultiAlternatives):
    """An e-mail whose header lines may be as long as RFC 5322 allows (998), so that the
    List-Unsubscribe address, longer than 78 characters with its key, stays one plain URL: the
    default policy would fold it into encoded words, which no mail client reads as a URL."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def _email(
    subscriber: Subscriber, subject: str, template: str, context: dict, *, unsubscribe: bool
) -> EmailMultiAlternatives:
    """An e-mail to ``subscriber`` from ``alerts/email/<template>.txt`` and ``.html`` (rendered
    in Swedish), with the one-click unsubscribe headers when ``unsubscribe``."""
    with translation.override("sv"):
        text = render_to_string(f"alerts/email/{template}.txt", context)
        html = render_to_string(f"alerts/email/{template}.html", context)
    message = ListMessage(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers=_list_headers(subscriber) if unsubscribe else None,
    )
    message.attach_alternative(html, "text/html")
    return message


def _deliver(row, message, *, task, now: datetime.datetime, what: str, secret: str) -> bool:
    """Send ``row``'s e-mail once (``core.delivery``); refused, its retry is queued where the
    task backend can defer (else the next ``send_alerts`` sends it). Whether it left now."""
    outcome = delivery.deliver(row, message.send, now=now, logger=logger, what=what, secret=secret)
    if outcome is False:
        retry = type(row).objects.filter(pk=row.pk, delivery=delivery.Delivery.PENDING).first()
        if retry is not None and retry.next_attempt_at and task.get_backend().supports_defer:
            task.using(run_after=retry.next_attempt_at).enqueue(row.pk)
    return outcome is True


def digest_message(digest: Digest, groups: list[Group]) -> EmailMultiAlternatives:
    subscriber = digest.subscriber
    entries = [entry for group in groups for entry in group.entries]
    with translation.override("sv"):
        if len(entries) == 1:
            subject = f"Bevakning: {entries[0].heading}"
        else:
            subject = translation.gettext("Bevakning: %(n)s nyheter, bland dem %(first)s") % {
                "n": len(entries),
                "first": entries[0].heading,
            }
    context = {"groups": groups, "subscriber": subscriber, **links(subscriber)}
    return _email(subscriber, subject, "digest", context, unsubscribe=True)


def send_digest(digest_id: int, *, now: datetime.datetime | None = None) -> int:
    """Send one digest, once: 1 when it left now, else 0 (sent before, claimed by another
    worker, refused and to be retried, or nothing left in it that is still public, when it is
    deleted)."""
    now = now or timezone.now()
    digest = Digest.objects.select_related("subscriber").filter(pk=digest_id).first()
    if digest is None:  # the address ended its subscriptions meanwhile
        return 0
    if not Digest.objects.filter(delivery.due(now), pk=digest.pk).exists():
        return 0
    with translation.override("sv"):
        groups = _groups(digest, timezone.localdate(now))
    if not groups:
        Digest.objects.filter(pk=digest.pk, delivery=delivery.Delivery.PENDING).delete()
        return 0
    from alerts import tasks

    sent = _deliver(
        digest,
        digest_message(digest, groups),
        task=tasks.send_digest,
        now=now,
        what=f"Digest {digest.pk} to subscriber {digest.subscriber_id}",
        secret=digest.subscriber.email,
    )
    if sent:  # what the e-mail said is not kept beside it
        Alert.objects.filter(digest=digest).update(hits=[])
    return int(sent)


def request_message(subscription: Subscription, what: str) -> EmailMultiAlternatives:
    """The e-mail a request sends: the confirmation link, or word that the address already
    follows this (``what`` "already"), with the link to its subscriptions."""
    subscriber = subscription.subscriber
    with translation.override("sv"):
        context = {
            "subscription": subscription,
            "label": subscription.label,
            "what": what,
            "confirm_url": _absolute(reverse("alerts:confirm", args=[subscription.key])),
            "expires_at": timezone.localtime(subscription.expires_at()),
            **links(subscriber),
        }
        if what == "already":
            subject = translation.gettext("Du bevakar redan: %(label)s") % {
                "label": subscription.label
            }
        else:
            subject = translation.gettext("Bekräfta din bevakning: %(label)s") % {
                "label": subscription.label
            }
    # the address already follows something: its way out is in this e-mail too
    return _email(subscriber, subject, "request", context, unsubscribe=what == "already")


def send_request_email(email_id: int, *, now: datetime.datetime | None = None) -> int:
    """Send a request's e-mail, once (``core.delivery``): 1 when it left now. Refused, it is
    tried again by the task backend when it can defer, else by the next ``send_alerts``; the
    error is logged by ids alone (the mail server's names the address)."""
    now = now or timezone.now()
    email = (
        RequestEmail.objects.select_related(
            "subscription__subscriber",
            "subscription__council__municipality",
            "subscription__municipality",
        )
        .filter(delivery.due(now), pk=email_id)
        .first()
    )
    if email is None:  # sent, being sent, or the request is gone
        return 0
    from alerts import tasks

    subscription = email.subscription
    sent = _deliver(
        email,
        request_message(subscription, email.what),
        task=tasks.send_request_email,
        now=now,
        what=f"Request e-mail {email.pk} of subscription {subscription.pk}",
        secret=subscription.subscriber.email,
    )
    return int(sent)


def counts() -> dict:
    """For the administrators: confirmed subscriptions per council (its minutes, and saved
    searches within it), per anslagstavla, the saved searches everywhere, the addresses, and
    the requests waiting for confirmation."""
    confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
    per_council: dict[int, dict] = {}
    for council in Council.objects.select_related("municipality").order_by(
        "municipality__name", "name"
    ):
        per_council[council.pk] = {"council": council, "follow": 0, "searches": 0}
    for kind, council_id in confirmed.filter(council__isnull=False).values_list(
        "kind", "council_id"
    ):
        row = per_council.get(council_id)
        if row is not None:
            row["follow" if kind == Kind.COUNCIL else "searches"] += 1
    boards: dict[int, dict] = {}
    for municipality in Municipality.objects.order_by("name"):
        boards[municipality.pk] = {"municipality": municipality, "follow": 0}
    for municipality_id in confirmed.filter(kind=Kind.NOTICEBOARD).values_list(
        "municipality_id", flat=True
    ):
        boards[municipality_id]["follow"] += 1
    return {
        "councils": list(per_council.values()),
        "boards": list(boards.values()),
        "searches_everywhere": confirmed.filter(kind=Kind.SEARCH, council__isnull=True).count(),
        "addresses": Subscriber.objects.filter(subscriptions__confirmed_at__isnull=False)
        .distinct()
        .count(),
        "unconfirmed": Subscription.objects.filter(confirmed_at__isnull=True).count(),
    }


def announcement_posted(announcement: Announcement) -> None:
    """After an announcement is put up: when it is up today, the round runs now, so that those
    who follow the anslagstavla and want news at once get it."""
    from alerts import tasks

    if announcement.posted_on <= timezone.localdate():
        transaction.on_commit(lambda: tasks.dispatch_alerts.enqueue())
