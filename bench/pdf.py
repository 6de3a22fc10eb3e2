"""`make bench`: how fast and how lean the minutes PDF is rendered.

Prints, for the seed minutes (or the project's own legacy fixture where ../shared is absent), a
synthetic 40-page minutes and a long nämnd protokoll (minutes.benchprotocol: 60 §§ with motions,
two votes and the omröstningslista, about 85 pages): cold render (a new process), warm render (median of 20) in the
renderer's child and in-process, peak memory, memory growth over 200 renders, and, where
Debian's chromium is installed, the same HTML printed by a warm headless Chromium.
Targets (issue 3): seed <= 150 ms warm, 40 pages <= 1.5 s, peak <= 150 MiB, no growth; (issue
22) the seed <= 1.5x warm Chromium and the 40 pages <= 5x, side by side in the same run.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DATABASE_URL"] = (
    "sqlite:///" + tempfile.mkdtemp(prefix="protokollet-bench-") + "/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from minutes.pdf import STATIC_DIR, Renderer, build_html  # noqa: E402
from minutes.services import import_legacy_minutes  # noqa: E402
from minutes.snapshot import build_snapshot  # noqa: E402

SEED = BASE.parent / "shared" / "seeds" / "000_0c5fa8de9f2c9a36.txt"
OWN = BASE / "tests" / "minutes" / "fixtures" / "legacy_minutes.txt"
CHROMIUM = "/usr/bin/chromium"

PROBE = r"""
import json, resource, statistics, sys, time
sys.path.insert(0, sys.argv[1])
t0 = time.perf_counter()
from minutes.pdf import Engine
html = open(sys.argv[2], encoding="utf-8").read()
engine = Engine()
engine.render(html)
cold = time.perf_counter() - t0
times = []
for _ in range(int(sys.argv[4])):
    t = time.perf_counter(); engine.render(html); times.append(time.perf_counter() - t)
peak_20 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
for _ in range(int(sys.argv[3])):
    engine.render(html)
peak_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cold": cold, "warm": statistics.median(times), "peak": peak_20, "peak_end": peak_end}))
"""


def synthetic_legacy(pages: int = 40) -> str:
    """A legacy text long enough for about ``pages`` pages, written for the benchmark."""
    lines = [
        "Syntetiska rådet",
        "",
        "Plats och tid\tRådssalen kl 09.00 – 12.00",
        "Ledamöter\tAnna Andersson (S) ordförande, Bo Berg (M).",
        "Rådsrepresentanter\tKommunpolis Cecilia Carlsson, Socialförvaltningen David Dahl.",
        "Övriga\t",
        "",
    ]
    paragraph = (
        "Rådet går igenom läget i kommunens bostadsområden och diskuterar hur samverkan mellan "
        "skola, socialtjänst, polis och föreningsliv kan utvecklas under året. "
    ) * 3
    for n in range(1, pages * 2 + 1):
        lines += [
            f"{n}. Ärende nummer {n}",
            "",
            paragraph.strip(),
            "",
            "Verksamheterna",
            "",
            paragraph.strip(),
            "",
            "- Första punkten,",
            "- Andra punkten.",
            "",
        ]
    lines += [
        "Arboga den 1/3- 2021",
        "",
        "Anna Andersson",
        "Ordförande",
        "",
        "Eva Ek",
        "Sekreterare",
    ]
    return "\n".join(lines)


def protocol_html() -> str:
    """The long nämnd protokoll (minutes.benchprotocol): 60 §§, about 85 pages."""
    from minutes.benchprotocol import long_protocol

    return build_html(build_snapshot(long_protocol(datetime.date(2026, 3, 9))))


def html_for(text: str, slug: str) -> tuple[str, int]:
    report = import_legacy_minutes(text=text, council_slug=slug)
    html = build_html(build_snapshot(report.minutes))
    return html, 0


def measure(name: str, html: str, renders_for_growth: int, repeats: int = 20) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(html)
    probe = json.loads(
        subprocess.run(
            [sys.executable, "-c", PROBE, str(BASE), f.name, str(renders_for_growth), str(repeats)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    renderer = Renderer(timeout=120, memory_mb=0)
    try:
        result = renderer.render_html(html)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            renderer.render_html(html)
            times.append(time.perf_counter() - t)
    finally:
        renderer.close()
    pages = subprocess.run(["pdfinfo", "-"], input=result.pdf, capture_output=True).stdout.decode()
    page_count = next((ln.split()[-1] for ln in pages.splitlines() if ln.startswith("Pages:")), "?")
    return {
        "name": name,
        "pages": page_count,
        "child_warm": statistics.median(times),
        **probe,
        "file": f.name,
    }


def chromium(html_file: str) -> float | None:
    if not shutil.which(CHROMIUM):
        return None
    from playwright.sync_api import sync_playwright

    page_file = Path(html_file).with_suffix(".chromium.html")
    text = Path(html_file).read_text(encoding="utf-8")
    text = text.replace(
        "<head>",
        f'<head><base href="{STATIC_DIR.as_uri()}/"><link rel="stylesheet" href="minutes/pdf.css">',
        1,
    )
    page_file.write_text(text, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--allow-file-access-from-files",
            ],
        )
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.pdf(format="A4")
        times = []
        for _ in range(20):
            t = time.perf_counter()
            page.pdf(format="A4")
            times.append(time.perf_counter() - t)
        browser.close()
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    seed_text = (
        SEED.read_text(encoding="utf-8") if SEED.exists() else OWN.read_text(encoding="utf-8")
    )
    cases = [
        ("seed" if SEED.exists() else "own fixture", html_for(seed_text, "seed")[0], 200),
        ("synthetic 40 pages", html_for(synthetic_legacy(), "syntetiska")[0], 20),
        ("nämnd 60 §§", protocol_html(), 0),
    ]
    # issue 22: WeasyPrint's warm render against a warm headless Chromium printing the same HTML
    targets = {"seed": 1.5, "own fixture": 1.5, "synthetic 40 pages": 5.0}
    print(
        f"{'document':<20} {'pages':>5} {'cold s':>7} {'warm ms':>8} {'child ms':>9} {'peak MiB':>9} {'after N':>8} {'chromium ms':>12} {'ratio':>6}  target"
    )
    for name, html, growth in cases:
        r = measure(name, html, growth, repeats=20 if growth else 5)
        chrome = chromium(r["file"])
        chrome_ms = f"{chrome * 1000:.0f}" if chrome else "–"
        ratio = f"{r['warm'] / chrome:.1f}x" if chrome else "–"
        target = targets.get(name)
        verdict = "reported"
        if target and chrome:
            verdict = f"<= {target:g}x: {'met' if r['warm'] / chrome <= target else 'NOT met'}"
        print(
            f"{name:<20} {r['pages']:>5} {r['cold']:>7.2f} {r['warm'] * 1000:>8.0f} {r['child_warm'] * 1000:>9.0f} "
            f"{r['peak']:>9.0f} {r['peak_end']:>8.0f} {chrome_ms:>12} {ratio:>6}  {verdict}"
        )
    print(
        "warm = median of 20 in-process renders (5 for the nämnd); child = the same through the "
        "renderer's child process;"
    )
    print(
        "peak = max RSS after the warm renders; after N = max RSS after 200 (seed), 20 (40 pages) "
        "or no (nämnd) more renders; ratio = warm / Chromium, side by side in this run."
    )


if __name__ == "__main__":
    main()
