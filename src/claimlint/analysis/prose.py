"""Assemble a document's blocks into one analysis string with a map back to the file.

Each block's prose is normalised for matching (whitespace runs collapsed, curly
quotes and dashes folded, invisible characters dropped) and the blocks are
joined with a blank line so no sentence can cross a block. For every character
of the analysis string we keep the [start, end) span of the original file it
came from, so any span found by matching maps back exactly.
"""

from __future__ import annotations

import re
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


#: What needs more than copying: a run of whitespace, or invisible characters.
_IRREGULAR = re.compile("\\s{2,}|[^\\S ]|[" + "".join(sorted(INVISIBLE)) + "]+")


def _append_block(block: Block, parts: list[str], starts: list[int], ends: list[int]) -> None:
    """Append a block's folded prose: whitespace runs become one space, invisibles go.

    Plain stretches are copied as slices (with their offsets); only the irregular
    spots are looked at one by one.
    """
    text = block.text.translate(FOLD)
    b_starts, b_ends = block.starts, block.ends
    pos = 0
    chunks: list[str] = []

    def copy(a: int, b: int) -> None:
        if a < b:
            chunks.append(text[a:b])
            starts.extend(b_starts[a:b])
            ends.extend(b_ends[a:b])

    for m in _IRREGULAR.finditer(text):
        copy(pos, m.start())
        run = m.group()
        if not run[0] in INVISIBLE:  # whitespace: keep one space, mapped to its first character
            previous_space = chunks[-1].endswith(" ") if chunks else True
            if not previous_space:
                chunks.append(" ")
                starts.append(b_starts[m.start()])
                ends.append(b_ends[m.start()])
        pos = m.end()
    copy(pos, len(text))
    joined = "".join(chunks)
    stripped = joined.lstrip(" ")
    lead = len(joined) - len(stripped)
    if lead:  # a block never starts with a space
        del starts[len(starts) - len(joined):len(starts) - len(joined) + lead]
        del ends[len(ends) - len(joined):len(ends) - len(joined) + lead]
    tail = len(stripped) - len(stripped.rstrip(" "))
    if tail:
        del starts[-tail:]
        del ends[-tail:]
        stripped = stripped[:-tail]
    parts.append(stripped)


def assemble(document: Document) -> Prose:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    blocks: list[tuple[int, int, str]] = []
    for block in document.blocks:
        begin = len(starts)
        _append_block(block, parts, starts, ends)
        if len(starts) == begin:
            continue
        blocks.append((begin, len(starts), block.kind))
        after = ends[-1]
        parts.append(BLOCK_SEPARATOR)
        starts.extend([after] * len(BLOCK_SEPARATOR))
        ends.extend([after] * len(BLOCK_SEPARATOR))
    return Prose("".join(parts), starts, ends, blocks)
