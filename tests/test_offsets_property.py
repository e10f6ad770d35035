"""The offset contract, on documents hypothesis makes up: Markdown, HTML and plain text with
known claims ("cures", "has been shown to", "clinically proven") at random places.

The claims sit in paragraphs, headings, list items, table cells, blockquotes and links, inside
or split by emphasis, next to entities (``&amp;`` ``&#39;``, and ``&#32;`` between the words of a
phrase), among non-ASCII words (accents, CJK, emoji, a ligature), with LF or CRLF line endings.
Every document is built piece by piece, so the original span of each claim is known. For every
finding ``original[offset:end_offset] == text`` and line/column (end_line/end_column) are the
position of offset (end_offset); and every claim inserted is covered by a finding of its category.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from claimlint import lint_text  # noqa: E402

SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Neutral words: no negation, hedge, source, claim or study words that would change what is flagged.
WORDS = ["our", "the", "clinic", "serum", "balm", "daily", "skin", "visit", "today", "friendly", "staff", "Monday",
         "Café", "naïve", "Zürich", "crème", "日本語", "🌿", "👩\u200d⚕️", "ﬁne", "Ünïcödé", "façade", "São", "Paulo"]
#: phrase -> the category whose finding must cover it
CLAIMS = {"cures": "absolute-claim", "has been shown to": "evidence-language", "clinically proven": "evidence-language"}
#: What follows each phrase, so that it reads as a sentence.
TAILS = {"cures": "acne", "has been shown to": "ease joint pain", "clinically proven": "formula"}


@dataclass
class Doc:
    nl: str
    parts: list[str] = field(default_factory=list)
    size: int = 0
    claims: list[tuple[int, int, str]] = field(default_factory=list)  # original start, end, phrase

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def claim(self, before: str, rendered: str, after: str, phrase: str) -> None:
        self.add(before)
        self.claims.append((self.size, self.size + len(rendered), phrase))
        self.add(rendered)
        self.add(after)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def words(draw, low: int = 0, high: int = 6) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=low, max_size=high)))


def render_phrase(draw, phrase: str, fmt: str) -> str:
    """The phrase as written in the source: plain, with emphasis inside it (``has **been** shown
    to``, ``c<strong>ure</strong>s``) or with an entity for one of its spaces. Its first and last
    characters stay the phrase's own, so its original span is known."""
    if fmt == "text":
        return phrase
    tokens = phrase.split(" ")
    style = draw(st.sampled_from(["plain", "inner", "entity"] if len(tokens) > 1 else ["plain", "inner"]))
    if style == "plain":
        return phrase
    if style == "entity":
        i = draw(st.integers(0, len(tokens) - 2))
        return " ".join(tokens[: i + 1]) + "&#32;" + " ".join(tokens[i + 1:])
    open_, close = {"markdown": ("**", "**"), "html": ("<strong>", "</strong>")}[fmt]
    if len(tokens) > 2:  # a whole inner word
        i = draw(st.integers(1, len(tokens) - 2))
        tokens[i] = open_ + tokens[i] + close
    else:  # inside the last word
        last = tokens[-1]
        tokens[-1] = last[0] + open_ + last[1:-1] + close + last[-1]
    return " ".join(tokens)


def sentence(draw, doc: Doc, fmt: str, wrap_before: str = "", wrap_after: str = "") -> None:
    """``[words] [entity] <claim> <tail> [words].`` -- the claim maybe wrapped whole in emphasis or a link."""
    phrase = draw(st.sampled_from(list(CLAIMS)))
    lead = words(draw).capitalize()
    if fmt != "text" and draw(st.booleans()):
        lead = (lead + " " if lead else "") + draw(st.sampled_from(["Smith &amp; Jones", "Ana&#39;s", "caf&eacute;"]))
    rendered = render_phrase(draw, phrase, fmt)
    wrapper = draw(st.sampled_from(["none", "emphasis", "link"])) if fmt != "text" else "none"
    before, after = "", ""
    if wrapper == "emphasis":
        before, after = {"markdown": ("*", "*"), "html": ("<em>", "</em>")}[fmt]
    elif wrapper == "link":
        before, after = {"markdown": ("[", "](https://example.com/page)"),
                         "html": ('<a href="https://example.com/page" title="more">', "</a>")}[fmt]
    tail = " ".join(x for x in [TAILS[phrase], words(draw, 0, 4)] if x) + "."
    doc.claim(wrap_before + (lead + " " if lead else "") + before, rendered, after + " " + tail + wrap_after, phrase)


def filler(draw, doc: Doc, fmt: str) -> None:
    text = (words(draw, 1, 10).capitalize() or "Hello") + "."
    doc.add({"markdown": text, "text": text, "html": f"<p>{text}</p>"}[fmt])


@st.composite
def markdown_docs(draw) -> Doc:
    doc = Doc(draw(st.sampled_from(["\n", "\r\n"])))
    nl = doc.nl
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["filler", "paragraph", "heading", "list", "table", "quote"]))
        if kind == "filler":
            filler(draw, doc, "markdown")
        elif kind == "paragraph":
            sentence(draw, doc, "markdown")
        elif kind == "heading":
            sentence(draw, doc, "markdown", "## ")
        elif kind == "list":
            marker = draw(st.sampled_from(["- ", "* ", "1. "]))
            doc.add(f"{marker}Café first item{nl}")
            sentence(draw, doc, "markdown", marker)
        elif kind == "table":
            doc.add(f"| Product | Note |{nl}|---|---|{nl}| Balm | ")
            sentence(draw, doc, "markdown", "", " |")
        else:
            sentence(draw, doc, "markdown", "> ")
        doc.add(nl + nl)
    return doc


@st.composite
def html_docs(draw) -> Doc:
    doc = Doc(draw(st.sampled_from(["\n", "\r\n"])))
    nl = doc.nl
    doc.add(f"<html><head><title>Page</title></head><body>{nl}")
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["filler", "paragraph", "heading", "list", "table", "quote", "div"]))
        if kind == "filler":
            filler(draw, doc, "html")
        elif kind == "paragraph":
            sentence(draw, doc, "html", "<p>", "</p>")
        elif kind == "heading":
            sentence(draw, doc, "html", "<h2>", "</h2>")
        elif kind == "list":
            doc.add(f"<ul>{nl}<li>Café first item</li>{nl}")
            sentence(draw, doc, "html", "<li>", f"</li>{nl}</ul>")
        elif kind == "table":
            doc.add(f"<table>{nl}<tr><th>Product</th><th>Note</th></tr>{nl}<tr><td>Balm</td>")
            sentence(draw, doc, "html", "<td>", f"</td></tr>{nl}</table>")
        elif kind == "quote":
            sentence(draw, doc, "html", "<blockquote><p>", "</p></blockquote>")
        else:
            sentence(draw, doc, "html", '<div class="cures">', "<br></div>")
        doc.add(nl)
    doc.add(f"</body></html>{nl}")
    return doc


@st.composite
def text_docs(draw) -> Doc:
    doc = Doc(draw(st.sampled_from(["\n", "\r\n"])))
    nl = doc.nl
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["filler", "paragraph", "list"]))
        if kind == "filler":
            filler(draw, doc, "text")
        elif kind == "paragraph":
            sentence(draw, doc, "text")
        else:
            marker = draw(st.sampled_from(["- ", "• ", "1. "]))
            doc.add(f"{marker}Café first item.{nl}")
            sentence(draw, doc, "text", marker)
        doc.add(nl + nl)
    return doc


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check(doc: Doc, fmt: str) -> None:
    original = doc.text
    report = lint_text(original, format=fmt)
    assert report.errors == []
    for f in report.findings:
        where = (f.rule, f.text, original)
        assert 0 <= f.offset < f.end_offset <= len(original), where
        assert original[f.offset:f.end_offset] == f.text, where
        assert line_col(original, f.offset) == (f.line, f.column), where
        assert line_col(original, f.end_offset) == (f.end_line, f.end_column), where
    for start, end, phrase in doc.claims:
        covering = [f for f in report.findings
                    if f.category == CLAIMS[phrase] and f.offset <= start and end <= f.end_offset]
        assert covering, (phrase, original[start:end], original, [(f.rule, f.text) for f in report.findings])


@pytest.fixture(scope="module", autouse=True)
def _engine(engine):
    """Build the pipeline before hypothesis starts timing examples."""


@SETTINGS
@given(markdown_docs())
def test_markdown_offsets(doc):
    check(doc, "markdown")


@SETTINGS
@given(html_docs())
def test_html_offsets(doc):
    check(doc, "html")


@SETTINGS
@given(text_docs())
def test_text_offsets(doc):
    check(doc, "text")
