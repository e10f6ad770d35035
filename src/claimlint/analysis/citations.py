"""Citation markers and the document's own reference list.

A marker is something in a sentence that points at a source: an author-year
citation, a numbered reference, a footnote, a DOI or PMID, a link to a study.
Author-year and numbered markers can be checked against the document's
reference list (a "References"/"Sources" section) and an optional bibliography.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AUTHOR = r"[A-Z][A-Za-z\u00C0-\u024F'\-]+"
AUTHOR_YEAR = re.compile(
    rf"\(\s*(?:see\s+)?({AUTHOR})(?:\s+(?:et\.?\s*al\.?|and\s+{AUTHOR}|&\s*{AUTHOR}))?,?\s+((?:19|20)\d\d)[a-z]?"
    rf"(?:\s*[;,]\s*[^()]{{0,120}})?\)"
)
NARRATIVE = re.compile(rf"\b({AUTHOR})\s+(?:et\.?\s*al\.?|and\s+{AUTHOR})\s*\(((?:19|20)\d\d)[a-z]?\)")
NUMBERED = re.compile(r"\[(\d{1,3}(?:\s*[-,]\s*\d{1,3})*)\]")
REFERENCES_HEADING = re.compile(
    r"^\s*(?:references?|sources?|bibliography|works cited|citations|literature cited|"
    r"scientific references|studies cited|further reading)\s*:?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Marker:
    kind: str  # "author-year" | "numbered"
    start: int
    end: int
    author: str = ""
    year: str = ""
    numbers: tuple[int, ...] = ()


def find_markers(text: str) -> list[Marker]:
    markers = [
        Marker("author-year", m.start(), m.end(), m.group(1), m.group(2))
        for regex in (AUTHOR_YEAR, NARRATIVE)
        for m in regex.finditer(text)
    ]
    for m in NUMBERED.finditer(text):
        markers.append(Marker("numbered", m.start(), m.end(), numbers=tuple(_numbers(m.group(1)))))
    markers.sort(key=lambda mk: mk.start)
    return markers


def _numbers(body: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", body):
        if "-" in part:
            lo, _, hi = part.partition("-")
            a, b = int(lo), int(hi)
            out.extend(range(a, b + 1) if 0 < b - a < 50 else (a, b))
        elif part.strip():
            out.append(int(part))
    return out


@dataclass
class ReferenceList:
    """Entries of the document's reference section (and any bibliography given)."""

    entries: list[str]
    #: Block indices (into the prose blocks) that belong to the reference section.
    blocks: set[int]

    def resolves(self, marker: Marker, bibliography: list[str] = ()) -> bool:
        entries = list(self.entries) + list(bibliography)
        if marker.kind == "numbered":
            return bool(self.entries) and all(0 < n <= max(len(self.entries), _max_label(self.entries)) for n in marker.numbers)
        surname = marker.author.lower()
        return any(surname in e.lower() and marker.year in e for e in entries)


def _max_label(entries: list[str]) -> int:
    best = 0
    for entry in entries:
        m = re.match(r"\s*\[?(\d{1,3})[\].)]", entry)
        if m:
            best = max(best, int(m.group(1)))
    return best


def find_reference_list(block_texts: list[tuple[str, str]]) -> ReferenceList:
    """Blocks after the last heading-like "References" block, up to the next heading."""
    start = None
    for i, (text, _kind) in enumerate(block_texts):
        if REFERENCES_HEADING.match(text):
            start = i
    if start is None:
        return ReferenceList([], set())
    entries: list[str] = []
    blocks = {start}
    for j in range(start + 1, len(block_texts)):
        text, kind = block_texts[j]
        if kind == "heading" and not re.search(r"(?:19|20)\d\d", text):
            break
        blocks.add(j)
        entries.extend(line for line in re.split(r"\s*\n\s*|(?<=\.)\s+(?=\[?\d{1,3}[\].)]\s)", text) if line.strip())
    return ReferenceList(entries, blocks)
