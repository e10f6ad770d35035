"""Assemble a document's blocks into one analysis string with a map back to the file.

Each block's prose is normalised for matching (whitespace runs collapsed, curly
quotes and dashes folded, invisible characters and line-break hyphens dropped,
look-alike, full-width and ligature letters folded to plain ones) and the blocks are
joined with a blank line so no sentence can cross a block. For every character
of the analysis string we keep the [start, end) span of the original file it
came from, so any span found by matching maps back exactly.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from ..document import COMPACT_FROM, OFFSET_TYPE, Block, Document
from ..nlp import BLOCK_SEPARATOR

#: One-for-one replacements applied before matching.
FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\r": " ", "\n": " ", "\f": " ", "\v": " ",
    # unpaired surrogates (possible in a str from JSON or the API, never from a decoded file)
    # cannot be encoded, and spaCy's tokenizer fails on them: analysed as U+FFFD, one for one
    **{chr(c): "\ufffd" for c in range(0xD800, 0xE000)},
})
#: Characters that are dropped: they only hide words from matching.
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u034f\u2061\u2062\u2063\u2064")
#: Letters that look like Latin ones (Cyrillic, Greek), used to dodge word lists.
LOOKALIKES = {
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h", "\u0501": "d",
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H",
    "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0406": "I",
    "\u03bf": "o", "\u03b1": "a", "\u03b5": "e", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v",
    "\u03c1": "p", "\u03c4": "t", "\u03c5": "u", "\u0391": "A", "\u0392": "B", "\u0395": "E",
    "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O",
    "\u03a1": "P", "\u03a4": "T", "\u03a7": "X", "\u03a5": "Y", "\u0131": "i",
}
#: Compatibility forms folded to plain letters: full-width letters, ligatures, styled letters.
COMPATIBILITY = re.compile("[\uff01-\uff5e\ufb00-\ufb06\U0001d400-\U0001d7ff\u2100-\u214f\u2460-\u24ff]")
#: A word broken across a line end with a hyphen: "regen-\nerates".
LINE_BREAK_HYPHEN = r"(?<=[^\W\d_])[-\u2010\u00ad][ \t]*\r?\n[ \t]*(?=[^\W\d_])"
#: What needs more than copying, in the block's raw text.
_IRREGULAR = re.compile(
    f"(?P<hyphen>{LINE_BREAK_HYPHEN})"
    r"|(?P<space>\s{2,}|[^\S ])"
    "|(?P<invisible>[" + "".join(sorted(INVISIBLE)) + "]+)"
    "|(?P<lookalike>[" + "".join(sorted(LOOKALIKES)) + "])"
    f"|(?P<compat>{COMPATIBILITY.pattern})"
)


def _fold_char(ch: str) -> str:
    """The plain letters a look-alike or compatibility character stands for."""
    if ch in LOOKALIKES:
        return LOOKALIKES[ch]
    import unicodedata

    folded = unicodedata.normalize("NFKC", ch)
    return folded if folded.isprintable() else ch


@dataclass
class Prose:
    """The analysis string of a document and its map back to the original text."""

    text: str
    starts: list[int] | array  # one entry per character of ``text`` (an array for a large document)
    ends: list[int] | array
    #: (start, end, kind) of each block in ``text``.
    blocks: list[tuple[int, int, str]]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        end = max(end, start + 1)
        return self.starts[start], self.ends[end - 1]




def _append_block(block: Block, parts: list[str], starts: list[int] | array, ends: list[int] | array) -> None:
    """Append a block's folded prose: whitespace runs become one space, invisible
    characters and line-break hyphens go, look-alike and compatibility letters become
    the plain letters they stand for.

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

    for m in _IRREGULAR.finditer(block.text):
        copy(pos, m.start())
        kind = m.lastgroup
        if kind == "space":  # keep one space, mapped to the run's first character
            previous_space = chunks[-1].endswith(" ") if chunks else True
            if not previous_space:
                chunks.append(" ")
                starts.append(b_starts[m.start()])
                ends.append(b_ends[m.start()])
        elif kind in ("lookalike", "compat"):  # one character may stand for several ("\ufb01" -> "fi")
            plain = _fold_char(m.group())
            chunks.append(plain)
            starts.extend([b_starts[m.start()]] * len(plain))
            ends.extend([b_ends[m.start()]] * len(plain))
        # "hyphen" (a word broken across lines) and "invisible" characters are dropped
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
    large = sum(len(block.text) for block in document.blocks) >= COMPACT_FROM
    starts: list[int] | array = array(OFFSET_TYPE) if large else []
    ends: list[int] | array = array(OFFSET_TYPE) if large else []
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
