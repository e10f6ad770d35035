"""Configuration: ``[tool.claimlint]`` in pyproject.toml or ``.claimlint.toml``, found
upward from the linted file; every key honoured; mistakes are ``path:line: ...`` and exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import WONDER_RULE

CURE_MD = "# Acne care\n\nOur serum cures acne.\n"
EVIDENCE_MD = "# Joint care\n\nTurmeric has been shown to ease joint pain.\n"  # CL101 (warning), CL201 ...



def pyproject(body: str) -> str:
    return f'[project]\nname = "shop"\nversion = "1.0"\n\n[tool.claimlint]\n{body}'


def error_line(result) -> re.Match:
    """The ``claimlint: error: path:line: message`` line of stderr."""
    m = re.search(r"^claimlint: error: (?P<path>.+?)(?::(?P<line>\d+))?: (?P<message>.+)$", result.err, re.M)
    assert m, result.err
    return m


# -- discovery ----------------------------------------------------------------------------------


def test_pyproject_found_upward_from_the_linted_file(cli, write):
    write("project/pyproject.toml", pyproject('select = ["CL501"]\n'))
    write("project/docs/guides/page.md", CURE_MD)
    result = cli("check", "project/docs/guides/page.md")
    assert result.rules() == ["CL501"]


def test_claimlint_toml_found_upward_from_the_linted_file(cli, write):
    write("project/.claimlint.toml", 'select = ["CL501"]\n')
    write("project/docs/page.md", CURE_MD)
    assert cli("check", "project/docs/page.md").rules() == ["CL501"]


def test_config_is_found_from_the_file_not_the_working_directory(cli, write, monkeypatch):
    write("project/.claimlint.toml", 'select = ["CL501"]\n')
    write("project/page.md", CURE_MD)
    write("elsewhere/.claimlint.toml", 'select = ["CL201"]\n')
    monkeypatch.chdir("elsewhere")
    assert cli("check", "../project/page.md").rules() == ["CL501"]


def test_claimlint_toml_wins_over_pyproject_in_the_same_folder(cli, write):
    write("project/pyproject.toml", pyproject('select = ["CL201"]\n'))
    write("project/.claimlint.toml", 'select = ["CL501"]\n')
    write("project/page.md", CURE_MD)
    assert cli("check", "project/page.md").rules() == ["CL501"]


def test_nearest_config_wins(cli, write):
    write("project/pyproject.toml", pyproject('select = ["CL201"]\n'))
    write("project/docs/.claimlint.toml", 'select = ["CL501"]\n')
    write("project/docs/page.md", CURE_MD)
    write("project/page.md", CURE_MD)
    assert cli("check", "project/docs/page.md").rules() == ["CL501"]
    assert cli("check", "project/page.md").rules() == ["CL201"]


def test_pyproject_without_a_claimlint_table_is_passed_over(cli, write):
    write("project/.claimlint.toml", 'select = ["CL501"]\n')
    write("project/docs/pyproject.toml", '[project]\nname = "docs"\n\n[tool.ruff]\nselect = ["E"]\n')
    write("project/docs/page.md", CURE_MD)
    assert cli("check", "project/docs/page.md").rules() == ["CL501"]


def test_claimlint_toml_may_use_a_tool_claimlint_table(cli, write):
    write(".claimlint.toml", '[tool.claimlint]\nselect = ["CL501"]\n')
    write("page.md", CURE_MD)
    assert cli("check", "page.md").rules() == ["CL501"]


def test_explicit_config_option(cli, write):
    write("configs/strict.toml", 'select = ["CL501"]\n')
    write(".claimlint.toml", 'select = ["CL201"]\n')
    write("page.md", CURE_MD)
    assert cli("check", "--config", "configs/strict.toml", "page.md").rules() == ["CL501"]


def test_stdin_filename_locates_the_config(cli, write, monkeypatch):
    import io
    import types

    write("project/.claimlint.toml", 'select = ["CL501"]\n')
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(CURE_MD.encode())))
    assert cli("check", "-", "--stdin-filename", "project/page.md").rules() == ["CL501"]


# -- every key honoured ---------------------------------------------------------------------------


def test_ignore_by_category(cli, write):
    write("pyproject.toml", pyproject('ignore = ["absolute-claim"]\n'))
    write("page.md", CURE_MD)
    rules = cli("check", "page.md").rules()
    assert "CL501" not in rules and "CL201" in rules


def test_severity_override(cli, write):
    write("pyproject.toml", pyproject('select = ["CL501"]\nseverity = { cure-claim = "info" }\n'))
    write("page.md", CURE_MD)
    result = cli("check", "--format", "json", "page.md")
    assert result.code == 0  # info is below the default fail-on (warning)
    assert [(f["rule"], f["severity"]) for f in result.json()["findings"]] == [("CL501", "info")]


def test_severity_table(cli, write):
    write(".claimlint.toml", 'select = ["CL501"]\n\n[severity]\nabsolute-claim = "warning"\n')
    write("page.md", CURE_MD)
    report = cli("check", "--format", "json", "page.md").json()
    assert [f["severity"] for f in report["findings"]] == ["warning"]


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on(cli, write, fail_on, code):
    write("pyproject.toml", pyproject(f'select = ["CL101"]\nfail-on = "{fail_on}"\n'))
    write("page.md", EVIDENCE_MD)
    result = cli("check", "page.md")
    assert result.rules() == ["CL101"]
    assert result.code == code


def test_command_line_overrides_the_config(cli, write):
    write("pyproject.toml", pyproject('select = ["CL101"]\nfail-on = "error"\n'))
    write("page.md", EVIDENCE_MD)
    assert cli("check", "page.md").code == 0
    assert cli("check", "--fail-on", "warning", "page.md").code == 1
    assert cli("check", "--select", "CL201", "page.md").rules() == ["CL201"]


def test_extend_select_enables_an_opt_in_rule(cli, write):
    write("page.md", CURE_MD)
    assert "CL402" not in cli("check", "page.md").rules()
    write("pyproject.toml", pyproject('extend-select = ["CL402"]\n'))
    rules = cli("check", "page.md").rules()
    assert "CL402" in rules and "CL501" in rules


def test_include_and_exclude(cli, write):
    write("pyproject.toml", pyproject('include = ["*.md", "*.rst"]\nexclude = ["drafts"]\n'))
    for rel in ("site/a.md", "site/b.rst", "site/c.html", "site/drafts/d.md"):
        write(rel, "Our serum cures acne.\n")
    result = cli("check", "--select", "CL501", "--no-source", "site")
    assert sorted(f["path"] for f in result.findings()) == ["site/a.md", "site/b.rst"]


def test_profile_key_is_accepted(cli, write):
    write("pyproject.toml", pyproject('profile = "cosmetic"\nselect = ["CL501"]\n'))
    write("page.md", CURE_MD)
    assert cli("check", "page.md").rules() == ["CL501"]


# -- mistakes: exit 2 with path:line ------------------------------------------------------------------


def test_unknown_key_in_pyproject(cli, write):
    write("pyproject.toml", pyproject('select = ["CL501"]\nfail_level = "error"\n'))
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    assert result.out == ""
    m = error_line(result)
    assert Path(m["path"]).name == "pyproject.toml"
    assert m["line"] == "7"
    assert m["message"] == "fail_level: unknown key"


def test_unknown_key_in_claimlint_toml(cli, write):
    write("docs/.claimlint.toml", '# house rules\nselect = ["CL501"]\nrule_dir = "rules"\n')
    write("docs/page.md", CURE_MD)
    result = cli("check", "docs/page.md")
    assert result.code == 2
    m = error_line(result)
    assert (Path(m["path"]).name, m["line"], m["message"]) == (".claimlint.toml", "3", "rule_dir: unknown key")


@pytest.mark.parametrize("body, line", [
    ('select = ["CL501"]\n\nrule_dir = "rules"\n', "3"),
    ('\n\n\nfail-on = "fatal"\n', "4"),
    ('[tool.claimlint]\nselect = ["CL501"]\n\n\nignore = ["CL999"]\n', "5"),
])
def test_error_line_after_blank_lines(cli, write, body, line):
    write(".claimlint.toml", body)
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    assert error_line(result)["line"] == line


def test_unknown_rule_id_in_ignore(cli, write):
    write("pyproject.toml", pyproject('select = ["CL501"]\nignore = ["CL999"]\n'))
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    m = error_line(result)
    assert (Path(m["path"]).name, m["line"]) == ("pyproject.toml", "7")
    assert m["message"] == "ignore: unknown rule id, name or category 'CL999'"


@pytest.mark.parametrize("body, key", [
    ('select = ["no-such-rule"]\n', "select"),
    ('extend-select = ["CL999"]\n', "extend-select"),
    ('severity = { CL999 = "info" }\n', "severity"),
])
def test_unknown_rule_names_are_errors(cli, write, body, key):
    write(".claimlint.toml", body)
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    m = error_line(result)
    assert m["line"] == "1"
    assert m["message"].startswith(f"{key}: unknown rule id, name or category ")


@pytest.mark.parametrize("body, line, message", [
    ('fail-on = "fatal"\n', "1", "fail-on: Input should be 'info', 'warning' or 'error'"),
    ('profile = "food"\n', "1", "profile: Input should be "),
    ('# house rules\nselect = "CL501"\n', "2", "select: Input should be a valid list"),
    ('severity = { CL501 = "loud" }\n', "1", "severity.CL501: Input should be 'info', 'warning' or 'error'"),
])
def test_bad_values_are_errors(cli, write, body, line, message):
    write(".claimlint.toml", body)
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    m = error_line(result)
    assert m["line"] == line
    assert m["message"].startswith(message)


def test_invalid_toml(cli, write):
    write("pyproject.toml", pyproject("select = [CL501]\n"))
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    m = error_line(result)
    assert (Path(m["path"]).name, m["line"]) == ("pyproject.toml", "6")
    assert m["message"].startswith("invalid TOML: ")


def test_invalid_toml_without_a_line(cli, write):
    write(".claimlint.toml", 'select = ["CL501"\n')
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    assert ".claimlint.toml" in result.err and "invalid TOML: " in result.err
    assert "Traceback" not in result.err


def test_config_errors_also_stop_rules_and_explain(cli, write):
    write(".claimlint.toml", "colour = 'red'\n")
    for command in (["rules"], ["explain", "CL101"]):
        result = cli(*command)
        assert result.code == 2
        assert "colour: unknown key" in result.err


@pytest.mark.parametrize("body, line", [
    ('[tool.ruff]\nselect = ["E"]\nignore = ["E501"]\n\n[tool.claimlint]\nselect = "CL501"\n', "6"),
    ('[tool.ruff.lint]\nignore = ["E501"]\n\n[tool.claimlint]\nignore = ["CL999"]\n', "5"),
    ('[tool.ruff]\nline-length = 100\n\n[tool.claimlint]\nline-length = 88\n', "5"),
])
def test_error_line_is_inside_the_claimlint_table(cli, write, body, line):
    write("pyproject.toml", body)
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    assert error_line(result)["line"] == line


def test_error_line_inside_a_severity_table(cli, write):
    write("pyproject.toml", '[tool.claimlint]\nselect = ["CL501"]\n\n[tool.claimlint.severity]\nCL999 = "info"\n')
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    assert error_line(result)["line"] == "5"


# -- rule-dirs: an organisation's own rule pack --------------------------------------------------------


def test_rule_dirs_load_an_organisations_own_pack(cli, write, monkeypatch):
    write("org/claimlint-rules/house-style/XY901-wonder-cream.yaml", WONDER_RULE)
    write("org/pyproject.toml", pyproject('rule-dirs = ["claimlint-rules"]\n'))
    write("org/site/shop.md", "# Shop\n\nTry our wonder cream today.\n")
    write("elsewhere/readme.txt", "")
    monkeypatch.chdir("elsewhere")  # rule-dirs are relative to the config file, not the working directory
    result = cli("check", "../org/site/shop.md")
    assert result.code == 1
    [finding] = [f for f in result.findings() if f["rule"] == "XY901"]
    assert (finding["line"], finding["col"], finding["category"]) == ("3", "9", "house-style")
    assert finding["message"] == '"wonder cream" is banned house wording: describe what the cream does.'
    assert "  = use instead: Describe what the cream does" in result.out


def test_rule_dirs_rules_are_listed_explained_and_selectable(cli, write):
    write("claimlint-rules/XY901-wonder-cream.yaml", WONDER_RULE)
    write(".claimlint.toml", 'rule-dirs = ["claimlint-rules"]\n')
    write("shop.md", "Try our wonder cream today. Our serum cures acne.\n")
    assert re.search(r"^XY901\s+wonder-cream\s+house-style\s+error\s", cli("rules").out, re.M)
    assert cli("explain", "XY901").out.startswith("XY901 wonder-cream [house-style, error]\n")
    assert cli("check", "--select", "house-style", "shop.md").rules() == ["XY901"]
    assert cli("test-rules", "claimlint-rules").code == 0


def test_rules_dir_option(cli, write):
    write("house/XY901-wonder-cream.yaml", WONDER_RULE)
    write("shop.md", "Try our wonder cream today.\n")
    result = cli("check", "--rules-dir", "house", "--select", "XY901", "shop.md")
    assert result.rules() == ["XY901"]


def test_missing_rule_dir_is_an_error(cli, write):
    write(".claimlint.toml", 'rule-dirs = ["no-such-folder"]\n')
    write("page.md", CURE_MD)
    result = cli("check", "page.md")
    assert result.code == 2
    assert "no-such-folder: rule directory does not exist" in result.err
