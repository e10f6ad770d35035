"""The document model every reader produces and every check reads.

A reader turns a file's text into prose ``Block``s. Each block carries the prose
as it should be analysed (markup removed, entities decoded) and, for every
character of that prose, the character offset in the original file it came
from. Checks work on prose; findings are mapped back through ``offsets`` so
that line, column and offsets always point into the original file.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Sequence

#: Offset maps of large blocks and documents hold one machine integer per character
#: (``array``), not a Python int object each: a 5 MB page's maps take 80 MB instead of about
#: 400 MB. Small ones stay tuples and lists, which are quicker to build.
OFFSET_TYPE = "q"
COMPACT_FROM = 10_000

#: Block kinds a reader may produce. All of them are prose.
BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_cell", "blockquote", "alt_text")


@dataclass(frozen=True)
class Block:
    """One unit of prose: a heading, a paragraph, a list item, a table cell ...

    ``starts[i]`` is the offset in the original file where the source of
    ``text[i]`` begins and ``ends[i]`` where it ends (exclusive): one character
    for plain text, the whole of ``&amp;`` for a decoded entity, ``\r\n`` for a
    line break. Both never decrease, and ``starts[i] < ends[i] <= starts[i+1]``. Both are
    tuples, or compact ``array("q")`` in a file of ``COMPACT_FROM`` characters or more
    (read-only either way).
    """

    kind: str
    text: str
    starts: Sequence[int] = field(hash=False)
    ends: Sequence[int] = field(hash=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty [start, end) span of ``text`` to a span of the original file."""
        return self.starts[start], self.ends[max(start, end - 1)]


@dataclass(frozen=True)
class Comment:
    """A comment (HTML/Markdown ``<!-- -->``, or a plain-text directive line)."""

    text: str  # the comment body, without the comment delimiters
    offset: int  # offset of the comment's first character in the original file


@dataclass
class Document:
    """A file as read: its original text, its prose blocks, comments, front matter."""

    path: str
    text: str
    format: str  # "markdown" | "html" | "text"
    blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    _line_starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of an offset into ``text``."""
        starts = self.line_starts
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        starts = self.line_starts
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r")
