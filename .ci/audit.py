"""`make audit`: every package installed in the virtual environment against the known
vulnerabilities, with pip-audit.

pip-audit asks PyPI for each release's advisories (``/pypi/<name>/<version>/json``). A network
that lets only PyPI's project pages through (``/pypi/<name>/json``), as CI's machine does, leaves
pip-audit with nothing: it reports every package as "not found on PyPI". For those packages the
audit reads the project page instead, whose ``vulnerabilities`` are those of the newest release:
for a package installed at its newest release that is the same answer pip-audit would give. A
package installed below its newest release cannot be judged that way; it is listed as not
audited, with the reason.

Fails (exit 1) on any known vulnerability, and when no package could be audited at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata

PROJECT = "protokollet"  # this project itself is not on PyPI
PYPI = "https://pypi.org/pypi/{name}/json"


@dataclass
class Verdict:
    name: str
    version: str
    source: str = ""  # "pip-audit" or "PyPI newest release"; empty: not audited
    vulns: list[str] = field(default_factory=list)  # "ID (fixed in …)"
    reason: str = ""  # why it was not audited
    pip_audit_skipped: str = ""  # pip-audit's reason for passing it over


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def installed() -> dict[str, str]:
    found = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    found.pop(PROJECT, None)
    return dict(sorted(found.items()))


def run_pip_audit(pins: dict[str, str]) -> list[dict]:
    """pip-audit's JSON report entries, one per pinned package."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirements:
        requirements.write("".join(f"{name}=={version}\n" for name, version in pins.items()))
        requirements.flush()
        result = subprocess.run(  # noqa: S603 (our own interpreter and a file we wrote)
            [
                sys.executable, "-m", "pip_audit", "--requirement", requirements.name,
                "--no-deps", "--disable-pip", "--format", "json", "--progress-spinner", "off",
            ],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    if not result.stdout.strip():
        raise SystemExit(f"pip-audit gave no report:\n{result.stderr}")
    return json.loads(result.stdout)["dependencies"]


def described(vuln: dict, fixed_key: str) -> str:
    fixed = ", ".join(vuln.get(fixed_key) or []) or "no fixed release"
    return f"{vuln['id']} (fixed in {fixed})"


def from_pip_audit(entry: dict, pins: dict[str, str]) -> Verdict:
    name = canonical(entry["name"])
    verdict = Verdict(name, entry.get("version") or pins.get(name, ""))
    if "skip_reason" in entry:
        verdict.reason = verdict.pip_audit_skipped = entry["skip_reason"]
    else:
        verdict.source = "pip-audit"
        verdict.vulns = [described(v, "fix_versions") for v in entry.get("vulns", [])]
    return verdict


def fetch_project(name: str) -> dict:
    with urllib.request.urlopen(PYPI.format(name=name), timeout=30) as response:  # noqa: S310
        return json.load(response)


def from_newest_release(verdict: Verdict, fetch: Callable[[str], dict]) -> Verdict:
    """Judge a package pip-audit could not, from PyPI's project page."""
    try:
        project = fetch(verdict.name)
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        verdict.reason = f"PyPI's project page could not be read ({error})"
        return verdict
    newest = project["info"]["version"]
    if newest != verdict.version:
        verdict.reason = (
            f"installed below the newest release ({newest}), and only the newest release's "
            "advisories can be read from here"
        )
        return verdict
    verdict.source, verdict.reason = "PyPI newest release", ""
    verdict.vulns = [
        described(v, "fixed_in")
        for v in project.get("vulnerabilities", [])
        if not v.get("withdrawn")
    ]
    return verdict


def audit(
    pins: dict[str, str],
    *,
    pip_audit: Callable[[dict[str, str]], list[dict]] = run_pip_audit,
    fetch: Callable[[str], dict] = fetch_project,
) -> list[Verdict]:
    verdicts = [from_pip_audit(entry, pins) for entry in pip_audit(pins)]
    missing = [v for v in verdicts if not v.source]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda v: from_newest_release(v, fetch), missing))
    return verdicts


def report(verdicts: list[Verdict], out=sys.stdout) -> int:
    """Print the result; the exit status."""
    by_pip_audit = sum(v.source == "pip-audit" for v in verdicts)
    by_newest = sum(v.source == "PyPI newest release" for v in verdicts)
    unaudited = [v for v in verdicts if not v.source]
    vulnerable = [v for v in verdicts if v.vulns]
    print(
        f"{len(verdicts)} packages: {by_pip_audit} audited by pip-audit, {by_newest} against "
        f"PyPI's advisories for their newest release, {len(unaudited)} not audited.",
        file=out,
    )
    skipped = [v for v in verdicts if v.pip_audit_skipped]
    if skipped:
        print(
            f"pip-audit passed over {len(skipped)}, e.g. {skipped[0].pip_audit_skipped!r}",
            file=out,
        )
    for verdict in unaudited:
        print(f"  not audited: {verdict.name} {verdict.version}: {verdict.reason}", file=out)
    for verdict in vulnerable:
        print(f"VULNERABLE: {verdict.name} {verdict.version}: {'; '.join(verdict.vulns)}", file=out)
    if vulnerable:
        return 1
    if not by_pip_audit and not by_newest:
        print("No package could be audited.", file=out)
        return 1
    print("No known vulnerabilities in the audited packages.", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(report(audit(installed())))
