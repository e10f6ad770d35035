"""Assemble a document's blocks into one analysis string with a map back to the file.

Each block's prose is normalised for matching (whitespace runs collapsed, curly
quotes and dashes folded, invisible characters dropped) and the blocks are
joined with a blank line so no sentence can cross a block. For every character
of the analysis string we keep the [start, end) span of the original file it
came from, so any span found by matching maps back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Block, Document
from ..nlp import BLOCK_SEPARATOR

#: One-for-one replacements applied before matching.
FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\r": " ", "\n": " ", "\f": " ", "\v": " ",
})
#: Characters that are dropped: they only hide words from matching.
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e")


@dataclass
class Prose:
    """The analysis string of a document and its map back to the original text."""

    text: str
    starts: list[int]
    ends: list[int]
    #: (start, end, kind) of each block in ``text``.
    blocks: list[tuple[int, int, str]]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        end = max(end, start + 1)
        return self.starts[start], self.ends[end - 1]


def _append_block(block: Block, parts: list[str], starts: list[int], ends: list[int]) -> None:
    text = block.text.translate(FOLD)
    b_starts, b_ends = block.starts, block.ends
    last_space = True
    for i, ch in enumerate(text):
        if ch in INVISIBLE:
            continue
        if ch == " " or ch.isspace():
            if last_space:
                continue
            ch = " "
            last_space = True
        else:
            last_space = False
        parts.append(ch)
        starts.append(b_starts[i])
        ends.append(b_ends[i])
    while parts and parts[-1] == " ":
        parts.pop()
        starts.pop()
        ends.pop()


def assemble(document: Document) -> Prose:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    blocks: list[tuple[int, int, str]] = []
    for block in document.blocks:
        begin = len(parts)
        _append_block(block, parts, starts, ends)
        if len(parts) == begin:
            continue
        blocks.append((begin, len(parts), block.kind))
        after = ends[-1]
        for ch in BLOCK_SEPARATOR:
            parts.append(ch)
            starts.append(after)
            ends.append(after)
    return Prose("".join(parts), starts, ends, blocks)
