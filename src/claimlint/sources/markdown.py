"""Markdown reader: markdown-it-py tokens aligned back onto the original text.

Block tokens carry line ranges but inline tokens carry no offsets, so each
inline token is located in the source lines of its block with a cursor that
only moves forward: plain text is found as a whole slice, and text holding
decoded entities or backslash escapes is aligned character by character.
Markup between tokens (emphasis runs, ``>`` prefixes, list markers, indents)
is skipped; link destinations are skipped explicitly so URLs never match.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from ruamel.yaml import YAML

from claimlint.document import COMPACT_FROM, Block, Comment, Document
from claimlint.sources import html as html_reader
from claimlint.sources.text import ProseBuilder

_MD = MarkdownIt("commonmark").enable("table")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
#: Characters that may sit between inline tokens: markup, prefixes, indents.
_GAP = " \t\f\v\r\n>*_[!#|-+.)0123456789\\="
_WINDOW = 2048  # how far past the cursor the next inline token is looked for
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_EMPHASIS = frozenset({"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"})
_CONTAINERS = {"blockquote_open": "blockquote", "list_item_open": "list_item"}
_CELL_OR_HEADING = {"heading_open": "heading", "th_open": "table_cell", "td_open": "table_cell"}


_PLAIN = r"[^\s()\\]|\\."
_DEST = rf"<[^<>\n]*>|(?:{_PLAIN}|\((?:{_PLAIN}|\((?:{_PLAIN})*\))*\))+"  # parens nest 2 deep
_TITLE = r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)"""
#: The ``(destination "title")`` part of an inline link or image. Whitespace
#: runs are always split by a non-space token, so matching stays linear.
_LINK_TAIL = re.compile(rf"\([\s>]*(?:(?:{_DEST})[\s>]*)?(?:(?:{_TITLE})[\s>]*)?\)", re.S)


@lru_cache(maxsize=64)
def _code_fence(markup: str) -> re.Pattern[str]:
    """A backtick run of exactly ``len(markup)`` backticks."""
    return re.compile(r"(?<!`)" + re.escape(markup) + r"(?!`)")


def _line_starts(text: str) -> list[int]:
    """Line starts as markdown-it counts lines (CR LF, CR and LF all end a line)."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def _front_matter(text: str) -> tuple[int, dict[str, Any]]:
    """Return (end offset of a leading ``---`` YAML block or 0, parsed mapping)."""
    first = _NEWLINE.search(text)
    if first is None or text[: first.start()].lstrip("\ufeff").rstrip() != "---":
        return 0, {}
    pos = first.end()
    while pos < len(text):
        m = _NEWLINE.search(text, pos)
        end, nxt = (m.start(), m.end()) if m else (len(text), len(text))
        if text[pos:end].rstrip() in ("---", "..."):
            data: dict[str, Any] = {}
            try:
                loaded = YAML(typ="safe", pure=True).load(text[first.end() : pos])
            except Exception:  # any YAML error: keep the block out of prose, no data
                loaded = None
            if isinstance(loaded, dict):
                data = dict(loaded)
            return nxt, data
        pos = nxt
    return 0, {}


class _Aligner:
    """Walks the token stream, keeping a forward-only cursor into the source."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _line_starts(text)
        self.cursor = 0
        self.blocks: list[Block] = []
        self.comments: list[Comment] = []

    def _line_offset(self, line: int) -> int:
        return self.lines[line] if line < len(self.lines) else len(self.text)

    def _gap_ok(self, start: int, end: int) -> bool:
        return not self.text[start:end].strip(_GAP)

    # -- block level -------------------------------------------------------

    def run(self, tokens: list[Token]) -> None:
        """Turn the block token stream into blocks and comments."""
        containers: list[str] = []
        kind = "paragraph"
        for tok in tokens:
            t = tok.type
            if t in _CONTAINERS:
                containers.append(_CONTAINERS[t])
            elif t in ("blockquote_close", "list_item_close") and containers:
                containers.pop()
            elif t in _CELL_OR_HEADING:
                kind = _CELL_OR_HEADING[t]
            elif t == "paragraph_open":
                kind = containers[-1] if containers else "paragraph"
            elif t == "inline":
                self._inline(tok, kind)
            elif t == "html_block":
                self._html_block(tok)
            elif t in ("fence", "code_block") and tok.map:
                self.cursor = max(self.cursor, self._line_offset(tok.map[1]))

    def _inline(self, tok: Token, kind: str) -> None:
        lo, hi = self.cursor, len(self.text)
        if tok.map:
            lo = max(lo, self._line_offset(tok.map[0]))
            hi = self._line_offset(tok.map[1])
        builder = ProseBuilder(compact=len(self.text) >= COMPACT_FROM)
        found: list[Block] = []
        self.cursor = self._walk(tok.children or [], builder, lo, hi, found)
        block = builder.build(kind)
        if block is not None:
            found.append(block)
        found.sort(key=lambda b: b.starts[0])
        self.blocks.extend(found)

    def _html_block(self, tok: Token) -> None:
        if not tok.map:
            return
        start, end = self._line_offset(tok.map[0]), self._line_offset(tok.map[1])
        chunk = self.text[start:end]
        # Inside blockquotes / list items markdown-it strips ">" and indents from
        # each line; mask them with NUL (never prose) so offsets stay 1:1.
        content_lines = tok.content.split("\n")
        pieces: list[str] = []
        pos = 0
        for i, m in enumerate([*_NEWLINE.finditer(chunk), None]):
            line_end = m.start() if m else len(chunk)
            line = chunk[pos:line_end]
            body = content_lines[i] if i < len(content_lines) else line
            cut = len(line) - len(body) if line.endswith(body) else 0
            pieces.append("\x00" * cut + line[cut:] + (m.group() if m else ""))
            if m is None:
                break
            pos = m.end()
        blocks, comments = html_reader.parse("".join(pieces), shift=start)
        self.blocks.extend(blocks)
        # A comment body may hold masked prefixes: take it from the original text.
        self.comments.extend(Comment(self.text[c.offset : c.offset + len(c.text)], c.offset) for c in comments)
        self.cursor = max(self.cursor, end)

    # -- inline level ------------------------------------------------------

    def _walk(
        self, children: list[Token], b: ProseBuilder, pos: int, hi: int, found: list[Block]
    ) -> int:
        skip = 0  # depth of raw HTML elements whose content is not prose
        i = 0
        while i < len(children):
            tok = children[i]
            t = tok.type
            if t == "text":
                pos = self._align(tok.content, pos, hi, None if skip else b)
            elif t in ("softbreak", "hardbreak"):
                m = _NEWLINE.search(self.text, pos, hi)
                if m:
                    if not skip:
                        b.add_chars("\n", m.start(), m.end())
                    pos = m.end()
            elif t == "code_inline":
                pos = self._skip_code(tok.markup, pos, hi)
            elif t in _EMPHASIS:
                k = self.text.find(tok.markup, pos, hi)
                if k != -1 and self._gap_ok(pos, k):
                    pos = k + len(tok.markup)
            elif t == "link_open" and tok.markup == "autolink":
                k = self.text.find("<", pos, hi)
                e = self.text.find(">", k, hi) if k != -1 else -1
                pos = e + 1 if e != -1 else pos
                while i + 1 < len(children) and children[i].type != "link_close":
                    i += 1
            elif t == "link_open":
                k = self.text.find("[", pos, hi)
                pos = k + 1 if k != -1 else pos
            elif t == "link_close":
                pos = self._skip_link_tail(pos, hi)
            elif t == "image":
                k = self.text.find("![", pos, hi)
                pos = k + 2 if k != -1 else pos
                alt = ProseBuilder(compact=len(self.text) >= COMPACT_FROM)
                pos = self._walk(tok.children or [], alt, pos, hi, found)
                pos = self._skip_link_tail(pos, hi)
                block = alt.build("alt_text")
                if block is not None and not skip:
                    found.append(block)
            elif t == "html_inline":
                pos, skip = self._html_inline(tok.content, pos, hi, b, skip, found)
            i += 1
        return pos

    def _align(self, content: str, pos: int, hi: int, b: ProseBuilder | None) -> int:
        """Locate decoded ``content`` at/after ``pos``; add it to ``b``; return the new cursor."""
        if not content:
            return pos
        text = self.text
        window = min(hi, pos + len(content) + _WINDOW)  # markup between tokens is short
        k = text.find(content, pos, window)
        if k != -1 and self._gap_ok(pos, k):
            if b is not None:
                b.add_run(text, k, k + len(content))
            return k + len(content)
        # Slow path: entities, backslash escapes, or markup we did not expect.
        matched: list[tuple[str, int, int]] = []
        q, i, n = pos, 0, len(content)
        while i < n and q < hi and (matched or q < window):
            ch, s = content[i], text[q]
            if s == "&":  # an entity decodes before a literal "&" can match
                m = _ENTITY.match(text, q, hi)
                decoded = html_reader.decode_entity(m.group()) if m else None
                if m and decoded and content.startswith(decoded, i):
                    matched.append((decoded, q, m.end()))
                    i, q = i + len(decoded), m.end()
                    continue
            if s == "\x00" and ch == "\ufffd":  # markdown-it replaced a NUL: not prose
                i, q = i + 1, q + 1
                continue
            if s == ch:
                matched.append((ch, q, q + 1))
                i, q = i + 1, q + 1
                continue
            if s == "\\" and ch in _PUNCT and q + 1 < hi and text[q + 1] == ch:
                matched.append((ch, q, q + 2))
                i, q = i + 1, q + 2
                continue
            if matched and s not in _GAP:
                break  # lost track mid-token: keep what is certain, drop the rest
            q += 1
        if not matched:
            return pos
        if b is not None:
            for chars, s, e in matched:
                b.add_chars(chars, s, e)
        return matched[-1][2]

    def _skip_code(self, markup: str, pos: int, hi: int) -> int:
        fence = _code_fence(markup)
        opening = fence.search(self.text, pos, hi)
        if opening is None:
            return pos
        closing = fence.search(self.text, opening.end(), hi)
        return closing.end() if closing else opening.end()

    def _skip_link_tail(self, pos: int, hi: int) -> int:
        """Skip ``]``, ``](dest "title")``, ``][ref]`` or ``][]`` after link text."""
        text = self.text
        k = text.find("]", pos, hi)
        if k == -1:
            return pos
        p = k + 1
        if text.startswith("[", p, hi):
            e = text.find("]", p + 1, hi)
            return e + 1 if e != -1 else p
        m = _LINK_TAIL.match(text, p, hi)
        # No destination after all (e.g. a shortcut reference followed by literal
        # text in parentheses): stop after "]"; later text is realigned.
        return m.end() if m else p

    def _html_inline(
        self, content: str, pos: int, hi: int, b: ProseBuilder, skip: int, found: list[Block]
    ) -> tuple[int, int]:
        """Skip one inline HTML tag; record comments, ``<br>`` and ``<img alt>``."""
        text = self.text
        k = text.find(content, pos, hi)
        end = k + len(content)
        exact = k != -1
        if not exact:  # spans lines whose prefixes markdown-it removed
            first, _, rest = content.partition("\n")
            last = rest.rsplit("\n", 1)[-1]
            k = text.find(first, pos, hi)
            e = text.find(last, k + len(first), hi) if k != -1 else -1
            if e == -1:
                return pos, skip
            end = e + len(last)
        if content.startswith("<!--"):
            body = content[4:-3] if exact and content.endswith("-->") else text[k + 4 : end - 3]
            self.comments.append(Comment(body, k + 4))
            return end, skip
        m = _TAG.match(content)
        if m:
            name = m.group(2).lower()
            if name in html_reader.SKIP_TAGS and not content.endswith("/>"):
                skip = max(0, skip - 1) if m.group(1) else skip + 1
            elif name == "br" and not skip:
                b.add_chars("\n", k, end)
            elif name == "img" and not skip and not m.group(1):
                found.extend(html_reader.parse(text[k:end], shift=k)[0])
        return end, skip


def read(text: str, path: str) -> Document:
    """Read a Markdown file into prose blocks, comments and front matter."""
    body_start, front = _front_matter(text)
    source = text
    if body_start:
        breaks = len(_NEWLINE.findall(text, 0, body_start))
        source = "\n" * breaks + text[body_start:]
    aligner = _Aligner(text)
    aligner.cursor = body_start
    aligner.run(_MD.parse(source))
    return Document(path, text, "markdown", aligner.blocks, aligner.comments, front)
