"""``--format sarif``: SARIF 2.1.0, for code scanning (GitHub, Azure DevOps) and SARIF viewers.

One run. ``tool.driver.rules`` describes each rule that produced a result, in id
order (``ruleIndex`` points into it); every finding is a result, and a
suppressed finding carries ``suppressions`` (``inSource`` for a directive in the
file, ``external`` for a baseline) instead of being left out. Columns count
Unicode code points (``run.columnKind``), ``endColumn`` is exclusive, and
``charOffset``/``charLength`` are in characters of the file as read.
``partialFingerprints["claimlint/v1"]`` is ``claimlint.fingerprint``'s
fingerprint with ``:n`` numbering identical matches on identical lines (no line
numbers, so it survives edits elsewhere). ``report.errors`` become
``invocations[0].toolExecutionNotifications``; ``executionSuccessful`` is false
when one of them is an error.

Options:
    rules: rule id -> ``Rule`` (the engine's pack) for full descriptions and help
        (what / why / example / instead / references). Without it, or for an id
        it lacks, a minimal entry is built from the findings.
    sources: path -> text already read (standard input); other files are read
        from disk (``encoding``) for fingerprints and the line shown as context.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import quote

from ..fingerprint import normalise_path, numbered_fingerprints, source_lines, source_texts
from ..models import Diagnostic, Finding, Report

if TYPE_CHECKING:
    from ..rule_model import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "claimlint/v1"
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def artifact_uri(path: str) -> str:
    """A URI reference for a report path: relative paths stay relative (forward slashes,
    percent-encoded), absolute ones become ``file://`` URIs."""
    path = path.replace("\\", "/")
    if re.match(r"^[A-Za-z]:/", path):  # a Windows drive
        return "file:///" + quote(path, safe="/:")
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(normalise_path(path), safe="/")


def _para(text: str) -> str:
    return " ".join(text.split())


def _fenced(text: str) -> str:
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}\n{text}\n{fence}"


def _rule_entry(rule_id: str, rule: Rule | None, findings: list[Finding]) -> dict[str, Any]:
    first = findings[0]
    url = next((f.url for f in findings if f.url), None)
    if rule is None:
        entry: dict[str, Any] = {
            "id": rule_id,
            "name": first.name,
            "defaultConfiguration": {"level": LEVELS[first.severity]},
            "properties": {"category": first.category, "tags": [first.category]},
        }
        if url:
            entry["helpUri"] = url
        return entry
    docs = rule.docs
    what, why, instead, example = _para(docs.what), _para(docs.why), _para(docs.instead), docs.example.strip()
    refs = list(rule.references)
    text = f"{what}\n\nWhy it matters: {why}\n\nExample: {example}\n\nUse instead: {instead}"
    if refs:
        text += "\n\nReferences:\n" + "\n".join(f"- {r}" for r in refs)
    markdown = (f"**What it does**\n\n{what}\n\n**Why it matters**\n\n{why}\n\n**Example**\n\n{_fenced(example)}\n\n"
                f"**Use instead**\n\n{instead}")
    if refs:
        markdown += "\n\n**References**\n\n" + "\n".join(f"- <{r}>" for r in refs)
    configuration: dict[str, Any] = {"level": LEVELS[rule.severity]}
    if not rule.default_enabled:
        configuration["enabled"] = False
    entry = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _para(rule.summary)},
        "fullDescription": {"text": what},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": configuration,
        "properties": {"category": rule.category, "tags": [rule.category]},
    }
    if url:
        entry["helpUri"] = url
    return entry


def _region(f: Finding) -> dict[str, Any]:
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
        "charOffset": f.offset,
        "charLength": f.end_offset - f.offset,
        "snippet": {"text": f.text},
    }


def _physical(f: Finding, source: str | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(f.path)}, "region": _region(f)}
    if source is not None and source[f.offset : f.end_offset] == f.text:
        lines = source_lines(source, f.offset, f.end_offset)
        if lines != f.text:  # a context region must be larger than the region itself
            physical["contextRegion"] = {
                "startLine": f.line,
                "endLine": f.line + lines.count("\n"),
                "snippet": {"text": lines},
            }
    return physical


def _result(f: Finding, index: int, fingerprint: str, source: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _physical(f, source)}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if f.suppressed is not None:
        s = f.suppressed
        suppression: dict[str, Any] = {"kind": "inSource" if s.kind == "inline" else "external",
                                       "justification": s.reason}
        if s.kind == "inline" and s.line >= 1:
            suppression["location"] = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(f.path)},
                                                            "region": {"startLine": s.line}}}
        result["suppressions"] = [suppression]
    properties = {k: v for k, v in (("category", f.category), ("suggestion", f.suggestion)) if v}
    result["properties"] = properties
    return result


def _notification(d: Diagnostic) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(d.path)}}
    if d.line:
        physical["region"] = {"startLine": d.line}
    return {"level": d.level, "message": {"text": d.message}, "locations": [{"physicalLocation": physical}]}


def build(report: Report, *, rules: Mapping[str, Rule] | None = None, sources: Mapping[str, str] | None = None,
          encoding: str | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it)."""
    rules = rules or {}
    texts = source_texts((f.path for f in report.findings), sources, encoding)
    prints = numbered_fingerprints(report.findings, texts)
    by_rule: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    ids = sorted(by_rule)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    driver: dict[str, Any] = {"name": report.tool.name, "version": report.tool.version}
    if _SEMVER.match(report.tool.version):
        driver["semanticVersion"] = report.tool.version
    driver["rules"] = [_rule_entry(i, rules.get(i), by_rule[i]) for i in ids]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [{
            "executionSuccessful": not any(e.level == "error" for e in report.errors),
            "toolExecutionNotifications": [_notification(e) for e in report.errors],
        }],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule], fp, texts.get(f.path)) for f, fp in zip(report.findings, prints)],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, *, rules: Mapping[str, Rule] | None = None, sources: Mapping[str, str] | None = None,
           encoding: str | None = None, **_options: object) -> str:
    return json.dumps(build(report, rules=rules, sources=sources, encoding=encoding), indent=2,
                      ensure_ascii=False) + "\n"
