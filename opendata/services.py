"""Keeping the stored OParl objects in line with the public record.

A change to the source only marks its scope as pending (``mark``: one row, in the writer's own
transaction, so that a rolled-back change marks nothing). The pending scopes are rebuilt before
the API answers (``refresh_pending``: up to twenty a request, each in a transaction of its own,
so that a writer waits at most for one scope's rebuild) and from cron (``manage.py
refresh_open_data``, which takes what a busy moment left). Rebuilding a scope compares each
object with the stored one: an unchanged object keeps its ``modified``, a changed one gets the
time of the rebuild, and one that is gone becomes a tombstone. A scope whose rebuild fails is
logged and left pending: the API answers with what it has.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.db import OperationalError, connection, transaction
from django.utils import timezone, translation

from opendata import build
from opendata.models import OParlObject, PendingRefresh

logger = logging.getLogger(__name__)


def body_scope(municipality_id: int) -> str:
    return f"body:{municipality_id}"


def meeting_scope(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def mark(*scopes: str) -> None:
    """Mark ``scopes`` to be rebuilt before the API next answers."""
    now = timezone.now()
    PendingRefresh.objects.bulk_create(
        [PendingRefresh(scope=s, marked_at=now) for s in sorted(set(scopes))],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["marked_at"],
    )


def builder_of(scope: str):
    kind, _sep, pk = scope.partition(":")
    return {"body": build.build_body, "meeting": build.build_meeting}[kind], int(pk)


def _stamp(value, times: dict[str, tuple[datetime.datetime, datetime.datetime]]):
    """Give every embedded object in ``value`` the created and modified of the object it copies
    (OParl: an embedded object equals the object at its id, back references aside)."""
    if isinstance(value, dict):
        stamped = {k: _stamp(v, times) for k, v in value.items()}
        if "id" in value and "type" in value and value["id"] in times:
            created, modified = times[value["id"]]
            stamped["created"], stamped["modified"] = build.iso(created), build.iso(modified)
        return stamped
    if isinstance(value, list):
        return [_stamp(v, times) for v in value]
    return value


def document(row: OParlObject, data: dict) -> str:
    """The object as the API sends it: id and type, its properties, its times; a tombstone
    keeps only id, type, its times and ``deleted`` (OParl 1.1, "Gelöschte Objekte")."""
    head = {"id": build.api_url(row.kind, row.key), "type": build.SCHEMA + build.TYPE[row.kind]}
    stamps = {"created": build.iso(row.created), "modified": build.iso(row.modified)}
    served = head | stamps | {"deleted": True} if row.deleted else head | data | stamps
    return json.dumps(served, ensure_ascii=False, separators=(",", ":"))


@transaction.atomic
def refresh(scope: str, *, now: datetime.datetime | None = None) -> tuple[int, int, int]:
    """Rebuild ``scope``'s objects; returns how many were (created, changed, deleted)."""
    now = now or timezone.now()
    builder, pk = builder_of(scope)
    # the record's language, whatever the request's that happens to rebuild it (a role or a
    # council's kind in English would change the object back and forth)
    with translation.override("sv"):
        built = builder(pk)
    # locked in one order, so that two rebuilds of overlapping scopes cannot deadlock
    rows = OParlObject.objects.select_for_update().defer("document").order_by("pk")
    stored = {(o.kind, o.key): o for o in rows.filter(scope=scope)}
    # an object another scope held (a membership whose council moved to another body)
    if built:
        stored |= {
            (o.kind, o.key): o
            for o in rows.filter(
                kind__in={b.kind for b in built}, key__in={b.key for b in built}
            ).exclude(scope=scope)
        }
    times: dict[str, tuple[datetime.datetime, datetime.datetime]] = {}
    creates, changes, seen = [], [], set()
    # the builders list what is embedded before what embeds it
    for one in built:
        seen.add((one.kind, one.key))
        data = _stamp(one.data, times)
        etag = build.etag_of(data)
        row = stored.get((one.kind, one.key))
        where = (scope, one.body_id, one.organization_id)
        if row is None:
            row = OParlObject(
                kind=one.kind,
                key=one.key,
                scope=scope,
                body_id=one.body_id,
                organization_id=one.organization_id,
                etag=etag,
                created=min(one.created or now, now),
                modified=now,
            )
            row.document = document(row, data)
            creates.append(row)
        elif (
            row.etag != etag
            or row.deleted
            or (row.scope, row.body_id, row.organization_id) != where
        ):
            row.scope, row.body_id, row.organization_id = where
            row.etag, row.deleted, row.modified = etag, False, now
            row.document = document(row, data)
            changes.append(row)
        times[build.api_url(one.kind, one.key)] = (row.created, row.modified)
    # a tombstone's etag is its site's: a new SITE_URL gives it its new id too
    buried = build.etag_of({"site": build.site()})
    gone = [
        row
        for key, row in stored.items()
        if key not in seen and row.scope == scope and (not row.deleted or row.etag != buried)
    ]
    for row in gone:
        if not row.deleted:
            row.modified = now
        row.etag, row.deleted = buried, True
        row.document = document(row, {})
    OParlObject.objects.bulk_create(creates, batch_size=500)
    # one UPDATE a row: a few rows change at a time, and bulk_update's CASE per field costs
    # more to compile than the statements it saves
    for row in changes + gone:
        OParlObject.objects.filter(pk=row.pk).update(
            document=row.document,
            etag=row.etag,
            deleted=row.deleted,
            modified=row.modified,
            scope=row.scope,
            body_id=row.body_id,
            organization_id=row.organization_id,
        )
    return len(creates), len(changes), len(gone)


def refresh_pending(limit: int = 20) -> int:
    """Rebuild the scopes marked pending, oldest first, at most ``limit``; returns how many were
    rebuilt. Each scope is rebuilt in a transaction of its own. Two processes at once take
    other scopes on PostgreSQL (SKIP LOCKED); on SQLite, whose writers take turns, a process
    that finds the database locked leaves the rest to the next request or to cron."""
    if not PendingRefresh.objects.exists():
        return 0  # the common case: one query
    done, failed = 0, set()
    while done < limit:
        scope = None
        try:
            with transaction.atomic():
                pending = PendingRefresh.objects.exclude(scope__in=failed).order_by(
                    "marked_at", "scope"
                )
                if connection.features.has_select_for_update_skip_locked:
                    pending = pending.select_for_update(skip_locked=True)
                one = pending.first()
                if one is None:
                    break
                scope = one.scope
                refresh(scope)
                # a change marked while this ran marked it again, with a later time: it stays
                PendingRefresh.objects.filter(scope=scope, marked_at=one.marked_at).delete()
        except OperationalError as error:  # SQLite: another process is writing
            logger.warning("open data: rebuilding is left for later (%s)", error)
            break
        except Exception:
            # a rebuild that fails (a concurrent rebuild of an overlapping scope, a record the
            # builder cannot read) stays pending for cron; the API answers all the same
            logger.exception("open data: %s could not be rebuilt", scope)
            if scope is None:
                break
            failed.add(scope)
            continue
        done += 1
    return done


def refresh_all() -> dict[str, int]:
    """Rebuild every scope (the nightly reconciliation, and after a restore or a change of
    SITE_URL): each body, each meeting, and the scopes of what no longer exists; the SHA-512
    of any public file stored without one is computed first. A scope that fails is logged and
    counted, and the others go on."""
    from councils.models import Municipality
    from minutes.models import Meeting

    started = timezone.now()
    record_missing_digests()
    scopes = [body_scope(pk) for pk in Municipality.objects.values_list("pk", flat=True)]
    scopes += [meeting_scope(pk) for pk in Meeting.objects.values_list("pk", flat=True)]
    known = set(scopes)
    scopes += sorted(set(OParlObject.objects.values_list("scope", flat=True).distinct()) - known)
    totals = {"created": 0, "changed": 0, "deleted": 0, "failed": 0}
    for scope in scopes:
        try:
            created, changed, deleted = refresh(scope)
        except Exception:
            logger.exception("open data: %s could not be rebuilt", scope)
            totals["failed"] += 1
            continue
        totals["created"] += created
        totals["changed"] += changed
        totals["deleted"] += deleted
        # what was marked before its rebuild began is built now; a later mark stays
        PendingRefresh.objects.filter(scope=scope, marked_at__lte=started).delete()
    return totals


def record_missing_digests() -> tuple[int, int]:
    """The SHA-512 of the files stored before it was computed at storing: every file the
    archive names (``minutes.integrity.stored_files``, as ``verify_documents`` reads them)."""
    from minutes.integrity import stored_files
    from minutes.services.files import record_missing_digests as record

    return record([(f.storage, f.name, f.sha256) for f in stored_files()])
