"""Golden tests of the output formats for a small fixed report.

The report is built by hand (no linting), so only a formatter change can change
the output. To accept a deliberate change, regenerate the files with

    CLAIMLINT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_formatters.py

and review the diff of ``tests/fixtures/golden/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claimlint.formatters import FORMATTERS, render
from claimlint.models import Diagnostic, Finding, Report, Suppression, ToolInfo

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
UPDATE = os.environ.get("CLAIMLINT_UPDATE_GOLDEN") == "1"

PAGE = (
    "# Hair Boost\n"
    "\n"
    "Our serum cures baldness and has been shown to regrow hair.\n"
    "<!-- claimlint-disable-next-line CL501 -- quoting the FDA warning letter -->\n"
    "The letter said the tonic \"cures alopecia\".\n"
    "\tIn mice, it regrew fur, so it will help you regrow your hair and it works for everyone without fail, "
    "every single time, in every single customer who has ever tried it, guaranteed.\n"
    "It cures acne and\n"
    "eczema overnight.\n"
)


def _finding(rule: str, name: str, category: str, severity: str, message: str, text: str, occurrence: int = 0,
             **extra) -> Finding:
    start = -1
    for _ in range(occurrence + 1):
        start = PAGE.index(text, start + 1)
    end = start + len(text)

    def line_col(offset: int) -> tuple[int, int]:
        return PAGE.count("\n", 0, offset) + 1, offset - (PAGE.rfind("\n", 0, offset) + 1) + 1

    (line, column), (end_line, end_column) = line_col(start), line_col(end)
    return Finding(path="posts/hair.md", rule=rule, name=name, category=category, severity=severity,
                   message=message, text=text, line=line, column=column, end_line=end_line, end_column=end_column,
                   offset=start, end_offset=end, **extra)


def fixed_report() -> Report:
    findings = [
        _finding("CL501", "cure-claim", "absolute-claim", "error", '"cures" promises a cure.', "cures",
                 suggestion="may help with", fix_hint="Claim no more than\n  the evidence supports."),
        _finding("CL101", "vague-evidence-phrase", "evidence-language", "warning",
                 '"has been shown to" appeals to evidence without naming it.', "has been shown to",
                 fix_hint="Name the evidence."),
        _finding("CL501", "cure-claim", "absolute-claim", "error", '"cures" promises a cure.', "cures", occurrence=1,
                 suggestion="may help with", suppressed=Suppression(line=4, reason="quoting the FDA warning letter")),
        _finding("CL301", "animal-result-as-human-outcome", "animal-to-human", "error",
                 '"you" rests only on animal work.', "you"),
        _finding("CL502", "guaranteed-results", "absolute-claim", "error", '"guaranteed" promises results.',
                 "guaranteed", url="https://example.org/rules/CL502"),
        _finding("CL201", "uncited-efficacy-claim", "uncited-claim", "info", 'Efficacy claim "cures acne and '
                 'eczema" has no citation.', "cures acne and\neczema"),
    ]
    report = Report(
        tool=ToolInfo(version="9.9.9"),
        findings=findings,
        errors=[
            Diagnostic(path="posts/hair.md", line=9, level="warning",
                       message="unused suppression: claimlint-disable-next-line CL401 silences nothing"),
            Diagnostic(path="posts/menu.txt", message="not valid UTF-8 at byte 7"),
            Diagnostic(path="posts/logo.txt", message="binary file, skipped", level="warning"),
        ],
    )
    report.summary.files = 2
    return report.summarise()


CASES = {
    "report.txt": ("text", {}),
    "report-no-source.txt": ("text", {"show_source": False}),
    "report-show-suppressed.txt": ("text", {"show_suppressed": True}),
    "report.json": ("json", {}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_golden(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the formatter must take the source from `sources`, not from disk
    fmt, options = CASES[name]
    output = render(fixed_report(), fmt, sources={"posts/hair.md": PAGE}, **options)
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
        pytest.skip(f"golden file {path.name} regenerated")
    assert path.exists(), f"{path} is missing: run with CLAIMLINT_UPDATE_GOLDEN=1 to create it"
    assert output == path.read_bytes().decode("utf-8")


def test_formats_registered():
    assert {"text", "json"} <= set(FORMATTERS)  # the CI formats are checked in test_report_formats.py


def test_json_output_is_the_report_model():
    report = fixed_report()
    data = json.loads(render(report, "json"))
    assert Report.model_validate(data) == report.model_copy(
        update={"findings": [f.model_copy(update={"fix_hint": None}) for f in report.findings]})
    assert all("fix_hint" not in f for f in data["findings"])


def test_json_keeps_non_ascii_text_readable():
    report = fixed_report()
    report.findings[0] = report.findings[0].model_copy(update={"message": "Café — 🌿 claim"})
    assert '"message": "Café — 🌿 claim"' in render(report, "json")


def test_text_summary_counts_only_active_findings():
    out = render(fixed_report(), "text", sources={"posts/hair.md": PAGE})
    assert out.splitlines()[-1] == "Found 5 findings (3 errors, 1 warning, 1 info) in 2 files. 1 suppressed. 1 file error."


def test_text_without_source_available_still_prints_the_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # posts/hair.md does not exist here and no source is given
    out = render(fixed_report(), "text")
    assert "posts/hair.md:3:11: CL501 [absolute-claim] \"cures\" promises a cure.\n" in out
    assert "  = suggestion: may help with\n" in out
    assert " | " not in out


def test_text_summary_for_an_empty_report():
    report = Report(tool=ToolInfo(version="9.9.9"))
    report.summary.files = 3
    assert render(report.summarise(), "text") == "No findings in 3 files.\n"
