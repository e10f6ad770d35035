"""Stable fingerprints of findings, for baselines and for SARIF / GitLab reports.

A fingerprint names "this rule, on this text, in this line of this file" and
survives edits elsewhere in the file: it is built from the rule id, the path,
the matched text and the content of the source line(s) the match is on, each
normalised (whitespace collapsed, case folded), and never from line numbers,
columns or offsets. Two identical matches on identical lines of one file share
a fingerprint; callers that need to tell them apart count occurrences.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from typing import Iterable, Mapping, Sequence

from .models import Finding

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Whitespace runs -> one space, trimmed, case folded."""
    return _SPACE.sub(" ", text).strip().casefold()


def normalise_path(path: str) -> str:
    """The path with ``/`` separators and no ``./`` or ``a/../`` parts."""
    if path.startswith("<") and path.endswith(">"):  # <stdin>, <text>
        return path
    return posixpath.normpath(path.replace("\\", "/"))


def source_lines(text: str, offset: int, end_offset: int) -> str:
    """The whole line(s) of ``text`` that [offset, end_offset) is on."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", max(offset, end_offset - 1))
    return text[start:] if end < 0 else text[start:end]


def finding_fingerprint(finding: Finding, source_line: str) -> str:
    """A hex SHA-256 of rule id, path, matched text and source line content (no positions)."""
    parts = (finding.rule, normalise_path(finding.path), normalise_text(finding.text), normalise_text(source_line))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def source_texts(paths: Iterable[str], known: Mapping[str, str] | None = None,
                 encoding: str | None = None) -> dict[str, str]:
    """path -> the file's text as the linter read it: ``known`` texts first (standard
    input), then each other path read from disk; files that cannot be read are left out."""
    from .files import InputError, read_file

    texts = dict(known or {})
    for path in dict.fromkeys(paths):
        if path not in texts:
            try:
                texts[path] = read_file(path, encoding)
            except InputError:
                pass
    return texts


def numbered_fingerprints(findings: Sequence[Finding], sources: Mapping[str, str]) -> list[str]:
    """``"<finding_fingerprint>:<n>"`` for each finding, in the order given.

    ``n`` tells identical matches on identical lines of one file apart: 1 for the
    first in the file (by offset), 2 for the next, and so on, so every finding of
    a report gets a distinct value that still ignores line numbers. Pass all the
    findings (suppressed ones too), so the numbers do not depend on what is shown.
    A file missing from ``sources`` counts as having empty lines.
    """
    plain = []
    for finding in findings:
        text = sources.get(finding.path)
        line = source_lines(text, finding.offset, finding.end_offset) if text is not None else ""
        plain.append(finding_fingerprint(finding, line))
    order = sorted(range(len(findings)), key=lambda i: (findings[i].offset, findings[i].end_offset, i))
    seen: dict[tuple[str, str], int] = {}
    numbered = [""] * len(findings)
    for i in order:
        key = (normalise_path(findings[i].path), plain[i])
        seen[key] = seen.get(key, 0) + 1
        numbered[i] = f"{plain[i]}:{seen[key]}"
    return numbered
