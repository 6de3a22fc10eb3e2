"""`make audit` (.ci/audit.py): pip-audit's verdicts, and PyPI's newest-release advisories for
the packages pip-audit could not reach."""

import importlib.util
import io
import sys
import urllib.error
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "ci_audit", Path(__file__).resolve().parent.parent / ".ci" / "audit.py"
)
ci_audit = importlib.util.module_from_spec(spec)
sys.modules["ci_audit"] = ci_audit  # its dataclasses look themselves up there
spec.loader.exec_module(ci_audit)

SKIPPED = "Dependency not found on PyPI and could not be audited: {0}"


def project(version: str, *vulns: dict) -> dict:
    return {"info": {"version": version}, "vulnerabilities": list(vulns)}


def run(pins: dict, pip_audit: list[dict], pages: dict) -> tuple[int, str]:
    def fetch(name: str) -> dict:
        page = pages[name]
        if isinstance(page, Exception):
            raise page
        return page

    out = io.StringIO()
    status = ci_audit.report(
        ci_audit.audit(pins, pip_audit=lambda _pins: pip_audit, fetch=fetch), out=out
    )
    return status, out.getvalue()


def test_pip_audit_s_findings_fail_the_audit():
    status, out = run(
        {"django": "6.1.2"},
        [{"name": "Django", "version": "6.1.2", "vulns": [
            {"id": "PYSEC-2026-1", "fix_versions": ["6.1.3"]}]}],
        {},
    )  # fmt: skip
    assert status == 1
    assert "VULNERABLE: django 6.1.2: PYSEC-2026-1 (fixed in 6.1.3)" in out


def test_a_clean_pip_audit_passes_without_asking_pypi_again():
    status, out = run(
        {"django": "6.1.3"}, [{"name": "Django", "version": "6.1.3", "vulns": []}], {}
    )
    assert status == 0
    assert "1 packages: 1 audited by pip-audit, 0 against" in out


def test_what_pip_audit_passed_over_is_judged_by_the_newest_release_s_advisories():
    pins = {"django": "6.1.3", "nh3": "0.3.8", "python-dateutil": "2.9.0.post0"}
    status, out = run(
        pins,
        [{"name": name, "skip_reason": SKIPPED.format(name)} for name in pins],
        {
            "django": project("6.1.3"),
            # a withdrawn advisory is no advisory
            "nh3": project("0.3.8", {"id": "GHSA-x", "fixed_in": [], "withdrawn": "2026-01-01"}),
            "python-dateutil": project("4.0.0", {"id": "GHSA-y", "fixed_in": ["4.0.1"]}),
        },
    )
    assert status == 0
    assert "3 packages: 0 audited by pip-audit, 2 against PyPI's advisories" in out
    assert "pip-audit passed over 3, e.g. 'Dependency not found on PyPI" in out
    # the newest release's advisories say nothing about an older one
    assert (
        "not audited: python-dateutil 2.9.0.post0: installed below the newest release (4.0.0)"
        in out
    )
    assert "VULNERABLE" not in out


def test_an_advisory_against_the_installed_newest_release_fails_the_audit():
    status, out = run(
        {"weasyprint": "70.0"},
        [{"name": "weasyprint", "skip_reason": SKIPPED.format("weasyprint")}],
        {"weasyprint": project("70.0", {"id": "GHSA-z", "fixed_in": None})},
    )
    assert status == 1
    assert "VULNERABLE: weasyprint 70.0: GHSA-z (fixed in no fixed release)" in out


@pytest.mark.parametrize("error", [urllib.error.URLError("refused"), TimeoutError("slow")])
def test_nothing_audited_at_all_fails(error):
    status, out = run(
        {"django": "6.1.3"}, [{"name": "django", "skip_reason": SKIPPED.format("django")}],
        {"django": error},
    )  # fmt: skip
    assert status == 1
    assert "PyPI's project page could not be read" in out
    assert "No package could be audited." in out
