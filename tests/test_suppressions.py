"""Inline suppressions: ``claimlint-disable-next-line RULE -- reason`` and friends.

A suppressed finding stays in the JSON report with ``suppressed: {kind, line,
reason}``, is not counted in ``summary.findings`` and is hidden from text
output. A directive without a reason, naming an unknown rule, or silencing
nothing is reported as a warning and never changes the exit code to 2.
"""

from __future__ import annotations

import pytest


def check_json(cli, name: str, *args: str):
    result = cli("check", "--select", "CL501", "--format", "json", *args, name)
    return result, result.json()


def active(report) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in report["findings"] if f["suppressed"] is None]


def suppressed(report) -> list[tuple[str, int, dict]]:
    return [(f["rule"], f["line"], f["suppressed"]) for f in report["findings"] if f["suppressed"] is not None]


# -- disable-next-line ----------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, line", [
    ("page.md", "# Acne\n\n<!-- claimlint-disable-next-line CL501 -- quoting the regulator -->\nOur serum cures acne.\n", 3),
    ("page.html", "<h1>Acne</h1>\n<!-- claimlint-disable-next-line CL501 -- quoting the regulator -->\n"
                  "<p>Our serum cures acne.</p>\n", 2),
    ("page.txt", "Acne care\n\nclaimlint-disable-next-line CL501 -- quoting the regulator\nOur serum cures acne.\n", 3),
    ("hash.txt", "Acne care\n\n# claimlint-disable-next-line CL501 -- quoting the regulator\nOur serum cures acne.\n", 3),
    ("slash.txt", "Acne care\n\n// claimlint-disable-next-line CL501 -- quoting the regulator\nOur serum cures acne.\n", 3),
])
def test_disable_next_line_silences_the_finding(cli, write, name, content, line):
    write(name, content)
    result, report = check_json(cli, name)
    assert result.code == 0
    assert active(report) == []
    assert suppressed(report) == [("CL501", line + 1, {"kind": "inline", "line": line, "reason": "quoting the regulator"})]
    assert report["summary"]["findings"] == 0
    assert report["summary"]["by_severity"] == {}
    assert report["summary"]["suppressed"] == 1
    assert report["errors"] == []
    text = cli("check", "--select", "CL501", name)
    assert (text.code, text.out) == (0, "No findings in 1 file. 1 suppressed.\n")


def test_only_the_next_line_is_silenced(cli, write):
    write("page.md", "<!-- claimlint-disable-next-line CL501 -- quoted -->\nOur serum cures acne.\n\n"
                     "Our balm cures eczema.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 1
    assert active(report) == [("CL501", 4)]
    assert [s[1] for s in suppressed(report)] == [2]
    assert report["summary"]["findings"] == 1 and report["summary"]["suppressed"] == 1
    text = cli("check", "--select", "CL501", "--no-source", "page.md")
    assert [f["line"] for f in text.findings()] == ["4"]
    assert text.out.endswith("Found 1 finding (1 error) in 1 file. 1 suppressed.\n")


def test_suppression_is_per_rule(cli, write):
    write("page.md", "<!-- claimlint-disable-next-line CL501 -- quoted -->\nOur serum cures acne.\n")
    report = cli("check", "--select", "CL501,CL201", "--format", "json", "page.md").json()
    assert active(report) == [("CL201", 2)]
    assert [s[0] for s in suppressed(report)] == ["CL501"]


@pytest.mark.parametrize("key", ["CL501", "cure-claim", "absolute-claim"])
def test_rules_may_be_named_by_id_name_or_category(cli, write, key):
    write("page.md", f"<!-- claimlint-disable-next-line {key} -- quoted -->\nOur serum cures acne.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 0
    assert [s[0] for s in suppressed(report)] == ["CL501"]


def test_several_rules_in_one_directive(cli, write):
    write("page.md", "<!-- claimlint-disable-next-line CL501, uncited-claim -- quoted from the FDA letter -->\n"
                     "Our serum cures acne.\n")
    report = cli("check", "--select", "CL501,CL201", "--format", "json", "page.md").json()
    assert active(report) == []
    assert sorted(s[0] for s in suppressed(report)) == ["CL201", "CL501"]
    assert {s[2]["reason"] for s in suppressed(report)} == {"quoted from the FDA letter"}


def test_multi_line_html_comment_directive(cli, write):
    write("page.html", "<!--\n  claimlint-disable-next-line CL501 -- quoted\n-->\n<p>Our serum cures acne.</p>\n")
    result, report = check_json(cli, "page.html")
    assert result.code == 0
    assert [(s[1], s[2]["line"]) for s in suppressed(report)] == [(4, 1)]


def test_disable_line(cli, write):
    write("page.md", "Our serum cures acne. <!-- claimlint-disable-line CL501 -- quoted -->\n\nOur balm cures eczema.\n")
    result, report = check_json(cli, "page.md")
    assert active(report) == [("CL501", 3)]
    assert [(s[1], s[2]["line"]) for s in suppressed(report)] == [(1, 1)]


# -- disable / enable ranges, disable-file ------------------------------------------------------------


def test_disable_enable_range(cli, write):
    write("page.md", "# Quotes\n\n"
                     "<!-- claimlint-disable CL501 -- quoted regulator text -->\n\n"
                     "Our serum cures acne.\n\nOur tea cures colds.\n\n"
                     "<!-- claimlint-enable CL501 -->\n\n"
                     "Our balm cures eczema.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 1
    assert active(report) == [("CL501", 11)]
    assert [(s[1], s[2]["line"], s[2]["reason"]) for s in suppressed(report)] == [
        (5, 3, "quoted regulator text"), (7, 3, "quoted regulator text")]
    assert report["errors"] == []


def test_disable_without_enable_runs_to_the_end(cli, write):
    write("page.html", "<p>Our serum cures acne.</p>\n<!-- claimlint-disable absolute-claim -- quoted -->\n"
                       "<p>Our tea cures colds.</p>\n<p>Our balm cures eczema.</p>\n")
    result, report = check_json(cli, "page.html")
    assert active(report) == [("CL501", 1)]
    assert [s[1] for s in suppressed(report)] == [3, 4]


def test_plain_text_range(cli, write):
    write("page.txt", "Our serum cures acne.\n\nclaimlint-disable CL501 -- quoted\nOur tea cures colds.\n"
                      "claimlint-enable CL501\nOur balm cures eczema.\n")
    result, report = check_json(cli, "page.txt")
    assert active(report) == [("CL501", 1), ("CL501", 6)]
    assert [s[1] for s in suppressed(report)] == [4]


def test_enable_may_name_the_rule_differently(cli, write):
    write("page.md", "<!-- claimlint-disable CL501 -- quoted -->\n\nOur serum cures acne.\n\n"
                     "<!-- claimlint-enable cure-claim -->\n\nOur balm cures eczema.\n")
    result, report = check_json(cli, "page.md")
    assert active(report) == [("CL501", 7)]


def test_disable_file(cli, write):
    write("page.md", "Our serum cures acne.\n\n<!-- claimlint-disable-file CL501 -- the whole page is a quote -->\n\n"
                     "Our balm cures eczema.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 0
    assert active(report) == []
    assert [(s[1], s[2]["line"]) for s in suppressed(report)] == [(1, 3), (5, 3)]


# -- problems with directives are reported, never exit 2 ----------------------------------------------------


def test_directive_without_a_reason_is_reported_and_does_not_suppress(cli, write):
    write("page.md", "# Acne\n\n<!-- claimlint-disable-next-line CL501 -->\nOur serum cures acne.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 1
    assert active(report) == [("CL501", 4)]
    assert report["summary"]["suppressed"] == 0
    [problem] = report["errors"]
    assert problem["path"] == "page.md" and problem["line"] == 3 and problem["level"] == "warning"
    assert "gives no reason" in problem["message"]
    text = cli("check", "--select", "CL501", "--no-source", "page.md")
    assert "page.md:3: warning: claimlint-disable-next-line CL501 gives no reason" in text.out


def test_unused_directive_is_reported_as_a_warning(cli, write):
    write("page.md", "# Hours\n\n<!-- claimlint-disable-next-line CL501 -- legacy -->\nWe open at nine.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 0
    assert report["findings"] == []
    assert report["errors"] == [{
        "path": "page.md", "line": 3, "level": "warning",
        "message": "unused suppression: claimlint-disable-next-line CL501 silences nothing",
    }]
    text = cli("check", "--select", "CL501", "page.md")
    assert text.code == 0
    assert text.out == ("page.md:3: warning: unused suppression: claimlint-disable-next-line CL501 silences nothing\n"
                        "No findings in 1 file.\n")


def test_unused_directive_does_not_turn_findings_into_exit_2(cli, write):
    write("page.md", "<!-- claimlint-disable-next-line CL501 -- legacy -->\nWe open at nine.\n\nOur serum cures acne.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 1
    assert [e["level"] for e in report["errors"]] == ["warning"]


def test_unknown_rule_in_a_directive_is_reported(cli, write):
    write("page.md", "<!-- claimlint-disable-next-line CL5O1 -- typo -->\nOur serum cures acne.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 1
    assert active(report) == [("CL501", 2)]
    assert [(e["line"], e["level"], e["message"]) for e in report["errors"]] == [
        (1, "warning", "claimlint-disable-next-line names unknown rule 'CL5O1'")]


def test_directive_naming_no_rule_is_reported(cli, write):
    write("page.md", "<!-- claimlint-disable-next-line -- no rules named -->\nOur serum cures acne.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 1
    assert active(report) == [("CL501", 2)]
    assert [e["level"] for e in report["errors"]] == ["warning"]
    assert "names no rule" in report["errors"][0]["message"]


def test_directives_in_code_are_not_directives(cli, write):
    write("page.md", "```html\n<!-- claimlint-disable-next-line CL501 -- example -->\n```\nOur serum cures acne.\n")
    result, report = check_json(cli, "page.md")
    assert result.code == 1
    assert active(report) == [("CL501", 4)]
    assert report["errors"] == []


def test_suppressed_findings_never_count_towards_the_exit_code(cli, write):
    write("page.md", "<!-- claimlint-disable-file CL501 -- quoting the regulator -->\n\nOur serum cures acne.\n")
    assert cli("check", "--select", "CL501", "--fail-on", "info", "page.md").code == 0
