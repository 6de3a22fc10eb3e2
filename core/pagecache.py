"""The public pages as they were last rendered, remembered (per process, or per machine with
PAGE_CACHE_DIR) until anything public may have changed.

A public page (the front page, a council's, a meeting's, the anslagstavla, search) is the same
for every visitor who is not signed in, and it changes only when the database does. So the
rendered page is remembered in the cache under its address and the site's *public generation*,
a number in the database (``core_publicgeneration``) that takes a new random value after every
committed write to a table the pages are built from. A request reads the generation (one
query) and, when a page of that generation and that address is remembered, sends it without
rendering; a write makes every remembered page unreachable at once, in every process.

What counts as a write is seen where every query passes (a database execute wrapper, installed
on each connection as it opens): INSERT, UPDATE and DELETE of any table but the ones listed in
``UNWATCHED`` (sessions, the audit log, the task queue, residents' alerts and other rows no
public page reads, which a test checks). So the ORM's bulk writes, ``update()`` and raw SQL
count as much as ``save()``, and a model added later counts without anyone remembering to say so.

The generation moves on after the writer's transaction commits (a robust ``on_commit``: if it
fails, the commit's other callbacks still run and the failure is logged), never before:
a reader that read the old generation meanwhile and rendered what was not yet committed stores
its page under the old generation, which nobody asks for again. A connection that has written
in the transaction it is still in (a test, or a request that writes and then renders) neither
reads nor fills the cache: it sees what others cannot yet see.

Also part of the key: the host, the language (the address carries it), the day (what is on the
anslagstavla and what is to come change with the date) and the full path with the query
parameters the view reads (any other: rendered, not remembered). What is remembered lives at most
``PAGE_CACHE_SECONDS`` (a bound on anything the generation misses, 304s included; 0 turns the
cache off). A request with a session cookie is never answered from the cache (a
signed-in user sees their menu and messages), and a response is remembered only when it is a
complete 200 that sets no cookie and is not private.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.http import parse_etags
from django.utils.translation import get_language

# Tables no public page is built from: writing them leaves the remembered pages as they are.
# tests/core/test_pagecache.py reads every public page of the demo and the seed and fails when
# one of them reads a table named here. (Drafting still forgets the pages: the council page
# reads minutes_agendaitem, which an autosave updates, to list the plans its meetings adopted.)
UNWATCHED = re.compile(
    r"^(?:django_session|django_admin_log|django_content_type|auth_permission|auth_user"
    r"|core_auditevent|core_publicgeneration|axes_\w+|otp_\w+|django_tasks_\w+"
    r"|alerts_\w+|opendata_pendingrefresh"
    # what drafting, deliberation and the justering's bookkeeping write besides the item
    r"|minutes_(?:agendaitemsection|motion|vote|ballot|reservation|disqualification"
    r"|attendance|minutesevent|signature|adjustmentsignature|adjustmentreminder"
    r"|extractdispatch|paragraphrenumbering))$"
)

# A statement that writes, and the table it writes when that can be told (SQLite's INSERT OR
# IGNORE of bulk_create(ignore_conflicts=True) too); a statement that may write but whose table
# cannot be told (a WITH holding a write, MERGE, TRUNCATE of several) counts as a write to what
# the pages are built from.
_WRITE = re.compile(
    r"^\s*(?:(?:INSERT(?:\s+OR\s+\w+)?|REPLACE|MERGE)\s+INTO|UPDATE|DELETE\s+FROM"
    r'|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?',
    re.I,
)
_MAY_WRITE = re.compile(r"^\s*(?:/\*|--|WITH\b)", re.I)
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.I)

# the largest page remembered, in bytes (a protokoll of 60 §§ is about 190 kB); the "pages"
# cache's MAX_ENTRIES (PAGE_CACHE_ENTRIES) bounds their number per process
LARGEST = 1024 * 1024

log = logging.getLogger(__name__)


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the public generation a new value: every page remembered until now is forgotten.
    (A random value, not the next: a test database that rolls back, or is flushed, must not
    come back to a number an earlier state's pages are remembered under.)"""
    value = secrets.randbits(62)
    try:
        with connections[using].cursor() as cursor:
            cursor.execute("UPDATE core_publicgeneration SET value = %s WHERE id = 1", [value])
            if cursor.rowcount == 0:  # flushed by a test runner: there again
                cursor.execute(
                    "INSERT INTO core_publicgeneration (id, value) VALUES (1, %s)", [value]
                )
    except DatabaseError:
        # after the writer's commit: its work stands, and what it changed shows within
        # PAGE_CACHE_SECONDS; its request must not fail, nor the commit's other callbacks
        log.exception("The public pages' generation could not be moved on")


def generation(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The current public generation (None when there is none to trust: cache nothing)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT value FROM core_publicgeneration WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _pending(connection) -> bool:
    """Whether this connection's open transaction has written a watched table."""
    return any(func is _committed for _sids, func, _robust in connection.run_on_commit)


def _committed() -> None:  # only ever registered with on_commit: _pending looks for it
    bump()


def _changed(connection) -> None:
    if connection.alias != DEFAULT_DB_ALIAS:
        return  # the pages read the default database only
    if not connection.in_atomic_block:
        bump()  # autocommit: every reader sees the write now
    elif not _pending(connection):
        transaction.on_commit(_committed, robust=True)


_migrating = False  # migrate writes before the generation's table may exist


def writes_watched(sql: str) -> bool:
    """Whether ``sql`` may write a table the public pages are built from."""
    match = _WRITE.match(sql)
    if match:
        if match[0].lstrip()[:8].upper() == "TRUNCATE":
            return True  # it may name several tables, watched ones after an unwatched one
        return not UNWATCHED.match(match[1].lower())
    return bool(_MAY_WRITE.match(sql) and _WRITE_WORD.search(sql))


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating and isinstance(sql, str) and writes_watched(sql):
        _changed(context["connection"])
    return result


def _migration_starts(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    global _migrating
    _migrating = True


def _migration_ended(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After migrate (or a test runner's flush), which may have written anything: a new
    generation, once its table is there."""
    global _migrating
    _migrating = False
    if using == DEFAULT_DB_ALIAS:
        connection = connections[using]
        if "core_publicgeneration" in connection.introspection.table_names():
            bump()


def _install(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        # first, outermost: Django's connection.execute_wrapper() pops the last one when its
        # block ends, and a connection opened inside such a block must keep this one
        connection.execute_wrappers.insert(0, _watch)


def install() -> None:
    """Watch every connection's writes (core.apps.CoreConfig.ready); those already open too."""
    connection_created.connect(_install, dispatch_uid="core.pagecache")
    pre_migrate.connect(_migration_starts, dispatch_uid="core.pagecache")
    post_migrate.connect(_migration_ended, dispatch_uid="core.pagecache")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


# ---------------------------------------------------------------------------------------------
# The views' side.


def _usable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not _pending(connections[DEFAULT_DB_ALIAS])
    )


def _key(request: HttpRequest, current: int) -> str:
    address = f"{request.get_host()}|{get_language()}|{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"page:{current}:{timezone.localdate().isoformat()}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in control
        and "no-store" not in control
        and get_max_age(response) != 0
        and len(response.content) <= LARGEST
    )


def public_page(
    view: Callable[..., HttpResponse] | None = None, *, params: tuple[str, ...] = ()
) -> Callable[..., HttpResponse]:
    """Remember what ``view`` renders for visitors who are not signed in, as described above.
    ``view`` must answer the same to everyone without a session for the same address, day and
    database. ``params``: the query parameters it reads, which are part of the key; a request
    with any other one is rendered and not remembered (``?x=1``, ``?x=2``, … would each take a
    place, and push out the pages people ask for).

    What is remembered is kept compressed (a page of 300 kB takes about 40 kB) and carries an
    ETag made from its key: a browser that asks again with ``If-None-Match`` while the page is
    remembered is answered 304, without the page."""
    if view is None:
        return functools.partial(public_page, params=params)
    allowed = frozenset(params)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _usable(request) or not allowed.issuperset(request.GET):
            return view(request, *args, **kwargs)
        current = generation()
        if current is None:
            return view(request, *args, **kwargs)
        key = _key(request, current)
        etag = f'W/"{hashlib.blake2b(key.encode(), digest_size=12).hexdigest()}"'
        pages = caches["pages"]
        stored = pages.get(key)
        if stored is not None:
            if etag in parse_etags(request.headers.get("If-None-Match", "")):
                return HttpResponseNotModified(headers={"ETag": etag})
            content, headers = stored
            return HttpResponse(zlib.decompress(content), headers=headers)
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            response["ETag"] = etag
            pages.set(
                key,
                (zlib.compress(response.content, 1), dict(response.items())),
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    return wrapper
