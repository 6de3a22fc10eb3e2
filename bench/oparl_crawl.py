"""A client's full crawl of the OParl API, for `make bench` (bench/load.py).

From the entry point ``/oparl/v1/`` it pages through the bodies and through every external list
of every body (``limit=100``, following ``links.next``), then fetches every object it saw there
once by its id, with ``WORKERS`` threads that each keep one HTTP/1.1 connection open. Any answer
other than 200, or an object whose ``id`` is not the address it was fetched at, stops the crawl
with :class:`CrawlError`.

The ids are absolute URLs made from the server's SITE_URL; the crawler asks the server it
measures for them (the scheme and host of SITE_URL are replaced by ``127.0.0.1:<port>``) and
fails on an id that does not start with SITE_URL.
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

WORKERS = 8
LIMIT = 100
# Body's properties that link an external list (OParl 1.1, Body)
BODY_LISTS = (
    "organization",
    "person",
    "meeting",
    "paper",
    "membership",
    "agendaItem",
    "file",
    "locationList",
    "legislativeTermList",
)


class CrawlError(Exception):
    pass


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` from 0 to 1) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def with_limit(url: str, limit: int) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | {"limit": str(limit)}
    return urlunsplit(parts._replace(query=urlencode(query)))


class Client:
    """GETs of the API's absolute URLs from one server, one keep-alive connection per thread."""

    def __init__(self, port: int, site: str) -> None:
        self.port = port
        self.site = site.rstrip("/")
        self.local = threading.local()
        self.lock = threading.Lock()
        self.requests = 0

    def path_of(self, url: str) -> str:
        if not url.startswith(self.site + "/"):
            raise CrawlError(f"{url} is not under SITE_URL {self.site}")
        return url[len(self.site) :]

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.local.connection = connection
        return connection

    def get(self, url: str) -> tuple[dict, float]:
        """The JSON at ``url`` and the seconds the request took; CrawlError unless 200."""
        path = self.path_of(url)
        for attempt in (1, 2):
            connection = self._connection()
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                # the server closed an idle keep-alive connection: once more on a new one
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            break
        with self.lock:
            self.requests += 1
        if response.status != 200:
            raise CrawlError(f"GET {path}: HTTP {response.status} {body[:300]!r}")
        try:
            return json.loads(body), seconds
        except ValueError as error:
            raise CrawlError(f"GET {path}: not JSON ({error})") from None

    def close(self) -> None:
        connection = getattr(self.local, "connection", None)
        if connection is not None:
            connection.close()


@dataclass
class Walk:
    """One external list read from its first page to its last."""

    pages: list[str] = field(default_factory=list)  # the URL of each page, first one first
    ids: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # of each page request


def walk(client: Client, url: str) -> Walk:
    """Every page of the list at ``url``, following ``links.next``."""
    done = Walk()
    next_url: str | None = url
    while next_url:
        if next_url in done.pages:
            raise CrawlError(f"{url}: links.next goes back to {next_url}")
        page, seconds = client.get(next_url)
        done.pages.append(next_url)
        done.seconds.append(seconds)
        if not isinstance(page.get("data"), list):
            raise CrawlError(f"{next_url}: no data list")
        done.ids += [one["id"] for one in page["data"]]
        next_url = page.get("links", {}).get("next")
    return done


@dataclass
class Crawl:
    objects: int
    lists: int
    list_pages: int
    requests: int
    seconds: float
    list_seconds: list[float]
    object_seconds: list[float]
    kinds: dict[str, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def crawl(port: int, site: str, workers: int = WORKERS, limit: int = LIMIT) -> Crawl:
    """Every list of every body page by page, then every object by its id once."""
    client = Client(port, site)
    started = time.perf_counter()
    system, _seconds = client.get(client.site + "/oparl/v1/")
    bodies = walk(client, with_limit(system["body"], limit))
    walks = [bodies]
    lists = []
    with ThreadPoolExecutor(workers) as pool:
        # a body as the list gave it names its lists; the body object is fetched below as well
        for body_id in bodies.ids:
            body, _seconds = client.get(body_id)
            lists += [with_limit(body[name], limit) for name in BODY_LISTS if body.get(name)]
        walks += list(pool.map(lambda url: walk(client, url), lists))
        seen: dict[str, None] = {}
        for one in walks:
            seen.update(dict.fromkeys(one.ids))
        ids = list(seen)

        def fetch(share: list[str]) -> list[float]:
            timings = []
            for url in share:
                got, seconds = client.get(url)
                if got.get("id") != url:
                    raise CrawlError(f"GET {url} answered the object {got.get('id')}")
                timings.append(seconds)
            return timings

        object_seconds = [
            s for part in pool.map(fetch, [ids[i::workers] for i in range(workers)]) for s in part
        ]
    kinds: dict[str, int] = {}
    for url in ids:
        kind = client.path_of(url).split("/")[3]
        kinds[kind] = kinds.get(kind, 0) + 1
    return Crawl(
        objects=len(ids),
        lists=len(walks),
        list_pages=sum(len(w.pages) for w in walks),
        requests=client.requests,
        seconds=time.perf_counter() - started,
        list_seconds=[s for w in walks for s in w.seconds],
        object_seconds=object_seconds,
        kinds=kinds,
    )


def list_sample(port: int, site: str, bodies: int = 5, organizations: int = 20) -> dict:
    """Addresses for wrk, as a client meets them: every page (the first and each ``links.next``)
    of the meeting lists of up to ``bodies`` bodies and of ``organizations`` organisations'
    meeting lists, and the meetings on them."""
    client = Client(port, site)
    system, _seconds = client.get(client.site + "/oparl/v1/")
    body_ids = walk(client, system["body"]).ids[:bodies]
    pages, meetings, organisation_lists = [], [], []
    for body_id in body_ids:
        body, _seconds = client.get(body_id)
        meeting_list = walk(client, body["meeting"])
        pages += meeting_list.pages
        meetings += meeting_list.ids
        for url in walk(client, body["organization"]).ids:
            organisation, _seconds = client.get(url)
            if organisation.get("meeting"):
                organisation_lists.append(organisation["meeting"])
    step = max(1, len(organisation_lists) // organizations)
    for url in organisation_lists[::step][:organizations]:
        pages += walk(client, url).pages
    client.close()
    return {
        "lists": [client.path_of(url) for url in pages],
        "meetings": [client.path_of(url) for url in meetings],
    }
