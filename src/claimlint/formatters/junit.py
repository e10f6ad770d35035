"""``--format junit``: JUnit XML, for CI test-report views (GitLab, Jenkins, Azure, CircleCI).

``<testsuites>`` holds one ``<testsuite>`` per file (name = path), in the order
the files were linted, then any other file a finding or error names. In each:

* an active finding is a ``<testcase name="CL501 cure-claim at 3:11">`` with
  ``<failure message=MESSAGE type=RULE_ID>`` whose text is the finding line,
  the matched text, the suggestion and the "use instead" hint;
* a suppressed finding is a test case with ``<skipped message="suppressed: REASON">``;
* an error from ``report.errors`` (the file could not be read) is a test case
  with ``<error>``, and a warning (an unused suppression, a skipped binary
  file) one with ``<skipped>``;
* a linted file with no failure and no error gets one passing test case,
  ``<testcase name="no findings">``.

``tests``, ``failures``, ``errors`` and ``skipped`` are counted on every suite
and on ``<testsuites>``. Test cases carry ``classname`` and ``file`` (the path)
and ``line``. The XML is built with ``xml.etree`` (so it is escaped and
well-formed); characters XML 1.0 cannot hold are replaced by U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..models import Diagnostic, Finding, Report

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _case(suite: ET.Element, name: str, path: str, line: int | None) -> ET.Element:
    attrs = {"name": _x(name), "classname": _x(path), "file": _x(path)}
    if line:
        attrs["line"] = str(line)
    return ET.SubElement(suite, "testcase", attrs)


def _finding_text(f: Finding) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.category}] {f.severity}: {f.message}",
             f"matched text: {' '.join(f.text.split())}"]
    if f.suggestion:
        lines.append(f"suggestion: {f.suggestion}")
    if f.fix_hint:
        lines.append(f"use instead: {' '.join(f.fix_hint.split())}")
    return _x("\n".join(lines))


def _diagnostic_text(d: Diagnostic) -> str:
    where = f"{d.path}:{d.line}" if d.line else d.path
    return _x(f"{where}: {d.level}: {d.message}")


def render(report: Report, **_options: object) -> str:
    linted = list(report.paths) or [f.path for f in report.findings]
    order = list(dict.fromkeys([*report.paths, *(f.path for f in report.findings), *(e.path for e in report.errors)]))
    findings: dict[str, list[Finding]] = {}
    for f in report.findings:
        findings.setdefault(f.path, []).append(f)
    errors: dict[str, list[Diagnostic]] = {}
    for e in report.errors:
        errors.setdefault(e.path, []).append(e)

    root = ET.Element("testsuites", {"name": "claimlint"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for path in order:
        suite = ET.Element("testsuite", {"name": _x(path)})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for f in findings.get(path, []):
            case = _case(suite, f"{f.rule} {f.name} at {f.line}:{f.column}", path, f.line)
            if f.suppressed is None:
                ET.SubElement(case, "failure", {"message": _x(f.message), "type": f.rule}).text = _finding_text(f)
                counts["failures"] += 1
            else:
                ET.SubElement(case, "skipped", {"message": _x(f"suppressed: {f.suppressed.reason}")})
                counts["skipped"] += 1
        for e in errors.get(path, []):
            name = f"{e.level} at line {e.line}" if e.line else e.level
            case = _case(suite, name, path, e.line)
            if e.level == "error":
                ET.SubElement(case, "error", {"message": _x(e.message), "type": "error"}).text = _diagnostic_text(e)
                counts["errors"] += 1
            else:
                ET.SubElement(case, "skipped", {"message": _x(e.message)})
                counts["skipped"] += 1
        if path in linted and not counts["failures"] and not counts["errors"]:
            _case(suite, "no findings", path, None)
        counts["tests"] = len(suite)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
