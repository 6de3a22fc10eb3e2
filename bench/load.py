"""`make bench`: the public site under load, as production runs it.

Seeds a benchmark database when it holds fewer approved meetings than asked (manage.py
seed_bench), collects the static files, publishes a sample of PDFs, starts gunicorn with
production settings (DEBUG off) behind nginx with the configuration the README gives, and loads it
with wrk at 8 connections from 127.0.0.1, each scenario cycling through many addresses:

  council page, meeting page, search        p95 <= 50 ms
  the Django download path (302 to the file) >= 1,500 requests/s
  an immutable published PDF through nginx   >= 0.8 x a plain static file of the same size
  OParl list page, OParl object              p95 <= 50 ms

Before the servers start it builds the OParl API's stored objects (manage.py refresh_open_data
--all after seeding, else what is pending) and prints how long that took; after the wrk
scenarios it crawls the whole API through nginx as a client would (bench/oparl_crawl.py: every
list of every body page by page, then every object by its id, 8 threads with keep-alive) and
prints objects, requests, time, requests/s and the p95 of a list page; it fails if any answer
is not 200.

Usage: python bench/load.py [--meetings N] [--database-url URL] [--duration S] [--workers W]

`make loadtest` (``--loadtest``) is the bounded load test instead: 50 connections for 60 s
against one mix of the public pages and PDF downloads (council and meeting pages, search, the
readable download addresses and the immutable files, all through nginx), printing throughput,
latency percentiles and errors; it fails unless there are none.

Needs Debian's wrk and nginx (nginx-light) and, for the default database, PostgreSQL.
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
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import oparl_crawl
from bench.nginxconf import app_behind_nginx

BASE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONNECTIONS = 8
TARGET_P95_MS = 50.0
TARGET_DOWNLOAD_RPS = 1500.0
TARGET_NGINX_RATIO = 0.8
# The OParl ids' host. Fixed rather than nginx's (random) port, so that the stored objects stay
# as they are from one run to the next (a new SITE_URL rebuilds every one); the crawler and wrk
# ask 127.0.0.1:<port> for the paths of these URLs.
OPARL_SITE = "http://protokollet-bench.invalid"
SEARCHES = [
    "trygghet",
    "brott",
    "ungdomar kvällstid",
    "skadegörelse stationen",
    "budgetläget",
    "klotter",
    "belysningen tunnlarna",
    "sommarlovsaktiviteterna",
]

WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local counter = 0
setup = function(thread) thread:set("offset", math.random(#paths)) end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(offset + counter) % #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
      .. '"errors": %d, "bad_status": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.bytes))
end
"""


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def run_wrk(
    port: int, paths: list[str], seconds: int, workdir: Path, connections: int = CONNECTIONS
) -> dict:
    path_file = workdir / f"paths-{random.randrange(10**9)}.txt"
    path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script = workdir / "cycle.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        env={**os.environ, "WRK_PATHS": str(path_file)},
        check=True,
        text=True,
        capture_output=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    figures = json.loads(line.removeprefix("RESULT "))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


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
    parser.add_argument("--media-root", default=os.environ.get("BENCH_MEDIA_ROOT", ""))
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument(
        "--loadtest",
        action="store_true",
        help="the bounded load test: 50 connections, 60 s, one mix of public pages and PDFs",
    )
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx-light")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    work = Path(tempfile.mkdtemp(prefix="protokollet-load-"))
    media = Path(args.media_root) if args.media_root else BASE / "var" / "bench-media"
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",  # nginx listens on plain http on the loopback here
        "REQUEST_LOG_LEVEL": "WARNING",  # a line per request would drown the figures
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(media),
        "PUBLISHED_ROOT": str(work / "published"),
        "STATIC_ROOT": str(work / "static"),
        "PDF_WARM_START": "0",
        "SITE_URL": OPARL_SITE,
    }
    if args.database_url.startswith("postgres"):
        name = args.database_url.rsplit("/", 1)[1]
        admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(
            ["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'],
            capture_output=True,
        )  # exists already: fine
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
        count = args.meetings
    manage(env, "collectstatic", "--noinput", "-v0")
    if not args.loadtest:
        build_open_data(env, count, seeded=seeded)

    # Addresses: a random sample of councils, meetings and their files, in one query each.
    sample = json.loads(
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "import json, random\n"
            "from minutes import publication\n"
            "from minutes.models import ApprovedRevision as R\n"
            "from councils.models import Council\n"
            "random.seed(6)\n"
            "top = R.objects.order_by('-pk').values_list('pk', flat=True).first()\n"
            "ids = random.sample(range(1, top + 1), min(top, 4000))\n"
            "revs = list(R.objects.filter(pk__in=ids).select_related("
            "'minutes__meeting__council__municipality')[:500])\n"
            "councils = list(Council.objects.select_related('municipality')"
            ".order_by('?')[:500])\n"
            "files = []\n"
            "for r in revs[:200]:\n"
            "    publication.publish(r)\n"
            "    files.append(publication.published_name(r))\n"
            "m = lambda r: r.minutes.meeting\n"
            "print(json.dumps({\n"
            "  'councils': [f'/{c.municipality.slug}/{c.slug}/' for c in councils],\n"
            "  'meetings': [f'/{m(r).council.municipality.slug}/{m(r).council.slug}/"
            "{m(r).date:%Y-%m-%d}/' for r in revs],\n"
            "  'stable': [publication.readable_url(m(r).council.municipality.slug,"
            " m(r).council.slug, m(r).date) for r in revs],\n"
            "  'files': ['/filer/' + f for f in files],\n"
            "  'size': revs[0].pdf_size,\n"
            "  'pdf': revs[0].pdf_name,\n"
            "}))\n",
            capture=True,
        ).splitlines()[-1]
    )
    # A plain static file of the same size, for nginx to serve beside the published one.
    (work / "static" / "bench").mkdir(parents=True, exist_ok=True)
    if not (media / sample["pdf"]).exists():
        raise SystemExit(
            f"{media / sample['pdf']} is missing: the benchmark database was seeded with another "
            "MEDIA_ROOT. Pass --media-root (BENCH_MEDIA_ROOT) or drop the benchmark database."
        )
    shutil.copyfile(media / sample["pdf"], work / "static" / "bench" / "plain.pdf")
    for folder in (work, work / "published", work / "static"):
        folder.chmod(0o755)

    try:
        with app_behind_nginx(work, env, args.workers, nginx) as (app_port, web_port):
            scenarios = [
                ("Council page", sample["councils"], "p95"),
                ("Meeting page", sample["meetings"], "p95"),
                ("Search", [f"/sok/?q={quote(q)}" for q in SEARCHES], "p95"),
                (
                    "Search within a council",
                    [
                        f"/sok/?q={quote(q)}&kommun={c.split('/')[1]}&rad={c.split('/')[2]}"
                        for q in SEARCHES
                        for c in sample["councils"][:10]
                    ],
                    "p95",
                ),
                ("Django download path (302)", sample["stable"], "rps"),
                ("  the same, straight to gunicorn", sample["stable"], "direct"),
                ("Immutable PDF via nginx", sample["files"], "nginx"),
                ("Plain static file via nginx", ["/static/bench/plain.pdf"], "plain"),
            ]
            if args.loadtest:
                loadtest(sample, web_port, work, args, count)
                return
            oparl = oparl_crawl.list_sample(web_port, OPARL_SITE)
            scenarios += [
                ("OParl list page", oparl["lists"], "p95"),
                (
                    "OParl object (meeting)",
                    random.Random(8).sample(oparl["meetings"], min(500, len(oparl["meetings"]))),
                    "p95",
                ),
            ]
            print(
                f"\n{count:,} approved meetings, {args.database_url.split(':')[0]}, gunicorn "
                f"{args.workers} workers behind nginx, wrk {CONNECTIONS} connections, "
                f"{args.duration} s each (after a 2 s warm-up)\n"
            )
            print(f"{'scenario':32} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors")
            results = {}
            for label, paths, kind in scenarios:
                port = app_port if kind == "direct" else web_port
                run_wrk(port, paths, 2, work)  # warm-up: connections, caches, workers
                r = run_wrk(port, paths, args.duration, work)
                results[kind] = r
                verdict = ""
                if kind == "p95":
                    ok = r["p95_ms"] <= TARGET_P95_MS
                    verdict = f"target p95 <= {TARGET_P95_MS:.0f} ms: {'met' if ok else 'NOT met'}"
                elif kind in ("rps", "direct"):
                    ok = r["rps"] >= TARGET_DOWNLOAD_RPS
                    verdict = (
                        f"target >= {TARGET_DOWNLOAD_RPS:,.0f}/s: {'met' if ok else 'NOT met'}"
                    )
                print(
                    f"{label:32} {r['rps']:9,.0f} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} "
                    f"{r['p99_ms']:8.2f}  {r['errors'] + r['bad_status']:>6}  {verdict}"
                )
            ratio = results["nginx"]["rps"] / results["plain"]["rps"]
            print(
                f"\nImmutable PDF ({sample['size']:,} bytes) / plain static file via nginx: "
                f"{ratio:.2f} (target >= {TARGET_NGINX_RATIO}: "
                f"{'met' if ratio >= TARGET_NGINX_RATIO else 'NOT met'})"
            )
            print(
                f"\nOParl list page: {len(oparl['lists'])} pages (first and links.next) of the "
                "meeting lists of the bodies and of a sample of organisations"
            )
            crawl_open_data(web_port)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_open_data(env: dict, count: int, *, seeded: bool) -> None:
    """The API's stored objects for the seeded record, timed: everything after seeding (bulk
    rows send no signals), else what is pending (nothing, on a database built before)."""
    stored = int(
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from opendata.models import OParlObject as O; print(O.objects.count())",
            capture=True,
        ).strip()
    )
    everything = seeded or stored == 0
    print(f"Building the open data (OParl) for {count:,} meetings …")
    started = time.perf_counter()
    said = manage(
        env, "refresh_open_data", *(["--all"] if everything else []), capture=True
    ).strip()
    label = "--all, from the record" if everything else "what is pending"
    print(f"  refresh_open_data ({label}): {time.perf_counter() - started:.1f} s  [{said}]")


def crawl_open_data(port: int) -> None:
    """A full crawl of the API through nginx; exits non-zero on any answer but 200."""
    print(
        f"\nOParl crawl through nginx: {oparl_crawl.WORKERS} threads with keep-alive, "
        f"lists with limit={oparl_crawl.LIMIT}, then every object by its id"
    )
    try:
        c = oparl_crawl.crawl(port, OPARL_SITE)
    except oparl_crawl.CrawlError as error:
        raise SystemExit(f"OParl crawl failed: {error}") from None
    p95 = oparl_crawl.percentile(c.list_seconds, 0.95) * 1000
    print(
        f"  {c.objects:,} objects ({', '.join(f'{k} {n:,}' for k, n in sorted(c.kinds.items()))})"
    )
    print(
        f"  {c.requests:,} requests ({c.list_pages:,} pages of {c.lists} lists) in "
        f"{c.seconds:.1f} s: {c.rps:,.0f} requests/s"
    )
    print(
        f"  list page p50 {oparl_crawl.percentile(c.list_seconds, 0.5) * 1000:.1f} ms, "
        f"p95 {p95:.1f} ms (target <= {TARGET_P95_MS:.0f} ms: "
        f"{'met' if p95 <= TARGET_P95_MS else 'NOT met'}); object p95 "
        f"{oparl_crawl.percentile(c.object_seconds, 0.95) * 1000:.1f} ms"
    )


LOADTEST_CONNECTIONS = 50
LOADTEST_SECONDS = 60


def loadtest(sample: dict, port: int, work: Path, args, count: int) -> None:
    """50 clients for 60 s on one mix of what the public asks for; fails on any error."""
    rng = random.Random(7)
    mix = (
        sample["councils"] * 2
        + sample["meetings"] * 3
        + [f"/sok/?q={quote(q)}" for q in SEARCHES] * 20
        + sample["stable"]
        + sample["files"] * 2
    )
    rng.shuffle(mix)
    print(
        f"\nLoad test: {count:,} approved meetings, gunicorn {args.workers} workers behind "
        f"nginx, wrk {LOADTEST_CONNECTIONS} connections for {LOADTEST_SECONDS} s, a mix of "
        f"{len(mix):,} addresses (pages, search, downloads)\n"
    )
    run_wrk(port, mix, 3, work, LOADTEST_CONNECTIONS)  # warm-up
    r = run_wrk(port, mix, LOADTEST_SECONDS, work, LOADTEST_CONNECTIONS)
    errors = r["errors"] + r["bad_status"]
    print(f"requests      {r['requests']:,} ({r['rps']:,.0f}/s, {r['bytes'] / 1e6:,.0f} MB)")
    print(f"latency ms    p50 {r['p50_ms']:.1f}  p95 {r['p95_ms']:.1f}  p99 {r['p99_ms']:.1f}")
    print(f"errors        {errors} (socket {r['errors']}, HTTP 4xx/5xx {r['bad_status']})")
    print(f"target: no errors: {'met' if errors == 0 else 'NOT met'}")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
