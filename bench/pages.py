"""`make bench`: every public page of issue 22's target 3 under load, as production runs it.

The front page, a municipality page, a council page, a meeting page, a nämnd's justerat
protokoll of 60 §§ (``minutes.benchprotocol.long_protocol``), search everywhere and within one
council, the anslagstavla and an OParl list page: each through nginx to gunicorn with production
settings (DEBUG off), loaded by wrk at 8 connections, cycling through many addresses of its kind.
Each line prints the p95 beside the target (<= 50 ms), its ratio to a peer measured in the same
run (the accessibility statement, a page that reads no database, is the floor of Django, nginx
and the middleware; search within a council is compared with search everywhere; the long
protokoll with an ordinary meeting page) and the number of queries the page runs, counted by
Django's test client on the same database (warm: the second request; the first when it differs).

Two passes: first every request rendered (PAGE_CACHE_SECONDS=0), then the pages remembered as in
production (core.pagecache, PAGE_CACHE_SECONDS=300: each worker its own, or with
--shared-page-cache all of them in one PAGE_CACHE_DIR), each page beside its rendered figure.

Before the servers start it brings the benchmark database up to what the pages need: the
meetings (``manage.py seed_bench``, as bench/load.py), the long protokoll justerat through the
services on the demo's Socialnämnd (its PDFs and extracts rendered once), announcements on one
seeded municipality's anslagstavla (a justerat protokoll for each of its latest meetings, some up
today, most taken down) and the OParl objects. Each step is skipped when done before, so that
runs of two checkouts on the same database compare like with like.

Usage: python bench/pages.py [--meetings N] [--database-url URL] [--media-root DIR]
                             [--duration S] [--workers W] [--only LABEL ...]
                             [--page-cache-seconds S] [--shared-page-cache]
                             [--without-open-data]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import oparl_crawl
from bench.load import (
    CONNECTIONS,
    OPARL_SITE,
    SEARCHES,
    TARGET_P95_MS,
    build_open_data,
    manage,
    run_wrk,
)
from bench.nginxconf import app_behind_nginx

BASE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LONG_PROTOCOL_DAY = "2026-11-02"  # the demo Socialnämnd's long protokoll (a Monday)
ANNOUNCED_MEETINGS = 60  # announcements on the seeded municipality's anslagstavla
FLOOR = "Floor: accessibility statement"

# label, the sample's key, the peer's label
SCENARIOS = [
    (FLOOR, "floor", None),
    ("Front page", "front", FLOOR),
    ("Municipality page", "municipalities", FLOOR),
    ("Council page", "councils", FLOOR),
    ("Meeting page", "meetings", FLOOR),
    ("Protokoll page, 60 §§", "protocol", "Meeting page"),
    ("Search, everywhere", "search", FLOOR),
    ("Search, within a council", "search_council", "Search, everywhere"),
    ("Anslagstavla", "noticeboard", FLOOR),
    ("OParl list page", "oparl_lists", FLOOR),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--meetings", type=int, default=int(os.environ.get("BENCH_MEETINGS", "10000"))
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/protokollet_bench"
        ),
    )
    parser.add_argument(
        "--media-root",
        default=os.environ.get(
            "BENCH_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "protokollet-bench-media")
        ),
        help="kept between runs, outside the repository: the seeded PDFs live there",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--only", nargs="*", default=None, help="labels to run (and the floor)")
    parser.add_argument(
        "--without-open-data",
        action="store_true",
        help="neither build the OParl objects nor load their list (building them for 700,000 "
        "meetings takes hours: about 200 s per 10,000 here)",
    )
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=300,
        help="PAGE_CACHE_SECONDS of the second pass, as in production (core.pagecache); 0: "
        "only the first pass, every request rendered",
    )
    parser.add_argument(
        "--shared-page-cache",
        action="store_true",
        help="the second pass's workers share their pages in a folder (PAGE_CACHE_DIR)",
    )
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.which("wrk") or not Path(nginx).exists():
        raise SystemExit("wrk or nginx is missing: apt-get install wrk nginx-light")

    work = Path(tempfile.mkdtemp(prefix="protokollet-pages-"))
    media = Path(args.media_root)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "REQUEST_LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": args.database_url,
        "CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(media),
        "PRIVATE_ROOT": str(media.parent / (media.name + "-private")),
        "PUBLISHED_ROOT": str(work / "published"),
        "STATIC_ROOT": str(work / "static"),
        "PDF_WARM_START": "0",
        "OTP_REQUIRED": "0",
        "SITE_URL": OPARL_SITE,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if args.database_url.startswith("postgres"):
        name = args.database_url.rsplit("/", 1)[1]
        admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], capture_output=True)
    manage(env, "migrate", "-v0")
    count = int(
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from minutes.models import ApprovedRevision as R; print(R.objects.count())",
            capture=True,
        ).strip()
    )
    seeded = count < args.meetings
    if seeded:
        print(f"Seeding {args.meetings - count:,} meetings into {args.database_url} …")
        manage(env, "seed_bench", "--meetings", str(args.meetings - count))
    manage(env, "collectstatic", "--noinput", "-v0")
    if args.without_open_data:
        env["BENCH_WITHOUT_OPEN_DATA"] = "1"
    else:
        build_open_data(env, max(count, args.meetings), seeded=seeded)
    child = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--child"],
        cwd=BASE,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    sample = json.loads(child.stdout.strip().splitlines()[-1])
    for folder in (work, work / "published", work / "static"):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)

    # first every request rendered, then (as in production) the pages remembered, each page's
    # figure beside its rendered one
    passes = [0] + ([args.page_cache_seconds] if args.page_cache_seconds else [])
    rendered: dict[str, float] = {}
    try:
        for seconds in passes:
            run_env = {**env, "PAGE_CACHE_SECONDS": str(seconds)}
            if seconds and args.shared_page_cache:
                run_env["PAGE_CACHE_DIR"] = str(work / "pages")
            with app_behind_nginx(work, run_env, args.workers, nginx) as (_app_port, web_port):
                if not args.without_open_data and "oparl_lists" not in sample:
                    sample["oparl_lists"] = oparl_crawl.list_sample(web_port, OPARL_SITE)["lists"]
                what = (
                    "every request rendered (PAGE_CACHE_SECONDS=0)"
                    if not seconds
                    else f"pages remembered (PAGE_CACHE_SECONDS={seconds}, "
                    + (
                        "shared by the workers in PAGE_CACHE_DIR"
                        if args.shared_page_cache
                        else "each worker its own"
                    )
                    + "; the warm-up fills the cache; queries: first request/second)"
                )
                print(
                    f"\n{sample['meetings_total']:,} approved meetings, "
                    f"{args.database_url.split(':')[0]} "
                    f"({args.database_url.rsplit('/', 1)[1]}), gunicorn {args.workers} workers "
                    f"behind nginx, wrk {CONNECTIONS} connections, {args.duration} s a page "
                    f"after a 2 s warm-up; {what}; {BASE.name} at {git_head()}\n"
                )
                print(
                    f"{'page':32} {'addresses':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
                    f"{'target':>7} {'verdict':>8} {'queries':>7}  ratio (p95)"
                )
                results: dict[str, dict] = {}
                for label, key, peer in SCENARIOS:
                    if args.only and label != FLOOR and not any(o in label for o in args.only):
                        continue
                    if key not in sample:
                        print(f"{label:32} not measured (--without-open-data)")
                        continue
                    paths = sample[key]
                    run_wrk(web_port, paths, 2, work)
                    r = run_wrk(web_port, paths, args.duration, work)
                    results[label] = r
                    bad = r["errors"] + r["bad_status"]
                    verdict = "met" if r["p95_ms"] <= TARGET_P95_MS and not bad else "NOT met"
                    if bad:
                        verdict += f" ({bad} errors)"
                    ratio = ""
                    if seconds and label in rendered:
                        ratio = f"{r['p95_ms'] / rendered[label]:.2f} × the same page rendered"
                    elif peer in results:
                        ratio = f"{r['p95_ms'] / results[peer]['p95_ms']:.2f} × {peer}"
                    mode = "remembered" if seconds else "rendered"
                    queries = sample["queries"][mode].get(key, "")
                    print(
                        f"{label:32} {len(paths):9,} {r['rps']:7,.0f} {r['p50_ms']:7.2f} "
                        f"{r['p95_ms']:7.2f} {'<= ' + format(TARGET_P95_MS, '.0f'):>7} "
                        f"{verdict:>8} {queries:>7}  {ratio}",
                        flush=True,
                    )
                if not seconds:
                    rendered = {label: r["p95_ms"] for label, r in results.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def git_head() -> str:
    result = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=BASE, capture_output=True, text=True
    )
    return result.stdout.strip()[:60]


# ---------------------------------------------------------------------------------------------
# The child: in Django, against the benchmark database.


def child() -> None:
    import django

    django.setup()
    from minutes.models import ApprovedRevision

    protocol = ensure_long_protocol()
    noticeboard = ensure_announcements()
    sample = addresses()
    sample["protocol"] = [protocol]
    sample["noticeboard"] = noticeboard
    sample["meetings_total"] = ApprovedRevision.objects.count()
    sample["queries"] = query_counts(sample)
    print(json.dumps(sample))


def ensure_long_protocol() -> str:
    """The demo Socialnämnd's long protokoll, justerat through the services as its signatories'
    clicks would (PDFs, extracts and its announcement made once); its page's address."""
    import datetime

    from minutes import services
    from minutes.benchprotocol import ADJUSTERS, SECRETARY, committee, long_protocol
    from minutes.models import Minutes
    from minutes.services import justering

    day = datetime.date.fromisoformat(LONG_PROTOCOL_DAY)
    council, people = committee()
    minutes = Minutes.objects.filter(meeting__council=council, meeting__date=day).first()
    if minutes is None:
        print(f"Justering of the long protokoll of {day} (PDFs and extracts) …", file=sys.stderr)
        minutes = long_protocol(day)
        services.minutes_submit(minutes=minutes, actor=people[SECRETARY].user)
        for name in (SECRETARY, *ADJUSTERS, "Birgitta Sandberg"):
            minutes = Minutes.objects.get(pk=minutes.pk)
            submission = justering.current_submission(minutes)
            justering.sign(minutes=minutes, actor=people[name].user, submission_id=submission.pk)
        minutes = Minutes.objects.get(pk=minutes.pk)
    if minutes.status != Minutes.Status.APPROVED:
        raise SystemExit(f"the long protokoll of {day} is {minutes.status}, not justerat")
    return f"/{council.municipality.slug}/{council.slug}/{day:%Y-%m-%d}/"


def ensure_announcements() -> list[str]:
    """A seeded municipality's anslagstavla with a justerat protokoll's announcement for each of
    its latest approved meetings, posted a day apart up to today (about three weeks of them are
    up, the rest taken down), and the long protokoll's own on the demo's; the two addresses."""
    import datetime

    from django.utils import timezone

    from councils.models import Municipality
    from minutes.models import Announcement, ApprovedRevision

    seeded = Municipality.objects.exclude(slug="arboga").order_by("pk").first()
    if not Announcement.objects.filter(municipality=seeded).exists():
        today = timezone.localdate()
        revisions = list(
            ApprovedRevision.objects.filter(minutes__meeting__council__municipality=seeded)
            .select_related("minutes__meeting__council__municipality")
            .order_by("-minutes__meeting__date")[:ANNOUNCED_MEETINGS]
        )
        rows = []
        for n, revision in enumerate(revisions):
            meeting = revision.minutes.meeting
            posted = today - datetime.timedelta(days=n)
            last = posted + datetime.timedelta(days=21)
            rows.append(
                Announcement(
                    municipality=seeded,
                    council=meeting.council,
                    meeting=meeting,
                    kind=Announcement.Kind.PROTOCOL,
                    revision=revision,
                    organ=meeting.council.name,
                    meeting_date=meeting.date,
                    paragraphs="1–6",
                    posted_on=posted,
                    last_day_to_appeal=last,
                    down_on=last + datetime.timedelta(days=1),
                    kept_at=f"{meeting.council.name}, {seeded.name}",
                    secretary="Karin Holmqvist",
                )
            )
        Announcement.objects.bulk_create(rows)
    return [f"/{seeded.slug}/anslagstavla/", "/arboga/anslagstavla/"]


def addresses() -> dict:
    """A random sample of every kind of address, fixed by the seed."""
    from councils.models import Council, Municipality
    from minutes.models import ApprovedRevision

    rng = random.Random(6)
    top = ApprovedRevision.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = rng.sample(range(1, top + 1), min(top, 4000))
    revisions = list(
        ApprovedRevision.objects.filter(pk__in=ids)
        .select_related("minutes__meeting__council__municipality")
        .order_by("pk")[:500]
    )
    councils = list(
        Council.objects.select_related("municipality").order_by("municipality__slug", "slug")
    )
    councils = rng.sample(councils, min(500, len(councils)))
    council_paths = [f"/{c.municipality.slug}/{c.slug}/" for c in councils]
    return {
        "floor": ["/tillganglighet/"],
        "front": ["/"],
        "municipalities": [
            f"/{slug}/"
            for slug in Municipality.objects.order_by("slug").values_list("slug", flat=True)
        ],
        "councils": council_paths,
        "meetings": [
            f"/{m.council.municipality.slug}/{m.council.slug}/{m.date:%Y-%m-%d}/"
            for m in (r.minutes.meeting for r in revisions)
        ],
        "search": [f"/sok/?q={quote(q)}" for q in SEARCHES],
        "search_council": [
            f"/sok/?q={quote(q)}&kommun={c.municipality.slug}&rad={c.slug}"
            for q in SEARCHES
            for c in councils[:10]
        ],
    }


def query_counts(sample: dict) -> dict:
    """The queries of each kind of page, by Django's test client, rendered (PAGE_CACHE_SECONDS=0)
    and remembered: ``{"rendered": {...}, "remembered": {...}}``, each count that of the second
    request (what the process remembers is warm), the first before it where that differs."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    if not os.environ.get("BENCH_WITHOUT_OPEN_DATA"):
        body = json.loads(client.get("/oparl/v1/body/").content)
        first_body = body["data"][0]
        sample["oparl_lists_first"] = [urlsplit(first_body["meeting"]).path]
    counts = {}
    for mode, seconds in (("rendered", 0), ("remembered", 300)):
        counts[mode] = {}
        caches["pages"].clear()
        with override_settings(PAGE_CACHE_SECONDS=seconds):
            for key in (
                "floor",
                "front",
                "municipalities",
                "councils",
                "meetings",
                "protocol",
                "search",
                "search_council",
                "noticeboard",
                "oparl_lists_first",
            ):
                if key not in sample:
                    continue
                path = sample[key][0]
                seen = []
                for _ in range(2):
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(path)
                    if response.status_code != 200:
                        raise SystemExit(f"{path} answered {response.status_code}")
                    seen.append(len(queries))
                counts[mode][key.removesuffix("_first")] = (
                    str(seen[1]) if seen[0] == seen[1] else f"{seen[0]}/{seen[1]}"
                )
    return counts


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        main()
