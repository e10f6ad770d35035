"""Baselines: ``--write-baseline FILE`` records today's findings, ``--baseline FILE`` reports only new ones.

Baselined findings stay in the JSON report with ``suppressed: {kind: "baseline",
line: 0, reason: "in baseline"}``, are not counted and do not fail the run; the
text summary says how many were baselined. Entries are fingerprints (rule,
path, matched text, source line content; never line numbers), with a count
when one occurs several times in a file.
"""

from __future__ import annotations

import json

import pytest

from claimlint import baseline as bl
from claimlint.api import lint_text

PAGE = "# Hair\n\nOur serum cures acne.\n"
BASELINED = {"kind": "baseline", "line": 0, "reason": "in baseline"}


def findings(report, *, baselined: bool | None = None):
    out = report["findings"]
    if baselined is True:
        out = [f for f in out if f["suppressed"] == BASELINED]
    elif baselined is False:
        out = [f for f in out if f["suppressed"] is None]
    return out


@pytest.fixture
def baselined_page(cli, write, workdir):
    """page.md with one claim line, and a baseline of its findings."""
    write("page.md", PAGE)
    result = cli("check", "--write-baseline", "claimlint-baseline.json", "page.md")
    assert result.code == 0, result.err
    return workdir / "claimlint-baseline.json"


def test_write_baseline_records_the_active_findings(cli, write, baselined_page):
    before = cli("check", "--format", "json", "page.md").json()
    data = json.loads(baselined_page.read_text(encoding="utf-8"))
    assert data["version"] == 1
    entries = data["files"]["page.md"]
    assert sorted((e["rule"], e["text"]) for e in entries) == sorted((f["rule"], f["text"]) for f in before["findings"])
    assert all(e["count"] == 1 and len(e["fingerprint"]) == 64 for e in entries)
    assert "line" not in json.dumps(data) and "offset" not in json.dumps(data)


def test_write_baseline_run_reports_everything_as_baselined(cli, write, workdir):
    write("page.md", PAGE)
    result = cli("check", "--write-baseline", "b.json", "page.md")
    assert result.code == 0
    assert "recorded 3 findings in b.json" in result.err
    assert result.out.strip().endswith("No findings in 1 file. 3 baselined.")


def test_inserting_lines_above_keeps_old_findings_baselined(cli, write, baselined_page):
    write("page.md", "# Hair\n\nA new intro paragraph.\n\nAnother one, longer.\n\nOur serum cures acne.\n")
    result = cli("check", "--baseline", baselined_page.name, "--format", "json", "page.md")
    report = result.json()
    assert result.code == 0
    assert findings(report, baselined=False) == []
    assert {f["line"] for f in findings(report, baselined=True)} == {7}
    assert report["summary"]["findings"] == 0
    assert report["summary"]["suppressed"] == len(report["findings"]) == 3


def test_reindenting_and_editing_other_lines_keeps_findings_baselined(cli, write, baselined_page):
    write("page.md", "# Hair care\n\n   Our   serum cures acne.\n\nMore text.\n")
    report = cli("check", "--baseline", baselined_page.name, "--format", "json", "page.md").json()
    assert findings(report, baselined=False) == []


def test_a_new_claim_is_reported(cli, write, baselined_page):
    write("page.md", "# Hair\n\nIntro.\n\nOur serum cures acne.\n\nIt cures eczema too.\n")
    result = cli("check", "--baseline", baselined_page.name, "--format", "json", "page.md")
    report = result.json()
    assert result.code == 1
    new = findings(report, baselined=False)
    assert new and {f["line"] for f in new} == {7}
    assert "eczema" in " ".join(f["text"] for f in new)
    assert {f["line"] for f in findings(report, baselined=True)} == {5}
    assert report["summary"]["findings"] == len(new)


def test_text_summary_counts_baselined_findings(cli, write, baselined_page):
    write("page.md", PAGE + "\nIt cures eczema too.\n")
    result = cli("check", "--baseline", baselined_page.name, "page.md")
    assert result.code == 1
    assert {f["line"] for f in result.findings()} == {"5"}  # baselined ones are not listed
    summary = result.out.strip().splitlines()[-1]
    assert summary.startswith(f"Found {len(result.findings())} findings")
    assert summary.endswith(" 3 baselined.")
    assert "suppressed" not in summary
    shown = cli("check", "--baseline", baselined_page.name, "--show-suppressed", "--no-source", "page.md")
    assert sum(line.endswith("(baselined)") for line in shown.out.splitlines()) == 3


def test_inline_and_baseline_suppressions_are_counted_apart(cli, write, workdir):
    write("page.md", PAGE + "\n<!-- claimlint-disable-next-line CL501 -- quoting the regulator -->\nIt cures eczema.\n")
    assert cli("check", "--write-baseline", "b.json", "page.md").code == 0
    entries = json.loads((workdir / "b.json").read_text())["files"]["page.md"]
    assert sum(e["count"] for e in entries if e["rule"] == "CL501") == 1  # the inline-suppressed one is not recorded
    result = cli("check", "--baseline", "b.json", "--format", "json", "page.md")
    report = result.json()
    kinds = sorted(f["suppressed"]["kind"] for f in report["findings"])
    assert kinds == ["baseline"] * (len(kinds) - 1) + ["inline"]
    assert report["summary"]["suppressed"] == len(kinds)
    text = cli("check", "--baseline", "b.json", "page.md")
    assert text.code == 0
    assert text.out.strip().endswith(f"No findings in 1 file. 1 suppressed. {len(kinds) - 1} baselined.")


def test_repeated_identical_findings_are_counted(cli, write, workdir):
    line = "Our serum cures acne.\n"
    check = ("check", "--select", "CL501,CL201")  # rules that flag every copy of the line
    write("page.md", "# Hair\n\n" + line + "\n" + line)
    assert cli(*check, "--write-baseline", "b.json", "page.md").code == 0
    entries = json.loads((workdir / "b.json").read_text())["files"]["page.md"]
    assert sorted((e["rule"], e["count"]) for e in entries) == [("CL201", 2), ("CL501", 2)]

    write("page.md", "# Hair\n\n" + line + "\n" + line + "\n" + line)  # a third copy is new
    result = cli(*check, "--baseline", "b.json", "--format", "json", "page.md")
    report = result.json()
    assert result.code == 1
    assert len(findings(report, baselined=True)) == 4
    new = findings(report, baselined=False)
    assert sorted((f["rule"], f["line"]) for f in new) == [("CL201", 7), ("CL501", 7)]

    write("page.md", "# Hair\n\n" + line)  # one copy fixed: the other stays baselined
    report = cli(*check, "--baseline", "b.json", "--format", "json", "page.md").json()
    assert findings(report, baselined=False) == [] and len(findings(report, baselined=True)) == 2


def test_paths_are_matched_however_they_are_spelled(cli, write, workdir):
    write("site/page.md", PAGE)
    assert cli("check", "--write-baseline", "b.json", "./site/page.md").code == 0
    assert list(json.loads((workdir / "b.json").read_text())["files"]) == ["site/page.md"]
    assert cli("check", "--baseline", "b.json", "site").code == 0


def test_baseline_file_is_written_atomically(cli, write, workdir, monkeypatch):
    write("page.md", PAGE)
    old = '{"version": 1, "tool": "claimlint", "files": {}}\n'
    write("b.json", old)

    def broken_dump(obj, handle, **kwargs):
        handle.write('{"version": 1, "files": {"page.md": [')  # half written, then serialisation fails
        raise TypeError("Object of type Mystery is not JSON serializable")

    monkeypatch.setattr(bl.json, "dump", broken_dump)
    result = cli("check", "--write-baseline", "b.json", "page.md")
    assert result.code == 2
    assert "cannot write the baseline" in result.err and "Mystery" in result.err
    assert (workdir / "b.json").read_text() == old
    assert sorted(p.name for p in workdir.iterdir()) == ["b.json", "page.md"]  # no temp file left


def test_write_keeps_the_old_file_if_the_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "b.json"
    target.write_text("old\n")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bl.os, "replace", failing_replace)
    with pytest.raises(bl.BaselineError, match="No space left"):
        bl.write(target, bl.Baseline())
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]


@pytest.mark.parametrize("content, problem", [
    ("{not json", "not valid JSON"),
    ("[]", "expected a JSON object"),
    ('{"version": 2, "files": {}}', "version"),
    ('{"version": 1}', "files"),
    ('{"version": 1, "files": {"page.md": {}}}', "expected a list"),
    ('{"version": 1, "files": {"page.md": [{"count": 1}]}}', "fingerprint"),
    ('{"version": 1, "files": {"page.md": [{"fingerprint": "ab", "count": "2"}]}}', "count"),
    ('{"version": 1, "files": {"page.md": [{"fingerprint": "ab", "count": 0}]}}', "count"),
])
def test_malformed_baseline_is_a_clear_error(cli, write, content, problem):
    write("page.md", PAGE)
    write("b.json", content)
    result = cli("check", "--baseline", "b.json", "page.md")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("claimlint: error: b.json: malformed baseline")
    assert problem in result.err
    assert "Traceback" not in result.err


def test_missing_baseline_file_is_an_error(cli, write):
    write("page.md", PAGE)
    result = cli("check", "--baseline", "nope.json", "page.md")
    assert result.code == 2
    assert "nope.json: baseline file not found" in result.err


def test_pure_functions_build_dumps_parse_apply(engine):
    report = lint_text(PAGE, path="page.md")
    sources = {"page.md": PAGE}
    base = bl.build(report, sources)
    assert base.total == len(report.findings) == 3
    again = bl.parse(bl.dumps(base))
    applied = bl.apply(report, again, sources)
    assert applied.summary.findings == 0 and applied.summary.suppressed == 3
    assert all(f.suppressed == bl.SUPPRESSION for f in applied.findings)
    assert bl.baselined(applied) == 3
    assert report.summary.findings == 3 and all(f.suppressed is None for f in report.findings)  # not mutated
    moved = "\n\n\n" + PAGE
    assert bl.apply(lint_text(moved, path="page.md"), again, {"page.md": moved}).summary.findings == 0
