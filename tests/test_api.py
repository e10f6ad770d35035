"""The library API: ``lint_text`` and ``lint_paths`` return a ``Report``; they never print or exit."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import claimlint
import claimlint.api
from claimlint import Config, Diagnostic, Finding, Report, lint_paths, lint_text
from claimlint.api import get_engine
from claimlint.loader import RuleError

CURE = "Our serum cures acne."


def test_lint_text_returns_a_report_and_prints_nothing(engine, capsys):
    report = lint_text(CURE, format="text", path="ad.txt")
    assert isinstance(report, Report)
    assert capsys.readouterr() == ("", "")
    assert report.tool.name == "claimlint" and report.tool.version == claimlint.__version__
    cure = [f for f in report.findings if f.rule == "CL501"]
    assert len(cure) == 1
    f = cure[0]
    assert isinstance(f, Finding)
    assert (f.path, f.name, f.category, f.severity, f.text) == ("ad.txt", "cure-claim", "absolute-claim", "error", "cures")
    assert (f.line, f.column, f.end_line, f.end_column, f.offset, f.end_offset) == (1, 11, 1, 16, 10, 15)
    assert f.suggestion == "may help with"
    assert report.summary.files == 1
    assert report.summary.findings == len(report.findings)
    assert report.errors == []


def test_lint_text_defaults_to_markdown_and_a_placeholder_path(engine):
    report = lint_text("Our serum `cures` acne.\n\nOur balm cures eczema.\n", config=Config(select=["CL501"]))
    assert [(f.path, f.line) for f in report.findings] == [("<text>", 3)]


@pytest.mark.parametrize("fmt, text, line, column", [
    ("markdown", "# Acne\n\nOur **serum** cures acne.\n", 3, 15),
    ("html", "<h1>Acne</h1>\n<p>Our <b>serum</b> cures acne.</p>\n", 2, 21),
    ("text", "Acne\n\nOur serum cures acne.\n", 3, 11),
])
def test_lint_text_formats(engine, fmt, text, line, column):
    report = lint_text(text, format=fmt, config=Config(select=["CL501"]))
    assert [(f.line, f.column, f.text) for f in report.findings] == [(line, column, "cures")]


def test_lint_text_config_selection_and_severity(engine):
    config = Config(select=["absolute-claim"], ignore=["CL502"], severity={"CL501": "info"})
    report = lint_text(CURE + " Results are guaranteed.", format="text", config=config)
    assert [(f.rule, f.severity) for f in report.findings] == [("CL501", "info")]
    assert report.summary.by_severity == {"info": 1}


def test_lint_text_unknown_rule_raises_instead_of_exiting(engine, capsys):
    with pytest.raises(RuleError, match="select: unknown rule id, name or category 'CL999'"):
        lint_text(CURE, config=Config(select=["CL999"]))
    assert capsys.readouterr() == ("", "")


def test_lint_text_keeps_suppressed_findings_marked(engine):
    text = "<!-- claimlint-disable-next-line CL501 -- quoted -->\nOur serum cures acne.\n"
    report = lint_text(text, config=Config(select=["CL501"]))
    [finding] = report.findings
    assert finding.suppressed is not None and finding.suppressed.reason == "quoted" and finding.suppressed.line == 1
    assert report.active_findings == []
    assert (report.summary.findings, report.summary.suppressed) == (0, 1)


def test_lint_text_empty(engine):
    report = lint_text("", format="markdown")
    assert report.findings == [] and report.errors == []
    assert report.summary.files == 1


def test_lint_paths_on_a_folder(engine, tmp_path, capsys):
    (tmp_path / "site" / "blog").mkdir(parents=True)
    (tmp_path / "site" / "index.html").write_text("<p>Our serum cures acne.</p>\n", encoding="utf-8")
    (tmp_path / "site" / "blog" / "post.md").write_text("# Post\n\nOur balm cures eczema.\n", encoding="utf-8")
    (tmp_path / "site" / "blog" / "hours.txt").write_text("We open at nine.\n", encoding="utf-8")
    (tmp_path / "site" / "blog" / "menu.txt").write_bytes(b"caf\xe9\n")
    (tmp_path / "site" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    site = tmp_path / "site"
    report = lint_paths([str(site)], config=Config(select=["CL501"]))
    assert capsys.readouterr() == ("", "")
    assert isinstance(report, Report)
    assert sorted((Path(f.path).relative_to(site).as_posix(), f.line) for f in report.findings) == [
        ("blog/post.md", 3), ("index.html", 1)]
    assert report.summary.files == 3
    assert report.summary.findings == 2
    [error] = report.errors
    assert isinstance(error, Diagnostic)
    assert (Path(error.path).name, error.level) == ("menu.txt", "error")
    assert error.message.startswith("not valid UTF-8 at byte 3")


def test_lint_paths_finds_the_config_of_the_first_path(engine, tmp_path):
    (tmp_path / ".claimlint.toml").write_text('select = ["CL501"]\n', encoding="utf-8")
    (tmp_path / "page.md").write_text("Our serum cures acne.\n", encoding="utf-8")
    report = lint_paths([str(tmp_path / "page.md")])
    assert [f.rule for f in report.findings] == ["CL501"]


def test_lint_paths_reports_missing_paths(engine, tmp_path):
    report = lint_paths([str(tmp_path / "nope.md")], config=Config())
    assert [(e.message, e.level) for e in report.errors] == [("no such file or directory", "error")]
    assert report.summary.files == 0


def test_lint_paths_input_format_override(engine, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Our serum `cures` acne.\n", encoding="utf-8")
    config = Config(select=["CL501"])
    assert len(lint_paths([str(page)], config=config).findings) == 1
    assert lint_paths([str(page)], config=config, input_format="markdown").findings == []


def test_engine_is_built_once_per_config(engine):
    assert get_engine() is engine
    assert get_engine(Config()) is engine
    selected = get_engine(Config(select=["CL501"]))
    assert selected is get_engine(Config(select=["CL501"]))
    assert selected is not engine
    assert [r.rule.id for r in selected.rules] == ["CL501"]


def test_report_round_trips_through_json(engine):
    report = lint_text(CURE, format="text")
    data = report.model_dump(mode="json")
    assert Report.model_validate_json(report.model_dump_json()).model_dump(mode="json") == data


def test_public_names():
    assert set(claimlint.__all__) >= {"Config", "Diagnostic", "Finding", "Report", "lint_paths", "lint_text"}


def test_api_docstring_example_is_true(engine):
    result = doctest.testmod(claimlint.api, verbose=False)
    assert result.attempted and result.failed == 0
