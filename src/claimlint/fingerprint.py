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
