"""Plain-text reader, plus :class:`ProseBuilder`, the offset bookkeeping all readers share.

Plain text has no markup, so blocks are found from layout: blank lines separate
blocks, and a line break inside a run of lines also ends a block when the line
looks like a title or a finished sentence and the next line starts with a
capital, a digit or a bullet, or when the next line is a bullet item. A line
that wraps a sentence (the next line starts in lower case) stays in its block,
as a ``"\\n"`` mapped to the original line ending.
"""

from __future__ import annotations

import re
from array import array

from claimlint.document import COMPACT_FROM, OFFSET_TYPE, Block, Comment, Document


class ProseBuilder:
    """Collects prose characters together with the original span each came from.

    Every position recorded is shifted by ``shift``, so a reader can work on a
    chunk of a larger file and still record offsets into the whole file.
    """

    __slots__ = ("_parts", "starts", "ends", "shift", "compact")

    def __init__(self, shift: int = 0, compact: bool = False) -> None:
        self._parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.shift = shift
        #: Build blocks with compact offset arrays (the readers ask for them for a large file).
        self.compact = compact

    def add_run(self, source: str, start: int, end: int) -> None:
        """Add ``source[start:end]`` verbatim: every character maps to itself."""
        if end <= start:
            return
        self._parts.append(source[start:end])
        s = start + self.shift
        self.starts.extend(range(s, s + end - start))
        self.ends.extend(range(s + 1, s + end - start + 1))

    def add_chars(self, chars: str, start: int, end: int) -> None:
        """Add ``chars`` (usually one) decoded from the original span [start, end).

        Several characters share the span by splitting it, so that starts and
        ends keep strictly increasing (only astral multi-codepoint entities do this).
        """
        n = len(chars)
        if n == 0 or end <= start:
            return
        if n > end - start:  # cannot give each char its own source char
            chars, n = chars[: end - start], end - start
        self._parts.append(chars)
        s = start + self.shift
        if n == 1:
            self.starts.append(s)
            self.ends.append(end + self.shift)
            return
        self.starts.extend(range(s, s + n))
        self.ends.extend(range(s + 1, s + n))
        self.ends.append(end + self.shift)

    def __len__(self) -> int:
        return len(self.starts)

    def build(self, kind: str) -> Block | None:
        """Return the collected prose as a trimmed ``Block`` (``None`` if blank) and reset."""
        text = "".join(self._parts)
        starts, ends = self.starts, self.ends
        self._parts, self.starts, self.ends = [], [], []
        stripped = text.strip()
        if not stripped:
            return None
        lead = len(text) - len(text.lstrip())
        stop = lead + len(stripped)
        if lead or stop != len(text):
            starts, ends = starts[lead:stop], ends[lead:stop]
        if self.compact:
            return Block(kind, stripped, array(OFFSET_TYPE, starts), array(OFFSET_TYPE, ends))
        return Block(kind, stripped, tuple(starts), tuple(ends))


_LINE_END = re.compile(r"\r\n|\r|\n")
_BULLET = re.compile(r"[ \t]*(?:[-*][ \t]+|[•·][ \t]*|\d{1,3}[.)][ \t]+)(?=\S)")
_DIRECTIVE = re.compile(r"[ \t]*(?:#[ \t]*|//[ \t]*|<!--[ \t]*)?claimlint-")
_OPENERS = "\"'“‘«([*_"
_CLOSERS = "\"'”’»)]*_"


class _Line:
    """One non-blank, non-directive line: content span and line-ending span."""

    __slots__ = ("start", "text_start", "end", "eol_end", "bullet", "stripped")

    def __init__(self, text: str, start: int, end: int, eol_end: int) -> None:
        self.start, self.end, self.eol_end = start, end, eol_end
        m = _BULLET.match(text, start, end)
        self.bullet = m is not None
        self.text_start = m.end() if m else start
        self.stripped = text[self.text_start : end].strip()


def _starts_upper(s: str) -> bool:
    s = s.lstrip(_OPENERS)
    return bool(s) and (s[0].isupper() or s[0].isdigit())


def _breaks_between(line: _Line, nxt: _Line) -> bool:
    """Whether a line break between two non-blank lines ends the block."""
    if nxt.bullet:
        return True
    if not _starts_upper(nxt.stripped):
        return False  # a wrapped sentence continues in lower case
    last = line.stripped.rstrip(_CLOSERS)[-1:]
    # Title-like lines (no end punctuation), finished sentences (.!?) and
    # lead-ins ("... benefits include:") end the block; a line ending with
    # ";" or "," continues into the next.
    return last not in (";", ",")


def _is_heading(line: _Line) -> bool:
    s = line.stripped
    if line.bullet or len(s) > 80:
        return False
    if s.endswith(("...", "…")):
        return True
    return s.rstrip(_CLOSERS)[-1:] not in (".", "!", "?")


def read(text: str, path: str) -> Document:
    """Read a plain-text file into prose blocks and directive comments."""
    doc = Document(path=path, text=text, format="text")
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _LINE_END.search(text, pos)
        end, eol_end = (m.start(), m.end()) if m else (n, n)
        d = _DIRECTIVE.match(text, pos, end)
        if d is not None or not text[pos:end].strip():
            if current:
                groups.append(current)
                current = []
            if d is not None:
                body = text[d.end() - len("claimlint-") : end].rstrip()
                if body.endswith("-->"):
                    body = body[:-3].rstrip()
                doc.comments.append(Comment(body, d.end() - len("claimlint-")))
        else:
            line = _Line(text, pos, end, eol_end)
            if current and _breaks_between(current[-1], line):
                groups.append(current)
                current = []
            current.append(line)
        pos = eol_end
    if current:
        groups.append(current)

    builder = ProseBuilder(compact=len(text) >= COMPACT_FROM)
    for index, group in enumerate(groups):
        first = group[0]
        builder.add_run(text, first.text_start, first.end)
        for prev, line in zip(group, group[1:]):
            builder.add_chars("\n", prev.end, prev.eol_end)
            builder.add_run(text, line.start, line.end)
        if first.bullet:
            kind = "list_item"
        elif len(group) == 1 and index + 1 < len(groups) and _is_heading(first):
            kind = "heading"
        else:
            kind = "paragraph"
        block = builder.build(kind)
        if block is not None:
            doc.blocks.append(block)
    return doc
