"""``--format gitlab``: GitLab Code Quality report (a JSON array), for merge-request widgets.

One issue per active (not suppressed) finding::

    {"type": "issue", "description": MESSAGE, "check_name": "CL501",
     "fingerprint": MD5, "severity": "major",
     "location": {"path": PATH, "lines": {"begin": LINE, "end": END_LINE}}}

Severity: error -> ``major``, warning -> ``minor``, info -> ``info`` (``critical``
and ``blocker`` are not used: claimlint reports copy, not outages). The
fingerprint is the MD5 hex digest of the finding's ``claimlint.fingerprint``
value (rule, path, normalised text and line content, numbered ``:n`` for
identical matches on identical lines), so an issue keeps its identity when
lines are added elsewhere and GitLab can tell new issues from fixed ones.
Paths use forward slashes without a leading ``./``. ``report.errors`` are not
part of a Code Quality report and are left out (the exit code still shows them).

Options: ``sources`` (path -> text already read) and ``encoding`` for the
files read from disk to fingerprint the findings.
"""

from __future__ import annotations

import hashlib
import json
from typing import Mapping

from ..fingerprint import normalise_path, numbered_fingerprints, source_texts
from ..models import Report

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(report: Report, *, sources: Mapping[str, str] | None = None, encoding: str | None = None,
           **_options: object) -> str:
    texts = source_texts((f.path for f in report.findings), sources, encoding)
    prints = numbered_fingerprints(report.findings, texts)
    issues = []
    for f, fp in zip(report.findings, prints):
        if f.suppressed is not None:
            continue
        issues.append({
            "type": "issue",
            "description": f.message,
            "check_name": f.rule,
            "fingerprint": hashlib.md5(fp.encode("utf-8"), usedforsecurity=False).hexdigest(),
            "severity": SEVERITIES[f.severity],
            "location": {"path": normalise_path(f.path), "lines": {"begin": f.line, "end": f.end_line}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
