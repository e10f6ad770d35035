"""Inline suppressions: directives in comments, each naming rules and giving a reason.

    <!-- claimlint-disable-next-line CL201 -- cited in the footnote; legal OK 2026-03 -->
    <!-- claimlint-disable CL101, absolute-claim -- quoted regulator text -->
    ...
    <!-- claimlint-enable CL101, absolute-claim -->
    <!-- claimlint-disable-file CL401 -- risks are on the linked page -->

In plain text the same directive stands alone on a line (optionally after
``#`` or ``//``). Rules are named by id, name or category. A directive with no
reason, naming an unknown rule, or silencing nothing is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document
from .loader import RulePack
from .models import Diagnostic, Finding, Suppression

DIRECTIVE = re.compile(
    r"^\s*claimlint-(?P<kind>disable-next-line|disable-line|disable-file|disable|enable)\b"
    r"(?P<rules>[^\n]*?)(?:\s+--\s*(?P<reason>.*?))?\s*(?:-->)?\s*$",
    re.DOTALL,
)


@dataclass
class Directive:
    kind: str
    keys: list[str]
    reason: str
    line: int
    #: Lines the directive covers, [first, last]; for enable/disable pairs, set once matched.
    first: int = 0
    last: int = 0
    used: bool = False
    rule_ids: set[str] = field(default_factory=set)


def parse_directives(document: Document, pack: RulePack) -> tuple[list[Directive], list[Diagnostic]]:
    directives: list[Directive] = []
    problems: list[Diagnostic] = []
    open_ranges: dict[str, Directive] = {}  # rule id -> the disable range it is in
    last_line = len(document.line_starts)
    for comment in document.comments:
        m = DIRECTIVE.match(comment.text)
        if not m:
            continue
        line, _ = document.line_col(comment.offset)
        end_line, _ = document.line_col(comment.offset + len(comment.text))
        kind = m.group("kind")
        keys = [k for k in re.split(r"[\s,]+", m.group("rules").strip()) if k]
        reason = (m.group("reason") or "").strip()
        directive = Directive(kind, keys, reason, line)

        def warn(message: str) -> None:
            problems.append(Diagnostic(path=document.path, line=line, message=message, level="warning"))

        if not keys:
            warn(f"claimlint-{kind} names no rule: name rule ids, names or categories")
            continue
        for key in keys:
            rules = pack.resolve(key)
            if not rules:
                warn(f"claimlint-{kind} names unknown rule '{key}'")
            directive.rule_ids.update(r.id for r in rules)
        if kind == "enable":
            for rule_id in directive.rule_ids:
                opened = open_ranges.pop(rule_id, None)
                if opened is not None:
                    opened.last = line
            continue
        if not reason:
            warn(f"claimlint-{kind} {' '.join(keys)} gives no reason: add ' -- why this is acceptable'")
            continue
        if kind == "disable-next-line":
            directive.first = directive.last = _next_content_line(document, end_line)
        elif kind == "disable-line":
            directive.first, directive.last = line, end_line
        elif kind == "disable-file":
            directive.first, directive.last = 1, last_line
        else:
            directive.first, directive.last = line, last_line
            for rule_id in directive.rule_ids:
                open_ranges[rule_id] = directive
        directives.append(directive)
    return directives, problems


def _next_content_line(document: Document, after: int) -> int:
    total = len(document.line_starts)
    line = after + 1
    while line <= total and not document.line_text(line).strip():
        line += 1
    return line


def apply_suppressions(document: Document, pack: RulePack, findings: list[Finding],
                       active: set[str] | None = None) -> tuple[list[Finding], list[Diagnostic]]:
    """Mark suppressed findings; report directives that silenced nothing.

    A directive naming only rules that did not run (not selected) is not reported as unused.
    """
    directives, problems = parse_directives(document, pack)
    out: list[Finding] = []
    for finding in findings:
        for d in directives:
            if finding.rule in d.rule_ids and d.first <= finding.line <= d.last:
                d.used = True
                finding = finding.model_copy(update={"suppressed": Suppression(line=d.line, reason=d.reason)})
                break
        out.append(finding)
    for d in directives:
        if not d.used and d.rule_ids and (active is None or d.rule_ids & active):
            problems.append(Diagnostic(
                path=document.path, line=d.line, level="warning",
                message=f"unused suppression: claimlint-{d.kind} {' '.join(d.keys)} silences nothing",
            ))
    return out, problems
