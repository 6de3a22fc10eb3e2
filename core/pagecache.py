"""The public pages as they were last rendered, remembered per process until anything public may
have changed.

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
public page is built from). So the ORM's bulk writes, ``update()`` and raw SQL count as much as
``save()``, and a model added later counts without anyone remembering to say so.

The generation moves on after the writer's transaction commits (``on_commit``), never before:
a reader that read the old generation meanwhile and rendered what was not yet committed stores
its page under the old generation, which nobody asks for again. A connection that has written
in the transaction it is still in (a test, or a request that writes and then renders) neither
reads nor fills the cache: it sees what others cannot yet see.

Also part of the key: the host, the language (the address carries it), the day (what is on the
anslagstavla and what is to come change with the date) and the full path with its query. What is
remembered lives at most ``PAGE_CACHE_SECONDS`` (a bound on anything the generation misses;
0 turns the cache off). A request with a session cookie is never answered from the cache (a
signed-in user sees their menu and messages), and a response is remembered only when it is a
complete 200 that sets no cookie and is not private.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.http import parse_etags
from django.utils.translation import get_language

# Tables no public page is built from: writing them leaves the remembered pages as they are.
UNWATCHED = re.compile(
    r"^(?:django_session|django_admin_log|django_content_type|auth_permission"
    r"|core_auditevent|core_publicgeneration|axes_\w+|otp_\w+|django_tasks_\w+"
    r"|alerts_\w+|opendata_pendingrefresh)$"
)

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)

# the largest page remembered, in bytes (a protokoll of 60 §§ is about 300 kB); the "pages"
# cache's MAX_ENTRIES (PAGE_CACHE_ENTRIES) bounds their number per process
LARGEST = 1024 * 1024


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the public generation a new value: every page remembered until now is forgotten.
    (A random value, not the next: a test database that rolls back, or is flushed, must not
    come back to a number an earlier state's pages are remembered under.)"""
    value = secrets.randbits(62)
    with connections[using].cursor() as cursor:
        cursor.execute("UPDATE core_publicgeneration SET value = %s WHERE id = 1", [value])
        if cursor.rowcount == 0:  # flushed by a test runner: there again
            cursor.execute("INSERT INTO core_publicgeneration (id, value) VALUES (1, %s)", [value])


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
        transaction.on_commit(_committed)


_migrating = False  # migrate writes before the generation's table may exist


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) and not _migrating else None
    if match and not UNWATCHED.match(match[1].lower()):
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
        connection.execute_wrappers.append(_watch)


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


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Remember what ``view`` renders for visitors who are not signed in, as described above.
    ``view`` must answer the same to everyone without a session for the same address, day and
    database; it may still read the query string (the key holds it).

    What is remembered carries an ETag made from its key (a new generation or day is a new
    ETag), so a browser or a proxy that asks again with ``If-None-Match`` is answered 304 for
    the one query, by any process, without the page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _usable(request):
            return view(request, *args, **kwargs)
        current = generation()
        if current is None:
            return view(request, *args, **kwargs)
        key = _key(request, current)
        etag = f'W/"{hashlib.blake2b(key.encode(), digest_size=12).hexdigest()}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            # some process sent this page of this generation and day: the asker has it
            return HttpResponseNotModified(headers={"ETag": etag})
        pages = caches["pages"]
        stored = pages.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            response["ETag"] = etag
            pages.set(
                key,
                (response.content, dict(response.items())),
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    return wrapper
