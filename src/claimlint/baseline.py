"""Baselines: adopt claimlint on an existing site by recording today's findings.

    claimlint check --write-baseline claimlint-baseline.json site/
    claimlint check --baseline claimlint-baseline.json site/

A baseline maps each file to the fingerprints of its active findings (see
``claimlint.fingerprint``: rule id, path, matched text and source line content,
never line numbers, so the entries survive edits elsewhere in the file), with a
count when one fingerprint occurs several times in a file. Applying it marks up
to that many matching findings ``suppressed: {kind: "baseline", line: 0,
reason: "in baseline"}``: they stay in the JSON report but are not counted and
do not fail the run; anything beyond the recorded count is new and reported.

The file is JSON, sorted for reviewable diffs::

    {"version": 1, "tool": "claimlint",
     "files": {"docs/a.md": [{"fingerprint": "<sha256>", "rule": "CL501", "text": "cures", "count": 2}]}}

``build``, ``parse``, ``dumps`` and ``apply`` are pure; ``load`` and ``write``
do the file I/O (``write`` atomically: a temporary file in the same folder,
then ``os.replace``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .fingerprint import finding_fingerprint, normalise_path, source_lines
from .models import Finding, Report, Suppression

VERSION = 1
SUPPRESSION = Suppression(kind="baseline", line=0, reason="in baseline")


class BaselineError(Exception):
    """A baseline file cannot be read, parsed or written; the message says why."""


@dataclass
class Entry:
    fingerprint: str
    rule: str
    text: str
    count: int = 1


@dataclass
class Baseline:
    #: normalised path -> entries, one per distinct fingerprint
    files: dict[str, list[Entry]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many findings the baseline covers."""
        return sum(e.count for entries in self.files.values() for e in entries)

    def counts(self) -> dict[str, Counter[str]]:
        return {path: Counter({e.fingerprint: e.count for e in entries}) for path, entries in self.files.items()}


def fingerprint(finding: Finding, sources: dict[str, str]) -> str:
    """The finding's fingerprint, with its source line(s) taken from ``sources`` (empty if missing)."""
    text = sources.get(finding.path)
    line = source_lines(text, finding.offset, finding.end_offset) if text is not None else ""
    return finding_fingerprint(finding, line)


def build(report: Report, sources: dict[str, str]) -> Baseline:
    """A baseline of the report's active findings. ``sources``: path -> the text that was linted."""
    files: dict[str, dict[str, Entry]] = {}
    for finding in report.active_findings:
        fp = fingerprint(finding, sources)
        entries = files.setdefault(normalise_path(finding.path), {})
        if fp in entries:
            entries[fp].count += 1
        else:
            entries[fp] = Entry(fp, finding.rule, " ".join(finding.text.split()))
    return Baseline({path: sorted(entries.values(), key=lambda e: (e.rule, e.text, e.fingerprint))
                     for path, entries in sorted(files.items())})


def apply(report: Report, baseline: Baseline, sources: dict[str, str]) -> Report:
    """A copy of ``report`` with the findings the baseline covers marked suppressed (kind "baseline")."""
    remaining = baseline.counts()
    findings: list[Finding] = []
    for finding in report.findings:
        if finding.suppressed is None:
            left = remaining.get(normalise_path(finding.path))
            fp = fingerprint(finding, sources) if left else None
            if left and left[fp] > 0:
                left[fp] -= 1
                finding = finding.model_copy(update={"suppressed": SUPPRESSION})
        findings.append(finding)
    out = report.model_copy(deep=True)
    out.findings = findings
    return out.summarise()


def baselined(report: Report) -> int:
    """How many of the report's findings a baseline suppressed."""
    return sum(1 for f in report.findings if f.suppressed is not None and f.suppressed.kind == "baseline")


def to_json(baseline: Baseline) -> dict:
    return {
        "version": VERSION,
        "tool": "claimlint",
        "files": {path: [{"fingerprint": e.fingerprint, "rule": e.rule, "text": e.text, "count": e.count}
                         for e in entries]
                  for path, entries in baseline.files.items()},
    }


def dumps(baseline: Baseline) -> str:
    return json.dumps(to_json(baseline), indent=2, ensure_ascii=False) + "\n"


def parse(text: str, name: str = "baseline") -> Baseline:
    """A baseline from its JSON text; ``BaselineError`` naming the problem if it is malformed."""

    def bad(where: str, what: str) -> BaselineError:
        return BaselineError(f"{name}: malformed baseline: {where}{what} "
                             "(regenerate it with 'claimlint check --write-baseline FILE PATHS')")

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad("", f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise bad("", "not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise bad("", "expected a JSON object")
    if data.get("version") != VERSION:
        raise bad("version: ", f"expected {VERSION}, got {data.get('version')!r}")
    files = data.get("files")
    if not isinstance(files, dict):
        raise bad("files: ", "expected an object mapping paths to lists of entries")
    out: dict[str, list[Entry]] = {}
    for path, entries in files.items():
        if not isinstance(entries, list):
            raise bad(f"files[{path!r}]: ", "expected a list of entries")
        seen: dict[str, Entry] = {}
        for i, item in enumerate(entries):
            where = f"files[{path!r}][{i}]"
            if not isinstance(item, dict):
                raise bad(f"{where}: ", "expected an object")
            fp, count = item.get("fingerprint"), item.get("count", 1)
            if not isinstance(fp, str) or not fp:
                raise bad(f"{where}.fingerprint: ", "expected a non-empty string")
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise bad(f"{where}.count: ", f"expected a positive integer, got {count!r}")
            rule, matched = item.get("rule", ""), item.get("text", "")
            if not isinstance(rule, str) or not isinstance(matched, str):
                raise bad(f"{where}: ", "rule and text must be strings")
            if fp in seen:
                seen[fp].count += count
            else:
                seen[fp] = Entry(fp, rule, matched, count)
        out[normalise_path(path)] = list(seen.values())
    return Baseline(out)


def load(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {getattr(exc, 'strerror', None) or exc}") from None
    return parse(text, str(path))


def _mode(path: Path) -> int:
    """The old file's permissions, or what a new file would get (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write(path: Path, baseline: Baseline) -> None:
    """Write the baseline atomically: the old file stays intact if anything fails."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=str(folder), prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.chmod(tmp, _mode(path))
            json.dump(to_json(baseline), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, (OSError, ValueError, TypeError)):
            raise BaselineError(f"{path}: cannot write the baseline: {getattr(exc, 'strerror', None) or exc}") from None
        raise
