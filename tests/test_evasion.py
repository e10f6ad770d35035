"""Text that hides a claim from naive matching is still caught, at its exact place.

Each trick is folded for matching only: the finding's offsets, line and column and
its text still point into the original characters.
"""

from __future__ import annotations

import pytest

from claimlint import lint_text

CURES = [
    ("zero-width space", "Our serum cu\u200bres acne.", "cu\u200bres"),
    ("zero-width joiner", "Our serum cu\u200dres acne.", "cu\u200dres"),
    ("soft hyphen", "Our serum cu\u00adres acne.", "cu\u00adres"),
    ("Cyrillic look-alike", "Our serum \u0441ures acne.", "\u0441ures"),
    ("Greek look-alike", "Our serum cur\u03b5s acne.", "cur\u03b5s"),
    ("full-width letters", "Our serum \uff43\uff55\uff52\uff45\uff53 acne.", "\uff43\uff55\uff52\uff45\uff53"),
    ("hyphenation across lines", "Our serum cu-\nres acne.", "cu-\nres"),
    ("hyphenation with CRLF", "Our serum cu-\r\nres acne.", "cu-\r\nres"),
]


@pytest.mark.parametrize("name, text, flagged", CURES, ids=[c[0] for c in CURES])
def test_hidden_cure_is_caught_where_it_is(engine, assert_positions, name, text, flagged):
    report = lint_text(text, format="text")
    [finding] = [f for f in report.findings if f.rule == "CL501"]
    assert finding.text == flagged
    assert text[finding.offset:finding.end_offset] == flagged
    assert (finding.line, finding.column) == (1, text.index(flagged) + 1)
    assert_positions(text, report.findings)


def test_non_breaking_spaces_do_not_split_a_phrase(engine, assert_positions):
    text = "Turmeric has\u00a0been\u00a0shown to ease joint pain."
    report = lint_text(text, format="text")
    [finding] = [f for f in report.findings if f.rule == "CL101"]
    assert finding.text == "has\u00a0been\u00a0shown to"
    assert_positions(text, report.findings)


def test_ligature_expands_for_matching_but_not_in_the_report(engine, assert_positions):
    text = "Our serum is scienti\ufb01cally proven to clear acne."
    report = lint_text(text, format="text")
    [finding] = [f for f in report.findings if f.rule == "CL101"]
    assert finding.text == "is scienti\ufb01cally proven to"
    assert_positions(text, report.findings)


@pytest.mark.parametrize("markup, flagged", [
    ("<p>Our serum cur&#101;s acne.</p>", "cur&#101;s"),
    ("<p>Our serum cu<span></span>res acne.</p>", "cu<span></span>res"),
    ("<p>Our serum c&shy;ures acne.</p>", "c&shy;ures"),
])
def test_html_tricks_are_caught_in_the_original_markup(engine, assert_positions, markup, flagged):
    report = lint_text(markup, format="html")
    [finding] = [f for f in report.findings if f.rule == "CL501"]
    assert finding.text == flagged
    assert_positions(markup, report.findings)


def test_markdown_emphasis_inside_a_word(engine, assert_positions):
    text = "Our serum **cu**res acne.\n"
    report = lint_text(text, format="markdown")
    [finding] = [f for f in report.findings if f.rule == "CL501"]
    assert finding.text == "cu**res"
    assert_positions(text, report.findings)


def test_a_russian_sentence_is_not_turned_into_findings(engine):
    # Look-alike folding only maps letters; real Cyrillic prose has no English claim words.
    report = lint_text("\u042d\u0442\u043e \u043f\u0440\u043e\u0441\u0442\u043e \u0442\u0435\u043a\u0441\u0442.", format="text")
    assert report.findings == []
