"""axe-core, from the npm registry, kept by the test setup (never a CDN): fetched once with
`npm pack` into var/axe-core/ and injected into the page under test."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

VERSION = "4.14.1"
CACHE = Path(__file__).resolve().parents[2] / "var" / "axe-core" / VERSION


def source() -> str:
    script = CACHE / "axe.min.js"
    if not script.exists():
        # Each test worker (pytest-xdist) may be the first to need it: each fetches into a folder
        # of its own and moves the script in whole, so that no worker reads half a file.
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as fetching:
            try:
                subprocess.run(
                    ["npm", "pack", f"axe-core@{VERSION}", "--silent"],
                    cwd=fetching, check=True, capture_output=True, timeout=180,
                )  # fmt: skip
            except (OSError, subprocess.SubprocessError) as error:
                pytest.fail(f"axe-core could not be fetched from the npm registry: {error}")
            partial = Path(fetching) / "axe.min.js"
            with tarfile.open(Path(fetching) / f"axe-core-{VERSION}.tgz") as archive:
                member = archive.getmember("package/axe.min.js")
                partial.write_bytes(archive.extractfile(member).read())
            partial.replace(script)
    return script.read_text(encoding="utf-8")


def serious_violations(page) -> list[str]:
    """axe's WCAG 2.1 A and AA rules on the page as it stands: the serious and critical
    violations, one line each."""
    page.add_script_tag(content=source())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
