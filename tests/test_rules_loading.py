"""Rule files that are wrong stop the run (exit 2) with ``path:line: what is wrong``.

Each test writes an organisation's rule pack into a temporary folder, breaks
one rule file in one way and runs ``claimlint check --rules-dir``. The line
number is asserted wherever the mistake has one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import WONDER_RULE

GOOD = WONDER_RULE
GOOD_PATH = "house/XY901-wonder-cream.yaml"


@pytest.fixture
def page(write):
    return write("shop.md", "# Shop\n\nTry our wonder cream today.\n")


def run(cli, *extra: str):
    return cli("check", "--rules-dir", "house", *extra, "shop.md")


def rule_error(result) -> tuple[str, str | None, str]:
    """(file name, line or None, message) of ``claimlint: error: path[:line]: message``."""
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    m = re.fullmatch(r"claimlint: error: (?P<path>.+?\.ya?ml)(?::(?P<line>\d+))?: (?P<message>.+)\n", result.err)
    assert m, result.err
    return Path(m["path"]).name, m["line"], m["message"]


def break_line(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_the_good_rule_loads_and_fires(cli, write, page):
    write(GOOD_PATH, GOOD)
    result = run(cli)
    assert result.code == 1
    assert "shop.md:3:9: XY901 [house-style] \"wonder cream\" is banned house wording" in result.out


def test_bad_indentation(cli, write, page):
    write(GOOD_PATH, break_line("severity: error\n", "  severity: error\n"))
    name, line, message = rule_error(run(cli))
    assert (name, line) == ("XY901-wonder-cream.yaml", "4")
    assert message.startswith("invalid YAML: ")


def test_unclosed_bracket(cli, write, page):
    write(GOOD_PATH, break_line("phrases: [wonder cream]\n", "phrases: [wonder cream\n"))
    name, line, message = rule_error(run(cli))
    assert name == "XY901-wonder-cream.yaml"
    assert line is not None and int(line) >= 16
    assert message.startswith("invalid YAML: ")


def test_duplicate_key(cli, write, page):
    write(GOOD_PATH, break_line("category: house-style\n", "category: house-style\ncategory: legal\n"))
    name, line, message = rule_error(run(cli))
    assert (name, line) == ("XY901-wonder-cream.yaml", "4")
    assert 'duplicate key "category"' in message


@pytest.mark.parametrize("old, new, line, message", [
    ("severity: error\n", "severity: error\ncolour: red\n", "5", "colour: unknown key"),
    ("  phrases: [wonder cream]\n", "  phrases: [wonder cream]\n  phrase: [wonder]\n", "17", "check.phrase: unknown key"),
    ("  why: Our", "  reason: Short.\n  why: Our", "9", "docs.reason: unknown key"),
    ("      flags: [wonder cream]\n", "      flags: [wonder cream]\n      line: [1]\n", "21", "examples.fail.0.line: unknown key"),
])
def test_unknown_key(cli, write, page, old, new, line, message):
    write(GOOD_PATH, break_line(old, new))
    assert rule_error(run(cli)) == ("XY901-wonder-cream.yaml", line, message)


@pytest.mark.parametrize("old, new, line, message", [
    ("summary: The house ban on \"wonder cream\"\n", "", "1", "summary: Field required"),
    ("references:\n  - https://example.org/house-style\n", "", "1", "references: Field required"),
    ("  instead: Describe what the cream does, e.g. \"a rich moisturiser for dry skin\".\n", "", "7",
     "docs.instead: Field required"),
    ("      flags: [wonder cream]\n", "", "19", "examples.fail.0.flags: Field required"),
    ("  pass:\n    - Try our moisturiser today.\n", "", "17", "examples.pass: Field required"),
])
def test_missing_required_field(cli, write, page, old, new, line, message):
    write(GOOD_PATH, break_line(old, new))
    assert rule_error(run(cli)) == ("XY901-wonder-cream.yaml", line, message)


@pytest.mark.parametrize("old, new, line, message", [
    ("severity: error\n", "severity: fatal\n", "4", "severity: Input should be 'info', 'warning' or 'error'"),
    ("id: XY901\n", "id: xy-901\n", "1", "id: String should match pattern"),
    ("  type: existence\n", "  type: magic\n", "14", "check: Input tag 'magic' found using 'type'"),
    ("  why: Our legal team has banned this phrase after a complaint.\n", "  why: Bad.\n", "9",
     "docs.why: String should have at least 10 characters"),
    ("  phrases: [wonder cream]\n", "  blocks: [paragraph]\n", "14", "check: an existence check needs at least one of"),
])
def test_bad_value(cli, write, page, old, new, line, message):
    write(GOOD_PATH, break_line(old, new))
    name, got_line, got_message = rule_error(run(cli))
    assert (name, got_line) == ("XY901-wonder-cream.yaml", line)
    assert got_message.startswith(message)


BAD_REGEX = break_line("  phrases: [wonder cream]\n", "  regex:\n    - 'wonder\\s+cream'\n    - 'miracle (balm'\n")
BAD_CUE_REGEX = "cues:\n  wonder_words:\n    phrases: [wonder]\n    regex:\n      - 'wonder\\s+cream'\n      - 'miracle (balm'\n"


def test_bad_regex(cli, write, page):
    write(GOOD_PATH, BAD_REGEX)
    name, line, message = rule_error(run(cli))
    assert name == "XY901-wonder-cream.yaml"
    assert 16 <= int(line) <= 18  # the regex list (the exact line is checked below)
    assert message.startswith("check.regex.1: invalid regex 'miracle (balm': missing ), unterminated subpattern")


def test_bad_regex_in_a_shared_cue_file(cli, write, page):
    write(GOOD_PATH, GOOD)
    write("house/_shared/cues.yaml", BAD_CUE_REGEX)
    name, line, message = rule_error(run(cli))
    assert name == "cues.yaml"
    assert 4 <= int(line) <= 6
    assert message.startswith("cues.wonder_words.regex.1: invalid regex 'miracle (balm'")


def test_bad_regex_line_is_the_line_of_the_pattern(cli, write, page):
    write(GOOD_PATH, BAD_REGEX)
    assert rule_error(run(cli))[1] == "18"


def test_bad_cue_regex_line_is_the_line_of_the_pattern(cli, write, page):
    write(GOOD_PATH, GOOD)
    write("house/_shared/cues.yaml", BAD_CUE_REGEX)
    assert rule_error(run(cli))[1] == "6"


def test_unknown_cue_name(cli, write, page):
    write(GOOD_PATH, break_line("  phrases: [wonder cream]\n", "  cues: [wonder_words]\n"))
    name, line, message = rule_error(run(cli))
    assert name == "XY901-wonder-cream.yaml"
    assert message.startswith("unknown cue 'wonder_words' (known: ")


def test_unknown_cue_name_in_a_context_condition(cli, write, page):
    write(GOOD_PATH, break_line("  phrases: [wonder cream]\n", "  phrases: [wonder cream]\n  unless:\n    - cue: negaton\n"))
    name, line, message = rule_error(run(cli))
    assert name == "XY901-wonder-cream.yaml"
    assert message.startswith("unknown cue 'negaton' (known: ")
    assert "negation" in message


def test_unknown_cue_name_has_its_line(cli, write, page):
    write(GOOD_PATH, break_line("  phrases: [wonder cream]\n", "  phrases: [wonder cream]\n  unless:\n    - cue: negaton\n"))
    assert rule_error(run(cli))[1] == "18"


def test_a_cue_defined_by_an_extra_pack_can_be_used(cli, write, page):
    write(GOOD_PATH, break_line("  phrases: [wonder cream]\n", "  cues: [wonder_words]\n"))
    write("house/_shared/cues.yaml", "cues:\n  wonder_words:\n    description: House-banned words.\n    phrases: [wonder cream]\n")
    result = run(cli, "--select", "XY901")
    assert result.code == 1
    assert result.rules() == ["XY901"]


@pytest.mark.parametrize("filename", ["XY901-wonder.yaml", "XY901.yaml", "wonder-cream.yaml", "XY902-wonder-cream.yaml"])
def test_file_name_must_be_id_dash_name(cli, write, page, filename):
    write(f"house/{filename}", GOOD)
    name, line, message = rule_error(run(cli))
    assert (name, line) == (filename, "1")
    assert message == "file name must be 'XY901-wonder-cream.yaml' (id-name)"


def test_duplicate_ids_in_one_pack(cli, write, page):
    write(GOOD_PATH, GOOD)
    write("house/more/XY901-wonder-balm.yaml", GOOD.replace("name: wonder-cream", "name: wonder-balm"))
    result = run(cli)
    name, line, message = rule_error(result)
    assert line == "1"
    assert {name, Path(message.rsplit(" ", 1)[-1]).name} == {"XY901-wonder-cream.yaml", "XY901-wonder-balm.yaml"}
    assert message.startswith("rule id 'XY901' is already used by ")


def test_id_already_used_by_the_builtin_pack(cli, write, page):
    write("house/CL501-wonder-cream.yaml", GOOD.replace("id: XY901", "id: CL501"))
    name, line, message = rule_error(run(cli))
    assert (name, line) == ("CL501-wonder-cream.yaml", "1")
    assert message.startswith("rule id 'CL501' is already used by ")
    assert message.endswith("CL501-cure-claim.yaml")


def test_duplicate_names(cli, write, page):
    write(GOOD_PATH, GOOD)
    write("house/XY902-wonder-cream.yaml", GOOD.replace("id: XY901", "id: XY902"))
    name, line, message = rule_error(run(cli))
    assert (name, line) == ("XY902-wonder-cream.yaml", "1")
    assert message == "rule name 'wonder-cream' is already used"


@pytest.mark.parametrize("content, message", [
    ("- just\n- a list\n", "expected a mapping of keys at the top level, got a list"),
    ("", "the file is empty: expected a mapping of keys"),
])
def test_not_a_mapping(cli, write, page, content, message):
    write(GOOD_PATH, content)
    name, line, got = rule_error(run(cli))
    assert (name, line) == ("XY901-wonder-cream.yaml", "1")
    assert got.startswith(message)


def test_rule_file_not_utf8(cli, write, page):
    write(GOOD_PATH, GOOD.encode("utf-8").replace(b"house ban", b"house \xff ban"))
    name, line, message = rule_error(run(cli))
    assert name == "XY901-wonder-cream.yaml"
    assert message.startswith("not valid UTF-8 at byte ")


def test_a_broken_rule_also_stops_rules_explain_and_test_rules(cli, write):
    write(GOOD_PATH, break_line("severity: error\n", "severity: error\ncolour: red\n"))
    write(".claimlint.toml", 'rule-dirs = ["house"]\n')
    for command in (["rules"], ["explain", "XY901"]):
        assert rule_error(cli(*command))[1:] == ("5", "colour: unknown key")
    assert rule_error(cli("test-rules", "house"))[1:] == ("5", "colour: unknown key")
