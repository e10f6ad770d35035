"""HTML reader built on the standard library's forgiving, non-recursive tokenizer.

``HTMLParser`` runs with ``convert_charrefs=False`` so that every text event is
an exact slice of the input; positions come from ``getpos()`` converted to
offsets with the input's line starts. Entities are decoded here, one entity at
a time, so each decoded character maps to the whole entity in the original.
"""

from __future__ import annotations

import html
import re
from html.entities import html5
from html.parser import HTMLParser

from claimlint.document import COMPACT_FROM, Block, Comment, Document
from claimlint.sources.text import ProseBuilder

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "title"})
PARAGRAPH_TAGS = frozenset(
    "p div section article header footer main aside nav dd dt figcaption caption "
    "form fieldset address body".split()
)
#: Block-level tags that end the current block but give no kind of their own.
BREAK_TAGS = frozenset(
    "html head ul ol dl menu table thead tbody tfoot tr colgroup figure details "
    "summary center legend hgroup search dialog option optgroup".split()
)
#: Tags whose content is never prose.
SKIP_TAGS = frozenset(
    "script style noscript template svg code pre textarea iframe math kbd samp object select".split()
)
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen".split()
)
_KINDS: dict[str, str] = {
    **{t: "heading" for t in HEADING_TAGS},
    **{t: "paragraph" for t in PARAGRAPH_TAGS},
    "li": "list_item",
    "td": "table_cell",
    "th": "table_cell",
    "blockquote": "blockquote",
}
#: Tags that end a block where they start and where they end.
BLOCK_LEVEL = frozenset(_KINDS) | BREAK_TAGS | {"pre", "textarea", "select", "template"}
#: Tags that implicitly close an open <p> (HTML's "p end tag omitted" rule, loosely).
_CLOSES_P = BLOCK_LEVEL - {"body", "html", "head", "title", "td", "th", "tr", "caption"}

_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_SPECIAL = re.compile(r"[&\r\x00]")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_ATTR = re.compile(
    r"""([^\s/>"'=][^\s/>"'=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>][^\s>]*)))?"""
)


def decode_entity(raw: str) -> str | None:
    """Decode one character reference such as ``&amp;`` or ``&#8217;``.

    Returns ``None`` when ``raw`` is not a reference a browser would decode as
    a whole (``&bogus;``, or a legacy name without ``;`` followed by more letters).
    """
    if raw.startswith("&#"):
        return html.unescape(raw)
    return html5.get(raw[1:])


def emit_text(builder: ProseBuilder, source: str, start: int, end: int) -> None:
    """Add ``source[start:end]`` as prose: decode entities, map CR LF / CR to ``"\\n"``."""
    pos = start
    while pos < end:
        m = _SPECIAL.search(source, pos, end)
        if m is None:
            builder.add_run(source, pos, end)
            return
        k = m.start()
        builder.add_run(source, pos, k)
        ch = source[k]
        if ch == "&":
            e = _ENTITY.match(source, k, end)
            decoded = decode_entity(e.group()) if e else None
            if e and decoded:
                builder.add_chars(decoded, k, e.end())
                pos = e.end()
            else:
                builder.add_run(source, k, k + 1)
                pos = k + 1
        elif ch == "\r":
            pos = k + 2 if source.startswith("\r\n", k) and k + 2 <= end else k + 1
            builder.add_chars("\n", k, pos)
        else:  # NUL: never prose (also used to mask markdown container prefixes)
            pos = k + 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


class _Reader(HTMLParser):
    """Turns tokenizer events into blocks; a flat stack replaces recursion."""

    def __init__(self, source: str, shift: int) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.shift = shift
        self.lines = _line_starts(source)
        self.blocks: list[Block] = []
        self.comments: list[Comment] = []
        # (tag, effective kind, skips content)
        self.stack: list[tuple[str, str, bool]] = []
        self.open_counts: dict[str, int] = {}
        self.skip_depth = 0
        self.compact = len(source) >= COMPACT_FROM
        self.cur = ProseBuilder(shift, self.compact)
        self.dead = False  # inside an unclosed comment that runs to the end

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _flush(self) -> None:
        if not self.cur:
            return
        kind = self.stack[-1][1] if self.stack else "paragraph"
        block = self.cur.build(kind)
        if block is not None:
            self.blocks.append(block)

    def _push(self, tag: str) -> None:
        parent = self.stack[-1][1] if self.stack else "paragraph"
        own = _KINDS.get(tag, "paragraph")
        kind = parent if own == "paragraph" else own
        skip = tag in SKIP_TAGS
        self.stack.append((tag, kind, skip))
        self.open_counts[tag] = self.open_counts.get(tag, 0) + 1
        self.skip_depth += skip

    def _pop(self) -> str:
        tag, _, skip = self.stack.pop()
        self.open_counts[tag] -= 1
        self.skip_depth -= skip
        return tag

    def _autoclose(self, tag: str) -> None:
        while self.stack:
            top = self.stack[-1][0]
            if (
                (top == "p" and tag in _CLOSES_P)
                or (top == "li" and tag == "li")
                or (top in ("td", "th") and tag in ("td", "th", "tr"))
                or (top == "tr" and tag == "tr")
                or (top in ("dd", "dt") and tag in ("dd", "dt"))
            ):
                self._pop()
            else:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            self._void(tag)
            return
        if tag in BLOCK_LEVEL:
            self._flush()
            self._autoclose(tag)
        if tag in _KINDS or tag in BREAK_TAGS or tag in SKIP_TAGS:
            self._push(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            self._void(tag)
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_LEVEL:
            self._flush()
        if not self.open_counts.get(tag):
            return  # stray closing tag
        if tag not in BLOCK_LEVEL:
            self._flush_if_popping_block(tag)
        while self._pop() != tag:
            pass

    def _flush_if_popping_block(self, tag: str) -> None:
        for entry in reversed(self.stack):
            if entry[0] == tag:
                return
            if entry[0] in BLOCK_LEVEL:
                self._flush()
                return

    def _void(self, tag: str) -> None:
        if tag == "hr":
            self._flush()
        if self.skip_depth:
            return
        if tag == "br":
            start = self._offset()
            self.cur.add_chars("\n", start, start + len(self.get_starttag_text() or "<br>"))
        elif tag == "img":
            self._alt_text()

    def _alt_text(self) -> None:
        raw = self.get_starttag_text() or ""
        base = self._offset()
        for m in _ATTR.finditer(raw, 4):
            if m.group(1).lower() != "alt":
                continue
            group = next((g for g in (2, 3, 4) if m.group(g) is not None), None)
            if group is not None:
                builder = ProseBuilder(self.shift, self.compact)
                emit_text(builder, self.source, base + m.start(group), base + m.end(group))
                block = builder.build("alt_text")
                if block is not None:
                    self.blocks.append(block)
            return

    def handle_data(self, data: str) -> None:
        if self.dead:
            return
        start = self._offset()
        if data[:1] == "<" and self.source.startswith("<!--", start):
            self._unclosed_comment(start)  # the tokenizer hands it over as text
            return
        if self.skip_depth:
            return
        if not self.source.startswith(data, start):  # defensive: never map wrongly
            start = self.source.find(data, start)
            if start == -1:
                return
        emit_text(self.cur, self.source, start, start + len(data))

    def _unclosed_comment(self, start: int) -> None:
        """A comment that is never closed runs to the end of the file."""
        self.comments.append(Comment(self.source[start + 4 :], start + 4 + self.shift))
        self.dead = True

    def _reference(self, name: str, prefix: int) -> None:
        if self.dead or self.skip_depth:
            return
        start = self._offset()
        end = start + prefix + len(name)
        if self.source.startswith(";", end):
            end += 1
        emit_text(self.cur, self.source, start, end)

    def handle_entityref(self, name: str) -> None:
        self._reference(name, 1)

    def handle_charref(self, name: str) -> None:
        self._reference(name, 2)

    def handle_comment(self, data: str) -> None:
        if self.dead:
            return
        start = self._offset()
        if self.source.startswith("<!--", start):
            self.comments.append(Comment(data, start + 4 + self.shift))


def parse(source: str, shift: int = 0) -> tuple[list[Block], list[Comment]]:
    """Read an HTML string into blocks (document order) and comments.

    Every offset is shifted by ``shift`` (used for HTML chunks inside Markdown).
    """
    reader = _Reader(source, shift)
    # A tag or comment cut off by the end of the file swallows the rest (as in
    # browsers). Cut it off here: the stdlib tokenizer is quadratic on it.
    cut = _TAG_START.search(source, source.rfind(">") + 1)
    reader.feed(source[: cut.start()] if cut else source)
    reader.close()
    if cut and source.startswith("<!--", cut.start()) and not reader.dead:
        reader._unclosed_comment(cut.start())
    reader._flush()
    blocks = reader.blocks
    blocks.sort(key=lambda b: b.starts[0])
    return blocks, reader.comments


def read(text: str, path: str) -> Document:
    """Read an HTML file into prose blocks and comments."""
    blocks, comments = parse(text)
    return Document(path=path, text=text, format="html", blocks=blocks, comments=comments)
