"""Tests for the document readers: prose blocks with exact offsets into the original."""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

try:
    import claimlint.document  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pytest

from claimlint.document import BLOCK_KINDS, Block, Document
from claimlint.sources import READERS, format_for_path, read_document
from claimlint.sources import html as html_source
from claimlint.sources import markdown as markdown_source
from claimlint.sources import text as text_source

PHRASE = "has been shown to"
_LINE_END = {"\n", "\r\n", "\r"}


# -- helpers -----------------------------------------------------------------


def assert_contract(doc: Document) -> None:
    """Every block of ``doc`` keeps the offset contract, character by character."""
    for block in doc.blocks:
        assert block.kind in BLOCK_KINDS
        assert block.text and block.text == block.text.strip(), block
        assert len(block.starts) == len(block.ends) == len(block.text)
        assert type(block.starts) is type(block.ends)  # tuples, or compact arrays for a large block
        for i, ch in enumerate(block.text):
            start, end = block.starts[i], block.ends[i]
            assert 0 <= start < end <= len(doc.text), (block, i)
            if i + 1 < len(block.text):
                assert end <= block.starts[i + 1], (block, i)
            original = doc.text[start:end]
            assert (
                original == ch
                or html.unescape(original) == ch
                or (ch == "\n" and (original in _LINE_END or re.fullmatch(r"<br\b[^>]*>", original)))
                or original == "\\" + ch
            ), (block.kind, block.text, i, ch, original)
    for comment in doc.comments:
        assert doc.text[comment.offset : comment.offset + len(comment.text)] == comment.text


def read(text: str, path: str) -> Document:
    doc = read_document(text, path)
    assert_contract(doc)
    return doc


def locate(doc: Document, phrase: str, kind: str | None = None) -> tuple[Block, str, tuple[int, int]]:
    """Find ``phrase`` in a block: (block, original text of the phrase, (line, col))."""
    for block in doc.blocks:
        k = block.text.find(phrase)
        if k != -1 and (kind is None or block.kind == kind):
            start, end = block.original_span(k, k + len(phrase))
            return block, doc.text[start:end], doc.line_col(start)
    raise AssertionError(f"{phrase!r} not in any {kind or ''} block: {[b.text for b in doc.blocks]}")


def all_prose(doc: Document) -> str:
    return "\n".join(block.text for block in doc.blocks)


# -- registry ----------------------------------------------------------------


def test_registry_and_format_for_path() -> None:
    assert set(READERS) == {"markdown", "html", "text"}
    assert format_for_path("docs/Guide.MD") == "markdown"
    assert format_for_path("a.markdown") == "markdown"
    assert format_for_path("site/index.html") == "html"
    assert format_for_path("old.HTM") == "html"
    assert format_for_path("notes.txt") == "text"
    assert format_for_path("README") == "text"
    assert read_document("x", "a.md").format == "markdown"
    assert read_document("x", "a.md", format="text").format == "text"
    with pytest.raises(ValueError, match="unknown document format 'pdf'"):
        read_document("x", "a.pdf", format="pdf")


# -- markdown ----------------------------------------------------------------

MARKDOWN = """\
---
title: Turmeric guide
tags: [joint, pain]
---
# Turmeric *has been shown to* help

Turmeric **has been** shown to ease joint pain. Café owners say it has been shown to work — 🎉 \
and Ben &amp; Jerry&rsquo;s has been shown to agree.

Read [has been shown to](https://example.com/has-been-shown-to "has been shown to") or \
<https://example.org/autolink-has-been>.

- Ginger has been
  shown to calm nausea `has-been-shown-to()`.

> Omega-3 has been shown to
> support heart health.

| Herb | Claim |
|------|-------|
| Ashwagandha | has been shown to \\| lower stress |

![A jar that has been shown to glow](jar.png "has been shown to")

```python
claim = "fenced code has been shown to"
```

    indented code has been shown to

<!-- claimlint-disable-next-line -->
Price\\*: \\[10\\] dollars <!-- inline note --> now.
"""


@pytest.fixture(scope="module")
def md_doc() -> Document:
    return read(MARKDOWN, "guide.md")


def test_markdown_front_matter_parsed_and_not_prose(md_doc: Document) -> None:
    assert md_doc.front_matter == {"title": "Turmeric guide", "tags": ["joint", "pain"]}
    assert "Turmeric guide" not in all_prose(md_doc)
    assert md_doc.blocks[0].kind == "heading"


def test_markdown_phrase_across_emphasis_and_in_heading(md_doc: Document) -> None:
    block, original, pos = locate(md_doc, "Turmeric has been shown to ease")
    assert block.kind == "paragraph"
    assert original == "Turmeric **has been** shown to ease"
    assert pos == (7, 1)
    block, original, pos = locate(md_doc, PHRASE, "heading")
    assert block.text == "Turmeric has been shown to help"
    assert original == "has been shown to"
    assert pos == (5, 13)


def test_markdown_non_ascii_and_entities(md_doc: Document) -> None:
    _, original, pos = locate(md_doc, "it has been shown to work")
    assert original == "it has been shown to work"
    assert pos == (7, 65)  # columns count characters: "é" is one
    _, original, _ = locate(md_doc, "work — 🎉 and")
    assert original == "work — 🎉 and"
    _, original, pos = locate(md_doc, "Ben & Jerry’s has been shown to agree")
    assert original == "Ben &amp; Jerry&rsquo;s has been shown to agree"
    assert pos == (7, 99)


def test_markdown_links_keep_text_never_urls(md_doc: Document) -> None:
    block, original, pos = locate(md_doc, "Read has been shown to")
    assert block.text == "Read has been shown to or ."
    assert original == "Read [has been shown to"
    assert pos == (9, 1)
    prose = all_prose(md_doc)
    assert "example.com" not in prose and "example.org" not in prose
    assert "has-been-shown-to" not in prose and "jar.png" not in prose


def test_markdown_list_item_blockquote_table_alt(md_doc: Document) -> None:
    block, original, pos = locate(md_doc, "Ginger has been\nshown to")
    assert block.kind == "list_item"
    assert original == "Ginger has been\n  shown to"
    assert pos == (11, 3)
    assert "has-been-shown-to()" not in block.text  # inline code is not prose
    block, original, pos = locate(md_doc, PHRASE, "blockquote")
    assert block.text == "Omega-3 has been shown to\nsupport heart health."
    assert original == PHRASE and pos == (14, 11)
    _, original, _ = locate(md_doc, "to\nsupport", "blockquote")
    assert original == "to\n> support"
    block, original, pos = locate(md_doc, PHRASE, "table_cell")
    assert block.text == "has been shown to | lower stress"
    assert original == PHRASE and pos == (19, 17)
    _, original, _ = locate(md_doc, "to | lower", "table_cell")
    assert original == "to \\| lower"
    assert [b.text for b in md_doc.blocks if b.kind == "table_cell"][:3] == ["Herb", "Claim", "Ashwagandha"]
    block, original, pos = locate(md_doc, PHRASE, "alt_text")
    assert block.text == "A jar that has been shown to glow"
    assert pos == (21, 14)


def test_markdown_code_and_comments_are_not_prose(md_doc: Document) -> None:
    prose = all_prose(md_doc)
    assert "fenced code" not in prose and "indented code" not in prose and "claim =" not in prose
    assert "claimlint" not in prose and "inline note" not in prose
    bodies = [c.text for c in md_doc.comments]
    assert bodies == [" claimlint-disable-next-line ", " inline note "]
    for comment in md_doc.comments:
        assert md_doc.text[comment.offset - 4 : comment.offset] == "<!--"
    assert md_doc.line_col(md_doc.comments[0].offset) == (29, 5)
    block, original, _ = locate(md_doc, "Price*: [10] dollars")
    assert original == "Price\\*: \\[10\\] dollars"
    assert block.text == "Price*: [10] dollars  now."
    assert [b.kind for b in md_doc.blocks] == [
        "heading", "paragraph", "paragraph", "list_item", "blockquote",
        "table_cell", "table_cell", "table_cell", "table_cell", "alt_text", "paragraph",
    ]  # fmt: skip


def test_markdown_crlf_offsets() -> None:
    doc = read(MARKDOWN.replace("\n", "\r\n"), "guide.md")
    assert doc.front_matter["title"] == "Turmeric guide"
    block, original, pos = locate(doc, "Ginger has been\nshown to")
    assert original == "Ginger has been\r\n  shown to"
    assert pos == (11, 3)
    _, original, pos = locate(doc, PHRASE, "blockquote")
    assert original == PHRASE and pos == (14, 11)
    assert doc.line_col(doc.comments[1].offset)[0] == 30


def test_markdown_setext_nested_and_html_blocks() -> None:
    src = (
        "Zinc Facts\n==========\n\n"
        "1. Zinc *has been*\n   shown to help.\n   - Nested claim &copy; here\n\n"
        "> - Quoted item has been shown to work\n\n"
        "<div>\n<p>HTML para has been &ldquo;shown&rdquo; to help</p>\n<script>var claim = 1;</script>\n</div>\n\n"
        "- <p>Listed html has been shown to help</p>\n\n"
        "Text with <span>span</span> <code>hidden</code> and <!-- note --> end.\n"
    )
    doc = read(src, "z.md")
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["Zinc Facts"] == "heading"
    assert kinds["Zinc has been\nshown to help."] == "list_item"
    assert kinds["Nested claim © here"] == "list_item"
    assert kinds["Quoted item has been shown to work"] == "list_item"
    _, original, pos = locate(doc, "has been “shown” to")
    assert original == "has been &ldquo;shown&rdquo; to" and pos == (11, 14)
    _, original, pos = locate(doc, "Listed html has been shown to")
    assert original == "Listed html has been shown to" and pos == (15, 6)
    assert "Text with span  and  end." in kinds
    prose = all_prose(doc)
    assert "var claim" not in prose and "hidden" not in prose and "note" not in prose
    assert [c.text for c in doc.comments] == [" note "]


def test_markdown_bad_front_matter_is_skipped() -> None:
    doc = read("---\ntitle: [unclosed\n---\nBody text.\n", "x.md")
    assert doc.front_matter == {}
    assert [b.text for b in doc.blocks] == ["Body text."]
    doc = read("---\n- just\n- a list\n---\nBody.\n", "x.md")
    assert doc.front_matter == {} and [b.text for b in doc.blocks] == ["Body."]


# -- html --------------------------------------------------------------------

HTML = """\
<!DOCTYPE html>
<html><head><title>Exosomes &amp; Hair</title>
<style>p { content: "has been shown to"; }</style>
<script>var claim = "has been shown to";</script></head>
<body>
<h1>Serum <em>has been shown to</em> work</h1>
<p>Biotin <strong>has been</strong> shown to help. Caf&eacute; &mdash; caf\u00e9 — 🎉 users&rsquo; \
hair has been shown to&#8217;s &#x2019; regrow<sup>1</sup>.<br>
Second line after a break, <a href="https://example.com/has-been-shown-to">has been shown to</a>.</p>
<!-- claimlint-disable-next-line -->
<ul><li>Collagen has been
  shown to help</li><li>Item <b>two</b></ul>
<table><tr><th>Herb</th><td>Maca has been shown to help</td></tr></table>
<blockquote><p>Quoted: has been shown to</p></blockquote>
<img src="hair.png" alt="A model whose hair has been shown to &quot;shine&quot;">
<pre>pre has been shown to</pre><code>code has been shown to</code>
<noscript>noscript text</noscript><template>template text</template><svg><text>svg text</text></svg>
</body></html>
"""


@pytest.fixture(scope="module")
def html_doc() -> Document:
    return read(HTML, "page.html")


def test_html_kinds_and_order(html_doc: Document) -> None:
    assert [(b.kind, b.text) for b in html_doc.blocks][:3] == [
        ("heading", "Exosomes & Hair"),
        ("heading", "Serum has been shown to work"),
        ("paragraph", html_doc.blocks[2].text),
    ]
    kinds = [b.kind for b in html_doc.blocks]
    assert kinds == [
        "heading", "heading", "paragraph", "list_item", "list_item",
        "table_cell", "table_cell", "blockquote", "alt_text",
    ]  # fmt: skip


def test_html_offsets_across_markup_entities_and_breaks(html_doc: Document) -> None:
    _, original, pos = locate(html_doc, "Biotin has been shown to help")
    assert original == "Biotin <strong>has been</strong> shown to help"
    assert pos == (7, 4)
    _, original, _ = locate(html_doc, "Café — café — 🎉 users’ hair")
    assert original == "Caf&eacute; &mdash; café — 🎉 users&rsquo; hair"
    _, original, pos = locate(html_doc, "hair has been shown to’s ’ regrow1.")
    assert original == "hair has been shown to&#8217;s &#x2019; regrow<sup>1</sup>."
    assert pos == (7, 94)
    block, original, pos = locate(html_doc, "regrow1.\n\nSecond line")
    assert original == "regrow<sup>1</sup>.<br>\nSecond line"
    assert pos == (7, 134)
    _, original, pos = locate(html_doc, "break, has been shown to")
    assert original == 'break, <a href="https://example.com/has-been-shown-to">has been shown to'
    assert pos == (8, 21)


def test_html_lists_tables_quotes_alt(html_doc: Document) -> None:
    block, original, pos = locate(html_doc, "Collagen has been\n  shown to", "list_item")
    assert original == "Collagen has been\n  shown to" and pos == (10, 9)
    assert locate(html_doc, "Item two", "list_item")[1] == "Item <b>two"
    block, original, pos = locate(html_doc, PHRASE, "table_cell")
    assert block.text == "Maca has been shown to help" and pos == (12, 34)
    block, _, pos = locate(html_doc, PHRASE, "blockquote")
    assert block.text == "Quoted: has been shown to" and pos == (13, 24)
    block, original, pos = locate(html_doc, 'shown to "shine"', "alt_text")
    assert original == "shown to &quot;shine&quot;" and pos == (14, 54)


def test_html_never_prose(html_doc: Document) -> None:
    prose = all_prose(html_doc)
    for hidden in ("content:", "var claim", "pre has", "code has", "noscript", "template", "svg", "example.com", "claimlint"):
        assert hidden not in prose
    assert [c.text for c in html_doc.comments] == [" claimlint-disable-next-line "]
    assert html_doc.line_col(html_doc.comments[0].offset) == (9, 5)


def test_html_crlf() -> None:
    doc = read("<p>Zinc has been\r\nshown to help.<br/>\r\nReally.</p>", "a.html")
    assert doc.blocks[0].text == "Zinc has been\nshown to help.\n\nReally."
    _, original, pos = locate(doc, "been\nshown")
    assert original == "been\r\nshown" and pos == (1, 13)
    _, original, pos = locate(doc, "Really")
    assert pos == (3, 1)


def test_html_malformed_does_not_crash() -> None:
    doc = read("<p>Unclosed <b>bold <div>block</p></p></span> &bogus; &amp text", "a.html")
    assert [b.text for b in doc.blocks] == ["Unclosed bold", "block", "&bogus; & text"]
    doc = read("<p>Text <!-- never closed", "a.html")
    assert [b.text for b in doc.blocks] == ["Text"] and [c.text for c in doc.comments] == [" never closed"]
    doc = read("<p>Tag at the end <div class=\"x", "a.html")
    assert doc.blocks[0].text == "Tag at the end"
    doc = read("a < b & c <3 </> <!x> <![CDATA[cdata]]> d", "a.html")
    assert "cdata" not in all_prose(doc)
    doc = read("<script>never closed has been shown to", "a.html")
    assert doc.blocks == []
    doc = read("<img alt=bare&amp;ok><img alt><IMG ALT='Up&#x2019;'>", "a.html")
    assert [b.text for b in doc.blocks] == ["bare&ok", "Up’"]


@pytest.mark.parametrize(
    "tail",
    ["x<b " * 20_000, '<a href="' * 20_000, "<!-- " * 20_000, "x<b " * 20_000 + ">"],
)
def test_html_unterminated_markup_stays_fast(tail: str) -> None:
    started = time.perf_counter()
    doc = read("<p>Zinc has been shown to help.</p>" + tail, "a.html")
    assert time.perf_counter() - started < 5
    assert doc.blocks[0].text == "Zinc has been shown to help."


def test_html_unclosed_comment_runs_to_the_end() -> None:
    doc = read("<p>Kept</p><!-- a > b <p>hidden</p>", "a.html")
    assert [b.text for b in doc.blocks] == ["Kept"]
    assert [c.text for c in doc.comments] == [" a > b <p>hidden</p>"]


def test_html_deep_nesting() -> None:
    depth = 10_000
    doc = read("<div>" * depth + "Deep claim." + "</div>" * depth, "deep.html")
    assert [b.text for b in doc.blocks] == ["Deep claim."]
    assert doc.blocks[0].starts[0] == 5 * depth
    doc = read("<span><div>" * depth + "Unclosed deep.", "deep.html")
    assert [b.text for b in doc.blocks] == ["Unclosed deep."]


# -- plain text ----------------------------------------------------------------

TEXT = (
    "Exosomes for Hair Loss\n"
    "Exosome therapy has been shown to regrow hair when kept up-to-date in\n"
    "accordance with the protocol. It is safe.\n"
    "Results vary.\n"
    "\n"
    "Benefits include:\n"
    "- thicker hair has been shown to\n"
    "  last for months\n"
    "* fewer side effects\n"
    "• Café-grade — 🎉 serum\n"
    "1. first step\n"
    "2) second step\n"
    "# claimlint-disable-next-line\n"
    "Written by\n"
    "Dr. Ana Silva\n"
    "\n"
    "Final thoughts...\n"
    "\n"
    "Ask your doctor first.\n"
    "// claimlint-ignore vague-evidence\n"
    "<!-- claimlint-enable -->\n"
)


def test_text_block_splitting() -> None:
    doc = read(TEXT, "notes.txt")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Exosomes for Hair Loss"),
        (
            "paragraph",
            "Exosome therapy has been shown to regrow hair when kept up-to-date in\n"
            "accordance with the protocol. It is safe.",
        ),
        ("paragraph", "Results vary."),
        ("heading", "Benefits include:"),
        ("list_item", "thicker hair has been shown to\n  last for months"),
        ("list_item", "fewer side effects"),
        ("list_item", "Café-grade — 🎉 serum"),
        ("list_item", "first step"),
        ("list_item", "second step"),
        ("heading", "Written by"),
        ("heading", "Dr. Ana Silva"),
        ("heading", "Final thoughts..."),
        ("paragraph", "Ask your doctor first."),
    ]
    assert [c.text for c in doc.comments] == [
        "claimlint-disable-next-line",
        "claimlint-ignore vague-evidence",
        "claimlint-enable",
    ]
    assert doc.line_col(doc.comments[0].offset) == (13, 3)
    assert doc.line_col(doc.comments[2].offset) == (21, 6)


def test_text_offsets_with_crlf_and_non_ascii() -> None:
    for newline in ("\n", "\r\n"):
        doc = read(TEXT.replace("\n", newline), "notes.txt")
        _, original, pos = locate(doc, "up-to-date in\naccordance")
        assert original == f"up-to-date in{newline}accordance" and pos == (2, 57)
        block, original, pos = locate(doc, "shown to\n  last", "list_item")
        assert original == f"shown to{newline}  last" and pos == (7, 25)
        _, original, pos = locate(doc, "🎉 serum", "list_item")
        assert original == "🎉 serum" and pos == (10, 16)


def test_text_heading_rules() -> None:
    doc = read("Why Zinc Matters\nZinc supports immunity.", "a.txt")
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph"]
    doc = read("Zinc supports immunity.\n\nIt really does!\n\nThe end", "a.txt")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "paragraph"]
    long_line = "A " * 45 + "title"
    assert [b.kind for b in read(long_line + "\n\nBody.", "a.txt").blocks] == ["paragraph", "paragraph"]


# -- robustness --------------------------------------------------------------


@pytest.mark.parametrize("path", ["a.md", "a.html", "a.txt"])
@pytest.mark.parametrize(
    "source",
    [
        "",
        "   \n\t\r\n  ",
        "```\nunclosed fence has been shown to\n",
        "<div><p>unclosed <b>tags",
        "</p></div></li> stray closers",
        "&bogus; &#xZZ; &#99999999999; & &; &#;",
        "**unclosed emphasis [unclosed link ![unclosed image",
        "\x00 nul \ufeff bom \u2028 separator",
        "> " * 500 + "deep quote",
        "- " * 500 + "deep list",
        "[" * 2000 + "brackets" + "]" * 2000,
    ],
)
def test_malformed_input_does_not_crash(source: str, path: str) -> None:
    doc = read(source, path)
    if not source.strip():
        assert doc.blocks == []


@pytest.mark.parametrize("path", ["a.md", "a.html", "a.txt"])
def test_one_megabyte_single_line(path: str) -> None:
    line = "Turmeric has been shown to ease joint pain &amp; stiffness. " * 17_500
    started = time.perf_counter()
    doc = read_document(line, path)
    assert time.perf_counter() - started < 10
    assert len(doc.blocks) == 1
    block = doc.blocks[0]
    assert block.starts[-1] < len(line) and block.ends[-1] <= len(line)


def test_readers_are_exposed_per_module() -> None:
    assert READERS["markdown"] is markdown_source.read
    assert READERS["html"] is html_source.read
    assert READERS["text"] is text_source.read


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_a_large_page_keeps_its_offsets_in_compact_arrays(fmt: str) -> None:
    from array import array

    from claimlint.analysis.prose import assemble

    paragraph = "Our serum &amp; balm soothe dry skin on the arms and legs.\r\n"
    if fmt == "html":
        text = "<h1>Care</h1>\n<p>" + paragraph * 400 + "</p>\n<p>It cures acne.</p>\n"
    else:
        text = "# Care\n\n" + paragraph * 400 + "\nIt cures acne.\n"
    doc = read_document(text, "big", fmt)
    assert_contract(doc)
    big = max(doc.blocks, key=lambda b: len(b.text))
    assert isinstance(big.starts, array) and isinstance(doc.blocks[0].starts, array)  # the heading too
    small = read_document("# Care\n\nIt cures acne.\n", "small", fmt)
    assert isinstance(small.blocks[0].starts, tuple)  # a small file keeps plain tuples
    prose = assemble(doc)
    assert isinstance(prose.starts, array)
    start = prose.text.index("cures acne")
    assert text[slice(*prose.original_span(start, start + len("cures acne")))] == "cures acne"
