"""Where findings point: line, column and offsets into the file exactly as it was read.

For every finding ``text == original[offset:end_offset]`` and ``line``/``column``
(``end_line``/``end_column``) are the 1-based position of ``offset``
(``end_offset``), lines counted by ``\\n`` and columns in characters. Markup,
entities, CRLF line endings and non-ASCII text before a claim must not shift
anything, and claim words outside prose (code, front matter, link targets,
comments, scripts, styles, attributes) are never flagged.
"""

from __future__ import annotations

import pytest

from claimlint import Config, lint_text

MARKDOWN = """\
---
title: Our serum cures acne
description: Turmeric has been shown to ease joint pain.
---

# Café — *serum* that cures acne 🌿

Our **serum** _really_ cures acne &amp; eczema. Read [the guide](https://example.com/cures-acne "it cures acne").

- Tea: the blend cures colds.
- Turmeric has been shown to ease joint pain.
  1. Nested: the gel cures burns.

| Product | Claim |
|---------|-------|
| Balm | It cures rashes |

> Quote: this oil cures warts.
> > Nested: the drops cure flu.

Inline `this cures acne` code, and <span class="cures">the patch cures gout</span>.

```text
Our serum cures acne.
```

    indented code: our serum cures acne

<!-- Our serum cures acne. -->

Ünïcödé “quotes” — 👩‍⚕️ emoji &eacute;: the cream cures psoriasis.
"""

#: (line, a snippet of that line starting at the flagged "cure"/"cures")
MARKDOWN_CURES = [(6, "cures acne 🌿"), (8, "cures acne &amp;"), (10, "cures colds"), (12, "cures burns"),
                  (16, "cures rashes"), (18, "cures warts"), (19, "cure flu"), (21, "cures gout"),
                  (31, "cures psoriasis")]
MARKDOWN_NOT_PROSE = ["title: Our serum cures acne", "description: Turmeric has been shown to ease joint pain.",
                      '(https://example.com/cures-acne "it cures acne")', "`this cures acne`", 'class="cures"',
                      "```text\nOur serum cures acne.\n```", "indented code: our serum cures acne",
                      "<!-- Our serum cures acne. -->"]

HTML = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <meta name="description" content="Our serum cures acne">
  <title>Caf&eacute; shop</title>
  <style>/* cures acne */ .cures::after { content: "our serum cures acne"; }</style>
  <script>
    // Our serum cures acne.
    const claim = "<p>Turmeric has been shown to ease joint pain</p>";
  </script>
</head>
<body>
  <nav><a href="/cures-acne" title="our serum cures acne">Home</a></nav>
  <main>
    <h1>Caf&eacute; &amp; <em>spa</em> &mdash; the tea cures colds</h1>
    <div><section><article><p>Our <strong>balm <em>really</em></strong>
      cures&nbsp;eczema &#8212; try it.</p></article></section></div>
    <!-- Our pill cures gout. -->
    <p>Line one<br/>Our oil cures<br>warts. It&rsquo;s <span>Turmeric</span> has been shown to ease joint pain.</p>
    <ul><li>The drops cure flu<li>The gel cures burns</ul>
    <table><tr><td>Tea</td><td>It cures rashes</td></tr></table>
    <pre>Our serum cures acne.</pre>
    <p>Ünïcödé “quotes” — 👩‍⚕️ emoji: the cream cures psoriasis.</p>
    <textarea>Our serum cures acne.</textarea>
    <code>Our serum cures acne.</code>
  </main>
</body>
</html>
"""
HTML_CURES = [(15, "cures colds"), (17, "cures&nbsp;eczema"), (19, "cures<br>warts"), (20, "cure flu"),
              (20, "cures burns"), (21, "cures rashes"), (23, "cures psoriasis")]
HTML_NOT_PROSE = ['content="Our serum cures acne"', "<style>/* cures acne */ .cures::after { content: \"our serum cures acne\"; }</style>",
                  "// Our serum cures acne.", '"<p>Turmeric has been shown to ease joint pain</p>"',
                  'href="/cures-acne" title="our serum cures acne"', "<!-- Our pill cures gout. -->",
                  "<pre>Our serum cures acne.</pre>", "<textarea>Our serum cures acne.</textarea>",
                  "<code>Our serum cures acne.</code>"]

TEXT = """\
Skin care — a guide 🌿

Ünïcödé “quotes” and émojis 👩‍⚕️: our serum cures acne.
Turmeric has been shown to ease joint pain, and
the balm cures eczema when it is wrapped onto a second line.

- Bullet: the tea cures colds.
\t* Tabbed bullet: the gel cures burns.
"""
TEXT_CURES = [(3, "cures acne"), (5, "cures eczema"), (7, "cures colds"), (8, "cures burns")]

DOCUMENTS = {
    "markdown": (MARKDOWN, MARKDOWN_CURES, MARKDOWN_NOT_PROSE),
    "html": (HTML, HTML_CURES, HTML_NOT_PROSE),
    "text": (TEXT, TEXT_CURES, []),
}
SELECT = Config(select=["CL501", "CL101"])
EVERYTHING = Config(extend_select=["CL402", "CL403"])


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def expected_cures(text: str, cures: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    lines = text.split("\n")
    out = []
    for line, snippet in cures:
        column = lines[line - 1].index(snippet) + 1
        out.append((line, column, "cure" if snippet.startswith("cure ") else "cures"))
    return out


def spans(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    found = []
    for piece in pieces:
        start = text.index(piece)
        found.append((start, start + len(piece)))
    return found


@pytest.mark.parametrize("ending", ["lf", "crlf"])
@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_every_finding_points_at_its_text(engine, assert_positions, fmt, ending):
    text = DOCUMENTS[fmt][0]
    text = crlf(text) if ending == "crlf" else text
    for config in (SELECT, EVERYTHING):
        report = lint_text(text, format=fmt, path=f"page.{fmt}", config=config)
        assert report.findings
        assert_positions(text, report.findings)


@pytest.mark.parametrize("ending", ["lf", "crlf"])
@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_claims_are_found_where_they_are(engine, fmt, ending):
    text, cures, _ = DOCUMENTS[fmt]
    text = crlf(text) if ending == "crlf" else text
    report = lint_text(text, format=fmt, config=SELECT)
    found = [(f.line, f.column, f.text) for f in report.findings if f.rule == "CL501"]
    assert found == expected_cures(text, cures)


@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_evidence_phrase_across_markup_and_entities(engine, fmt):
    text = DOCUMENTS[fmt][0]
    found = [(f.line, f.text) for f in lint_text(text, format=fmt, config=SELECT).findings if f.rule == "CL101"]
    assert [t for _, t in found] == ["has been shown to"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_claim_words_outside_prose_are_never_flagged(engine, fmt):
    text, _, not_prose = DOCUMENTS[fmt]
    report = lint_text(text, format=fmt, config=EVERYTHING)
    for start, end in spans(text, not_prose):
        inside = [f for f in report.findings if f.offset < end and start < f.end_offset]
        assert inside == [], text[start:end]


@pytest.mark.parametrize("fmt, text", [
    ("markdown", "---\ntitle: Our serum cures acne\n---\n\n# Opening hours\n\n"
                 "See [our page](https://example.com/serum-cures-acne \"Our serum cures acne\").\n\n"
                 "Run `cures(acne)` to start.\n\n```\nOur serum cures acne.\n```\n\n"
                 "    Our serum cures acne.\n\n<!-- Our serum cures acne. -->\n\nWe open at nine.\n"),
    ("html", "<html><head><title>Opening hours</title><meta name=\"d\" content=\"Our serum cures acne.\">"
             "<script>var a = 'Our serum cures acne.';</script><style>.cures-acne{}</style></head>\n"
             "<body><p title=\"Our serum cures acne.\">We open at <a href=\"/serum-cures-acne\">nine</a>.</p>\n"
             "<!-- Our serum cures acne. --><pre>Our serum cures acne.</pre><code>Our serum cures acne.</code></body></html>\n"),
])
def test_a_page_whose_only_claims_are_outside_prose_is_clean(engine, fmt, text):
    report = lint_text(text, format=fmt, config=EVERYTHING)
    assert report.findings == []
    assert report.errors == []


def test_multi_line_finding_has_its_end_on_the_next_line(engine, assert_positions):
    text = "# Shop\r\n\r\nCafé — 🌿 our serum cures acne &amp; really\r\ncures eczema.\r\n"
    report = lint_text(text, format="markdown", config=Config(select=["CL201"]))
    [finding] = report.findings
    assert (finding.line, finding.end_line) == (3, 4)
    assert finding.text == "cures acne &amp; really\r\ncures eczema"
    assert_positions(text, report.findings)


@pytest.mark.parametrize("name, data, decoded", [
    ("crlf.md", crlf(MARKDOWN).encode("utf-8"), crlf(MARKDOWN)),
    ("crlf.html", crlf(HTML).encode("utf-8"), crlf(HTML)),
    ("crlf.txt", crlf(TEXT).encode("utf-8"), crlf(TEXT)),
    ("bom.md", b"\xef\xbb\xbf" + MARKDOWN.encode("utf-8"), MARKDOWN),
    ("utf16.txt", TEXT.encode("utf-16"), TEXT),
])
def test_offsets_from_files_on_disk(cli, write, assert_positions, name, data, decoded):
    write(name, data)
    report = cli("check", "--format", "json", "--extend-select", "CL402,CL403", name).json()
    assert report["findings"]
    assert report["errors"] == []
    assert_positions(decoded, report["findings"])
    cures = [(f["line"], f["column"]) for f in report["findings"] if f["rule"] == "CL501"]
    fmt = {"md": "markdown", "html": "html", "txt": "text"}[name.rsplit(".", 1)[1]]
    assert cures == [(line, col) for line, col, _ in expected_cures(decoded, DOCUMENTS[fmt][1])]
