"""The command line as a user drives it: ``claimlint check|rules|explain|test-rules``.

Every test runs ``claimlint.cli.main([...])`` in-process in an empty temporary
folder and looks at what the user sees: the exit code, the finding lines
(``path:line:col: CLxxx [category] message``), the source excerpt and its
``^^^`` underline, the hints, the summary, the JSON report and error messages.
"""

from __future__ import annotations

import io
import json
import os
import re
import types
from pathlib import Path

import pytest

from conftest import WONDER_RULE as SHARED_WONDER_RULE

from claimlint import __version__
from claimlint.api import load_rule_pack
from claimlint.testing import example_cases

CURE_MD = "# Acne care\n\nOur serum cures acne.\n"
EVIDENCE_HTML = (
    "<html><body>\n"
    "<h1>Joint care</h1>\n"
    "<p>Turmeric has been shown to ease joint pain.</p>\n"
    "</body></html>\n"
)
LEAP_TXT = "In mice, resveratrol extended lifespan, so it can help you live longer.\n"
CLEAN_MD = "# Opening hours\n\nThe clinic is open Monday to Friday.\n"
FINDING_INFO = "Probiotics have been found to ease bloating.\n"  # CL102 (info)

SUMMARY = re.compile(r"^(No findings in \d+ files?\.|Found \d+ findings? \((?:\d+ (?:errors?|warnings?|info)(?:, )?)+\) in \d+ files?\.)")


@pytest.fixture(scope="module")
def pack():
    return load_rule_pack()


def snippets(out: str) -> list[tuple[str, str, str]]:
    """(finding header, source line shown, text underlined by ``^``) for each finding with an excerpt."""
    lines = out.splitlines()
    found = []
    for i, header in enumerate(lines):
        m = re.match(r"^.+?:(\d+):\d+: [A-Z]{2}\d{3} \[", header)
        if not m or i + 3 >= len(lines):
            continue
        number = m.group(1)
        gutter = " " * len(number)
        assert lines[i + 1] == f"{gutter} |", lines[i : i + 4]
        assert lines[i + 2].startswith(f"{number} | "), lines[i : i + 4]
        assert lines[i + 3].startswith(f"{gutter} | "), lines[i : i + 4]
        source = lines[i + 2][len(number) + 3 :]
        marks = lines[i + 3][len(gutter) + 3 :]
        start = len(marks) - len(marks.lstrip(" "))
        assert set(marks[start:]) == {"^"}, marks
        found.append((header, source, source[start : len(marks)]))
    return found


def summary_line(out: str) -> str:
    last = out.rstrip("\n").splitlines()[-1]
    assert SUMMARY.match(last), last
    return last


# -- check: one file of each format ----------------------------------------------------------


def test_markdown_claim_full_text_output(cli, write, pack):
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL501", "page.md")
    rule = pack.rules["CL501"]
    assert result.code == 1
    assert result.err == ""
    assert result.out == (
        f"page.md:3:11: CL501 [absolute-claim] {rule.render_message('cures')}\n"
        "  |\n"
        "3 | Our serum cures acne.\n"
        "  |           ^^^^^\n"
        "  = suggestion: may help with\n"
        f"  = use instead: {' '.join(rule.docs.instead.split())}\n"
        "\n"
        "Found 1 finding (1 error) in 1 file.\n"
    )


def test_markdown_claim_with_the_default_rules(cli, write):
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 1
    findings = result.findings()
    [cure] = [f for f in findings if f["rule"] == "CL501"]
    assert (cure["path"], cure["line"], cure["col"], cure["category"]) == ("page.md", "3", "11", "absolute-claim")
    assert cure["message"].startswith('"cures" ')
    assert {"CL501", "CL201"} <= set(result.rules())
    assert "  = use instead: " in result.out
    assert summary_line(result.out) == f"Found {len(findings)} findings ({_by_severity(cli, 'page.md')}) in 1 file."


def _by_severity(cli, path: str) -> str:
    summary = cli("check", "--format", "json", path).json()["summary"]["by_severity"]
    return ", ".join(f"{n} {k}" + ("s" if n != 1 and k != "info" else "") for k, n in summary.items())


def test_html_claim_is_reported_at_its_place_in_the_file(cli, write):
    write("joints.html", EVIDENCE_HTML)
    result = cli("check", "--select", "CL101", "joints.html")
    assert result.code == 1
    [(header, source, underlined)] = snippets(result.out)
    assert header.startswith("joints.html:3:13: CL101 [evidence-language] \"has been shown to\" ")
    assert source == "<p>Turmeric has been shown to ease joint pain.</p>"
    assert underlined == "has been shown to"
    assert "  = use instead: Name the evidence" in result.out
    assert summary_line(result.out) == "Found 1 finding (1 warning) in 1 file."


def test_text_animal_to_human_leap(cli, write):
    write("longevity.txt", LEAP_TXT)
    result = cli("check", "longevity.txt")
    assert result.code == 1
    leap = [f for f in result.findings() if f["rule"] == "CL301"]
    assert len(leap) == 1
    assert leap[0]["category"] == "animal-to-human"
    assert leap[0]["line"] == "1"
    assert "animal" in leap[0]["message"]


@pytest.mark.parametrize("name, content", [("page.md", CURE_MD), ("joints.html", EVIDENCE_HTML), ("longevity.txt", LEAP_TXT)])
def test_every_underline_is_exactly_the_flagged_text(cli, write, name, content):
    path = write(name, content)
    text_out = cli("check", name)
    report = cli("check", "--format", "json", name).json()
    shown = snippets(text_out.out)
    assert len(shown) == len(report["findings"]) > 0
    original = path.read_text(encoding="utf-8")
    for (header, source, underlined), finding in zip(shown, report["findings"]):
        assert header.startswith(f"{name}:{finding['line']}:{finding['column']}: {finding['rule']} [{finding['category']}] ")
        assert source == original.splitlines()[finding["line"] - 1]
        assert underlined == finding["text"]


def test_clean_file_exits_0(cli, write):
    write("hours.md", CLEAN_MD)
    result = cli("check", "hours.md")
    assert (result.code, result.out, result.err) == (0, "No findings in 1 file.\n", "")


def test_check_is_the_default_command(cli, write):
    write("page.md", CURE_MD)
    result = cli("--select", "CL501", "page.md")
    assert result.code == 1
    assert result.rules() == ["CL501"]


def test_no_source_gives_one_line_per_finding(cli, write, pack):
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL501", "--no-source", "page.md")
    assert result.out == (f"page.md:3:11: CL501 [absolute-claim] {pack.rules['CL501'].render_message('cures')}\n"
                          "Found 1 finding (1 error) in 1 file.\n")


def test_long_line_is_cut_around_the_finding_and_still_underlined(cli, write):
    line = "Welcome to our shop. " * 12 + "Our serum cures acne. " + "Free delivery on all orders. " * 6
    write("long.txt", line + "\n")
    result = cli("check", "--select", "CL501", "long.txt")
    [(header, source, underlined)] = snippets(result.out)
    assert header.startswith(f"long.txt:1:{line.index('cures') + 1}: CL501 ")
    assert source.startswith("…") and source.endswith("…") and len(source) < len(line)
    assert underlined == "cures"


def test_tabs_in_the_source_line_keep_the_underline_aligned(cli, write):
    write("tabs.txt", "\tOur\tserum cures acne.\n")
    [(header, source, underlined)] = snippets(cli("check", "--select", "CL501", "tabs.txt").out)
    assert header.startswith("tabs.txt:1:12: ")
    assert underlined == "cures"


def test_crlf_file_source_line_and_underline(cli, write):
    write("page.md", "# Acne care\r\n\r\nOur serum cures acne.\r\n")
    [(header, source, underlined)] = snippets(cli("check", "--select", "CL501", "page.md").out)
    assert header.startswith("page.md:3:11: ")
    assert (source, underlined) == ("Our serum cures acne.", "cures")


def test_source_line_of_a_utf16_file_is_shown_decoded(cli, write):
    write("page.txt", "Intro.\n\nOur serum cures acne.\n".encode("utf-16"))
    [(header, source, underlined)] = snippets(cli("check", "--select", "CL501", "page.txt").out)
    assert (source, underlined) == ("Our serum cures acne.", "cures")


def test_source_line_honours_the_encoding_option(cli, write):
    write("menu.txt", "Our crème cures acne.\n".encode("latin-1"))
    result = cli("check", "--select", "CL501", "--encoding", "latin-1", "menu.txt")
    [(header, source, underlined)] = snippets(result.out)
    assert (source, underlined) == ("Our crème cures acne.", "cures")


@pytest.mark.parametrize("separator", ["\u2028", "\x0c", "\x85"])
def test_source_line_shown_is_the_line_of_the_finding(cli, write, separator):
    write("page.txt", f"Intro{separator}still the intro.\n\nOur serum cures acne.\n")
    [(header, source, underlined)] = snippets(cli("check", "--select", "CL501", "page.txt").out)
    assert header.startswith("page.txt:3:11: ")
    assert (source, underlined) == ("Our serum cures acne.", "cures")


# -- folders, include, exclude ------------------------------------------------------------------


@pytest.fixture
def tree(write):
    for rel in ("site/a.md", "site/sub/b.html", "site/sub/deep/c.txt", "site/sub/d.htm", "site/e.markdown",
                "site/.hidden/h.md", "site/.dotfile.md", "site/node_modules/pkg/n.md", "site/build/out.md",
                "site/sub/draft.md", "site/notes.rst", "site/data.json"):
        write(rel, "Our serum cures acne.\n")
    write("site/.gitignore", "# generated\nbuild/\ndraft.md\n")
    return Path("site")


def _paths(result) -> list[str]:
    return sorted({f["path"].replace(os.sep, "/") for f in result.findings()})


def test_folder_is_walked_recursively_with_default_extensions(cli, tree):
    result = cli("check", "--select", "CL501", "--no-source", "site")
    assert result.code == 1
    assert _paths(result) == ["site/a.md", "site/e.markdown", "site/sub/b.html", "site/sub/d.htm", "site/sub/deep/c.txt"]
    assert summary_line(result.out) == "Found 5 findings (5 errors) in 5 files."


def test_include_replaces_the_default_extensions(cli, tree):
    result = cli("check", "--select", "CL501", "--no-source", "--include", "*.rst,*.txt", "site")
    assert _paths(result) == ["site/notes.rst", "site/sub/deep/c.txt"]


@pytest.mark.parametrize("exclude, expected", [
    ("sub", ["site/a.md", "site/e.markdown"]),
    ("*.html,*.htm", ["site/a.md", "site/e.markdown", "site/sub/deep/c.txt"]),
    ("sub/deep", ["site/a.md", "site/e.markdown", "site/sub/b.html", "site/sub/d.htm"]),
])
def test_exclude_skips_files_and_folders(cli, tree, exclude, expected):
    result = cli("check", "--select", "CL501", "--no-source", "--exclude", exclude, "site")
    assert _paths(result) == expected


def test_exclude_applies_to_files_named_explicitly(cli, write):
    write("a.md", CURE_MD)
    write("b.md", CURE_MD)
    result = cli("check", "--select", "CL501", "--no-source", "--exclude", "b.md", "a.md", "b.md")
    assert _paths(result) == ["a.md"]


def test_a_file_named_twice_is_linted_once(cli, tree):
    result = cli("check", "--select", "CL501", "--no-source", "site/sub/deep", "site/sub/deep/c.txt")
    assert len(result.findings()) == 1
    assert summary_line(result.out) == "Found 1 finding (1 error) in 1 file."


def test_file_named_explicitly_is_linted_whatever_its_extension(cli, write):
    write("notes.rst", "Our serum cures acne.\n")
    result = cli("check", "--select", "CL501", "--no-source", "notes.rst")
    assert result.code == 1
    assert result.findings()[0]["line"] == "1"


# -- standard input --------------------------------------------------------------------------------


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(data)))


def test_stdin_with_a_filename_uses_its_name_and_format(cli, monkeypatch):
    _stdin(monkeypatch, b"<p>Our serum\n<b>cures</b> acne.</p>\n")
    result = cli("check", "--select", "CL501", "-", "--stdin-filename", "shop/page.html")
    assert result.code == 1
    [(header, source, underlined)] = snippets(result.out)
    assert header.startswith("shop/page.html:2:4: CL501 [absolute-claim] ")
    assert source == "<b>cures</b> acne.</p>"
    assert underlined == "cures"


def test_stdin_without_a_filename_is_markdown_named_stdin(cli, monkeypatch):
    _stdin(monkeypatch, b"Our serum `cures` acne.\n\nOur balm cures eczema.\n")
    result = cli("check", "--select", "CL501", "--no-source", "-")
    assert [(f["path"], f["line"]) for f in result.findings()] == [("<stdin>", "3")]


def test_stdin_invalid_utf8_is_an_input_error(cli, monkeypatch):
    _stdin(monkeypatch, b"Caf\xe9 cures acne.\n")
    result = cli("check", "-", "--stdin-filename", "menu.txt")
    assert result.code == 2
    assert "menu.txt: error: not valid UTF-8 at byte 3" in result.err


def test_stdin_cannot_be_mixed_with_paths(cli, write):
    write("a.md", CURE_MD)
    result = cli("check", "-", "a.md")
    assert result.code == 2
    assert "'-' (standard input) cannot be mixed with other paths" in result.err


# -- JSON -----------------------------------------------------------------------------------------

FINDING_KEYS = {"path", "rule", "name", "category", "severity", "message", "text", "line", "column", "end_line",
                "end_column", "offset", "end_offset", "suggestion", "url", "suppressed"}


def test_json_report_has_exactly_the_contract_fields(cli, write):
    sources = {"page.md": CURE_MD, "joints.html": EVIDENCE_HTML, "longevity.txt": LEAP_TXT}
    for name, text in sources.items():
        write(name, text)
    result = cli("check", "--format", "json", *sources)
    assert result.code == 1
    report = result.json()
    assert set(report) == {"version", "tool", "findings", "errors", "summary"}
    assert report["version"] == 1
    assert report["tool"] == {"name": "claimlint", "version": __version__}
    assert report["errors"] == []
    assert set(report["summary"]) == {"files", "findings", "by_severity", "suppressed"}
    assert report["summary"]["files"] == 3
    assert report["summary"]["findings"] == len(report["findings"]) > 0
    assert report["summary"]["suppressed"] == 0
    severities = [f["severity"] for f in report["findings"]]
    assert report["summary"]["by_severity"] == {k: severities.count(k) for k in ("error", "warning", "info") if k in severities}
    assert {f["path"] for f in report["findings"]} == set(sources)
    for f in report["findings"]:
        assert set(f) == FINDING_KEYS
        assert f["severity"] in ("info", "warning", "error")
        assert f["suppressed"] is None
        assert sources[f["path"]][f["offset"] : f["end_offset"]] == f["text"]


def test_json_finding_values(cli, write, pack):
    write("page.md", CURE_MD)
    [finding] = cli("check", "--select", "CL501", "--format", "json", "page.md").json()["findings"]
    assert finding == {
        "path": "page.md", "rule": "CL501", "name": "cure-claim", "category": "absolute-claim", "severity": "error",
        "message": pack.rules["CL501"].render_message("cures"), "text": "cures",
        "line": 3, "column": 11, "end_line": 3, "end_column": 16, "offset": 23, "end_offset": 28,
        "suggestion": "may help with", "url": None, "suppressed": None,
    }


def test_json_for_a_clean_file(cli, write):
    write("hours.md", CLEAN_MD)
    result = cli("check", "--format", "json", "hours.md")
    assert result.code == 0
    report = result.json()
    assert report["findings"] == [] and report["errors"] == []
    assert report["summary"] == {"files": 1, "findings": 0, "by_severity": {}, "suppressed": 0}


# -- exit codes, selection, severity ------------------------------------------------------------------


@pytest.mark.parametrize("args, code", [
    ([], 1),                                                  # default fail-on warning
    (["--fail-on", "error"], 0),
    (["--fail-on", "warning"], 1),
    (["--fail-on", "info"], 1),
    (["--severity", "CL101=error", "--fail-on", "error"], 1),
    (["--severity", "CL101=info"], 0),
    (["--severity", "vague-evidence-phrase=info"], 0),
    (["--severity", "evidence-language=info"], 0),
])
def test_fail_on_and_severity_decide_the_exit_code(cli, write, args, code):
    write("joints.html", EVIDENCE_HTML)
    result = cli("check", "--select", "CL101", *args, "joints.html")
    assert result.code == code
    assert result.rules() == ["CL101"]  # findings below the threshold are still shown


def test_info_findings_fail_only_with_fail_on_info(cli, write):
    write("gut.txt", FINDING_INFO)
    assert cli("check", "--select", "CL102", "gut.txt").code == 0
    result = cli("check", "--select", "CL102", "--fail-on", "info", "gut.txt")
    assert result.code == 1
    assert summary_line(result.out) == "Found 1 finding (1 info) in 1 file."


def test_severity_override_shows_in_the_report(cli, write):
    write("joints.html", EVIDENCE_HTML)
    report = cli("check", "--select", "CL101", "--severity", "CL101=error", "--format", "json", "joints.html").json()
    assert [f["severity"] for f in report["findings"]] == ["error"]
    assert report["summary"]["by_severity"] == {"error": 1}


def test_rule_severity_beats_category_severity(cli, write):
    write("page.md", "Our serum cures acne. Results are guaranteed.\n")
    report = cli("check", "--select", "absolute-claim", "--severity", "CL501=warning",
                 "--severity", "absolute-claim=info", "--format", "json", "page.md").json()
    assert {f["rule"]: f["severity"] for f in report["findings"]} == {"CL501": "warning", "CL502": "info"}


def test_bad_severity_option_is_a_usage_error(cli, write):
    write("page.md", CURE_MD)
    result = cli("check", "--severity", "CL501=fatal", "page.md")
    assert result.code == 2
    assert "--severity expects RULE=info|warning|error, got 'CL501=fatal'" in result.err


@pytest.mark.parametrize("key", ["CL501", "cure-claim", "absolute-claim"])
def test_select_by_id_name_or_category(cli, write, key):
    write("page.md", CURE_MD)
    result = cli("check", "--select", key, "page.md")
    assert result.rules() == ["CL501"]


@pytest.mark.parametrize("key", ["CL501", "cure-claim", "absolute-claim"])
def test_ignore_by_id_name_or_category(cli, write, key):
    write("page.md", CURE_MD)
    assert "CL501" in cli("check", "page.md").rules()
    result = cli("check", "--ignore", key, "page.md")
    assert "CL501" not in result.rules()
    assert "CL201" in result.rules()


def test_extend_select_enables_an_opt_in_rule(cli, write):
    write("page.md", CURE_MD)
    assert "CL402" not in cli("check", "page.md").rules()
    result = cli("check", "--extend-select", "CL402", "page.md")
    assert {"CL402", "CL501"} <= set(result.rules())


def test_unknown_rule_in_select_is_a_usage_error(cli, write):
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL999", "page.md")
    assert result.code == 2
    assert result.out == ""
    assert "select: unknown rule id, name or category 'CL999'" in result.err


def test_unknown_rule_in_select_is_not_blamed_on_the_config_file(cli, write):
    write("pyproject.toml", '[project]\nname = "shop"\n\n[tool.claimlint]\nselect = ["CL501"]\n')
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL999", "page.md")
    assert result.code == 2
    assert "'CL999'" in result.err
    assert "pyproject.toml" not in result.err


def test_missing_path_exits_2(cli, write):
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL501", "--no-source", "nope.md", "page.md")
    assert result.code == 2
    assert "nope.md: error: no such file or directory" in result.out
    assert result.rules() == ["CL501"]  # the file that exists is still linted
    assert summary_line(result.out).endswith(" 1 file error.")


def test_invalid_utf8_file_exits_2_and_other_files_are_still_linted(cli, write):
    write("menu.txt", b"Our caf\xe9 menu.\n\nOur serum cures acne.\n")
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL501", "--no-source", "menu.txt", "page.md")
    assert result.code == 2
    assert "menu.txt: error: not valid UTF-8 at byte 7" in result.out
    assert [f["path"] for f in result.findings()] == ["page.md"]
    assert summary_line(result.out) == "Found 1 finding (1 error) in 1 file. 1 file error."
    report = cli("check", "--select", "CL501", "--format", "json", "menu.txt", "page.md").json()
    assert [(e["path"], e["level"]) for e in report["errors"]] == [("menu.txt", "error")]
    assert report["errors"][0]["message"].startswith("not valid UTF-8 at byte 7")


def test_encoding_option_reads_other_encodings(cli, write):
    write("menu.txt", "Our crème cures acne.\n".encode("latin-1"))
    result = cli("check", "--select", "CL501", "--no-source", "--encoding", "latin-1", "menu.txt")
    assert result.code == 1
    assert result.findings()[0]["col"] == "11"


def test_utf16_file_with_bom_is_linted(cli, write):
    write("page.txt", "Intro.\n\nOur serum cures acne.\n".encode("utf-16"))
    report = cli("check", "--select", "CL501", "--format", "json", "page.txt").json()
    assert [(f["line"], f["column"], f["text"]) for f in report["findings"]] == [(3, 11, "cures")]


def test_binary_file_is_skipped_with_a_notice(cli, write):
    write("logo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR cures acne")
    write("hours.md", CLEAN_MD)
    result = cli("check", "logo.txt", "hours.md")
    assert result.code == 0
    assert "logo.txt: warning: binary file, skipped" in result.out
    assert summary_line(result.out) == "No findings in 1 file."
    report = cli("check", "--format", "json", "logo.txt", "hours.md").json()
    assert report["errors"] == [{"path": "logo.txt", "message": "binary file, skipped", "line": None, "level": "warning"}]


@pytest.mark.parametrize("content", ["", "   ", "\n\n\n", " \t \r\n\r\n \n"])
def test_empty_and_whitespace_only_files_have_no_findings(cli, write, content):
    write("empty.md", content)
    write("empty.html", content)
    write("empty.txt", content)
    result = cli("check", "empty.md", "empty.html", "empty.txt")
    assert (result.code, result.out) == (0, "No findings in 3 files.\n")


@pytest.mark.parametrize("args, message", [
    (["check"], "no paths given"),
    (["check", "--format", "checkstyle", "x.md"], "invalid choice: 'checkstyle'"),
    (["check", "--fail-on", "never", "x.md"], "invalid choice: 'never'"),
    (["check", "--no-such-option", "x.md"], "unrecognized arguments: --no-such-option"),
])
def test_usage_errors_exit_2_with_a_message(cli, args, message):
    result = cli(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_model_that_is_not_installed_is_a_usage_error(cli, write):
    write("hours.md", CLEAN_MD)
    result = cli("check", "--model", "xx_no_such_pipeline_sm", "hours.md")
    assert result.code == 2
    assert "xx_no_such_pipeline_sm" in result.err


def test_version(cli):
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"claimlint {__version__}"


# -- output file, and the linted files are never touched --------------------------------------------------


def test_output_option_writes_the_report_to_a_file(cli, write):
    write("page.md", CURE_MD)
    result = cli("check", "--select", "CL501", "--format", "json", "--output", "report.json", "page.md")
    assert result.code == 1
    assert result.out == ""
    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["CL501"]
    text = cli("check", "--select", "CL501", "-o", "report.txt", "page.md")
    assert text.out == ""
    written = Path("report.txt").read_text(encoding="utf-8")
    assert written.startswith("page.md:3:11: CL501 [absolute-claim] ")
    assert written.endswith("Found 1 finding (1 error) in 1 file.\n")


def test_output_into_a_missing_folder_is_an_error_not_a_crash(cli, write):
    write("page.md", CURE_MD)
    result = cli("check", "--output", "no/such/dir/report.txt", "page.md")
    assert result.code == 2
    assert "no/such/dir" in result.err


def test_linted_files_are_never_written(cli, write):
    files = [write("site/page.md", CURE_MD + "<!-- claimlint-disable-next-line CL501 -->\nIt cures colds.\n"),
             write("site/joints.html", EVIDENCE_HTML),
             write("site/longevity.txt", LEAP_TXT),
             write("site/crlf.md", CURE_MD.replace("\n", "\r\n")),
             write("site/menu.txt", b"caf\xe9\n")]
    past = 1_000_000_000
    for f in files:
        os.utime(f, ns=(past, past))
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    listing = sorted(Path("site").rglob("*"))
    for args in ([], ["--format", "json"], ["--show-suppressed"], ["--output", "report.txt"]):
        cli("check", *args, "site")
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before
    assert sorted(Path("site").rglob("*")) == listing


# -- suppressed findings in text output ------------------------------------------------------------


def test_show_suppressed_marks_them(cli, write):
    write("page.md", "# T\n\n<!-- claimlint-disable-next-line CL501 -- quoting the regulator -->\nOur serum cures acne.\n")
    hidden = cli("check", "--select", "CL501", "page.md")
    assert (hidden.code, hidden.out) == (0, "No findings in 1 file. 1 suppressed.\n")
    shown = cli("check", "--select", "CL501", "--show-suppressed", "page.md")
    assert shown.code == 0
    assert shown.findings()[0]["message"].endswith(" (suppressed)")
    assert shown.findings()[0]["line"] == "4"


# -- rules, explain ------------------------------------------------------------------------------


def test_rules_lists_every_rule(cli, pack):
    result = cli("rules")
    assert result.code == 0
    listed = [line.split()[0] for line in result.out.splitlines()[1:] if re.match(r"^[A-Z]{2}\d{3}\s", line)]
    assert listed == sorted(pack.rules)
    for rule in pack.rules.values():
        assert re.search(rf"^{rule.id}\s+{rule.name}\s+{rule.category}\s+{rule.severity}\s", result.out, re.M)
    assert result.out.rstrip().endswith(f"{len(pack.rules)} rules.")


def test_rules_marks_opt_in_rules_once(cli, pack):
    out = cli("rules").out
    for rule in pack.rules.values():
        [row] = [line for line in out.splitlines() if line.startswith(rule.id + " ")]
        assert row.count("(opt-in)") == (0 if rule.default_enabled else 1), row


def test_rules_json(cli, pack):
    result = cli("rules", "--format", "json")
    rows = result.json()
    assert [r["id"] for r in rows] == sorted(pack.rules)
    assert set(rows[0]) == {"id", "name", "category", "severity", "default_enabled", "summary"}
    assert {r["id"]: r["default_enabled"] for r in rows}["CL402"] is False


def test_explain_prints_the_documentation(cli, pack):
    result = cli("explain", "CL101")
    rule = pack.rules["CL101"]
    assert result.code == 0
    out = result.out
    assert out.startswith("CL101 vague-evidence-phrase [evidence-language, warning]\n")
    headings = ["What it does", "Why it matters", "Example", "Use instead", "References"]
    positions = [out.index(f"\n{h}\n") for h in headings]
    assert positions == sorted(positions)
    assert rule.docs.example.strip() in out
    for reference in rule.references:
        assert f"  - {reference}\n" in out


@pytest.mark.parametrize("key", ["cure-claim", "CL501"])
def test_explain_by_name_or_id(cli, key):
    result = cli("explain", key)
    assert result.code == 0
    assert result.out.startswith("CL501 cure-claim [absolute-claim, error]\n")


def test_explain_opt_in_rule_says_how_to_enable_it(cli):
    assert "--extend-select CL402" in cli("explain", "CL402").out


def test_explain_unknown_rule_exits_2(cli):
    result = cli("explain", "NOPE")
    assert result.code == 2
    assert result.out == ""
    assert "unknown rule 'NOPE'" in result.err


# -- test-rules ----------------------------------------------------------------------------------


def test_test_rules_runs_every_builtin_example(cli, pack):
    result = cli("test-rules")
    cases = example_cases(pack)
    failures = [line for line in result.out.splitlines() if line.startswith("FAIL")]
    assert failures == []
    assert result.out.splitlines()[-1] == f"{len(cases)} passed, 0 failed"
    assert result.code == 0


def test_test_rules_verbose_lists_every_case(cli, pack):
    result = cli("test-rules", "-v")
    statuses = [line.split()[0] for line in result.out.splitlines() if re.match(r"^(PASS|FAIL) [A-Z]{2}\d{3}-", line)]
    assert len(statuses) == len(example_cases(pack))


WONDER_RULE = SHARED_WONDER_RULE.replace("category: house-style", "category: absolute-claim").replace(
    "flags: [wonder cream]", "flags: [FLAGGED]")


def test_test_rules_on_an_extra_pack(cli, write):
    write("house/XY901-wonder-cream.yaml", WONDER_RULE.replace("FLAGGED", "wonder cream"))
    result = cli("test-rules", "-v", "house")
    assert "PASS XY901-fail-0: expected ['wonder cream'], got ['wonder cream'] on lines [1]\n" in result.out
    assert "PASS XY901-pass-0: got []\n" in result.out
    assert "FAIL XY901" not in result.out
    assert re.fullmatch(r"\d+ passed, \d+ failed", result.out.splitlines()[-1])


def test_test_rules_reports_a_wrong_example(cli, write):
    write("house/XY901-wonder-cream.yaml", WONDER_RULE.replace("FLAGGED", "wonder balm"))
    result = cli("test-rules", "house")
    assert result.code == 1
    assert "FAIL XY901-fail-0: expected ['wonder balm'], got ['wonder cream'] on lines [1]\n" in result.out
    assert "    'Try our wonder cream today.'\n" in result.out
    assert re.fullmatch(r"\d+ passed, [1-9]\d* failed", result.out.splitlines()[-1])
