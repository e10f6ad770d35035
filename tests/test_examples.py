"""The example pages in ``examples/`` and their stored JSON reports.

Each page is linted in-process exactly as a user would from the repository
root (``claimlint check --format json examples/<page>``) and the output must
equal ``examples/reports/<page>.json``, so the published reports never drift
from what the engine says. After an intended change to the rules or the
pages, regenerate the reports with::

    CLAIMLINT_UPDATE_EXAMPLES=1 python -m pytest tests/test_examples.py

The problem pages must show every contract category and fail the run; the
compliant rewrites must pass with nothing at warning or error level.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claimlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REPORTS = EXAMPLES / "reports"
UPDATE = os.environ.get("CLAIMLINT_UPDATE_EXAMPLES", "") not in ("", "0")

PROBLEM_PAGES = ["clinic-landing-page.md", "supplement-product-page.html"]
COMPLIANT_PAGES = ["clinic-landing-page-compliant.md", "supplement-product-page-compliant.html"]
ALL_PAGES = PROBLEM_PAGES + COMPLIANT_PAGES

#: The categories the problem pages exist to demonstrate.
CONTRACT_CATEGORIES = {
    "evidence-language",
    "uncited-claim",
    "animal-to-human",
    "missing-caveat",
    "absolute-claim",
    "vague-source",
}


def _lint(page: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run ``claimlint check --format json examples/<page>`` from the repository root."""
    monkeypatch.chdir(ROOT)
    capsys.readouterr()  # drop anything printed before
    code = main(["check", "--format", "json", f"examples/{page}"])
    out, err = capsys.readouterr()
    assert code in (0, 1), f"claimlint failed on examples/{page} (exit {code}):\n{err}"
    return code, out


def _report_path(page: str) -> Path:
    return REPORTS / f"{page}.json"


def test_every_example_page_is_covered():
    pages = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".md", ".html") and p.name != "README.md"}
    assert pages == set(ALL_PAGES), "add new example pages to PROBLEM_PAGES or COMPLIANT_PAGES"
    reports = {p.name for p in REPORTS.glob("*.json")}
    assert reports <= {f"{page}.json" for page in ALL_PAGES}, "a report has no example page"


@pytest.mark.parametrize("page", ALL_PAGES)
def test_stored_report_is_current(page, capsys, monkeypatch):
    _, out = _lint(page, capsys, monkeypatch)
    report = _report_path(page)
    if UPDATE:
        REPORTS.mkdir(parents=True, exist_ok=True)
        report.write_text(out, encoding="utf-8")
        return
    assert report.exists(), f"{report.relative_to(ROOT)} is missing: run with CLAIMLINT_UPDATE_EXAMPLES=1"
    stored = json.loads(report.read_text(encoding="utf-8"))
    assert json.loads(out) == stored, (
        f"{report.relative_to(ROOT)} is out of date with the engine: "
        "regenerate it with CLAIMLINT_UPDATE_EXAMPLES=1 and review the diff"
    )


@pytest.mark.parametrize("page", PROBLEM_PAGES)
def test_problem_page_shows_every_contract_category(page, capsys, monkeypatch):
    code, out = _lint(page, capsys, monkeypatch)
    findings = json.loads(out)["findings"]
    assert all(f["path"] == f"examples/{page}" for f in findings)
    missing = CONTRACT_CATEGORIES - {f["category"] for f in findings}
    assert not missing, f"examples/{page} no longer triggers: {sorted(missing)}"
    assert code == 1


@pytest.mark.parametrize("page", COMPLIANT_PAGES)
def test_compliant_page_is_clean(page, capsys, monkeypatch):
    code, out = _lint(page, capsys, monkeypatch)
    loud = [
        f"{f['line']}:{f['column']} {f['rule']} {f['severity']}: {f['text']!r}"
        for f in json.loads(out)["findings"]
        if f["severity"] in ("warning", "error")
    ]
    assert not loud, f"examples/{page} should have no warnings or errors, got:\n" + "\n".join(loud)
    assert code == 0
